import { idNumberCheckChar } from '../../../common/id-number';
import { seededRandom } from '../platform/seeded-random';
import type { ImportPerson, Insurance } from './schema';

/**
 * The synthetic demo population: fictional insured persons of a Zhejiang city (Hangzhou) in the import
 * format, generated one at a time so 10,000 of them never sit in memory together. Deterministic for a
 * seed and a `now`. Careers start at 18–24 (records begin 1995-01), run through 1–5 employers with gaps
 * between them, some self-employed stretches (灵活就业, employer 个人缴费), recent arrears for some current
 * employees, and end at the statutory retirement month (the 2025 gradual postponement included), after
 * which a monthly pension is paid. Applications follow what happened: retirement, unemployment benefit
 * after a lost job (then the benefit months), card replacement, transfer after moving from another city
 * (the earlier city's months appear once the transfer is done), and the rare injury recognition.
 *
 * Figures are demo values, not a city's: the average monthly wage grows from ~700 (1995) to 10,000
 * (2025) — ~11.5 %/year until 2012 and 6 %/year since, because 6 % alone cannot join the two; bases lie
 * within 60 %–300 % of that year's average and change each January; the pension employer rate falls from
 * 20 % to 16 % in 2019-05 (the national cut). Insurances start when the city introduced them: pension
 * 1995, unemployment 1999, medical 2001, injury 2004, maternity 2005. A self-employed person's pension is
 * 20 % of the base, written as personalAmount 8 % (the individual account, as for an employee, so account
 * balances read every row alike) and employerAmount 12 % (the pooling share an employer would pay): both
 * are paid by the person, whose employer reads 个人缴费. Their medical insurance is 10 %, all personal.
 * Unemployment benefit is 20.5 % of the year's average wage (1,500–2,200 from 2020 on, less before),
 * pensions land between about 2,000 and 6,000 a month in 2025–2026.
 */

/** The fixed first person of every population, for README sign-in and tests (born 1972-03-15, female). */
export const DEMO_PERSON = {
  idNumber: '330102197203150428',
  name: '李秀英',
  phone: '13800138000',
  birthDate: '1972-03-15',
  sex: 'female',
} as const;

export interface PopulationOptions {
  /** persons to yield, the demo person first */
  count: number;
  seed?: number;
  /** contributions and payments end the month before, application steps the day before (default: the real now) */
  now?: Date;
}

/** Yields `count` fictional insured persons lazily: DEMO_PERSON first, then a seeded population. */
export function* generatePopulation({ count, seed = 1, now = new Date() }: PopulationOptions): Generator<ImportPerson> {
  if (count <= 0) return;
  const clock = calendar(now);
  yield demoPerson(clock);
  const rand = randomness(seed);
  // only the numbers are remembered, so uniqueness holds without keeping the persons
  const taken = { idNumbers: new Set<string>([DEMO_PERSON.idNumber]), phones: new Set<string>([DEMO_PERSON.phone]) };
  const nearRetirement = nearRetirementBirths(clock);
  for (let i = 1; i < count; i++) yield randomPerson(rand, clock, taken, nearRetirement);
}

// ── calendar ───────────────────────────────────────────────────────────────────────────────────────
// Months are counted as year × 12 + month − 1 and days since 1970-01-01, both in China time.

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;
const monthOf = (year: number, month: number) => year * 12 + month - 1;
const RECORDS_START = monthOf(1995, 1);
const PENSION_RATE_CUT = monthOf(2019, 5);
const REFORM_START = monthOf(2025, 1);
// "YYYY-MM" of every month 1950–2099, made once: a month's name is looked up millions of times
const NAMED_FROM = monthOf(1950, 1);
const MONTH_NAMES = Array.from({ length: 150 * 12 }, (_, i) => `${Math.floor((NAMED_FROM + i) / 12)}-${String(((NAMED_FROM + i) % 12) + 1).padStart(2, '0')}`);
const monthName = (m: number) => MONTH_NAMES[m - NAMED_FROM];
const yearOf = (m: number) => Math.floor(m / 12);
const firstDayOf = (m: number) => Math.floor(Date.UTC(yearOf(m), m % 12, 1) / DAY_MS);
const daysIn = (m: number) => firstDayOf(m + 1) - firstDayOf(m);
const monthOfDay = (day: number) => {
  const date = new Date(day * DAY_MS);
  return monthOf(date.getUTCFullYear(), date.getUTCMonth() + 1);
};
/** The next working day (Monday–Friday) from `day` on: offices do not accept applications at weekends. */
const workingDay = (day: number) => {
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 is Sunday
  return weekday === 6 ? day + 2 : weekday === 0 ? day + 1 : day;
};

interface Calendar {
  /** the last month with contributions and payments: the one before `now` */
  lastMonth: number;
  /** the last day an application step may carry: the day before `now` */
  lastDay: number;
}

