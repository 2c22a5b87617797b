import { normalizeText } from '../text/normalize-text';

/**
 * Reading a citizen's chat messages during a calculator interview: which calculation a question
 * asks for, and the value of an answer ("我是1965年6月出生的", "十五年", "第二个", "不知道").
 */

const CALCULATIONS: { rulesetId: string; pattern: RegExp }[] = [
  { rulesetId: 'retirement-age', pattern: /(我|本人|俺|咱).{0,12}(什么时候|啥时候|哪年|哪一年|几岁|多大|多少岁).{0,6}退休|(我|本人|俺).{0,8}(退休年龄|退休时间)|(算|测算|计算|查).{0,4}(退休年龄|退休时间)/ },
  { rulesetId: 'pension-estimate', pattern: /(我|本人|俺).{0,16}(领|拿|有)(多少|几多|多少钱).{0,4}(养老金|退休金|退休工资)|(测算|算一下|算算|计算|估算).{0,6}(养老金|退休金)/ },
  { rulesetId: 'unemployment-benefit', pattern: /(我|本人|俺).{0,16}(能不能|能否|可不可以|可以|能|有没有资格).{0,6}(领|拿|申请|享受).{0,4}(失业金|失业保险金|失业保险待遇)|(测算|算一下|算算|计算).{0,6}失业金/ },
  { rulesetId: 'contribution', pattern: /(我|本人|俺).{0,16}(每月|每个月|一个月|要|得)?.{0,4}(交|缴)(多少|几多|多少钱).{0,6}(社保|五险|保险)?|(算一下|算算|测算|计算).{0,6}(社保|缴费)/ },
];

export const CANCEL = /^(退出|取消|算了|不算了|不用了|结束|quit|cancel|exit)/;
export const DONT_KNOW = /^(不知道|不清楚|不确定|不晓得|不记得)/;

/** Which rule set a question asks to compute, if any. */
export function calculationIntent(question: string): string | undefined {
  const text = normalizeText(question).compact;
  return CALCULATIONS.find((c) => c.pattern.test(text))?.rulesetId;
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

