import type { CitizenFacts } from './citizen-facts';

/**
 * Which calculator goes with which knowledge entry, and which of a calculator's inputs the facts a
 * citizen already gave settle. Data in one place: an editor of the demo knowledge base or of a rule
 * set looks here when an entry should (or should no longer) offer a calculator.
 */

/** rule set id → the entries whose answer is followed by the offer "帮我算一算". */
export const CALCULATOR_ENTRIES: Record<string, readonly string[]> = {
  // 渐进式延迟退休, 查询本人退休时间, 弹性提前退休, 女职工原退休年龄
  'retirement-age': ['yl-014', 'yl-015', 'yl-016', 'yl-022'],
  // 基本养老金怎么算, 缴费年限不够怎么办 (the estimate checks the minimum years first)
  'pension-estimate': ['yl-023', 'yl-012'],
  // 领取条件, 主动辞职能否领, 缴费不满一年, 最长领多久, 每月领多少
  'unemployment-benefit': ['sy-001', 'sy-003', 'sy-005', 'sy-007', 'sy-008'],
  // 缴费比例, 灵活就业人员参保
  contribution: ['yl-001', 'yl-003'],
};

const BY_ENTRY = new Map(Object.entries(CALCULATOR_ENTRIES).flatMap(([rulesetId, entries]) => entries.map((e) => [e, rulesetId] as const)));

/** The calculator an entry's answer offers, if any. */
export function calculatorOfEntry(entryId: string | undefined | null): string | undefined {
  return entryId ? BY_ENTRY.get(entryId) : undefined;
}

/** One input filled in from the conversation, with how the chat states it back ("缴费年限 15 年"). */
export interface Prefilled {
  inputId: string;
  value: unknown;
  said: string;
}

const SEPARATION_SAID: Record<NonNullable<CitizenFacts['separationReason']>, string> = {
  voluntaryResignation: '本人主动辞职',
  contractExpiredNotRenewed: '劳动合同期满未续订',
  employerTerminated: '用人单位解除劳动合同',
  forcedResignation: '因单位过错被迫解除劳动合同',
};

/**
 * The inputs of a rule set that the facts settle, each only with a value the input accepts (a birth
 * year without its month is no year-month: that question is asked as usual).
 */
export function prefillFor(rulesetId: string, facts: CitizenFacts): Prefilled[] {
  const out: Prefilled[] = [];
  const inRange = (n: number | undefined, min: number, max: number) => n !== undefined && Number.isFinite(n) && n >= min && n <= max;
  switch (rulesetId) {
    case 'retirement-age':
      if (facts.gender) out.push({ inputId: 'gender', value: facts.gender, said: `性别 ${facts.gender === 'male' ? '男' : '女'}` });
      if (facts.birthYear && facts.birthMonth) {
        out.push({ inputId: 'birthYearMonth', value: `${facts.birthYear}-${String(facts.birthMonth).padStart(2, '0')}`, said: `出生年月 ${facts.birthYear}年${facts.birthMonth}月` });
      }
      break;
    case 'pension-estimate':
      if (inRange(facts.contributionYears, 0, 60)) out.push({ inputId: 'contributionYears', value: facts.contributionYears, said: `缴费年限 ${facts.contributionYears} 年` });
      break;
    case 'unemployment-benefit':
      if (facts.separationReason) out.push({ inputId: 'separationReason', value: facts.separationReason, said: `离职原因 ${SEPARATION_SAID[facts.separationReason]}` });
      if (inRange(facts.unemploymentMonths, 0, 600) && Number.isInteger(facts.unemploymentMonths)) {
        out.push({ inputId: 'contributionMonths', value: facts.unemploymentMonths, said: `失业保险累计缴费 ${facts.unemploymentMonths} 个月` });
      }
      break;
    case 'contribution':
      if (facts.personType) out.push({ inputId: 'personType', value: facts.personType, said: `参保身份 ${facts.personType === 'employee' ? '用人单位职工' : '灵活就业人员'}` });
      // the wage is a question for employees only
      if (facts.personType !== 'flexible' && inRange(facts.monthlyWage, 0, 10_000_000)) out.push({ inputId: 'monthlyWage', value: facts.monthlyWage, said: `月工资 ${facts.monthlyWage} 元` });
      break;
  }
  return out;
}