function calendar(now: Date): Calendar {
  const china = new Date(now.getTime() + CHINA_OFFSET_MS);
  return { lastMonth: monthOf(china.getUTCFullYear(), china.getUTCMonth() + 1) - 1, lastDay: Math.floor(china.getTime() / DAY_MS) - 1 };
}

// ── wages, bases, rates ────────────────────────────────────────────────────────────────────────────

const WAGES = new Map<number, number>();
/** The demo city's average monthly wage of a year (whole yuan): the base limits and benefits follow it. */
export function averageMonthlyWage(year: number): number {
  let wage = WAGES.get(year);
  if (wage === undefined) {
    const wage2012 = 10_000 * 1.06 ** (2012 - 2025);
    wage = Math.round(year >= 2012 ? 10_000 * 1.06 ** (year - 2025) : wage2012 * 1.115 ** (year - 2012));
    WAGES.set(year, wage);
  }
  return wage;
}
const baseFloor = (year: number) => Math.round(averageMonthlyWage(year) * 0.6);
const baseCeiling = (year: number) => Math.round(averageMonthlyWage(year) * 3);

const INSURANCE_START: Record<Insurance, number> = {
  pension: RECORDS_START,
  unemployment: monthOf(1999, 1),
  medical: monthOf(2001, 1),
  injury: monthOf(2004, 1),
  maternity: monthOf(2005, 1),
};
const EMPLOYEE_INSURANCES: Insurance[] = ['pension', 'medical', 'unemployment', 'injury', 'maternity'];
const SELF_EMPLOYED_INSURANCES: Insurance[] = ['pension', 'medical'];
/** What a transfer between cities carries over. */
const TRANSFERRED_INSURANCES: Insurance[] = ['pension', 'medical', 'unemployment'];
export const SELF_EMPLOYED = '个人缴费';

/** Employer and personal rates in basis points (1 % = 100), so amounts are integer arithmetic. */
function ratesOf(insurance: Insurance, month: number, isSelfEmployed: boolean): [employer: number, personal: number] {
  if (isSelfEmployed) return insurance === 'pension' ? [1200, 800] : [0, 1000];
  switch (insurance) {
    case 'pension':
      return [month < PENSION_RATE_CUT ? 2000 : 1600, 800];
    case 'medical':
      return [800, 200];
    case 'unemployment':
      return [50, 50];
    case 'injury':
      return [40, 0];
    case 'maternity':
      return [80, 0];
  }
}
/** A whole-yuan base times a rate, in cents rounded half up, without floating point. */
const amountCents = (baseYuan: number, basisPoints: number) => Math.floor((baseYuan * basisPoints + 50) / 100);

// ── retirement ─────────────────────────────────────────────────────────────────────────────────────

type Category = 'male' | 'femaleCadre' | 'femaleWorker';
/** 国发〔1978〕104号 ages and the 2025 postponement schedule (the rules engine's retirement-age parameters). */
const RETIREMENT: Record<Category, { ageYears: number; startBirth: number; stepMonths: number; maxDelay: number }> = {
  male: { ageYears: 60, startBirth: monthOf(1965, 1), stepMonths: 4, maxDelay: 36 },
  femaleCadre: { ageYears: 55, startBirth: monthOf(1970, 1), stepMonths: 4, maxDelay: 36 },
  femaleWorker: { ageYears: 50, startBirth: monthOf(1975, 1), stepMonths: 2, maxDelay: 60 },
};

/** The month a person reaches the statutory retirement age (their last contribution month). */
function retirementMonth(category: Category, birthMonth: number): number {
  const rule = RETIREMENT[category];
  const original = birthMonth + rule.ageYears * 12;
  if (original < REFORM_START) return original;
  return original + Math.min(rule.maxDelay, Math.floor((birthMonth - rule.startBirth) / rule.stepMonths) + 1);
}

/** Months of pension the individual account is divided by, by age at retirement (国发〔2005〕38号 table). */
const ACCOUNT_DIVISOR: Record<number, number> = { 50: 195, 51: 190, 52: 185, 53: 180, 54: 175, 55: 170, 56: 164, 57: 158, 58: 152, 59: 145, 60: 139, 61: 132, 62: 125, 63: 117 };
/** The yearly pension rise each January (demo values near the national ones). */
const pensionRise = (year: number) => ({ 2016: 0.065, 2017: 0.055, 2018: 0.05, 2019: 0.05, 2020: 0.05, 2021: 0.045, 2022: 0.04, 2023: 0.038, 2024: 0.03 })[year] ?? (year < 2016 ? 0.1 : 0.02);

/** Birth months 1960–2003 per category whose retirement falls in the next two years: a share of the population is drawn from them. */
function nearRetirementBirths(clock: Calendar): Record<Category, number[]> {
  const out = { male: [], femaleCadre: [], femaleWorker: [] } as Record<Category, number[]>;
  for (const category of Object.keys(out) as Category[]) {
    for (let birth = monthOf(1960, 1); birth <= monthOf(2003, 12); birth++) {
      const month = retirementMonth(category, birth);
      if (month > clock.lastMonth && month <= clock.lastMonth + 24) out[category].push(birth);
    }
  }
  return out;
}

