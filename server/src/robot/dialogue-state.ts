// What a follow-up asks about. A caller's second question often keeps the topic and changes the
// aspect ("去哪办", "带啥材料", "能领多久"): the aspect is read from the words, the topic from the
// conversation. Each entry's aspects are read the same way from its question and similar questions,
// and an editor can correct them in the console (robot settings: entryAspects).

/** The aspects a question can ask about an entry's topic. */
export const ASPECTS = ['conditions', 'apply', 'where', 'materials', 'online', 'duration', 'amount', 'consequence', 'contact'] as const;
export type Aspect = (typeof ASPECTS)[number];

const ASPECT_WORDS: Record<Aspect, RegExp> = {
  conditions: /条件|资格|能不能|能否|可不可以|可以吗|能.{0,6}[吗不没]$|算不算|够不够|符合|行不行|行吗|中不中|合法|有没有|有我的份|给不给|管不管|认不认/,
  apply: /咋办|怎么办理|如何办理|怎么申请|咋申请|如何申请|申请|申领|手续|流程|怎么弄|咋弄|咋整|办理|报名|咋报|怎么报|认定|登记|开通|激活|挂失|补办|咋领|怎么领|如何领/,
  where: /去哪|在哪|哪里|哪儿|哪裡|什么地方|啥地方|哪个部门|什么部门|窗口|找谁|找哪/,
  materials: /材料|资料|資料|带啥|带什么|帶什麼|准备什么|准备啥|準備|要啥东西|要带|证件|证明/,
  online: /网上|手机|微信|app|线上|小程序|电子|掌上|不想跑|不用跑|网办/,
  duration: /多久|多长时间|多长|几天|多少天|期限|啥时候|什么时候|時候|时效|几个月|多少个月|几年|到账|来得及|过期|超过/,
  amount: /多少钱|给多少|领多少|拿多少|发多少|补多少|标准|怎么算|咋算|如何计算|计算|金额|几个点|比例|扣多少|交多少|缴多少|多少/,
  consequence: /影响|后果|怎么办|咋办|咋整|会不会|会咋样|会怎样|白瞎|作废|清零|还算数|还有效/,
  contact: /电话|热线|打哪|哪个号|号码|咨询哪/,
};

/** The aspects the words of a question ask about (compact, normalised text). */
export function aspectsOf(compact: string): Set<Aspect> {
  const found = new Set<Aspect>();
  for (const a of ASPECTS) if (ASPECT_WORDS[a].test(compact)) found.add(a);
  return found;
}

/**
 * An entry's aspects: those of its standard question, plus those most of its similar questions share
 * (the standard question alone is often terse).
 */
export function entryAspects(question: string, similar: string[], compactOf: (s: string) => string): Set<Aspect> {
  const own = aspectsOf(compactOf(question));
  if (!similar.length) return own;
  const votes = new Map<Aspect, number>();
  for (const s of similar) for (const a of aspectsOf(compactOf(s))) votes.set(a, (votes.get(a) ?? 0) + 1);
  for (const [a, n] of votes) if (n * 2 >= similar.length) own.add(a);
  return own;
}

/** Share of the question's aspects the entry covers (0 when the question names none). */
export function aspectMatch(asked: Set<Aspect>, entry: Set<Aspect>): number {
  if (!asked.size) return 0;
  let hit = 0;
  for (const a of asked) if (entry.has(a)) hit++;
  return hit / asked.size;
}

/** "另外问下", "换个事", "问个别的", "对了": the caller says a new topic starts. */
export function announcesNewTopic(compact: string): boolean {
  return /^(另外|换个|换一个|问个别的|问一个别的|问个别|再问个|再问一个|再问一下|对了|對了|顺便|順便|还有个事|还有一个事|还有件事|还有一件事|仲有件事|还想问|还有个问题|另问|另外想问|还有$|还有[，, ]|算了)/.test(compact);
}

