import { badRequest } from '../../platform/errors';
import type { CallAction, CallbackWindow, IvrAction, IvrNode, IvrOption, IvrTree } from './schema';

/** How deep menus may nest (root = 1): a caller should not press more than a few keys to get anywhere. */
export const MAX_MENU_DEPTH = 5;
/** Wrong keys or silences in a row before the line says goodbye. */
export const MAX_MISSES = 3;

/**
 * The tree a line starts with: the three busiest topics of a 12333 hotline, the robot on 9 and
 * an agent on 0, each sub-menu reading a few demo knowledge entries.
 */
export function defaultIvrTree(): IvrTree {
  const common: IvrOption[] = [
    { digit: '0', label: '人工服务', keywords: ['人工', '转人工', '客服'], action: { type: 'queue', skill: null } },
    { digit: '*', label: '返回上级菜单', keywords: ['返回'], action: { type: 'back' } },
    { digit: '#', label: '重听', keywords: ['重听'], action: { type: 'repeat' } },
  ];
  const entry = (digit: IvrOption['digit'], label: string, entryId: string): IvrOption => ({ digit, label, keywords: [label], action: { type: 'entry', entryId } });
  return {
    rootId: 'root',
    greeting: '您好，欢迎致电12333人力资源和社会保障服务热线。',
    closedNotice: '现在是非人工服务时间。',
    nodes: [
      {
        id: 'root',
        prompt: '养老保险请按1，失业保险请按2，劳动关系请按3，智能语音问答请按9，人工服务请按0，重听请按井号键。',
        options: [
          { digit: '1', label: '养老保险', keywords: ['养老', '养老金', '退休'], action: { type: 'menu', nodeId: 'yanglao' } },
          { digit: '2', label: '失业保险', keywords: ['失业', '失业金'], action: { type: 'menu', nodeId: 'shiye' } },
          { digit: '3', label: '劳动关系', keywords: ['劳动', '合同', '工资', '仲裁'], action: { type: 'menu', nodeId: 'laodong' } },
          { digit: '9', label: '智能语音问答', keywords: ['提问', '问答', '机器人'], action: { type: 'robot' } },
          common[0],
          common[2],
        ],
      },
      {
        id: 'yanglao',
        prompt: '',
        options: [entry('1', '缴费比例', 'yl-001'), entry('2', '退休年龄', 'yl-014'), entry('3', '养老金计算', 'yl-023'), ...common],
      },
      {
        id: 'shiye',
        prompt: '',
        options: [entry('1', '失业金领取条件', 'sy-001'), entry('2', '失业金申请办理', 'sy-002'), entry('3', '失业金标准', 'sy-008'), ...common],
      },
      {
        id: 'laodong',
        prompt: '',
        options: [entry('1', '签订劳动合同', 'ld-001'), entry('2', '经济补偿', 'ld-011'), entry('3', '加班工资', 'ld-015'), entry('4', '劳动仲裁时效', 'zc-001'), ...common],
      },
    ],
  };
}

/**
 * Checks what the schema cannot: unique node ids and digits, targets that exist, no menu reachable
 * from itself (going back or repeating is an explicit action, never a loop in the tree), every node
 * reachable from the root, a bounded depth, and knowledge entries that can be read to citizens.
 * Throws 400 with a code and the field at fault.
 */