// ── randomness and names ───────────────────────────────────────────────────────────────────────────

type Random = ReturnType<typeof randomness>;
function randomness(seed: number) {
  const rand = seededRandom(seed);
  return {
    rand,
    chance: (p: number) => rand() < p,
    /** an integer in [min, max] */
    int: (min: number, max: number) => min + Math.floor(rand() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)],
    weighted<T>(items: readonly (readonly [T, number])[]): T {
      let left = rand() * items.reduce((n, [, w]) => n + w, 0);
      for (const [item, w] of items) if ((left -= w) < 0) return item;
      return items[items.length - 1][0];
    },
  };
}

// the first twenty surnames twice as likely: they cover half of the people
const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗'.repeat(2), ...'郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔汤俞楼应裘'];
/** Given-name characters by sex and by generation (born before 1980 or later). */
const GIVEN: Record<'male' | 'female', [older: string[], younger: string[]]> = {
  male: [[...'建国明强军华平伟志勇林斌峰海波立新德文忠荣东永春金庆福根宝良松'], [...'浩宇轩子博俊杰涛磊鹏晨阳鑫昊睿泽航凯翔文一嘉豪然宸逸']],
  female: [[...'秀英芳丽红霞萍娟玲兰梅琴凤珍华燕敏静玉桂美云素莲月娥'], [...'欣怡婷雪琪佳雨梦晓思诗悦萱涵颖倩璐妍瑶菲丹彤语馨']],
};
function personName(r: Random, sex: 'male' | 'female', birthYear: number) {
  const chars = GIVEN[sex][birthYear < 1980 ? 0 : 1];
  const first = r.pick(chars);
  return r.pick(SURNAMES) + (r.chance(0.3) ? first : first + r.pick(chars));
}

/** Zhejiang region codes as ID numbers of people born 1960–2003 carry them; Hangzhou's are four times as likely. */
const HANGZHOU_REGIONS = ['330102', '330103', '330104', '330105', '330106', '330108', '330181', '330183', '330184', '330185', '330122', '330127', '330182'];
const OTHER_REGIONS = ['330203', '330205', '330206', '330211', '330281', '330282', '330302', '330303', '330381', '330382', '330402', '330481', '330483', '330502', '330522', '330602', '330621', '330681', '330702', '330782', '330783', '330802', '330902', '331002', '331081', '331082', '331102'];
const REGIONS = [...HANGZHOU_REGIONS.map((code) => [code, 4] as const), ...OTHER_REGIONS.map((code) => [code, 1] as const)];
const MOBILE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157', '158', '159', '170', '173', '176', '177', '178', '180', '181', '182', '183', '185', '186', '187', '188', '189', '191', '198', '199'];

function withCheckChar(first17: string) {
  return first17 + idNumberCheckChar(first17);
}

function uniqueIdNumber(r: Random, taken: Set<string>, birthDate: string, sex: 'male' | 'female') {
  const region = r.weighted(REGIONS);
  for (;;) {
    // the sequence's last digit is odd for men, even for women
    const sequence = (r.int(0, 999) & ~1) | (sex === 'male' ? 1 : 0);
    const id = withCheckChar(region + birthDate.replaceAll('-', '') + String(sequence).padStart(3, '0'));
    if (!taken.has(id)) return taken.add(id), id;
  }
}
function mobile(r: Random, taken: Set<string>) {
  for (;;) {
    const phone = r.pick(MOBILE_PREFIXES) + String(r.int(0, 99_999_999)).padStart(8, '0');
    if (!taken.has(phone)) return taken.add(phone), phone;
  }
}

const BRAND_FIRST = [...'恒华新中远金瑞宏百天盛嘉润鼎永万海博信卓致汇合宁康安通正'];
const BRAND_SECOND = [...'达联宇景丰川成和泽兴纳雅诚越辉源泰创凯顺隆昌'];
const INDUSTRIES = ['机械', '电子科技', '信息技术', '纺织', '服饰', '建筑工程', '物业管理', '餐饮管理', '商贸', '物流', '食品', '医药', '环保科技', '网络科技', '文化传媒', '汽车销售服务', '家居', '印刷', '装饰工程', '酒店管理', '教育咨询', '人力资源', '电器', '化工'];
const COMPANY_FORMS = [['有限公司', 6], ['股份有限公司', 1], ['有限责任公司', 1]] as const;
const DISTRICTS = ['上城区', '拱墅区', '西湖区', '滨江区', '萧山区', '余杭区', '临平区', '钱塘区', '富阳区'];
const SHOPS = ['餐饮店', '便利店', '美发店', '五金店', '服装店', '水果店', '汽车维修部', '快餐店', '副食品店'];
const OTHER_CITIES = ['上海', '苏州', '南京', '合肥', '南昌', '武汉', '成都', '郑州', '无锡', '宁波', '温州', '福州'];

