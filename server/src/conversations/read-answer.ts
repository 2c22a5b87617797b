import { normalizeText } from '../text/normalize-text';

/**
 * Reading a citizen's chat messages around a calculator interview: whether a message asks for a
 * computation in so many words (starts it) or about the citizen's own case (the calculator is
 * offered with the robot's answer), replies that accept, resume or correct, and the value of an answer ("我是1965年6月出生的", "十五年", "第二个", "不知道").
 */

/**
 * Questions about the citizen's own case ("我交了15年社保能领多少退休金", "我男的1966年3月生的到底哪年能退",
 * "我自己辞职的能领失业金不"): the robot answers them from the knowledge base and offers the calculator.
 */
const PERSONAL: { rulesetId: string; pattern: RegExp }[] = [
  { rulesetId: 'pension-estimate', pattern: /(我|本人|俺|咱).{0,16}(领|拿|有|发)(多少|几多|多少钱)(?=.{0,6}(养老金|退休金|退休工资|养老))|(我|本人|俺|咱).{0,16}(退休|养老).{0,6}(能|可以)?(领|拿|发)(多少|几多|多少钱)/ },
  {
    rulesetId: 'retirement-age',
    pattern: /(我|本人|俺|咱).{0,24}(什么时候|啥时候|哪年|哪一年|几岁|多大|多少岁|多少年).{0,6}(退休|能退|可以退|退得了)|(我|本人|俺|咱).{0,8}(退休年龄|退休时间)/,
  },
  {
    rulesetId: 'unemployment-benefit',
    pattern:
      /(我|本人|俺|咱).{0,16}(能不能|能否|可不可以|可以|能|有没有资格).{0,6}(领|拿|申请|享受).{0,4}(失业金|失业保险金|失业保险待遇)|(失业金|失业保险金|失业保险待遇).{0,6}(有我的份|有没有我的份|我能不能|我能|我可以|轮得到我)|(我|本人|俺|咱).{0,16}(失业金|失业保险金).{0,6}(能领|领得到|有份|有没有份)/,
  },
  { rulesetId: 'contribution', pattern: /(我|本人|俺|咱).{0,16}(每月|每个月|一个月|要|得)?.{0,4}(交|缴)(多少|几多|多少钱).{0,6}(社保|五险|保险)?/ },
];

/** Words that ask the robot, in so many words, to compute ("帮我算一下", "测算", "估算"). */
const COMPUTE = /测算|估算|算一算|算一下|算算|帮我算|给我算|替我算|计算一下|帮我计算|给我计算|请计算|估一下|测一下/;
/** …but "怎么计算的" asks how a thing is computed, which a knowledge entry answers. */
const HOW_COMPUTED = /(怎么|如何|怎样|咋|怎么样)(计算|算|测算)|计算(方法|公式|办法|规则|标准)/;
const TOPICS: { rulesetId: string; pattern: RegExp }[] = [
  { rulesetId: 'pension-estimate', pattern: /养老金|退休金|退休工资|养老待遇|(退休|养老).{0,6}(领|拿)多少/ },
  { rulesetId: 'retirement-age', pattern: /退休/ },
  { rulesetId: 'unemployment-benefit', pattern: /失业/ },
  { rulesetId: 'contribution', pattern: /社保|缴费|五险|保险费|交多少|缴多少/ },
];

export const CANCEL = /^(退出|取消|算了|不算了|不用了|结束|quit|cancel|exit)/;
export const DONT_KNOW = /^(不知道|不清楚|不确定|不晓得|不记得)/;
/** A reply that takes up the calculator the robot just offered ("好的", "算一下", "1"). */
export const ACCEPT_OFFER = /^(好的?|好啊|好吧|行|可以|嗯+|是的?|要|需要|算一下|算算|算一算|帮我算算?|帮我算一算|帮我算一下|帮我测算|测算|测算一下|ok|yes|1)(吧|啊|呀|的|谢谢|麻烦了)*$/;
/** Resuming a calculation the citizen left for a question ("继续测算"). */
export const RESUME = /^(继续测算|继续计算|继续算|接着算|接着测算|继续)(吧|啊)?$/;
/** Asking to correct the values filled in from earlier messages. */
export const CORRECT = /^(更正|不对|有误|填错了|错了)/;