/** Elliptical wording: the question leans on what was said before ("那…呢", "要是…", pronouns, no subject). */
export function leansOnContext(compact: string): boolean {
  return /^(那|那么|要是|如果|假如|万一|这个|这种|这样|这笔|他|她|它|那个|那些|这期间|期间|同样|也)|呢[？?]?$|的话[？?]?$/.test(compact);
}

interface TopicEntry {
  id: string;
  category: string;
  question: string;
  similar: string[];
  keywords: string[];
}

/**
 * Where each entry sits (its category and top-level domain), what it answers (aspects), and which
 * words name a domain: a word is a domain's when most entries using it belong to that domain
 * (医保 → 基本医疗保险, 仲裁 → 劳动争议). Built with the index, from the same entries.
 */
export class TopicMap {
  readonly category: string[];
  readonly root: string[];
  readonly aspects: Set<Aspect>[];
  readonly byRoot = new Map<string, number[]>();
  /** the words that name an entry's place: its domain's and its category's names */
  readonly placeText: string[];
  private readonly domainOfWord = new Map<string, string>();
  /** a domain's name without its generic tail (养老保险 → 养老, 社会保障卡 → 社会保障卡): callers say "养老的呢" */
  private readonly domainStems: [string, string][] = [];

  constructor(
    entries: TopicEntry[],
    parentOf: (category: string) => string | null | undefined,
    nameOf: (category: string) => string | undefined,
    /** content words and synonym concepts of a text, as the analyzer reads it */
    wordsOf: (text: string) => string[],
    compactOf: (text: string) => string,
    overrides: Record<string, Aspect[]> = {},
  ) {
    const rootOf = (c: string) => {
      let id = c;
      for (let hops = 0; hops < 20; hops++) {
        const p = parentOf(id);
        if (!p) break;
        id = p;
      }
      return id;
    };
    this.category = entries.map((e) => e.category);
    this.root = entries.map((e) => rootOf(e.category));
    this.placeText = entries.map((e, i) => [...new Set([nameOf(this.root[i]), nameOf(e.category)])].filter(Boolean).join(' '));
    this.aspects = entries.map((e) => (overrides[e.id] ? new Set(overrides[e.id]) : entryAspects(e.question, e.similar, compactOf)));
    for (const [i, r] of this.root.entries()) this.byRoot.set(r, [...(this.byRoot.get(r) ?? []), i]);
    for (const r of this.byRoot.keys()) {
      const stem = compactOf(nameOf(r) ?? '').replace(/(基本)?(保险|服务)$/, '').replace(/^基本/, '');
      if ([...stem].length >= 2) this.domainStems.push([stem, r]);
    }
    const seen = new Map<string, Map<string, number>>();
    entries.forEach((e, i) => {
      for (const w of new Set(wordsOf(`${e.question} ${e.keywords.join(' ')}`))) {
        if ([...w].length < 2) continue;
        const roots = seen.get(w) ?? new Map<string, number>();
        roots.set(this.root[i], (roots.get(this.root[i]) ?? 0) + 1);
        seen.set(w, roots);
      }
    });
    for (const [w, roots] of seen) {
      const total = [...roots.values()].reduce((a, b) => a + b, 0);
      const [best, n] = [...roots].sort((a, b) => b[1] - a[1])[0];
      if (total >= 3 && n / total >= 0.75) this.domainOfWord.set(w, best);
    }
  }

  /** The domains a question names by their own words, most named first. */
  namedRoots(words: string[], compact = ''): string[] {
    const count = new Map<string, number>();
    for (const [stem, r] of this.domainStems) if (compact.includes(stem)) count.set(r, (count.get(r) ?? 0) + 2);
    for (const w of new Set(words)) {
      const r = this.domainOfWord.get(w);
      if (r) count.set(r, (count.get(r) ?? 0) + 1);
    }
    return [...count].sort((a, b) => b[1] - a[1]).map(([r]) => r);
  }
}