function brand(r: Random) {
  const first = r.pick(BRAND_FIRST);
  let second = r.pick(BRAND_SECOND);
  while (second === first) second = r.pick(BRAND_SECOND);
  return first + second;
}
/** A fictional company (杭州恒达机械有限公司) or, one time in six, a small business (西湖区恒达餐饮店). */
function employerName(r: Random, city = '杭州') {
  if (city !== '杭州') return city + brand(r) + r.pick(INDUSTRIES) + r.weighted(COMPANY_FORMS);
  if (r.chance(1 / 6)) return r.pick(DISTRICTS) + brand(r) + r.pick(SHOPS);
  return (r.chance(0.15) ? '浙江' : city) + brand(r) + r.pick(INDUSTRIES) + r.weighted(COMPANY_FORMS);
}

// ── contributions ──────────────────────────────────────────────────────────────────────────────────

/** One stretch of contributions: an employer (or 个人缴费) from one month to another, both included. */
interface Stretch {
  from: number;
  to: number;
  employer: string;
  isSelfEmployed: boolean;
  /** the person's wage as a share of the average wage in the stretch's first year */
  wageShare: number;
  /** yearly rise of that share (career progress) */
  rise: number;
  /** the employer declares the lowest base (common in small firms) */
  isAtFloor: boolean;
  /** months from here on are owed (欠缴) */
  arrearsFrom?: number;
  /** the employer's city when it was not this one: only the transferred insurances, once the transfer is done */
  elsewhereCity?: string;
}

/** What the pension computation needs from the contributions. */
interface PensionTally {
  paidMonths: number;
  /** sum over paid months of base ÷ average wage */
  shareSum: number;
  accountCents: number;
  unemploymentMonths: number;
}

const newTally = (): PensionTally => ({ paidMonths: 0, shareSum: 0, accountCents: 0, unemploymentMonths: 0 });

function baseOf(stretch: Stretch, year: number): number {
  const floor = baseFloor(year);
  if (stretch.isAtFloor) return floor;
  const wage = averageMonthlyWage(year) * stretch.wageShare * (1 + stretch.rise) ** (year - yearOf(stretch.from));
  return Math.min(baseCeiling(year), Math.max(floor, Math.round(wage)));
}

function addContributions(stretch: Stretch, out: Contribution[], tally: PensionTally) {
  const insurances = stretch.isSelfEmployed ? SELF_EMPLOYED_INSURANCES : stretch.elsewhereCity ? TRANSFERRED_INSURANCES : EMPLOYEE_INSURANCES;
  const employer = stretch.employer;
  // the insurances of the year with their amounts: bases change in January, rates once in 2019-05,
  // and every insurance started in a January, so these are worked out once a year, not once a month
  let amounts: { insurance: Insurance; employerAmount: number; personalAmount: number }[] = [];
  let accountCents = 0;
  let base = 0;
  let year = -1;
  for (let m = stretch.from; m <= stretch.to; m++) {
    if (yearOf(m) !== year || m === PENSION_RATE_CUT) {
      year = yearOf(m);
      base = baseOf(stretch, year);
      amounts = insurances
        .filter((insurance) => INSURANCE_START[insurance] <= m)
        .map((insurance) => {
          const [employerRate, personalRate] = ratesOf(insurance, m, stretch.isSelfEmployed);
          return { insurance, employerAmount: amountCents(base, employerRate) / 100, personalAmount: amountCents(base, personalRate) / 100 };
        });
      accountCents = amountCents(base, ratesOf('pension', m, stretch.isSelfEmployed)[1]);
    }
    const status = stretch.arrearsFrom !== undefined && m >= stretch.arrearsFrom ? 'arrears' : 'paid';
    const month = monthName(m);
    for (let i = 0; i < amounts.length; i++) {
      const { insurance, employerAmount, personalAmount } = amounts[i];
      out.push({ month, insurance, employer, base, employerAmount, personalAmount, status });
    }
    if (status === 'paid') {
      tally.paidMonths++;
      tally.shareSum += base / averageMonthlyWage(year);
      tally.accountCents += accountCents;
      if (!stretch.isSelfEmployed && m >= INSURANCE_START.unemployment) tally.unemploymentMonths++;
    }
  }
}

// ── applications and payments ──────────────────────────────────────────────────────────────────────

type Contribution = NonNullable<ImportPerson['contributions']>[number];
type Application = NonNullable<ImportPerson['applications']>[number];
type Payment = NonNullable<ImportPerson['payments']>[number];
/** A step: status, working days after the previous step (a range), and an optional note. */
type Step = [status: string, minDays: number, maxDays: number, note?: string];

const chinaTime = (day: number, minutes: number) =>
  `${new Date(day * DAY_MS).toISOString().slice(0, 10)}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00+08:00`;

