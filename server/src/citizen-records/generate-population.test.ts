import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Decimal from 'decimal.js';
import { idNumberFacts, idNumberProblem } from '../../../common/id-number';
import { averageMonthlyWage, DEMO_PERSON, generatePopulation, SELF_EMPLOYED } from './generate-population';
import { importPerson, type ImportPerson } from './schema';

// a fixed now, so the figures do not move with the calendar: months run to 2026-11
const NOW = new Date('2026-12-07T08:00:00Z');
const LAST_MONTH = '2026-11';
const COUNT = 2100;
type Person = Required<ImportPerson>;
let made: Person[] | undefined;
/** The test population, made when the first test needs it. */
const population = () => (made ??= [...generatePopulation({ count: COUNT, seed: 7, now: NOW })] as Person[]);
const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
const share = (test: (p: Person) => boolean) => population().filter(test).length / COUNT;
const pensionMonths = (p: Person) => p.contributions.filter((c) => c.insurance === 'pension').map((c) => monthIndex(c.month));
const hasGap = (p: Person) => {
  const months = pensionMonths(p);
  return months.length > 0 && months[months.length - 1] - months[0] + 1 > months.length;
};
const pensions = (p: Person) => p.payments.filter((x) => x.type === 'pension');
const isFinal = (status: string) => status === '已办结' || status === '已驳回';
const inRange = (value: number, min: number, max: number, what: string) => assert.ok(value >= min && value <= max, `${what}: ${(value * 100).toFixed(1)} % not in ${min * 100}–${max * 100} %`);

/** Statutory retirement month under the 2025 postponement (the rules engine's retirement-age table). */
function retirementMonth(birthMonth: number, ageYears: number, startBirth: string, stepMonths: number, maxDelay: number) {
  const original = birthMonth + ageYears * 12;
  if (original < monthIndex('2025-01')) return original;
  return original + Math.min(maxDelay, Math.floor((birthMonth - monthIndex(startBirth)) / stepMonths) + 1);
}

/** The expected employer and personal rates (per cent) of a contribution. */
function expectedRates(c: { insurance: string; month: string; employer: string }): [string, string] {
  if (c.employer === SELF_EMPLOYED) return c.insurance === 'pension' ? ['12', '8'] : ['0', '10'];
  switch (c.insurance) {
    case 'pension':
      return [c.month < '2019-05' ? '20' : '16', '8'];
    case 'medical':
      return ['8', '2'];
    case 'unemployment':
      return ['0.5', '0.5'];
    case 'injury':
      return ['0.4', '0'];
    case 'maternity':
      return ['0.8', '0'];
    default:
      assert.fail(`unknown insurance ${c.insurance}`);
  }
}