export function validateIvrTree(tree: IvrTree, entryExists: (entryId: string) => boolean): void {
  const index = new Map<string, number>();
  tree.nodes.forEach((node, i) => {
    if (index.has(node.id)) throw badRequest('duplicate_node', { zh: `菜单编号重复：${node.id}`, en: `duplicate menu id: ${node.id}` }, `tree.nodes.${i}.id`);
    index.set(node.id, i);
  });
  if (!index.has(tree.rootId)) throw badRequest('unknown_root', { zh: `根菜单不存在：${tree.rootId}`, en: `the root menu does not exist: ${tree.rootId}` }, 'tree.rootId');
  tree.nodes.forEach((node, i) => {
    const digits = new Set<string>();
    const keywords = new Map<string, string>();
    node.options.forEach((option, j) => {
      const field = `tree.nodes.${i}.options.${j}`;
      if (digits.has(option.digit)) throw badRequest('duplicate_digit', { zh: `菜单“${node.id}”中按键 ${option.digit} 重复`, en: `key ${option.digit} used twice in menu ${node.id}` }, `${field}.digit`);
      digits.add(option.digit);
      for (const word of option.keywords) {
        const other = keywords.get(word);
        if (other !== undefined && other !== option.digit) throw badRequest('duplicate_keyword', { zh: `菜单“${node.id}”中关键词“${word}”对应两个选项`, en: 'a keyword of two options' }, `${field}.keywords`);
        keywords.set(word, option.digit);
      }
      const action = option.action;
      if (action.type === 'menu') {
        if (!index.has(action.nodeId)) throw badRequest('unknown_node', { zh: `子菜单不存在：${action.nodeId}`, en: `the sub-menu does not exist: ${action.nodeId}` }, `${field}.action.nodeId`);
        if (action.nodeId === tree.rootId) throw badRequest('menu_cycle', { zh: '子菜单不能指回根菜单（请用“返回”）', en: 'a sub-menu cannot lead back to the root; use back' }, `${field}.action.nodeId`);
      }
      if (action.type === 'entry' && !entryExists(action.entryId)) {
        throw badRequest('unknown_entry', { zh: `知识条目不存在或不公开：${action.entryId}`, en: `no such public knowledge entry: ${action.entryId}` }, `${field}.action.entryId`);
      }
    });
  });

  // depth-first from the root: a node met again on the current path is a cycle
  const depthOf = new Map<string, number>();
  const onPath = new Set<string>();
  const visit = (nodeId: string, depth: number, field: string) => {
    if (onPath.has(nodeId)) throw badRequest('menu_cycle', { zh: `菜单循环：${nodeId}`, en: `menus lead back to themselves: ${nodeId}` }, field);
    if (depth > MAX_MENU_DEPTH) throw badRequest('too_deep', { zh: `菜单层级超过${MAX_MENU_DEPTH}层`, en: `menus nest deeper than ${MAX_MENU_DEPTH}` }, field);
    if ((depthOf.get(nodeId) ?? Infinity) <= depth) return;
    depthOf.set(nodeId, depth);
    onPath.add(nodeId);
    const i = index.get(nodeId)!;
    tree.nodes[i].options.forEach((option, j) => {
      if (option.action.type === 'menu') visit(option.action.nodeId, depth + 1, `tree.nodes.${i}.options.${j}.action.nodeId`);
    });
    onPath.delete(nodeId);
  };
  visit(tree.rootId, 1, 'tree.rootId');
  tree.nodes.forEach((node, i) => {
    if (!depthOf.has(node.id)) throw badRequest('unreachable_node', { zh: `菜单“${node.id}”无法从根菜单到达`, en: `menu ${node.id} cannot be reached from the root` }, `tree.nodes.${i}.id`);
  });
}

// ── the engine: one step of a call through the tree ──

export type IvrMode = 'menu' | 'robot' | 'queued' | 'offer' | 'window' | 'bridged' | 'ended';

/** Where a caller is; stored per call, so any instance can answer the next event. */
export interface IvrState {
  mode: IvrMode;
  /** the current menu (in robot mode: the menu the caller came from) */
  nodeId: string;
  /** the menus above, for "back" */
  path: string[];
  /** why a callback is on offer: agents are off duty, or the wait is long */
  offer?: 'closed' | 'wait';
  /** the caller was already offered a callback while waiting (asked once) */
  wasOffered?: boolean;
  /** how many numbered choices the robot's last reply gave (a key picks one) */
  choices?: number;
  misses: number;
  /** the last queue place the caller was told */
  position?: number;
}

export type IvrInput =
  | { kind: 'start' }
  | { kind: 'dtmf'; digits: string }
  /** words; `text` null when the caller spoke but nothing could recognise it */
  | { kind: 'speech'; text: string | null }
  | { kind: 'timeout' }
  | { kind: 'poll' }
  | { kind: 'hangup' };

/** Where a hand-off stands. */
export type QueueStatus =
  | { status: 'queued'; conversationId: string; skill: string | null; position: number; estimatedWaitSeconds: number }
  | { status: 'assigned'; agentId: string; agentName: string; extension?: string }
  /** outside service hours after all (the hours changed): a left message, not a live queue */
  | { status: 'closed_hours' }
  | { status: 'ended' };