/**
 * An application's timeline from its first day, cut at the day before `now`: a recent one stays in its
 * last reached status. Returns null when it was not yet submitted, else the application and the day it
 * reached its final step (null while in progress).
 */
function application(r: Random, clock: Calendar, ids: Set<string>, type: string, firstDay: number, steps: Step[]): { application: Application; doneOn: number | null } | null {
  let day = workingDay(firstDay);
  if (day > clock.lastDay) return null;
  const history: Application['history'] = [];
  let minutes = r.int(8 * 60 + 30, 11 * 60);
  for (let i = 0; i < steps.length; i++) {
    const [status, minDays, maxDays, note] = steps[i];
    if (i > 0) {
      day = workingDay(day + r.int(minDays, maxDays));
      minutes = r.int(8 * 60 + 30, 17 * 60);
    }
    if (day > clock.lastDay) break;
    history.push(note ? { at: chinaTime(day, minutes), status, note } : { at: chinaTime(day, minutes), status });
  }
  const year = new Date(history[0].at.slice(0, 10)).getUTCFullYear();
  let id: string;
  do id = `SQ${year}${String(r.int(0, 999_999)).padStart(6, '0')}`;
  while (ids.has(id));
  ids.add(id);
  const status = history[history.length - 1].status;
  return { application: { id, type, status, history }, doneOn: history.length === steps.length ? day : null };
}

const yuan = (cents: number) => (cents / 100).toFixed(2);

/** The unemployment benefit of a year, in cents (the same for everyone approved that year). */
const unemploymentBenefitCents = (year: number) => Math.round(averageMonthlyWage(year) * 0.205) * 100;
/** Benefit months by months of unemployment insurance paid (失业保险条例 第十七条). */
const benefitMonths = (paidMonths: number) => (paidMonths >= 120 ? 24 : paidMonths >= 60 ? 18 : 12);

/** Applies for unemployment benefit after a job ended; when approved, the benefit is paid until the next job. */
function unemploymentClaim(r: Random, clock: Calendar, ids: Set<string>, lostJobAfter: number, nextStart: number, tally: PensionTally, applications: Application[], payments: Payment[]) {
  const isRejected = r.chance(0.15);
  const months = benefitMonths(tally.unemploymentMonths);
  const firstDay = firstDayOf(lostJobAfter + 1) + r.int(2, 20);
  const benefit = unemploymentBenefitCents(yearOf(monthOfDay(firstDay)));
  const claim = application(r, clock, ids, 'unemployment_benefit', firstDay, [
    ['已受理', 0, 0, '失业保险金申领材料已接收'],
    ['审核中', 1, 4],
    isRejected ? ['已驳回', 3, 12, '经核实，您系本人主动辞职，不符合失业保险金领取条件'] : ['已办结', 3, 12, `核定领取失业保险金${months}个月，每月${yuan(benefit)}元`],
  ]);
  if (!claim) return;
  applications.push(claim.application);
  if (isRejected || claim.doneOn === null) return;
  const from = monthOfDay(claim.doneOn) + 1;
  const to = Math.min(from + months - 1, nextStart - 1, clock.lastMonth);
  for (let m = from; m <= to; m++) payments.push({ month: monthName(m), type: 'unemployment_benefit', amount: benefit / 100 });
}

/** Applies for retirement a month or two before the retirement month; true once approved. */
function retirementClaim(r: Random, clock: Calendar, ids: Set<string>, retireMonth: number, pensionCents: number, applications: Application[]): boolean {
  const needsPapers = r.chance(0.25);
  const steps: Step[] = [['已受理', 0, 0, '退休申请材料已接收'], ['审核中', 2, 6]];
  if (needsPapers) steps.push(['待补材料', 2, 5, '档案中参加工作时间记载不一致，请补充提供招工表或劳动合同'], ['审核中', 3, 8, '材料已补齐']);
  steps.push(['已办结', 2, 6, `核定基本养老金每月${yuan(pensionCents)}元，自${monthName(retireMonth + 1).replace('-', '年')}月起发放`]);
  const claim = application(r, clock, ids, 'retirement', firstDayOf(retireMonth - r.int(1, 2)) + r.int(0, 12), steps);
  if (claim) applications.push(claim.application);
  return claim?.doneOn != null;
}

/** A lost or damaged social security card replaced (the third-generation cards, so from 2010). */
function cardReplacement(r: Random, clock: Calendar, ids: Set<string>, fromMonth: number, applications: Application[]) {
  const from = firstDayOf(Math.max(fromMonth, monthOf(2010, 1)));
  if (from >= clock.lastDay) return;
  const isLost = r.chance(0.6);
  // many in the last month, so the demo has cards still being made
  const firstDay = r.chance(0.4) ? r.int(Math.max(from, clock.lastDay - 30), clock.lastDay) : r.int(from, clock.lastDay);
  const claim = application(r, clock, ids, 'card_replacement', firstDay, [
    ['已受理', 0, 0, isLost ? '社会保障卡遗失补办，原卡已挂失' : '社会保障卡损坏换领'],
    ['制卡中', 1, 3],
    ['已办结', 5, 15, r.chance(0.5) ? '新卡已制成，已邮寄至您登记的地址' : '新卡已制成，请携带身份证到受理网点领取'],
  ]);
  if (claim) applications.push(claim.application);
}