describe('synthetic demo population', () => {
  // first, before the test population below fills the heap
  it('generates 10,000 persons in well under 20 seconds', () => {
    const started = performance.now();
    let contributionRows = 0;
    let pensionMonthsHeld = 0;
    let count = 0;
    for (const p of generatePopulation({ count: 10_000, now: NOW })) {
      count++;
      for (const c of p.contributions ?? []) {
        contributionRows++;
        if (c.insurance === 'pension') pensionMonthsHeld++;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`10,000 persons in ${seconds.toFixed(1)} s: ${contributionRows.toLocaleString('en')} contribution months (insurance × month), ${pensionMonthsHeld.toLocaleString('en')} of them pension`);
    assert.equal(count, 10_000);
    assert.ok(seconds < 20, `${seconds} s`);
  });

  it('gives the same persons for a seed and others for another seed', () => {
    const again = [...generatePopulation({ count: 300, seed: 7, now: NOW })];
    assert.deepEqual(again, population().slice(0, 300));
    const other = [...generatePopulation({ count: 300, seed: 8, now: NOW })];
    assert.deepEqual(other[0], population()[0], 'the demo person is the same for every seed');
    const ids = new Set(population().slice(0, 300).map((p) => p.idNumber));
    assert.ok(other.slice(1).filter((p) => !ids.has(p.idNumber)).length >= 295, 'another seed, other people');
  });

  it('yields persons one at a time, without building the whole population first', { timeout: 5000 }, () => {
    const huge = generatePopulation({ count: 1_000_000_000, now: NOW });
    const firstThree = [huge.next().value, huge.next().value, huge.next().value] as Person[];
    assert.equal(new Set(firstThree.map((p) => p.idNumber)).size, 3);
    assert.equal([...generatePopulation({ count: 0, now: NOW })].length, 0);
  });

  it('imports every person: the schema passes, ID numbers carry their check character, ID numbers and phones are unique', () => {
    assert.equal(population().length, COUNT);
    for (const p of population()) {
      const parsed = importPerson.safeParse(p);
      assert.ok(parsed.success, `${p.idNumber}: ${JSON.stringify(parsed.error?.issues.slice(0, 3))}`);
      assert.equal(idNumberProblem(p.idNumber), null, p.idNumber);
      assert.match(p.idNumber, /^33\d{15}[\dX]$/, 'a Zhejiang region code');
      const { birthDate } = idNumberFacts(p.idNumber);
      assert.ok(birthDate >= '1960-01-01' && birthDate <= '2003-12-31', `born ${birthDate}`);
      assert.match(p.phone, /^1[35789]\d{9}$/);
      assert.match(p.name, /^[\u4e00-\u9fff]{2,3}$/);
    }
    assert.equal(new Set(population().map((p) => p.idNumber)).size, COUNT, 'ID numbers unique');
    assert.equal(new Set(population().map((p) => p.phone)).size, COUNT, 'phones unique');
    const women = population().filter((p) => idNumberFacts(p.idNumber).sex === 'female').length / COUNT;
    inRange(women, 0.45, 0.55, 'women');
  });

  it('keeps one contribution per insurance and month, none after last month, each amount the base times its rate to the cent', () => {
    // 2.4 million rows: each distinct base × rate is worked out once in Decimal, and messages are built on failure only
    const expected = new Map<string, number>();
    const baseTimesRate = (base: number, rate: string) => {
      const key = `${base}×${rate}`;
      let amount = expected.get(key);
      if (amount === undefined) expected.set(key, (amount = new Decimal(base).times(rate).div(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber()));
      return amount;
    };
    for (const p of population()) {
      const seen = new Set<string>();
      const basesByEmployerYear = new Map<string, number>();
      for (const c of p.contributions) {
        const key = `${c.insurance} ${c.month}`;
        if (seen.has(key)) assert.fail(`${p.idNumber}: ${key} twice`);
        seen.add(key);
        if (c.month < '1995-01' || c.month > LAST_MONTH) assert.fail(`${p.idNumber}: ${c.month}`);
        const [employerRate, personalRate] = expectedRates(c);
        if (c.employerAmount !== baseTimesRate(c.base, employerRate)) assert.fail(`${p.idNumber} ${key}: employer ${c.employerAmount} for ${c.base} × ${employerRate} %`);
        if (c.personalAmount !== baseTimesRate(c.base, personalRate)) assert.fail(`${p.idNumber} ${key}: personal ${c.personalAmount} for ${c.base} × ${personalRate} %`);
        const year = Number(c.month.slice(0, 4));
        const average = averageMonthlyWage(year);
        if (c.base < Math.round(average * 0.6) || c.base > Math.round(average * 3)) assert.fail(`${p.idNumber} ${key}: base ${c.base} outside 60–300 % of ${average}`);
        if (c.employer === SELF_EMPLOYED && c.insurance !== 'pension' && c.insurance !== 'medical') assert.fail(`${p.idNumber} ${key}: the self-employed pay pension and medical only`);
        // the base changes in January only
        const employerYear = `${c.employer} ${year}`;
        const earlier = basesByEmployerYear.get(employerYear);
        if (earlier !== undefined && earlier !== c.base) assert.fail(`${p.idNumber} ${employerYear}: base ${earlier}, then ${c.base}`);
        basesByEmployerYear.set(employerYear, c.base);
      }
    }
    assert.ok(Math.abs(averageMonthlyWage(1995) - 700) < 100 && Math.abs(averageMonthlyWage(2025) - 10_000) < 1, 'the average wage runs from ~700 (1995) to 10,000 (2025)');
  });

  it('has what the demo needs: gaps, arrears, several employers, self-employment, retirees, people near retirement and young people', () => {
    inRange(share(hasGap), 0.4, 0.85, 'with a gap');
    inRange(share((p) => p.contributions.some((c) => c.status === 'arrears')), 0.015, 0.08, 'with arrears');
    for (const p of population().filter((x) => x.contributions.some((c) => c.status === 'arrears'))) {
      const owed = p.contributions.filter((c) => c.status === 'arrears' && c.insurance === 'pension').map((c) => monthIndex(c.month));
      assert.equal(Math.max(...owed), monthIndex(LAST_MONTH), `${p.idNumber}: arrears are recent`);
      assert.ok(owed.length <= 6, `${p.idNumber}: ${owed.length} months owed`);
    }
    inRange(share((p) => new Set(p.contributions.filter((c) => c.employer !== SELF_EMPLOYED).map((c) => c.employer)).size >= 2), 0.5, 0.9, 'several employers');
    inRange(share((p) => p.contributions.some((c) => c.employer === SELF_EMPLOYED)), 0.1, 0.4, 'self-employed stretches');
    inRange(share((p) => pensions(p).length > 0), 0.1, 0.3, 'retired with a pension');
    inRange(share((p) => idNumberFacts(p.idNumber).birthDate >= '1998' && pensionMonths(p).length < 36), 0.01, 0.15, 'young with a short record');

    // not retired, and the statutory month within two years (for women, the earlier age not yet passed)
    const last = monthIndex(LAST_MONTH);
    const nearRetirement = share((p) => {
      if (pensions(p).length) return false;
      const { birthDate, sex } = idNumberFacts(p.idNumber);
      const birth = monthIndex(birthDate);
      const candidates = sex === 'male' ? [retirementMonth(birth, 60, '1965-01', 4, 36)] : [retirementMonth(birth, 50, '1975-01', 2, 60), retirementMonth(birth, 55, '1970-01', 4, 36)];
      const next = Math.min(...candidates.filter((m) => m >= last));
      return next - last <= 24;
    });
    inRange(nearRetirement, 0.04, 0.2, 'within two years of retirement');
  });

  it('pays retirees a monthly pension from the month after their last contribution, 2,000–6,000 now', () => {
    for (const p of population().filter((x) => pensions(x).length)) {
      const paid = pensions(p).map((x) => monthIndex(x.month));
      const { birthDate, sex } = idNumberFacts(p.idNumber);
      const ageAtFirst = (paid[0] - monthIndex(birthDate)) / 12;
      assert.ok(ageAtFirst >= (sex === 'male' ? 60 : 50), `${p.idNumber}: pension at ${ageAtFirst.toFixed(1)}`);
      assert.ok(Math.max(...pensionMonths(p)) < paid[0], `${p.idNumber}: no contributions after retirement`);
      assert.equal(paid[paid.length - 1], monthIndex(LAST_MONTH), `${p.idNumber}: paid up to last month`);
      assert.equal(paid.length, paid[paid.length - 1] - paid[0] + 1, `${p.idNumber}: every month`);
      const amounts = pensions(p).map((x) => x.amount);
      assert.ok(amounts.every((a, i) => i === 0 || a >= amounts[i - 1]), `${p.idNumber}: a pension never falls`);
      const now = amounts[amounts.length - 1];
      assert.ok(now >= 2000 && now <= 6000, `${p.idNumber}: pension ${now}`);
      const retirement = p.applications.find((a) => a.type === 'retirement');
      assert.equal(retirement?.status, '已办结', `${p.idNumber}: retirement approved`);
    }
  });

  it('has applications of every kind with timelines in order, and unemployment benefit only after an approved claim', () => {
    const withType = (type: string) => share((p) => p.applications.some((a) => a.type === type));
    inRange(withType('retirement'), 0.1, 0.35, 'retirement applications');
    inRange(withType('unemployment_benefit'), 0.1, 0.45, 'unemployment benefit applications');
    inRange(withType('card_replacement'), 0.05, 0.2, 'card replacements');
    inRange(withType('transfer'), 0.03, 0.15, 'transfers');
    inRange(withType('injury_recognition'), 0.005, 0.06, 'injury recognitions');
    assert.ok(share((p) => p.applications.some((a) => !isFinal(a.status))) > 0, 'some applications are in progress');
    assert.ok(share((p) => p.applications.some((a) => a.status === '已驳回')) > 0.01, 'some are rejected');
    const statuses = new Set(['已受理', '审核中', '待补材料', '制卡中', '已办结', '已驳回']);
    for (const p of population()) {
      assert.equal(new Set(p.applications.map((a) => a.id)).size, p.applications.length, `${p.idNumber}: application ids unique`);
      for (const a of p.applications) {
        assert.match(a.id, /^SQ\d{10}$/);
        assert.equal(a.status, a.history[a.history.length - 1].status);
        const times = a.history.map((h) => Date.parse(h.at));
        assert.ok(times.every((t, i) => i === 0 || t > times[i - 1]) && times[times.length - 1] < NOW.getTime(), `${p.idNumber} ${a.id}: steps in order, before now`);
        assert.ok(a.history.every((h) => statuses.has(h.status)), `${a.id}: ${a.history.map((h) => h.status)}`);
      }
      const benefits = p.payments.filter((x) => x.type === 'unemployment_benefit');
      if (!benefits.length) continue;
      const approved = p.applications.filter((a) => a.type === 'unemployment_benefit' && a.status === '已办结').map((a) => a.history[a.history.length - 1].at.slice(0, 7));
      assert.ok(approved.length && approved[0] < benefits[0].month, `${p.idNumber}: benefit after an approved claim`);
      const months = new Set(p.contributions.filter((c) => c.insurance === 'pension' && c.employer !== SELF_EMPLOYED).map((c) => c.month));
      assert.ok(benefits.every((b) => !months.has(b.month)), `${p.idNumber}: no benefit while employed`);
      for (const b of benefits.filter((x) => x.month >= '2022')) assert.ok(b.amount >= 1500 && b.amount <= 2200, `${p.idNumber}: benefit ${b.amount} in ${b.month}`);
    }
  });

  it('starts with the documented demo person: 李秀英, born 1972-03-15, a gap, recent arrears and her retirement in review', () => {
    for (const seed of [1, 2, 99]) assert.equal([...generatePopulation({ count: 1, seed, now: NOW })][0].idNumber, DEMO_PERSON.idNumber);
    const demo = population()[0];
    assert.deepEqual([demo.idNumber, demo.name, demo.phone], [DEMO_PERSON.idNumber, '李秀英', '13800138000']);
    assert.equal(idNumberProblem(DEMO_PERSON.idNumber), null);
    assert.ok(DEMO_PERSON.idNumber.startsWith('330102'));
    assert.deepEqual(idNumberFacts(DEMO_PERSON.idNumber), { birthDate: '1972-03-15', sex: 'female' });
    assert.equal(demo.contributions[0].month.slice(0, 4), '1996');
    assert.ok(hasGap(demo), 'a gap');
    const owed = demo.contributions.filter((c) => c.status === 'arrears').map((c) => c.month);
    assert.ok(owed.length > 0 && owed.includes(LAST_MONTH), 'recent arrears');
    assert.ok(new Set(demo.contributions.map((c) => c.employer)).size >= 2, 'several employers');
    const retirement = demo.applications.find((a) => a.type === 'retirement');
    assert.ok(retirement && !isFinal(retirement.status) && retirement.history.length >= 3, JSON.stringify(retirement));
    assert.equal(pensions(demo).length, 0, 'not retired yet');
  });

});
