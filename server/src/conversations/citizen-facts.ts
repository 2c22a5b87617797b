import { toSimplified } from '../text/normalize-text';
import { parseChineseNumber } from './read-answer';

/**
 * What a citizen has said about themself in a conversation ("我男的1966年3月生的", "交了15年社保",
 * "我是自己辞职的"), so a calculator started later fills those inputs in instead of asking again.
 * Pure: one message in, the facts it states out. Only statements about the speaker count: "女职工
 * 多少岁退休" asks a general question and says nothing about who is asking.
 */
export interface CitizenFacts {
  gender?: 'male' | 'female';
  birthYear?: number;
  /** 1–12, only with birthYear */
  birthMonth?: number;
  age?: number;
  /** years of (pension / social) insurance contributions */
  contributionYears?: number;
  /** months of unemployment-insurance contributions */
  unemploymentMonths?: number;
  separationReason?: 'voluntaryResignation' | 'contractExpiredNotRenewed' | 'employerTerminated' | 'forcedResignation';
  personType?: 'employee' | 'flexible';
  /** yuan a month */
  monthlyWage?: number;
}

const SELF = /我|本人|俺|咱/;
const CN = '[零〇一二两三四五六七八九十百千]+';
const NUM = `(\\d+(?:\\.\\d+)?|${CN})`;

/** "十五" → 15, "一年半" handled by the caller; undefined for anything else. */
const numberOf = (token: string) => parseChineseNumber(token);