/** An accident at work reported by the employer, recognised or not. */
function injuryRecognition(r: Random, clock: Calendar, ids: Set<string>, during: Stretch, applications: Application[]) {
  const from = Math.max(during.from, INSURANCE_START.injury);
  if (from > during.to) return;
  const isRecognised = r.chance(0.8);
  const steps: Step[] = [['已受理', 0, 0, '用人单位提交工伤认定申请'], ['审核中', 3, 10]];
  if (r.chance(0.3)) steps.push(['待补材料', 5, 10, '请补充提供事故现场证人证言及首诊病历'], ['审核中', 5, 15, '材料已补齐']);
  steps.push(isRecognised ? ['已办结', 10, 40, '认定为工伤'] : ['已驳回', 10, 40, '经调查核实，不符合工伤认定情形，不予认定为工伤']);
  const claim = application(r, clock, ids, 'injury_recognition', firstDayOf(r.int(from, during.to)) + r.int(0, 27), steps);
  if (claim) applications.push(claim.application);
}

/** The pension at retirement in cents: basic + individual account + transitional (for years before the records). */
function initialPensionCents(retireMonth: number, ageYears: number, deemedMonths: number, tally: PensionTally): number {
  // the previous year's average wage of the year the pension starts (计发基数)
  const average = averageMonthlyWage(yearOf(retireMonth + 1) - 1);
  const share = tally.paidMonths ? tally.shareSum / tally.paidMonths : 0.6;
  const years = (tally.paidMonths + deemedMonths) / 12;
  const basic = (average * (1 + share)) / 2 * years * 0.01;
  const account = (tally.accountCents / 100) * 1.35 / (ACCOUNT_DIVISOR[Math.min(63, Math.max(50, ageYears))] ?? 139);
  const transitional = (deemedMonths / 12) * 0.012 * average;
  // a floor and a ceiling the demo keeps, so 2025–2026 pensions lie between about 2,000 and 6,000
  const pension = Math.min(average * 0.55, Math.max(average * 0.25, basic + account + transitional));
  return Math.round(pension * 100);
}

/** The pension every month from the one after retirement, raised each January. */
function addPensionPayments(clock: Calendar, retireMonth: number, initialCents: number, payments: Payment[]) {
  let cents = initialCents;
  for (let m = retireMonth + 1; m <= clock.lastMonth; m++) {
    if (m % 12 === 0 && m > retireMonth + 1) cents = Math.round(cents * (1 + pensionRise(yearOf(m))));
    payments.push({ month: monthName(m), type: 'pension', amount: cents / 100 });
  }
}

// ── persons ────────────────────────────────────────────────────────────────────────────────────────

/** Birth years 1960–2003, the working-age bulk born 1980–1994 more often. */
const BIRTH_YEARS = Array.from({ length: 44 }, (_, i) => 1960 + i).map((y) => [y, y < 1970 ? 0.8 : y < 1980 ? 1 : y < 1995 ? 1.3 : 0.9] as const);

interface Taken {
  idNumbers: Set<string>;
  phones: Set<string>;
}

/** Splits the months from `from` to `to` into 1–5 jobs with gaps between them. */
function careerPlan(r: Random, from: number, to: number): { from: number; to: number }[] {
  const span = to - from + 1;
  let jobs = span < 24 ? r.int(1, 2) : span < 72 ? r.int(1, 3) : r.weighted([[1, 2], [2, 3], [3, 2.5], [4, 1.5], [5, 1]] as const);
  // a third of the changes go straight to the next job
  const gaps = Array.from({ length: jobs - 1 }, () => (r.chance(0.35) ? 0 : r.chance(0.85) ? r.int(1, 18) : r.int(19, 48)));
  const total = () => gaps.reduce((a, b) => a + b, 0);
  while (gaps.length && (total() > span / 2 || span - total() < jobs * 3)) gaps.pop(), jobs--;
  const weights = Array.from({ length: jobs }, () => 0.3 + r.rand());
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const work = span - total();
  const plan: { from: number; to: number }[] = [];
  let start = from;
  let left = work;
  for (let i = 0; i < jobs; i++) {
    const length = i === jobs - 1 ? left : Math.max(3, Math.min(left - 3 * (jobs - i - 1), Math.round((work * weights[i]) / weightSum)));
    plan.push({ from: start, to: start + length - 1 });
    left -= length;
    start += length + (gaps[i] ?? 0);
  }
  return plan;
}

