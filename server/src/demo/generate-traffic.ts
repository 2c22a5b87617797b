import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createUser } from '../identity/manage-users';
import { readSeedBundle } from '../knowledge/seed-knowledge';
import type { AppContext } from '../platform/context';
import { resetClock, setClock } from '../platform/ids';
import { seededRandom } from '../platform/seeded-random';

/**
 * Demo traffic: N days of synthetic 12333 service, generated through the platform's own HTTP API
 * (open channel API, web widget API, the phone line's call-control webhook, the agent workspace),
 * never by writing rows, so every consumer (robot turns, rollups, quality inspection, learning)
 * sees what it would see in production. A small discrete-event simulation moves the settable
 * clock (`platform/ids.ts`) from step to step, so timestamps fall where the simulated citizens
 * and agents acted. Deterministic for a seed: one step at a time, and after each step the run waits
 * until the platform's automatic assignment has settled before going on.
 */

export interface TrafficOptions {
  /** days to generate, ending with `endDay` (default 30) */
  days?: number;
  /** conversations on an ordinary weekday (default 110: about 2,800 a month) */
  perDay?: number;
  /** the random seed (default 12333) */
  seed?: number;
  /** the last day, China calendar `YYYY-MM-DD` (default today); nothing is generated after the real now */
  endDay?: string;
  /** agents on the team (default from perDay, 3–10) */
  agents?: number;
  /** progress lines (one per simulated day) */
  onProgress?: (line: string) => void;
}

type ChannelKind = 'web' | 'open' | 'phone';
interface ChannelCounts { conversations: number; robotOnly: number; handoffs: number; ratings: number }

/** What a run made, as the generator saw it happen. */
export interface TrafficSummary {
  from: string;
  to: string;
  conversations: number;
  byChannel: Record<ChannelKind, ChannelCounts>;
  handoffs: number;
  handoffReasons: Record<string, number>;
  leftMessages: number;
  abandoned: number;
  calculators: number;
  agentReplies: number;
  ratings: number;
  agents: number;
  /** agent replies made to break a quality rule, by rule */
  violations: Record<Violation, number>;
  /** the knowledge category whose volume was raised in the last days, and from which day */
  rising: { category: string; name: string; fromDay: string };
}

type Violation = 'noGreeting' | 'noClosing' | 'rude' | 'phoneInClear' | 'slow';

/** The category made to rise: 失业保险, three times its usual share in the last week. */
export const RISING_CATEGORY = 'shiye';
const RISING_FACTOR = 3;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * HOUR_MS;

/** Service hours the demo centre keeps (China time): weekdays 08:30–17:30, Saturday morning. */
const DEMO_SERVICE_HOURS = {
  weekly: { 1: [['08:30', '17:30']], 2: [['08:30', '17:30']], 3: [['08:30', '17:30']], 4: [['08:30', '17:30']], 5: [['08:30', '17:30']], 6: [['09:00', '12:00']], 7: [] },
  holidays: [],
  makeUpWorkdays: [],
  makeUpHours: [['08:30', '17:30']],
};
/** Relative volume by China hour of day, and by ISO weekday (1 Monday … 7 Sunday). */
const HOUR_WEIGHTS = [0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 1.5, 4, 9, 10, 9, 5, 7, 9, 9, 8, 5, 3, 2.5, 2, 1.5, 0.8, 0.4];
const WEEKDAY_FACTORS = [0, 1.15, 1.05, 1, 1, 0.95, 0.45, 0.35];