/** "一九六六" → "1966", "三月" → "3月": digits the patterns below can read. */
function withDigits(text: string): string {
  const han: Record<string, string> = { 零: '0', 〇: '0', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' };
  return text
    .replace(/[零〇一二三四五六七八九]{2,4}(?=年)/g, (m) => [...m].map((c) => han[c]).join(''))
    .replace(/(十[一二]?|[一二三四五六七八九])(?=月)/g, (m) => String(parseChineseNumber(m)));
}

const fullYear = (y: string) => {
  const n = Number(y);
  if (y.length === 4) return n;
  // "66年" is 1966; "05年" 2005
  return n > new Date().getFullYear() % 100 ? 1900 + n : 2000 + n;
};

/** The facts one citizen message states about its author. */
export function extractCitizenFacts(message: string): CitizenFacts {
  const text = withDigits(toSimplified(message.normalize('NFKC'))).replace(/\s+/g, '');
  const isSelf = SELF.test(text);
  const facts: CitizenFacts = {};

  // gender: "我男的", "我是女同志", "本人女", or the bare answer "男" / "女的"
  const gender =
    text.match(/(?:我|本人|俺|咱)(?:是|是个|是一名|是一个)?(男|女)(?!儿|婿|朋友|友|孩|娃|人|方|单位)/) ??
    (isSelf ? text.match(/(男|女)(?:的|性|同志|士|职工)/) : null) ??
    text.match(/^(男|女)(?:的|性|同志|士)?$/);
  if (gender) facts.gender = gender[1] === '男' ? 'male' : 'female';

  // birth: "1966年3月生", "66年3月出生的", "出生于1966.3", "1966年生的" (a year alone is no year-month)
  const birth =
    text.match(/(?<!\d)((?:19|20)?\d{2})(?:年|\.|-|\/)(?:(\d{1,2})(?:月份?|\.|-|\/)?)?(?:\d{1,2}(?:日|号))?(?:出生|生(?:的|人|日)?(?![活病育产意效]))/) ??
    text.match(/出生(?:于|在|日期|年月|时间)?(?:是|为)?[:：]?((?:19|20)?\d{2})(?:年|\.|-|\/)(?:(\d{1,2})(?!\d))?/);
  if (birth) {
    const year = fullYear(birth[1]);
    const month = birth[2] ? Number(birth[2]) : undefined;
    if (year >= 1920 && year <= new Date().getFullYear() - 14) {
      facts.birthYear = year;
      if (month && month >= 1 && month <= 12) facts.birthMonth = month;
    }
  }

  // age: "我今年56", "今年56岁了", "我56岁"
  const age = text.match(new RegExp(`(?:今年|现年|现在|已经)(?:已经)?${NUM}(?:岁|周岁)?`)) ?? (isSelf ? text.match(new RegExp(`(?:我|本人|俺)(?:是|都|已经)?${NUM}(?:岁|周岁)`)) : null);
  if (age) {
    const n = numberOf(age[1]);
    if (n !== undefined && Number.isInteger(n) && n >= 16 && n <= 100) facts.age = n;
  }

  // contribution: "交了15年社保", "缴费15年", "15年社保", "交了一年半", "交了8个月失业保险"
  const aboutUnemployment = /失业/.test(text);
  const aboutPension = /养老|退休/.test(text);
  const months = text.match(new RegExp(`(?:交|缴|缴费|缴纳|参保|上)(?:了|过|满|够)?${NUM}个月`)) ?? text.match(new RegExp(`(?<![\\d.])${NUM}个月(?:的)?(?:失业保险|失业险|社保|保险)`));
  const years =
    text.match(new RegExp(`(?:交|缴|缴费|缴纳|参保|上)(?:了|过|满|够|年限|年限是|年限有)?(?<![\\d.])(\\d{1,2}(?:\\.\\d+)?|${CN})(?:多)?年(半)?(?!\\d|月|生|出生)`)) ??
    text.match(new RegExp(`(?<![\\d.])(\\d{1,2}(?:\\.\\d+)?|${CN})年(半)?(?:的)?(?:社保|养老保险|保险|工龄|缴费)`));
  if (years) {
    const n = numberOf(years[1]);
    const value = n === undefined ? undefined : n + (years[2] ? 0.5 : 0);
    if (value !== undefined && value > 0 && value <= 60) {
      if (!aboutUnemployment || aboutPension) facts.contributionYears = value;
      // years of contributions in general count for unemployment insurance too, unless the message is about the pension
      if (!aboutPension && Number.isInteger(value * 12)) facts.unemploymentMonths = value * 12;
    }
  }
  if (months && !aboutPension) {
    const n = numberOf(months[1]);
    if (n !== undefined && Number.isInteger(n) && n >= 0 && n <= 600) facts.unemploymentMonths = n;
  }

  // why the job ended; the employer's fault first, since "被迫辞职" contains 辞职
  if (/(拖欠|欠|不发|没发)(我)?(的)?(工资|薪水|工钱)|被迫(离职|辞职|解除|走)|(不|没|没有)(给我)?(交|缴)社保.{0,6}(辞职|离职|走)/.test(text) && /走|离职|辞职|解除|不干/.test(text)) {
    facts.separationReason = 'forcedResignation';
  } else if (/辞退|开除|裁员|被裁|裁了我|除名|(厂里|单位|公司|老板|工厂|厂子|企业|老板娘).{0,4}(不要我|把我开|把我辞|把我裁|让我走)|炒了我|被炒|把我炒/.test(text)) {
    facts.separationReason = 'employerTerminated';
  } else if (/合同(到期|期满)/.test(text)) {
    facts.separationReason = 'contractExpiredNotRenewed';
  } else if (/(自己|主动|本人|个人原因)(提出)?(辞职|离职|走的|走了|不干)|我(是)?(辞职|辞工|不干了)|辞职了|辞工了/.test(text)) {
    facts.separationReason = 'voluntaryResignation';
  }

  // flexible worker or employee: only said of oneself
  if (isSelf && /灵活就业|个体户|个体工商户|自由职业|打零工|没有单位|没单位|自己交社保|自己缴社保/.test(text)) facts.personType = 'flexible';
  else if (isSelf && /(在|有)(单位|公司|企业|厂里|工厂)(上班|工作)|(单位|公司)(给我)?(交|缴)(的)?社保|是(单位|企业|公司)?职工|上班族/.test(text)) facts.personType = 'employee';

  // monthly wage: "月薪8000", "工资一个月5000块", "每月工资三千五", "工资8k"
  const wage = text.match(new RegExp(`(?:月薪|月工资|工资|收入|月收入)(?:每月|一个月|每个月|是|有|大概|差不多|约|税前|到手)*${NUM}(千|k|K|万)?`));
  if (wage && (isSelf || /^(月薪|工资|月工资)/.test(text))) {
    const n = numberOf(wage[1]);
    const value = n === undefined ? undefined : n * (wage[2] === '万' ? 10_000 : wage[2] ? 1000 : 1);
    if (value !== undefined && value >= 100 && value <= 1_000_000) facts.monthlyWage = value;
  }
  return facts;
}

/** Facts gathered over a conversation: what a later message says replaces what an earlier one said. */
export function mergeFacts(earlier: CitizenFacts, later: CitizenFacts): CitizenFacts {
  const merged = { ...earlier, ...later };
  // a new birth year without a month makes the old month meaningless
  if (later.birthYear !== undefined && later.birthMonth === undefined) delete merged.birthMonth;
  return merged;
}