/** A rule set the citizen asks to compute in so many words ("帮我算一下我什么时候退休", "测算养老金"). */
export function explicitCalculation(question: string): string | undefined {
  const text = normalizeText(question).compact;
  if (!COMPUTE.test(text) || HOW_COMPUTED.test(text)) return undefined;
  return TOPICS.find((c) => c.pattern.test(text))?.rulesetId;
}

/** A rule set that fits a question about the citizen's own case; the robot answers and offers it. */
export function personalCalculation(question: string): string | undefined {
  const text = normalizeText(question).compact;
  return PERSONAL.find((c) => c.pattern.test(text))?.rulesetId;
}

const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** "十五" → 15, "一百二十" → 120, "三千五" → 3500; digits pass through. */
export function parseChineseNumber(text: string): number | undefined {
  const arabic = text.replace(/[,，]/g, '').match(/-?\d+(\.\d+)?/);
  if (arabic) {
    let value = Number(arabic[0]);
    if (/万/.test(text.slice(arabic.index! + arabic[0].length, arabic.index! + arabic[0].length + 2))) value *= 10_000;
    return value;
  }
  const m = text.match(/[零〇一二两三四五六七八九十百千万]+/);
  if (!m) return undefined;
  let total = 0;
  let section = 0;
  let digit = 0;
  let lastUnit = 1;
  for (const ch of m[0]) {
    if (ch in DIGITS) digit = DIGITS[ch];
    else {
      const unit = ch === '十' ? 10 : ch === '百' ? 100 : ch === '千' ? 1000 : 10_000;
      if (unit === 10_000) {
        total += (section + digit) * unit;
        section = 0;
      } else section += (digit || (unit === 10 ? 1 : 0)) * unit;
      digit = 0;
      lastUnit = unit;
    }
  }
  // "三千五" means 3500: a trailing digit after a unit counts one unit lower
  if (digit && lastUnit >= 100 && lastUnit < 10_000) section += digit * (lastUnit / 10);
  else section += digit;
  return total + section;
}

/** Reads a citizen's reply as the value of the question asked; undefined when it does not fit. */
export function parseAnswer(question: { type: string; options?: { id: string; label: string }[] }, reply: string): unknown {
  const text = normalizeText(reply).compact;
  switch (question.type) {
    case 'enum': {
      const options = question.options ?? [];
      const index = text.match(/^(第)?([1-9一二三四五六七八九])(个|项)?$/);
      if (index) {
        const n = DIGITS[index[2]] ?? Number(index[2]);
        if (options[n - 1]) return options[n - 1].id;
      }
      const exact = options.find((o) => o.id.toLowerCase() === text || normalizeText(o.label).compact === text);
      if (exact) return exact.id;
      const short = (label: string) => normalizeText(label.split(/[（(：:]/)[0]).compact;
      const hits = options.filter((o) => text.includes(short(o.label)) || (text.length >= 1 && short(o.label).includes(text)));
      return hits.length === 1 ? hits[0].id : undefined;
    }
    case 'boolean':
      if (/^(不是|不|否|没有|没|未|no)/.test(text)) return false;
      if (/^(是|对|有|已经|已|办了|yes|嗯|好)/.test(text)) return true;
      return undefined;
    case 'yearMonth': {
      // Read the raw reply: normalisation drops the "-" of "1975-06".
      const raw = reply.normalize('NFKC');
      const m = raw.match(/((?:19|20)\d{2})\s*(?:年|-|\/|\.)\s*(\d{1,2})/) ?? raw.match(/^\s*((?:19|20)\d{2})(\d{2})\s*$/);
      if (!m) return undefined;
      const month = Number(m[2]);
      return month >= 1 && month <= 12 ? `${m[1]}-${String(month).padStart(2, '0')}` : undefined;
    }
    case 'integer': {
      const n = parseChineseNumber(text);
      return n !== undefined && Number.isInteger(n) ? n : undefined;
    }
    default: {
      const n = parseChineseNumber(text);
      if (n === undefined) return undefined;
      // "60%" for a ratio question means 0.6
      return /%|百分之/.test(reply) && n > 3 ? n / 100 : n;
    }
  }
}