/** What the engine asks of the world: the live call answers for real, the simulator pretends. */
export interface IvrIo {
  /** a speech recogniser hears this call (ours or the bridge's) */
  canListen: boolean;
  callbackThresholdSeconds: number;
  hours(): Promise<{ isOpen: boolean; nextOpening: Date | null }>;
  /** a menu choice, recorded as the caller's message so the agent sees the path */
  record(text: string): Promise<void>;
  /** a knowledge entry's answer as spoken text (null: not available) */
  readEntry(entryId: string): Promise<string | null>;
  /** the robot's answer to a spoken question, or to a numbered choice of its last answer */
  ask(text: string): Promise<{ say: string; choices: number; isWithPeople: boolean }>;
  handOff(skill: string | null): Promise<QueueStatus>;
  waiting(): Promise<QueueStatus>;
  /** a callback request; null when the caller's number is unknown */
  requestCallback(window: CallbackWindow): Promise<{ phoneMasked: string; when: string } | null>;
  /** the caller hung up (or the line said goodbye) */
  end(): Promise<void>;
}

const DIGIT_NAMES: Record<string, string> = { '*': '星号键', '#': '井号键' };
const digitName = (d: string) => DIGIT_NAMES[d] ?? d;
const say = (text: string): CallAction => ({ say: text });
const HANGUP: CallAction = { hangup: true };
const GOODBYE = '感谢您的来电，再见。';
const WANTS_AGENT = /人工|坐席|客服|真人/;

/** What a menu says: its prompt, or its options read out when the prompt is blank. */
export function promptOf(node: IvrNode): string {
  if (node.prompt) return node.prompt;
  return `${node.options.map((o) => `${o.label}请按${digitName(o.digit)}`).join('，')}。`;
}

/** "3分钟" for a wait in seconds, rounded up to whole minutes. */
const minutes = (seconds: number) => `${Math.max(1, Math.ceil(seconds / 60))}分钟`;

/** "12月8日 08:30" in China time. */
export function describeInstant(at: Date): string {
  const local = new Date(at.getTime() + 8 * 3_600_000).toISOString();
  return `${Number(local.slice(5, 7))}月${Number(local.slice(8, 10))}日 ${local.slice(11, 16)}`;
}

/**
 * One step of a call: the caller's input in the current state → what the line does and the next
 * state. Both the live call (call-control.ts) and the console's simulator run this, with their own
 * IvrIo.
 */
