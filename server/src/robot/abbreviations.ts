// Callers type pinyin initials for the words they use most: "sb断了", "ylbx咋交", "gjj的事", "yb呢".
// They are spelled out before anything else reads the question, so the referral, anger and matching
// steps all see the Chinese word. Only this short list of the hotline's own slang: initials computed
// from every domain word are too ambiguous (ylbx is 养老保险 and 医疗保险 alike).

interface Abbreviation {
  word: string;
  /** when set, the abbreviation is only read as `word` with one of these nearby; otherwise left as typed */
  onlyNear?: RegExp;
  /** when set and the text has one of these, it reads as this word instead */
  elseNear?: { pattern: RegExp; word: string };
}

const INSURANCE_CONTEXT = /交|缴|断|保|卡|养老|医|退休|领|年限|补|转|查|单位|公司|厂|工作|上班|个月|几年/;

const ABBREVIATIONS: Record<string, Abbreviation> = {
  // "sb" is also abuse: read as 社保 only where social insurance is being talked about
  sb: { word: '社保', onlyNear: INSURANCE_CONTEXT },
  sbk: { word: '社保卡' },
  ylbx: { word: '养老保险' },
  ylj: { word: '养老金' },
  yb: { word: '医保' },
  ybk: { word: '医保卡' },
  gjj: { word: '公积金' },
  syj: { word: '失业金' },
  sybx: { word: '失业保险' },
  gsbx: { word: '工伤保险' },
  // "gs" is 公司 in everyday chat, 工伤 next to the words of a work injury
  gs: { word: '公司', elseNear: { pattern: /认定|受伤|伤了|伤残|评残|鉴定|工亡|职业病/, word: '工伤' } },
  ldht: { word: '劳动合同' },
};

/** The question with the hotline's pinyin abbreviations spelled out (sb断了 → 社保断了). */
export function expandAbbreviations(text: string): string {
  if (!/[a-z]/i.test(text)) return text;
  return text.replace(/(?<![a-z])([a-z]{2,4})(?![a-z])/gi, (token) => {
    const a = ABBREVIATIONS[token.toLowerCase()];
    if (!a) return token;
    const rest = text.replace(token, '');
    if (a.onlyNear && !a.onlyNear.test(rest)) return token;
    if (a.elseNear?.pattern.test(rest)) return a.elseNear.word;
    return a.word;
  });
}