const AGENT_NAMES = ['王芳', '李娜', '张伟', '刘洋', '陈静', '杨帆', '赵敏', '黄磊', '周婷', '吴昊'];
const PREFIXES = ['', '', '', '请问', '你好，', '您好，我想问一下', '咨询一下，', '麻烦问下，'];
const SUFFIXES = ['', '', '？', '?', '呢', '啊', '，谢谢'];
const HUMAN_REQUESTS = ['转人工', '人工客服', '我要找人工', '转人工服务'];
const ANGRY = ['你们这个机器人答非所问，一点用都没有', '什么破系统，听不懂人话', '气死我了！！！转了半天也没人管'];
const OFF_TOPIC = [['今天天气怎么样', '讲个故事听听'], ['附近有什么好吃的', '帮我查一下快递到哪了'], ['你叫什么名字', '唱首歌吧']];
/** Real questions the demo knowledge base does not answer (hard topics), each with a rewording and the category an agent closes it with. */
const HARD_QUESTIONS = [
  { question: '失业保险金网上申领一直审核不通过', again: '申领失业金审核不过是什么原因', category: 'shiye.shenling' },
  { question: '异地领取失业金怎么办理', again: '我在外地失业了能在外地领失业金吗', category: 'shiye.shenling' },
  { question: '失业补助金今年还有吗', again: '失业补助金现在还能申请吗', category: 'shiye.butie' },
  { question: '灵活就业社保断缴三个月还能补吗', again: '断缴的社保能不能补交', category: 'yanglao.canbao' },
  { question: '公司倒闭了社保没交怎么办', again: '老板跑了社保欠费谁来补', category: 'zhongcai.jiancha' },
  { question: '我的社保卡被别人冒用了怎么办', again: '社保卡被盗用了怎么处理', category: 'shebaoka.shiyong' },
  { question: '退休后去世了丧葬费抚恤金怎么领', again: '退休人员去世丧葬补助金怎么申请', category: 'yanglao.daiyu' },
];
const CALCULATORS = [
  { question: '帮我算算我什么时候能退休', answers: ({ pickFrom, rand }: Randomness) => [pickFrom(['男', '女']), `${1966 + Math.floor(rand() * 14)}-0${1 + Math.floor(rand() * 9)}`] },
  { question: '帮我算算我能不能领失业金', answers: () => ['本人主动辞职'] },
];
const GREETINGS = ['您好，很高兴为您服务。', '您好，我是12333人工客服，请问有什么可以帮您？', '您好，感谢您的耐心等待。'];
const FOLLOW_UPS = [
  ['好的，那需要带什么材料？', '一般需要携带本人有效身份证件和社会保障卡，具体以当地经办机构的要求为准。'],
  ['明白了，在哪里办理呢？', '可以到参保地的人社服务窗口办理，也可以通过当地人社部门的网上服务平台或掌上12333办理。'],
  ['那大概多久能办好？', '材料齐全的，一般在规定的工作日内办结，办理进度可以在网上服务平台查询。'],
  ['好的，我知道了', '好的。'],
];
const CLOSINGS = ['请问还有其他可以帮您的吗？感谢您的咨询，祝您生活愉快，再见！', '感谢您的来电，如有其他问题欢迎随时咨询12333，再见。', '感谢您的耐心，祝您生活愉快，再见！'];
const RUDE = ['这个在官网上都写着，你自己看。', '我都说过了，你自己看政策文件吧。'];
const GOOD_COMMENTS = ['回复很及时', '解答很清楚，谢谢', '态度很好', ''];
const BAD_COMMENTS = ['态度不好', '等了很久', '没有解决我的问题', ''];
const LEFT_MESSAGES = ['我的问题是：', '下班了吗？想咨询：', '留言：'];

/** Seeded randomness (mulberry32): a run's one source of chance, so a seed gives the same month. */
function randomness(seed: number) {
  const rand = seededRandom(seed);
  const pickFrom = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
  return {
    rand,
    between: (min: number, max: number) => min + rand() * (max - min),
    chance: (p: number) => rand() < p,
    pickFrom,
    weighted<T>(items: readonly T[], weight: (item: T) => number): T {
      const total = items.reduce((n, i) => n + weight(i), 0);
      let x = rand() * total;
      for (const item of items) if ((x -= weight(item)) < 0) return item;
      return items[items.length - 1];
    },
  };
}
type Randomness = ReturnType<typeof randomness>;

/** Midnight (China) of a `YYYY-MM-DD` day, in epoch milliseconds. */
const chinaMidnight = (day: string) => Date.parse(`${day}T00:00:00+08:00`);
const chinaDay = (ms: number) => new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
const isoWeekday = (ms: number) => ((new Date(ms + CHINA_OFFSET_MS).getUTCDay() + 6) % 7) + 1;

interface Entry { id: string; category: string; question: string; similar: string[]; answer: string; weight: number }

/** The demo knowledge base's public entries: what citizens ask, each with a fixed popularity. */
function loadQuestions({ rand }: Randomness): { entries: Entry[]; categoryName: (id: string) => string } {
  const bundle = readSeedBundle();
  const names = new Map(bundle.categories.map((c) => [c.id, c.name]));
  const entries = bundle.entries
    .filter((e) => e.audience === 'public' && e.similar.length > 0)
    .map((e) => ({ id: e.id, category: e.category, question: e.question, similar: e.similar, answer: e.answer, weight: 1 + rand() * 4 }));
  return { entries, categoryName: (id) => names.get(id) ?? id };
}

/** A similar question of the entry, worded a little differently each time. */
function varied({ pickFrom }: Randomness, entry: Entry): string {
  const base = pickFrom([...entry.similar, entry.similar[0]]).replace(/[？?。]+$/, '');
  return `${pickFrom(PREFIXES)}${base}${pickFrom(SUFFIXES)}`;
}

