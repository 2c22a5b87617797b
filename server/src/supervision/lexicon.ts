/**
 * Words that make a supervisor look at a conversation now: complaints and escalation (投诉, 12345,
 * 曝光 …), abuse, and plain displeasure. A small list kept by hand: it misses paraphrases, and a
 * word is ignored when a negation stands right before it (我不是要投诉, 没有不满意).
 */
export const COMPLAINT_WORDS = [
  '投诉', '举报', '曝光', '媒体', '记者', '12345', '市长热线', '找领导', '找你们领导', '叫领导', '上访', '信访', '起诉', '告你们', '律师',
  // abuse
  '他妈', '妈的', '傻逼', '傻b', '煞笔', '混蛋', '王八蛋', '滚蛋', '去死', '废物', '狗屁',
];

export const NEGATIVE_WORDS = [
  '不满意', '很不满', '太差', '态度差', '态度恶劣', '太慢', '生气', '气死', '失望', '垃圾', '没用', '敷衍', '忽悠', '踢皮球', '推来推去', '推脱',
  '不耐烦', '受不了', '烦死', '无语', '差评', '骗人', '欺负', '离谱', '搞什么', '到底管不管', '没人管',
];

/** Negations that, just before a word, turn it around (不投诉, 没有不满意, 别曝光). */
const NEGATIONS = ['不是要', '不会', '不想', '不要', '不用', '没有', '并非', '不是', '没', '不', '别', '无'];

export interface LexiconHit {
  kind: 'complaint_words' | 'negative_sentiment';
  word: string;
}

/** The first complaint word in the text, else the first negative one; undefined when none (or all negated). */
export function findAlertWords(text: string): LexiconHit | undefined {
  const lower = text.toLowerCase().replace(/\s+/g, '');
  const complaint = firstHit(lower, COMPLAINT_WORDS);
  if (complaint) return { kind: 'complaint_words', word: complaint };
  const negative = firstHit(lower, NEGATIVE_WORDS);
  return negative ? { kind: 'negative_sentiment', word: negative } : undefined;
}

function firstHit(text: string, words: string[]): string | undefined {
  for (const word of words) {
    for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
      // a number inside a longer number (123456, a phone number) is not the hotline
      if (/^\d+$/.test(word) && (/\d/.test(text[at - 1] ?? '') || /\d/.test(text[at + word.length] ?? ''))) continue;
      const before = text.slice(Math.max(0, at - 3), at);
      if (NEGATIONS.some((n) => before.endsWith(n))) continue;
      return word;
    }
  }
  return undefined;
}
