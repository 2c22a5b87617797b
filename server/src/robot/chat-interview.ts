import { maskPersonalData } from '../../../common/masking';
import type { Actor } from '../identity/permissions';
import type { AppContext } from '../platform/context';
import { AppError } from '../platform/errors';
import { newId } from '../platform/ids';
import { determine, listRuleSets } from '../rules/service';
import { normalizeText } from '../text/normalize-text';
import type { AskResult } from './robot';
import type { RobotService } from './robot-service';
import type { ChatInterview } from './schema';

/**
 * Policy calculations inside the robot chat (政策仿真 in the funnel): a question that asks for a
 * computation about the caller themselves (我什么时候能退休, 我能领多少养老金 …) starts the
 * matching rule set's interview; each following message answers the current question, until the
 * rule set has a result, which is shown with its plain "why". 退出/算了 leaves the interview.
 */

interface InterviewState {
  rulesetId: string;
  inputs: Record<string, unknown>;
  unknown: string[];
  questionId: string;
}

const CALCULATIONS: { rulesetId: string; pattern: RegExp }[] = [
  { rulesetId: 'retirement-age', pattern: /(我|本人|俺|咱).{0,12}(什么时候|啥时候|哪年|哪一年|几岁|多大|多少岁).{0,6}退休|(我|本人|俺).{0,8}(退休年龄|退休时间)|(算|测算|计算|查).{0,4}(退休年龄|退休时间)/ },
  { rulesetId: 'pension-estimate', pattern: /(我|本人|俺).{0,16}(领|拿|有)(多少|几多|多少钱).{0,4}(养老金|退休金|退休工资)|(测算|算一下|算算|计算|估算).{0,6}(养老金|退休金)/ },
  { rulesetId: 'unemployment-benefit', pattern: /(我|本人|俺).{0,16}(能不能|能否|可不可以|可以|能|有没有资格).{0,6}(领|拿|申请|享受).{0,4}(失业金|失业保险金|失业保险待遇)|(测算|算一下|算算|计算).{0,6}失业金/ },
  { rulesetId: 'contribution', pattern: /(我|本人|俺).{0,16}(每月|每个月|一个月|要|得)?.{0,4}(交|缴)(多少|几多|多少钱).{0,6}(社保|五险|保险)?|(算一下|算算|测算|计算).{0,6}(社保|缴费)/ },
];

const CANCEL = /^(退出|取消|算了|不算了|不用了|结束|quit|cancel|exit)/;
const DONT_KNOW = /^(不知道|不清楚|不确定|不晓得|不记得)/;

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

const interviewKey = (sessionId: string) => `interview:${sessionId}`;

function render(rulesetId: string, result: ReturnType<typeof determine>) {
  const summary = listRuleSets('zh').find((r) => r.id === rulesetId)!;
  if (result.status === 'need_input' && result.question) {
    const q = result.question;
    const options = q.options?.length ? `\n\n${q.options.map((o, i) => `${i + 1}. ${o.label}`).join('\n')}` : '';
    return { text: `${q.text}${options}\n\n（可回答“不知道”，或回复“退出”结束测算）`, done: false };
  }
  const lines = summary.outputs
    .filter((o) => result.outputs[o.id] !== null && result.outputs[o.id] !== undefined && !Array.isArray(result.outputs[o.id]))
    .map((o) => `- ${o.label}：${typeof result.outputs[o.id] === 'boolean' ? (result.outputs[o.id] ? '是' : '否') : result.outputs[o.id]}${o.unit ? ` ${o.unit}` : ''}`);
  const why = (result.explanation ?? []).map((e) => e.why).filter(Boolean);
  const hints = (result.suggestions ?? []).map((s) => `- ${s.text}`);
  const conditional = result.status === 'conditional' ? '\n\n因部分信息“不知道”，以上结果有条件成立，请向参保地社保经办机构核实。' : '';
  return {
    text: `**${summary.name}测算结果**（示例市演示参数，仅供参考）\n\n${lines.join('\n')}\n\n**为什么**\n\n${why.map((w) => `- ${w}`).join('\n')}${hints.length ? `\n\n**怎样才能符合条件**\n\n${hints.join('\n')}` : ''}${conditional}${result.notes?.length ? `\n\n${result.notes.join('\n')}` : ''}`,
    done: true,
  };
}