/** The first sentences of an answer, without Markdown: what an agent would type. */
function plainAnswer(entry: Entry): string {
  const text = entry.answer.replace(/\*\*|__|`|^#+\s*|^\s*[-*]\s+|^\s*\d+\.\s+/gm, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\s*\n+\s*/g, '');
  const cut = text.slice(0, 90);
  const end = Math.max(cut.lastIndexOf('。'), cut.lastIndexOf('；'));
  return end > 20 ? cut.slice(0, end + 1) : `${cut}。`;
}

type Step = { wait: number } | { untilAssigned: string; patience?: number };
type Script = AsyncGenerator<Step, void, 'assigned' | 'timeout' | undefined>;

interface Agent { id: string; name: string; token: string; status: 'online' | 'away' | 'offline'; load: number; maxChats: number; carelessness: number }

/**
 * Generates `days` of service on a running app (built by `buildApp` over `ctx`), through its HTTP
 * API. The settable clock is moved through the period and always reset at the end.
 */
export async function generateTraffic(target: { app: FastifyInstance; ctx: AppContext }, options: TrafficOptions = {}): Promise<TrafficSummary> {
  try {
    return await run(target, options);
  } finally {
    resetClock();
  }
}

async function run({ app, ctx }: { app: FastifyInstance; ctx: AppContext }, options: TrafficOptions): Promise<TrafficSummary> {
  const days = options.days ?? 30;
  const perDay = options.perDay ?? 110;
  const random = randomness(options.seed ?? 12333);
  const { rand, between, chance, pickFrom, weighted } = random;
  const wait = (minSeconds: number, maxSeconds: number): Step => ({ wait: between(minSeconds, maxSeconds) });
  const realNow = Date.now();
  const endDay = options.endDay ?? chinaDay(realNow);
  const firstMidnight = chinaMidnight(endDay) - (days - 1) * DAY_MS;
  // nothing in the future: the last day ends at the real now if it is today
  const horizon = Math.min(realNow, chinaMidnight(endDay) + DAY_MS - 1000);
  const riseDays = days >= 14 ? 7 : Math.max(1, Math.floor(days / 2));
  const riseFrom = chinaMidnight(endDay) - (riseDays - 1) * DAY_MS;
  const progress = options.onProgress ?? (() => {});
  const { entries, categoryName } = loadQuestions(random);
  const isRising = (e: Entry) => e.category === RISING_CATEGORY || e.category.startsWith(`${RISING_CATEGORY}.`);

  const summary: TrafficSummary = {
    from: chinaDay(firstMidnight),
    to: endDay,
    conversations: 0,
    byChannel: { web: counts(), open: counts(), phone: counts() },
    handoffs: 0,
    handoffReasons: {},
    leftMessages: 0,
    abandoned: 0,
    calculators: 0,
    agentReplies: 0,
    ratings: 0,
    agents: 0,
    violations: { noGreeting: 0, noClosing: 0, rude: 0, phoneInClear: 0, slow: 0 },
    rising: { category: RISING_CATEGORY, name: categoryName(RISING_CATEGORY), fromDay: chinaDay(riseFrom) },
  };

  // ── the simulation's clock and agenda ──
  let clock = firstMidnight - HOUR_MS;
  setClock(() => clock);
  let sequence = 0;
  const agenda: { at: number; seq: number; run: () => Promise<void> }[] = [];
  function schedule(at: number, runStep: () => Promise<void>) {
    const item = { at: Math.round(at), seq: ++sequence, run: runStep };
    let lo = 0;
    let hi = agenda.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (agenda[mid].at < item.at || (agenda[mid].at === item.at && agenda[mid].seq < item.seq)) lo = mid + 1;
      else hi = mid;
    }
    agenda.splice(lo, 0, item);
  }
  /** conversations handed off and waiting for the automatic assignment, oldest first */
  const waiting: string[] = [];
  const waiters = new Map<string, Script>();
  /** Schedules a script's next step. */
  function drive(script: Script, at: number, input?: 'assigned' | 'timeout') {
    schedule(at, () => step(script, input));
  }
  /** Runs a script's next step now: a wait is scheduled, a wait for an agent is parked. */
  async function step(script: Script, input?: 'assigned' | 'timeout') {
    const next = await script.next(input);
    if (next.done) return;
    const action = next.value;
    if ('wait' in action) return drive(script, clock + action.wait * 1000);
    const id = action.untilAssigned;
    if (assignedTo.has(id)) return drive(script, clock, 'assigned');
    waiters.set(id, script);
    if (action.patience === undefined) return;
    schedule(clock + action.patience * 1000, async () => {
      if (!waiters.has(id)) return;
      waiters.delete(id);
      waiting.splice(waiting.indexOf(id), 1);
      await step(script, 'timeout');
    });
  }

  // ── HTTP through the app ──
  async function call(method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, init: { token?: string; headers?: Record<string, string>; payload?: unknown; expect?: number[] } = {}) {
    const res = await app.inject({ method, url, headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers }, payload: init.payload as any });
    const expect = init.expect ?? [200, 201, 204];
    if (!expect.includes(res.statusCode)) throw new Error(`demo traffic: ${method} ${url} → ${res.statusCode} ${res.body.slice(0, 300)}`);
    return res.statusCode === 204 || !res.body ? undefined : res.json();
  }

  // ── the team: a temporary administrator creates keys and staff through the API ──
  const tag = randomBytes(3).toString('hex');
  const adminPassword = `Demo-${randomBytes(12).toString('base64url')}-9`;
  const admin = await createUser(ctx, 'system:demo-traffic', { username: `demo-traffic-${tag}`, password: adminPassword, roles: ['admin'], displayName: '演示数据生成' });
  const login = async (username: string, password: string) => (await call('POST', '/api/v1/auth/login', { payload: { username, password } })).token as string;
  const adminToken = await login(admin.username, adminPassword);
  // real agents on duty would take the simulated hand-offs (and answer simulated citizens)
  const onDuty = ((await call('GET', '/api/v1/agents', { token: adminToken })).items as { name: string; status: string }[]).filter((a) => a.status === 'online' || a.status === 'busy');
  if (onDuty.length) {
    await call('PATCH', `/api/v1/users/${admin.id}`, { token: adminToken, payload: { isDisabled: true } });
    throw new Error(`坐席 ${onDuty.map((a) => a.name).join('、')} 正在值班，演示数据需要独占队列 / agents on duty (${onDuty.map((a) => a.name).join(', ')}): demo traffic needs the queue to itself`);
  }
  const channelKey = (await call('POST', '/api/v1/api-keys', { token: adminToken, payload: { name: '掌上12333（演示）', scopes: ['channel'] } })).key as string;
  const phoneKey = (await call('POST', '/api/v1/api-keys', { token: adminToken, payload: { name: '电话语音网关（演示）', scopes: ['telephony'] } })).key as string;
  async function staff(name: string, roles: string[]) {
    const password = `Demo-${randomBytes(12).toString('base64url')}-7`;
    const username = `demo-${tag}-${roles[0]}-${++sequence}`;
    const user = await call('POST', '/api/v1/users', { token: adminToken, payload: { username, password, roles, displayName: name } });
    return { id: user.id as string, token: await login(username, password) };
  }
  const supervisor = await staff('班长', ['supervisor']);
  const teamSize = options.agents ?? Math.min(10, Math.max(3, Math.round(perDay / 18)));
  const agents: Agent[] = [];
  for (let i = 0; i < teamSize; i++) {
    const user = await staff(AGENT_NAMES[i % AGENT_NAMES.length], ['agent']);
    agents.push({ ...user, name: AGENT_NAMES[i % AGENT_NAMES.length], status: 'offline', load: 0, maxChats: 3, carelessness: i === 0 ? 3 : i === 1 ? 2 : between(0.3, 1.2) });
  }
  summary.agents = agents.length;
  const savedHours = await call('GET', '/api/v1/conversations/settings/service-hours', { token: supervisor.token });
  await call('PUT', '/api/v1/conversations/settings/service-hours', { token: supervisor.token, payload: DEMO_SERVICE_HOURS });

  async function setStatus(agent: Agent, status: Agent['status']) {
    await call('PUT', '/api/v1/agent/status', { token: agent.token, payload: { status, maxChats: agent.maxChats } });
    agent.status = status;
  }

  /**
   * After every step: the platform assigns waiting conversations to free seats on its own, a moment
   * later; wait until it has, so the next step sees the same state every run.
   */
  async function settleAssignments() {
    const free = agents.filter((a) => a.status === 'online').reduce((n, a) => n + Math.max(0, a.maxChats - a.load), 0);
    const expected = Math.min(free, waiting.length);
    if (!expected) return;
    const pending = waiting.slice(0, expected);
    for (let tries = 0; pending.length; tries++) {
      if (tries > 3000) throw new Error(`demo traffic: conversations ${pending.join(', ')} were never assigned`);
      for (const id of [...pending]) {
        const detail = await call('GET', `/api/v1/agent/conversations/${id}`, { token: supervisor.token });
        const assignee = detail.conversation.assignee?.id as string | undefined;
        if (detail.conversation.status !== 'assigned' || !assignee) continue;
        const agent = agents.find((a) => a.id === assignee);
        if (!agent) throw new Error(`demo traffic: conversation ${id} went to someone outside the demo team`);
        agent.load++;
        pending.splice(pending.indexOf(id), 1);
        waiting.splice(waiting.indexOf(id), 1);
        const script = waiters.get(id);
        waiters.delete(id);
        assignedTo.set(id, agent);
        // a script still busy with something else finds the assignment when it asks for it
        if (script) drive(script, clock, 'assigned');
      }
      if (pending.length) await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
  const assignedTo = new Map<string, Agent>();

  // ── an agent serving one conversation, breaking a rule now and then ──
  async function* serve(
    conversationId: string,
    agent: Agent,
    entry: Entry,
    how: { channel: ChannelKind; chat?: { send(text: string): Promise<unknown> }; rate?: { chance: number; send(score: number, comment?: string): Promise<void> }; beforeClose?: () => Promise<void> },
  ): Script {
    const careless = agent.carelessness;
    const slow = chance(0.05 * careless);
    yield slow ? wait(6 * 60, 14 * 60) : wait(8, 60);
    const noGreeting = chance(0.1 * careless);
    const first = `${noGreeting ? '' : pickFrom(GREETINGS)}${plainAnswer(entry)}`;
    await call('POST', `/api/v1/agent/conversations/${conversationId}/messages`, { token: agent.token, payload: { text: first, entryId: entry.id } });
    summary.agentReplies++;
    if (slow) summary.violations.slow++;
    if (noGreeting) summary.violations.noGreeting++;
    let isRude = false;
    if (how.chat) {
      const [question, answer] = pickFrom(FOLLOW_UPS);
      yield wait(20, 120);
      await how.chat.send(question);
      yield wait(20, 90);
      isRude = chance(0.03 * careless);
      await call('POST', `/api/v1/agent/conversations/${conversationId}/messages`, { token: agent.token, payload: { text: isRude ? pickFrom(RUDE) : answer } });
      summary.agentReplies++;
      if (isRude) summary.violations.rude++;
    }
    const phoneInClear = chance(0.03 * careless);
    const noClosing = chance(0.1 * careless);
    if (phoneInClear || !noClosing) {
      yield wait(10, 60);
      const text = `${phoneInClear ? `如需进一步核实，可以打我的工作手机1${pickFrom(['39', '58', '86'])}${String(Math.floor(rand() * 1e8)).padStart(8, '0')}。` : ''}${noClosing ? '' : pickFrom(CLOSINGS)}`;
      await call('POST', `/api/v1/agent/conversations/${conversationId}/messages`, { token: agent.token, payload: { text } });
      summary.agentReplies++;
    }
    if (phoneInClear) summary.violations.phoneInClear++;
    if (noClosing) summary.violations.noClosing++;
    if (how.beforeClose) {
      yield wait(5, 20);
      await how.beforeClose();
    }
    yield wait(20, 90);
    await call('POST', `/api/v1/agent/conversations/${conversationId}/close`, { token: agent.token, payload: { category: entry.category, summary: `${entry.question.replace(/[？?]$/, '')}：已解答` } });
    agent.load--;
    if (!how.rate || !chance(how.rate.chance)) return;
    yield wait(10, 120);
    const unhappy = isRude || slow ? chance(0.6) : chance(0.07);
    const score = unhappy ? pickFrom([1, 1, 2]) : weighted([5, 4, 3], (s) => (s === 5 ? 62 : s === 4 ? 30 : 8));
    const comment = chance(0.3) ? pickFrom(score <= 2 ? BAD_COMMENTS : GOOD_COMMENTS) : '';
    await how.rate.send(score, comment || undefined);
    summary.ratings++;
    summary.byChannel[how.channel].ratings++;
  }

  // ── citizens ──
  interface Chat { id: string; citizen: string; send(text: string): Promise<{ sender: string; text: string }[]>; rate(score: number, comment?: string): Promise<void> }
  const busyUntil = new Map<string, number>();
  /** A citizen not in the middle of another conversation (the channel would reopen that one). */
  function freeCitizen(pool: string[], make: () => string) {
    for (let i = 0; i < 5; i++) {
      const who = pool.length > 20 && chance(0.25) ? pickFrom(pool) : make();
      if ((busyUntil.get(who) ?? 0) < clock) {
        if (!pool.includes(who)) pool.push(who);
        busyUntil.set(who, clock + 3 * HOUR_MS);
        return who;
      }
    }
    const who = make();
    pool.push(who);
    busyUntil.set(who, clock + 3 * HOUR_MS);
    return who;
  }
  const openUsers: string[] = [];
  let openCounter = 0;
  async function openChat(who?: string): Promise<Chat> {
    const user = who ?? freeCitizen(openUsers, () => `demo-user-${tag}-${++openCounter}`);
    const started = await call('POST', '/api/v1/open/conversations', { token: channelKey, payload: { customer: { externalId: user }, channel: 'mini-program' } });
    const id = started.conversationId as string;
    let n = 0;
    return {
      id,
      citizen: user,
      send: async (text) => (await call('POST', `/api/v1/open/conversations/${id}/messages`, { token: channelKey, payload: { clientMessageId: `m${++n}`, text } })).replies,
      rate: async (score, comment) => void (await call('POST', `/api/v1/open/conversations/${id}/rating`, { token: channelKey, payload: { score, ...(comment ? { comment } : {}) } })),
    };
  }
  const visitors: string[] = [];
  async function webChat(who?: string): Promise<Chat> {
    const returning = who ?? (visitors.length > 20 && chance(0.2) ? visitors.find((v) => (busyUntil.get(v) ?? 0) < clock && chance(0.1)) : undefined);
    const session = await call('POST', '/api/v1/widget/sessions', { payload: { siteKey: 'portal', ...(returning ? { visitorToken: returning } : {}) } });
    const token = session.visitorToken as string;
    if (!returning) visitors.push(token);
    busyUntil.set(token, clock + 3 * HOUR_MS);
    const headers = { 'x-visitor-token': token };
    const started = await call('POST', '/api/v1/widget/conversations', { headers, payload: { siteKey: 'portal' } });
    const id = started.conversation.id as string;
    let n = 0;
    return {
      id,
      citizen: token,
      send: async (text) => (await call('POST', `/api/v1/widget/conversations/${id}/messages`, { headers, payload: { clientMessageId: `m${++n}`, text } })).replies,
      rate: async (score, comment) => void (await call('POST', `/api/v1/widget/conversations/${id}/rating`, { headers, payload: { score, ...(comment ? { comment } : {}) } })),
    };
  }

  const isQueued = (replies: { sender: string; text: string }[]) => replies.some((m) => m.sender === 'system' && /排队|留言/.test(m.text));
  const isLeft = (replies: { sender: string; text: string }[]) => replies.some((m) => m.sender === 'system' && /留言/.test(m.text));
  const pickEntry = () => weighted(entries, (e) => e.weight * (clock >= riseFrom && isRising(e) ? RISING_FACTOR : 1));

  /** A chat on the web widget or a partner app: the robot first, people when needed. */
  async function* chatScript(kind: 'web' | 'open', again?: { citizen: string; entry: Entry }): Script {
    const chat = kind === 'web' ? await webChat(again?.citizen) : await openChat(again?.citizen);
    summary.conversations++;
    summary.byChannel[kind].conversations++;
    let entry = again?.entry ?? pickEntry();
    // some come back the same day about the same thing (not a first-contact resolution)
    const comeBack = () => {
      if (again || !chance(0.06)) return;
      const at = clock + between(2, 20) * HOUR_MS;
      if (at > horizon - HOUR_MS) return;
      busyUntil.set(chat.citizen, at + 3 * HOUR_MS);
      schedule(at, async () => drive(chatScript(kind, { citizen: chat.citizen, entry }), clock));
    };
    yield wait(5, 40);
    const roll = rand();
    if (roll < 0.7) {
      summary.byChannel[kind].robotOnly++;
      await chat.send(varied(random, entry));
      for (let more = Math.floor(between(0, 2.4)); more > 0; more--) {
        yield wait(20, 120);
        await chat.send(varied(random, pickEntry()));
      }
      comeBack();
      return; // the robot's conversation ends by itself after the idle time
    }
    if (roll < 0.78) {
      const calculator = pickFrom(CALCULATORS);
      summary.calculators++;
      summary.byChannel[kind].robotOnly++;
      await chat.send(calculator.question);
      for (const answer of calculator.answers(random)) {
        yield wait(8, 30);
        await chat.send(answer);
      }
      return;
    }
    // a hand-off: asked for, out of anger, or after the robot failed twice
    const how = weighted(['request', 'anger', 'failures'] as const, (h) => (h === 'request' ? 60 : h === 'anger' ? 15 : 25));
    let replies: { sender: string; text: string }[];
    if (how === 'failures' && chance(0.5)) {
      // nothing the robot can answer: off topic
      const [a, b] = pickFrom(OFF_TOPIC);
      await chat.send(a);
      yield wait(10, 40);
      replies = await chat.send(b);
    } else if (how === 'failures') {
      // a real question the knowledge base lacks, asked twice; the agent answers from the nearest entry
      const hard = weighted(HARD_QUESTIONS, (h) => (clock >= riseFrom && h.category.startsWith(`${RISING_CATEGORY}.`) ? RISING_FACTOR : 1));
      entry = weighted(entries.filter((e) => e.category === hard.category), (e) => e.weight);
      await chat.send(`${pickFrom(PREFIXES)}${hard.question}`);
      yield wait(10, 40);
      replies = await chat.send(hard.again);
    } else {
      await chat.send(varied(random, entry));
      yield wait(15, 60);
      replies = await chat.send(how === 'anger' ? pickFrom(ANGRY) : pickFrom(HUMAN_REQUESTS));
    }
    if (!isQueued(replies)) {
      yield wait(5, 20);
      replies = await chat.send('转人工');
      if (!isQueued(replies)) return;
    }
    summary.handoffs++;
    summary.byChannel[kind].handoffs++;
    summary.handoffReasons[how] = (summary.handoffReasons[how] ?? 0) + 1;
    if (isLeft(replies)) {
      // out of hours: the citizen leaves a message, answered when the centre opens
      yield wait(20, 90);
      await chat.send(`${pickFrom(LEFT_MESSAGES)}${varied(random, entry)}`);
      summary.leftMessages++;
      busyUntil.set(chat.citizen, Infinity); // until the answer, the channel reopens this conversation
      answerLater(chat, kind, entry);
      return;
    }
    waiting.push(chat.id);
    if (how === 'failures') {
      // the citizen says what they wanted while waiting
      yield wait(5, 20);
      await chat.send(varied(random, entry));
    }
    yield { untilAssigned: chat.id };
    const agent = assignedTo.get(chat.id)!;
    comeBack();
    yield* serve(chat.id, agent, entry, { channel: kind, chat, rate: { chance: 0.7, send: chat.rate } });
  }

  /** A call: the IVR, the robot by voice, and sometimes 0 for an agent (or hanging up while waiting). */
  let callCounter = 0;
  const callers: string[] = [];
  async function* phoneScript(): Script {
    const callId = `demo-${tag}-${++callCounter}`;
    const from = freeCitizen(callers, () => `+86 1${pickFrom(['38', '39', '50', '86', '77'])}${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`);
    let seq = 0;
    const post = async (body: Record<string, unknown>) => (await call('POST', `/api/v1/channels/phone/calls/${callId}/events`, { token: phoneKey, payload: { seq: ++seq, ...body } })).actions as Record<string, any>[];
    summary.conversations++;
    summary.byChannel.phone.conversations++;
    const greeting = await post({ event: 'start', from, to: '12333', asr: true });
    yield wait(4, 10);
    if (greeting.some((a) => /自助语音服务请按2/.test(a.say ?? ''))) {
      // out of hours the line first offers a callback (1) or self-service (2)
      await post({ event: 'dtmf', digits: '2' });
      yield wait(3, 8);
    }
    await post({ event: 'dtmf', digits: '9' });
    yield wait(3, 8);
    const entry = pickEntry();
    await post({ event: 'speech', text: varied(random, entry).replace(/[？?，,]/g, '') });
    if (!chance(0.35)) {
      summary.byChannel.phone.robotOnly++;
      yield wait(5, 20);
      await post({ event: 'hangup' });
      return;
    }
    yield wait(3, 10);
    // drawn before the answer: whether a free agent took the call before the line answered is timing,
    // and must not change what the rest of the run draws
    const patience = between(60, 900);
    const answer = await post({ event: 'dtmf', digits: '0' });
    const queued = answer.find((a) => a.queue)?.queue;
    const bridged = answer.find((a) => a.bridge)?.bridge;
    if (!queued && !bridged) {
      // closed hours: the line says when to call back
      summary.byChannel.phone.robotOnly++;
      yield wait(5, 15);
      await post({ event: 'hangup' });
      return;
    }
    summary.handoffs++;
    summary.byChannel.phone.handoffs++;
    summary.handoffReasons.ivr = (summary.handoffReasons.ivr ?? 0) + 1;
    let id: string;
    if (bridged) {
      // an agent was free and took the call before the line answered: find it on their desk
      const agent = agents.find((a) => a.id === bridged.agentId);
      if (!agent) throw new Error('demo traffic: a call went to someone outside the demo team');
      const desk = (await call('GET', '/api/v1/agent/conversations', { token: agent.token })).items as { id: string; channel: string }[];
      const mine = desk.find((c) => c.channel === 'phone' && !assignedTo.has(c.id));
      if (!mine) throw new Error('demo traffic: the bridged call is not on the agent’s desk');
      id = mine.id;
      agent.load++;
      assignedTo.set(id, agent);
    } else {
      id = queued.conversationId as string;
      waiting.push(id);
      const outcome = yield { untilAssigned: id, patience };
      if (outcome === 'timeout') {
        summary.abandoned++;
        await post({ event: 'hangup' });
        return;
      }
    }
    await post({ event: 'poll' });
    const agent = assignedTo.get(id)!;
    yield* serve(id, agent, entry, { channel: 'phone', beforeClose: async () => void (await post({ event: 'hangup' })) });
  }

  /** A left message, answered by an agent on duty soon after the next opening. */
  const leftByDay = new Map<string, number>();
  function answerLater(chat: Chat, channel: ChannelKind, entry: Entry) {
    const opening = nextOpening(clock);
    const day = chinaDay(opening);
    const k = leftByDay.get(day) ?? 0;
    leftByDay.set(day, k + 1);
    const at = opening + 10 * 60_000 + k * 4 * 60_000;
    if (at > horizon) return; // still waiting for the centre to open: stays in the workspace
    drive(
      (async function* (): Script {
        const agent = agents[k % agents.length];
        await call('POST', `/api/v1/agent/conversations/${chat.id}/accept`, { token: agent.token });
        agent.load++;
        yield* serve(chat.id, agent, entry, { channel, rate: { chance: 0.3, send: chat.rate } });
        busyUntil.set(chat.citizen, clock + HOUR_MS);
      })(),
      at,
    );
  }

  /** The next time agents come on duty (the demo hours: weekdays 08:30, Saturday 09:00). */
  function nextOpening(at: number): number {
    for (let d = 0; d < 8; d++) {
      const midnight = chinaMidnight(chinaDay(at)) + d * DAY_MS;
      const weekday = isoWeekday(midnight);
      if (weekday === 7) continue;
      const open = midnight + (weekday === 6 ? 9 * HOUR_MS : 8.5 * HOUR_MS);
      if (open > at) return open;
    }
    return at + DAY_MS;
  }

  // ── the days: arrivals, shifts, idle closing ──
  for (let d = 0; d < days; d++) {
    const midnight = firstMidnight + d * DAY_MS;
    const weekday = isoWeekday(midnight);
    const day = chinaDay(midnight);
    const planned = Math.round(perDay * WEEKDAY_FACTORS[weekday] * between(0.9, 1.1));
    schedule(midnight, async () => {
      progress(`${day} 周${'一二三四五六日'[weekday - 1]}: 约 ${planned} 个会话 / about ${planned} conversations (so far ${summary.conversations}, hand-offs ${summary.handoffs}, ratings ${summary.ratings})`);
    });
    for (let i = 0; i < planned; i++) {
      const hour = weighted([...HOUR_WEIGHTS.keys()], (h) => HOUR_WEIGHTS[h]);
      const at = midnight + hour * HOUR_MS + rand() * HOUR_MS;
      // no new conversation in the last two hours before the real now: each one finishes
      if (at > horizon - 2 * HOUR_MS) continue;
      const channel = weighted(['web', 'open', 'phone'] as const, (c) => (c === 'web' ? 40 : c === 'open' ? 30 : 30));
      schedule(at, async () => drive(channel === 'phone' ? phoneScript() : chatScript(channel), clock));
    }
    // shifts: everyone on weekdays 09:00–17:30 (half at lunch 12:00–13:00), two on Saturday morning
    const team = weekday <= 5 ? agents : weekday === 6 ? agents.slice(0, 2) : [];
    const shift = (hours: number, run: () => Promise<void>) => midnight + hours * HOUR_MS <= horizon && schedule(midnight + hours * HOUR_MS, run);
    team.forEach((agent, i) => {
      shift(9 + i * 0.02, () => setStatus(agent, 'online'));
      if (weekday <= 5 && i % 2 === 0) {
        shift(12 + i * 0.02, () => setStatus(agent, 'away'));
        shift(13 + i * 0.02, () => setStatus(agent, 'online'));
      }
      const goHome = async (): Promise<void> => {
        // nobody leaves while callers still wait in the live queue
        if (waiting.length && agent.status === 'online') return void schedule(clock + 10 * 60_000, goHome);
        await setStatus(agent, 'offline');
      };
      shift(weekday <= 5 ? 17.5 : 12, goHome);
    });
    // the platform's idle close, run on the simulated clock every ten minutes
    for (let m = 0; m < 24 * 60; m += 10) {
      const at = midnight + m * 60_000;
      if (at <= horizon) schedule(at, () => ctx.jobs.runNow('conversations.close-idle'));
    }
  }

  /** Leaves the platform as a centre would find it: agents off duty, its own hours back, the temporary admin disabled. */
  async function leave() {
    clock = Math.max(clock, Math.min(horizon, realNow));
    for (const agent of agents) if (agent.status !== 'offline') await setStatus(agent, 'offline');
    await ctx.jobs.runNow('conversations.close-idle');
    await call('PUT', '/api/v1/conversations/settings/service-hours', { token: supervisor.token, payload: savedHours });
    await call('PATCH', `/api/v1/users/${admin.id}`, { token: adminToken, payload: { isDisabled: true } });
  }

  // ── run the agenda in time order ──
  try {
    while (agenda.length) {
      const item = agenda.shift()!;
      if (item.at > horizon) break;
      clock = Math.max(clock, item.at);
      await item.run();
      await settleAssignments();
    }
  } catch (err) {
    await leave().catch(() => undefined); // the first error is the one to report
    throw err;
  }
  await leave();
  return summary;
}

function counts(): ChannelCounts {
  return { conversations: 0, robotOnly: 0, handoffs: 0, ratings: 0 };
}