function randomPerson(r: Random, clock: Calendar, taken: Taken, nearRetirement: Record<Category, number[]>): ImportPerson {
  const sex = r.chance(0.5) ? 'male' : 'female';
  const category: Category = sex === 'male' ? 'male' : r.chance(0.6) ? 'femaleWorker' : 'femaleCadre';
  const near = nearRetirement[category];
  const birthMonth = near.length && r.chance(0.06) ? r.pick(near) : monthOf(r.weighted(BIRTH_YEARS), r.int(1, 12));
  const birthDay = r.int(1, daysIn(birthMonth));
  const birthDate = `${monthName(birthMonth)}-${String(birthDay).padStart(2, '0')}`;
  const name = personName(r, sex, yearOf(birthMonth));
  const idNumber = uniqueIdNumber(r, taken.idNumbers, birthDate, sex);
  const phone = mobile(r, taken.phones);

  // careers: workers start at 18–21, cadres (and graduates) at 21–24
  const startAge = category === 'femaleCadre' ? r.int(21, 24) : category === 'femaleWorker' ? r.int(18, 21) : r.int(18, 24);
  let careerStart = birthMonth + startAge * 12 + r.int(0, 11);
  if (careerStart > clock.lastMonth) careerStart = Math.max(birthMonth + 18 * 12, clock.lastMonth - r.int(0, 12));
  const retireMonth = retirementMonth(category, birthMonth);
  const isRetired = retireMonth < clock.lastMonth;
  const end = Math.min(retireMonth, clock.lastMonth);
  // before 1995 the records are empty: state employees' earlier years count as deemed (视同缴费); others joined later
  let recordStart = careerStart;
  let deemedMonths = 0;
  if (careerStart < RECORDS_START) {
    const isStateEmployee = r.chance(0.6);
    recordStart = isStateEmployee ? RECORDS_START : RECORDS_START + r.int(0, 60);
    deemedMonths = isStateEmployee ? RECORDS_START - careerStart : 0;
  }
  recordStart = Math.min(recordStart, end);
  // some stopped paying: out of work for the last months, or laid off years before retirement
  let stop = end;
  if (!isRetired && r.chance(0.08)) stop = end - r.int(1, 24);
  else if (isRetired && r.chance(0.05)) stop = end - r.int(12, 60);
  if (stop < recordStart + 6) stop = end;

  const plan = careerPlan(r, recordStart, stop);
  const employers = new Set<string>();
  const isMovedHere = plan.length > 1 && r.chance(0.12);
  // the self-employed mostly pay on the lowest base; a person keeps the level they chose
  const selfEmployedLevel = r.pick([0.6, 0.6, 0.6, 0.8, 1]);
  const stretches: Stretch[] = plan.map((months, i) => {
    const ageAtStart = (months.from - birthMonth) / 12;
    const isSelfEmployed = i === 0 ? r.chance(0.05) : r.chance(ageAtStart > 40 ? 0.25 : 0.12);
    const elsewhereCity = i === 0 && isMovedHere && !isSelfEmployed ? r.pick(OTHER_CITIES) : undefined;
    let employer = SELF_EMPLOYED;
    if (!isSelfEmployed) {
      do employer = employerName(r, elsewhereCity);
      while (employers.has(employer));
      employers.add(employer);
    }
    return {
      ...months,
      employer,
      isSelfEmployed,
      elsewhereCity,
      wageShare: isSelfEmployed ? selfEmployedLevel : Math.min(3.5, Math.max(0.4, Math.exp(-0.15 + 0.35 * gaussian(r)))),
      rise: isSelfEmployed ? 0 : r.rand() * 0.03,
      isAtFloor: !isSelfEmployed && r.chance(0.35),
    };
  });
  const current = stretches[stretches.length - 1];
  if (!current.isSelfEmployed && current.to === clock.lastMonth && !isRetired && r.chance(0.05)) {
    current.arrearsFrom = Math.max(current.from, clock.lastMonth - r.int(0, 5));
  }

  const ids = new Set<string>();
  const applications: Application[] = [];
  const payments: Payment[] = [];
  const contributions: Contribution[] = [];
  const tally = newTally();
  stretches.forEach((stretch, i) => {
    const next = stretches[i + 1];
    if (stretch.elsewhereCity) {
      const transfer = application(r, clock, ids, 'transfer', firstDayOf(next.from + r.int(0, 3)) + r.int(0, 25), [
        ['已受理', 0, 0, `基本养老保险关系转移接续申请，转出地：${stretch.elsewhereCity}市`],
        ['审核中', 2, 7, '已向转出地社保经办机构发出联系函'],
        ['已办结', 15, 40, `已转入缴费记录${stretch.to - stretch.from + 1}个月`],
      ]);
      if (transfer) applications.push(transfer.application);
      // the other city's months are here only once the transfer is done
      if (!transfer || transfer.doneOn === null) return;
    }
    addContributions(stretch, contributions, tally);
    if (!stretch.isSelfEmployed && !stretch.elsewhereCity && r.chance(0.012)) injuryRecognition(r, clock, ids, stretch, applications);
    // a job that ended before retirement and was followed by at least two months without one
    const nextStart = next ? next.from : retireMonth + 1;
    const isLostJob = !stretch.isSelfEmployed && !stretch.elsewhereCity && stretch.to < end && nextStart - stretch.to > 2;
    if (isLostJob && tally.unemploymentMonths >= 12 && r.chance(0.4)) unemploymentClaim(r, clock, ids, stretch.to, nextStart, tally, applications, payments);
  });

  if (retireMonth <= clock.lastMonth + 3) {
    const ageYears = Math.floor((retireMonth - birthMonth) / 12);
    const pension = initialPensionCents(retireMonth, ageYears, deemedMonths, tally);
    const isApproved = retirementClaim(r, clock, ids, retireMonth, pension, applications);
    if (isApproved) addPensionPayments(clock, retireMonth, pension, payments);
  }
  if (r.chance(0.1)) cardReplacement(r, clock, ids, recordStart, applications);
  applications.sort((a, b) => (a.history[0].at < b.history[0].at ? -1 : 1));
  payments.sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
  return { idNumber, name, phone, contributions, applications, payments };
}