/**
 * One chat turn: continues a running calculation interview, starts one when the question asks for
 * a personal computation, and otherwise asks the robot.
 */
export async function converse(ctx: AppContext, robot: RobotService, actor: Actor, asked: { question: string; sessionId?: string; channel?: string }): Promise<AskResult & { interview?: ChatInterview }> {
  // ID and phone numbers never reach the session state, the interview state or the turn log
  const input = { ...asked, question: maskPersonalData(asked.question) };
  const store = robot.keyValues;
  const running = input.sessionId ? ((await store.get(interviewKey(input.sessionId))) as InterviewState | undefined) : undefined;
  const base = (sessionId: string, answer: string, interview: ChatInterview) => ({ type: 'answer' as const, answer, candidates: [], confidence: 1, sessionId, interview });

  if (running && input.sessionId) {
    const sessionId = input.sessionId;
    const reply = input.question.trim();
    if (CANCEL.test(normalizeText(reply).compact)) {
      await store.delete(interviewKey(sessionId));
      return base(sessionId, '好的，已结束测算。还有什么可以帮您？', { rulesetId: running.rulesetId, status: 'cancelled' });
    }
    const asked = determine(running.rulesetId, { inputs: running.inputs, unknown: running.unknown, explain: false });
    const question = asked.question;
    if (question && question.id === running.questionId) {
      if (DONT_KNOW.test(normalizeText(reply).compact)) running.unknown.push(question.id);
      else {
        const value = parseAnswer(question, reply);
        if (value === undefined) {
          const again = render(running.rulesetId, asked);
          return base(sessionId, `抱歉，没能看懂您的回答。${again.text}`, { rulesetId: running.rulesetId, status: 'need_input', question: { id: question.id, text: question.text, type: question.type, options: question.options } });
        }
        running.inputs[question.id] = value;
      }
    }
    return step(ctx, robot, sessionId, running);
  }

  const rulesetId = calculationIntent(input.question);
  if (rulesetId) {
    const sessionId = input.sessionId ?? newId();
    await robot.logTurn(actor, input, { decision: 'answer', sessionId, entryId: null, topEntryId: `ruleset:${rulesetId}`, confidence: 1, handoffReason: null });
    return step(ctx, robot, sessionId, { rulesetId, inputs: {}, unknown: [], questionId: '' }, true);
  }
  return robot.ask(actor, input);
}

async function step(ctx: AppContext, robot: RobotService, sessionId: string, state: InterviewState, isFirst = false): Promise<AskResult & { interview: ChatInterview }> {
  let result;
  try {
    result = determine(state.rulesetId, { inputs: state.inputs, unknown: state.unknown });
  } catch (err) {
    // An answer outside the rule set's range (e.g. a birth year of 1800): drop it and ask again.
    if (err instanceof AppError && err.field && err.field in state.inputs) {
      delete state.inputs[err.field];
      result = determine(state.rulesetId, { inputs: state.inputs, unknown: state.unknown });
      const again = render(state.rulesetId, result);
      await robot.keyValues.set(interviewKey(sessionId), { ...state, questionId: result.question?.id ?? '' });
      return { type: 'answer' as const, answer: `${err.message}\n\n${again.text}`, candidates: [], confidence: 1, sessionId, interview: { rulesetId: state.rulesetId, status: result.status, question: result.question && { id: result.question.id, text: result.question.text, type: result.question.type, options: result.question.options } } };
    }
    throw err;
  }
  const view = render(state.rulesetId, result);
  const name = listRuleSets('zh').find((r) => r.id === state.rulesetId)!.name;
  if (view.done) await robot.keyValues.delete(interviewKey(sessionId));
  else await robot.keyValues.set(interviewKey(sessionId), { ...state, questionId: result.question!.id });
  ctx.log.debug({ sessionId, rulesetId: state.rulesetId, status: result.status }, 'chat interview step');
  const intro = isFirst ? `我可以帮您测算“${name}”，需要问您几个问题。\n\n` : '';
  return {
    type: 'answer' as const,
    answer: intro + view.text,
    candidates: [],
    confidence: 1,
    sessionId,
    interview: {
      rulesetId: state.rulesetId,
      status: result.status,
      question: result.question && { id: result.question.id, text: result.question.text, type: result.question.type, options: result.question.options },
      outputs: view.done ? result.outputs : undefined,
    },
  };
}