export async function ivrStep(tree: IvrTree, state: IvrState, input: IvrInput, io: IvrIo): Promise<{ state: IvrState; actions: CallAction[] }> {
  const nodes = new Map(tree.nodes.map((n) => [n.id, n]));
  const root = nodes.get(tree.rootId)!;
  let s: IvrState = { ...state, path: [...state.path] };
  const out: CallAction[] = [];
  const node = () => nodes.get(s.nodeId) ?? root;
  const collect = (speech: boolean, timeoutMs = 8000) => out.push({ collect: { digits: 1, speech: speech && io.canListen, timeoutMs } });
  const menu = () => {
    s.mode = 'menu';
    out.push(say(promptOf(node())));
    collect(node().options.some((o) => o.keywords.length > 0));
  };
  const robotPrompt = () => {
    out.push(say('请在提示音后说出您的问题。转人工服务请按0，返回菜单请按星号键。'));
    collect(true, 10_000);
  };
  const offerPrompt = () => {
    out.push(say(s.offer === 'closed' ? '预约回拨请按1，自助语音服务请按2。' : '预约回拨请按1，继续等待请按2。'));
    collect(false);
  };
  const windowPrompt = () => {
    s.mode = 'window';
    out.push(say('两小时内回拨请按1，明天上午回拨请按2，明天下午回拨请按3，返回请按星号键。'));
    collect(false);
  };
  const goodbye = async (text = GOODBYE) => {
    out.push(say(text), HANGUP);
    s.mode = 'ended';
    await io.end();
  };
  const miss = async (what: string, again: () => void) => {
    s.misses += 1;
    if (s.misses >= MAX_MISSES) return goodbye(`${what}${GOODBYE}`);
    out.push(say(what));
    again();
  };
  const closed = async () => {
    const { nextOpening } = await io.hours();
    s.mode = 'offer';
    s.offer = 'closed';
    out.push(say(`${tree.closedNotice}${nextOpening ? `人工客服将于${describeInstant(nextOpening)}上班。` : ''}`));
    offerPrompt();
  };
  /** Reports a hand-off's state to the caller: a queue place, the agent, or the end. */
  const queueState = async (q: QueueStatus, isFirst: boolean) => {
    if (q.status === 'assigned') {
      s.mode = 'bridged';
      out.push(say(`正在为您接通人工客服${q.agentName}，请稍候。`), { bridge: { agentId: q.agentId, agentName: q.agentName, ...(q.extension ? { extension: q.extension } : {}) } });
      return;
    }
    if (q.status === 'closed_hours') return closed();
    if (q.status === 'ended') return goodbye('本次服务已结束。' + GOODBYE);
    const place = `您前面还有${q.position - 1}位，预计等待约${minutes(q.estimatedWaitSeconds)}。`;
    const queueAction: CallAction = { queue: { conversationId: q.conversationId, skill: q.skill, position: q.position, estimatedWaitSeconds: q.estimatedWaitSeconds } };
    if (!s.wasOffered && q.estimatedWaitSeconds > io.callbackThresholdSeconds) {
      s.mode = 'offer';
      s.offer = 'wait';
      s.wasOffered = true;
      s.position = q.position;
      out.push(say(`${isFirst ? '正在为您转接人工服务。' : ''}${place}`), queueAction);
      offerPrompt();
      return;
    }
    s.mode = 'queued';
    const isNews = isFirst || s.position !== q.position;
    s.position = q.position;
    out.push(say(isFirst ? `正在为您转接人工服务，${place}请稍候。` : isNews ? place : '坐席正忙，请您耐心等待。'), queueAction);
  };
  /** Out of the callback choice without a request: back to waiting if the caller was in the queue, else to the main menu. */
  const leaveWindow = async () => {
    if (s.offer === 'wait') return queueState(await io.waiting(), false);
    s.nodeId = tree.rootId;
    s.path = [];
    menu();
  };
  const toAgent = async (skill: string | null, label: string) => {
    const { isOpen } = await io.hours();
    if (!isOpen) return closed();
    await io.record(label);
    return queueState(await io.handOff(skill), true);
  };
  const robotAnswer = async (text: string) => {
    const answer = await io.ask(text);
    s.choices = answer.choices;
    if (answer.say) out.push(say(answer.say));
    if (answer.isWithPeople) return queueState(await io.waiting(), true);
    out.push(say(`${answer.choices ? '' : '继续提问请直接说出您的问题，'}转人工服务请按0或说“转人工”，返回菜单请按星号键。`));
    collect(true, 10_000);
  };
  const choose = async (option: IvrOption, how: string) => {
    s.misses = 0;
    const action: IvrAction = option.action;
    const label = `${how}：${option.label}`;
    switch (action.type) {
      case 'menu':
        await io.record(label);
        s.path.push(s.nodeId);
        s.nodeId = action.nodeId;
        return menu();
      case 'entry': {
        const answer = await io.readEntry(action.entryId);
        out.push(say(answer ?? '抱歉，该内容暂时无法播报。'));
        return menu();
      }
      case 'robot':
        if (!io.canListen) {
          out.push(say('抱歉，本线路暂不支持语音提问，请按键选择。'));
          return menu();
        }
        await io.record(label);
        s.mode = 'robot';
        s.choices = 0;
        return robotPrompt();
      case 'queue':
        return toAgent(action.skill ?? null, label);
      case 'callback':
        await io.record(label);
        s.offer = undefined;
        return windowPrompt();
      case 'repeat':
        return menu();
      case 'back':
        s.nodeId = s.path.pop() ?? tree.rootId;
        return menu();
      case 'hangup':
        await io.record(label);
        return goodbye();
    }
  };

  if (input.kind === 'hangup') {
    if (s.mode !== 'ended') await io.end();
    s.mode = 'ended';
    return { state: s, actions: [] };
  }
  if (s.mode === 'ended') return { state: s, actions: [HANGUP] };

  if (input.kind === 'start') {
    s = { mode: 'menu', nodeId: tree.rootId, path: [], misses: 0 };
    out.push(say(tree.greeting));
    const { isOpen } = await io.hours();
    if (!isOpen) await closed();
    else menu();
    return { state: s, actions: out };
  }

  if (input.kind === 'speech' && input.text === null) {
    // not the caller's fault: no miss counted, the same question again
    out.push(say('抱歉，暂时无法识别语音，请使用电话按键。'));
    const again = { menu, robot: robotPrompt, offer: offerPrompt, window: windowPrompt }[s.mode as 'menu'];
    if (again) {
      again();
      return { state: s, actions: out };
    }
    input = { kind: 'poll' };
  }

  switch (s.mode) {
    case 'menu': {
      if (input.kind === 'poll') {
        menu();
        break;
      }
      if (input.kind === 'timeout') {
        await miss('您没有输入，', menu);
        break;
      }
      if (input.kind === 'dtmf') {
        const option = node().options.find((o) => o.digit === input.digits[0]);
        if (option) await choose(option, `按键 ${option.digit}`);
        else await miss('输入有误，请重新选择。', menu);
        break;
      }
      const text = input.kind === 'speech' ? (input.text ?? '') : '';
      const option = node().options.find((o) => o.keywords.some((k) => text.includes(k)) || text.includes(o.label));
      if (option) await choose(option, `语音“${text.slice(0, 20)}”`);
      else if (WANTS_AGENT.test(text)) await toAgent(null, `语音“${text.slice(0, 20)}”：人工服务`);
      else await miss('抱歉，没有听清，请按键选择。', menu);
      break;
    }
    case 'robot': {
      if (input.kind === 'dtmf') {
        const d = input.digits[0];
        if (d === '0') await toAgent(null, '按键 0：人工服务');
        else if (d === '*') menu();
        else if (d === '#') robotPrompt();
        else if (Number(d) >= 1 && Number(d) <= (s.choices ?? 0)) await robotAnswer(d);
        else await miss('输入有误。', robotPrompt);
      } else if (input.kind === 'speech' && input.text) {
        s.misses = 0;
        if (WANTS_AGENT.test(input.text) && input.text.length <= 10) await toAgent(null, `语音“${input.text}”：人工服务`);
        else await robotAnswer(input.text);
      } else if (input.kind === 'timeout') await miss('您没有说话，', robotPrompt);
      else robotPrompt();
      break;
    }
    case 'queued':
    case 'bridged': {
      await queueState(await io.waiting(), false);
      break;
    }
    case 'offer': {
      const d = input.kind === 'dtmf' ? input.digits[0] : undefined;
      if (d === '1') {
        s.misses = 0;
        await io.record('按键 1：预约回拨');
        windowPrompt();
      } else if (d === '2' || (s.offer === 'wait' && input.kind !== 'dtmf')) {
        s.misses = 0;
        if (s.offer === 'closed') {
          s.offer = undefined;
          s.nodeId = tree.rootId;
          s.path = [];
          menu();
        } else {
          s.mode = 'queued';
          await queueState(await io.waiting(), false);
        }
      } else await miss(input.kind === 'timeout' ? '您没有输入，' : '输入有误。', offerPrompt);
      break;
    }
    case 'window': {
      const windows: Record<string, CallbackWindow> = { '1': 'within_2h', '2': 'tomorrow_morning', '3': 'tomorrow_afternoon' };
      const d = input.kind === 'dtmf' ? input.digits[0] : undefined;
      const window = d ? windows[d] : undefined;
      if (window) {
        const ticket = await io.requestCallback(window);
        if (!ticket) {
          out.push(say('抱歉，无法获取您的来电号码，暂时不能预约回拨。'));
          await leaveWindow();
        } else await goodbye(`已为您预约回拨，工作人员将在${ticket.when}拨打尾号${ticket.phoneMasked.slice(-4)}的号码与您联系。${GOODBYE}`);
      } else if (d === '*') await leaveWindow();
      else await miss(input.kind === 'timeout' ? '您没有输入，' : '输入有误。', windowPrompt);
      break;
    }
  }
  return { state: s, actions: out };
}

/** The first state of a call on this tree. */
export const initialState = (tree: IvrTree): IvrState => ({ mode: 'menu', nodeId: tree.rootId, path: [], misses: 0 });

/** The time span a callback window stands for, in China time, counted from `now`. */
export function callbackWindow(window: CallbackWindow, now = new Date()): { start: Date; end: Date; when: string } {
  if (window === 'within_2h') return { start: now, end: new Date(now.getTime() + 2 * 3_600_000), when: '两小时内' };
  const localToday = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const tomorrow = new Date(Date.parse(`${localToday}T00:00:00+08:00`) + 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
  const at = (hhmm: string) => new Date(`${tomorrow}T${hhmm}:00+08:00`);
  return window === 'tomorrow_morning'
    ? { start: at('09:00'), end: at('12:00'), when: '明天上午9点到12点' }
    : { start: at('14:00'), end: at('17:00'), when: '明天下午2点到5点' };
}