/** A standard normal draw (Box–Muller). */
function gaussian(r: Random) {
  return Math.sqrt(-2 * Math.log(1 - r.rand())) * Math.cos(2 * Math.PI * r.rand());
}

/**
 * 李秀英: a long career from 1996 with one gap (2003-07 to 2004-02, unemployment benefit paid), her current
 * employer two months behind with its payments, her retirement (a woman of the 55 category, statutory month
 * 2027-10 under the postponement) applied for and in review with three steps, and a replaced card.
 */
function demoPerson(clock: Calendar): ImportPerson {
  const r = randomness(12333);
  const ids = new Set<string>(['SQ2003000417', 'SQ2021003312']);
  const birthMonth = monthOf(1972, 3);
  const retireMonth = retirementMonth('femaleCadre', birthMonth);
  const end = Math.min(retireMonth, clock.lastMonth);
  const base = { isSelfEmployed: false, isAtFloor: false };
  const stretches: Stretch[] = [
    { ...base, from: monthOf(1996, 7), to: monthOf(2003, 6), employer: '杭州华丰纺织有限公司', wageShare: 0.9, rise: 0.02 },
    { ...base, from: monthOf(2004, 3), to: monthOf(2014, 5), employer: '杭州恒达机械有限公司', wageShare: 1.05, rise: 0.015 },
    { ...base, from: monthOf(2014, 6), to: end, employer: '杭州西子文化传媒有限公司', wageShare: 1.2, rise: 0.01, arrearsFrom: end - 1 },
  ];
  const contributions: Contribution[] = [];
  const applications: Application[] = [];
  const payments: Payment[] = [];
  const tally = newTally();
  addContributions(stretches[0], contributions, tally);
  const benefit = unemploymentBenefitCents(2003);
  applications.push({
    id: 'SQ2003000417',
    type: 'unemployment_benefit',
    status: '已办结',
    history: [
      { at: '2003-07-08T09:12:00+08:00', status: '已受理', note: '失业保险金申领材料已接收' },
      { at: '2003-07-10T14:30:00+08:00', status: '审核中' },
      { at: '2003-07-17T10:05:00+08:00', status: '已办结', note: `核定领取失业保险金12个月，每月${yuan(benefit)}元` },
    ],
  });
  for (let m = monthOf(2003, 8); m < stretches[1].from; m++) payments.push({ month: monthName(m), type: 'unemployment_benefit', amount: benefit / 100 });
  addContributions(stretches[1], contributions, tally);
  addContributions(stretches[2], contributions, tally);
  applications.push({
    id: 'SQ2021003312',
    type: 'card_replacement',
    status: '已办结',
    history: [
      { at: '2021-04-12T09:40:00+08:00', status: '已受理', note: '社会保障卡遗失补办，原卡已挂失' },
      { at: '2021-04-13T15:20:00+08:00', status: '制卡中' },
      { at: '2021-04-22T11:00:00+08:00', status: '已办结', note: '新卡已制成，已邮寄至您登记的地址' },
    ],
  });
  // submitted about six weeks before now, so it is in review whenever the demo runs
  const submitted = workingDay(clock.lastDay - 40);
  const retirement = application(r, clock, ids, 'retirement', submitted, [
    ['已受理', 0, 0, '退休申请材料已接收'],
    ['待补材料', 5, 6, '档案中出生日期记载不一致，请补充提供户籍证明'],
    ['审核中', 18, 20, '材料已补齐，单位欠缴的社会保险费须在审批前补缴'],
  ]);
  if (retirement) applications.push(retirement.application);
  return { idNumber: DEMO_PERSON.idNumber, name: DEMO_PERSON.name, phone: DEMO_PERSON.phone, contributions, applications, payments };
}
