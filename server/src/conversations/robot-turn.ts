import { maskPersonalData } from '../../../common/masking';
import type { Interview } from '../../../common/conversations';
import { actorLabel, type Actor } from '../identity/permissions';
import { AppError } from '../platform/errors';
import { newId } from '../platform/ids';
import { isHan, normalizeText } from '../text/normalize-text';
import { calculatorOfEntry, prefillFor } from './calculator-offers';
import { extractCitizenFacts, mergeFacts, type CitizenFacts } from './citizen-facts';
import type { DeterminationView, PersonalRecordsPort, RobotAnswer, RobotPort, RulesPort, StatePort, TurnResult } from './ports';
import { ACCEPT_OFFER, CANCEL, CORRECT, DONT_KNOW, explicitCalculation, parseAnswer, personalCalculation, RESUME } from './read-answer';

/**
 * The robot as first responder of a conversation: one citizen message in, one reply out.
 *
 * Calculators are offered, not imposed. A question the knowledge base answers gets the robot's
 * answer; when a calculator fits (the question is about the citizen's own case, or the entry is
 * linked to one in calculator-offers.ts) the reply carries `calculatorOffer`. The interview starts
 * only when the citizen takes the offer (the button's `startCalculation`, "好的", "算一算", "1") or
 * asks for a computation in so many words ("帮我算一下我什么时候退休"). What the citizen already said
 * in the conversation (性别, 出生年月, 缴费年限 …) is filled in and stated, not asked again; "更正"
 * asks it after all. Inside an interview a reply that is not an answer leaves it: 转人工 and anger go
 * to a person, a new question is answered and the interview waits ("继续测算" resumes it), 退出 ends
 * it. Every turn is logged for the console, interview turns as `ruleset:<id>`. The state is keyed by
 * the conversation id (or the robot session id of the plain robot API) and kept server-side.
 */
export interface RobotTurnPorts {
  robot: RobotPort;
  rules: RulesPort;
  state: StatePort;
  /** the citizen's own record (personal services); absent where there are none */
  personal?: PersonalRecordsPort;
}

interface InterviewState {
  rulesetId: string;
  inputs: Record<string, unknown>;
  unknown: string[];
  questionId: string;
  /** inputs filled in from earlier messages; "更正" clears them */
  prefilled?: string[];
  /** the citizen asked something else meanwhile; "继续测算" resumes */
  isSuspended?: boolean;
}

/** What the flow remembers of one conversation between turns. */
interface TurnState {
  facts: CitizenFacts;
  /** the calculator the last reply offered: "好的" takes it */
  offer?: { rulesetId: string; hasOptions: boolean };
  interview?: InterviewState;
  /** a result computed from filled-in values alone: "更正" asks them after all */
  lastPrefilled?: string;
}

const stateKey = (sessionId: string) => `calculators:${sessionId}`;
const SUSPENDED_NOTE = '（测算已暂停，回复“继续测算”可接着算）';

/** One turn. `sessionId` is the conversation id; a new one is made for a first robot-API question. */
export async function robotTurn(
  ports: RobotTurnPorts,
  actor: Actor,
  asked: { question: string; sessionId?: string; channel?: string; /** the offer's button or a menu choice that starts this calculator */ startCalculation?: string },
): Promise<TurnResult> {
  // ID and phone numbers never reach the session state, the interview state or the turn log
  const input = { question: maskPersonalData(asked.question), sessionId: asked.sessionId, channel: asked.channel };
  const stored = input.sessionId ? ((await ports.state.get(stateKey(input.sessionId))) as TurnState | undefined) : undefined;
  const state: TurnState = { facts: mergeFacts(stored?.facts ?? {}, extractCitizenFacts(input.question)), interview: stored?.interview, lastPrefilled: stored?.lastPrefilled };
  const result = await decide(ports, actor, { ...input, startCalculation: asked.startCalculation }, state, stored?.offer);
  if (stored || state.interview || state.offer || state.lastPrefilled || Object.keys(state.facts).length) await ports.state.set(stateKey(result.sessionId), state);
  return result;
}

async function decide(ports: RobotTurnPorts, actor: Actor, input: { question: string; sessionId?: string; channel?: string; startCalculation?: string }, state: TurnState, lastOffer: TurnState['offer']): Promise<TurnResult> {
  const { robot } = ports;
  const asked = { question: input.question, sessionId: input.sessionId, channel: input.channel };
  const text = input.question.trim();
  const compact = normalizeText(text).compact;
  // a session id for the turns this flow answers itself; the robot makes its own for a first question
  const turn: Turn = { ports, actor, input: { ...asked, sessionId: input.sessionId ?? newId() }, state };
  const { sessionId } = turn.input;

  const known = (id: string | undefined) => (id && ports.rules.listRuleSets().some((r) => r.id === id) ? id : undefined);
  const chosen = known(input.startCalculation);
  const running = state.interview && !state.interview.isSuspended ? state.interview : undefined;
  // an earlier offer's button pressed mid-interview: that calculator, or the current question again
  if (running && chosen === running.rulesetId) {
    await logInterviewTurn(turn, chosen);
    return step(turn, running);
  }
  if (running && !chosen) return insideInterview(turn, running, text, compact);

  const suspended = state.interview?.isSuspended ? state.interview : undefined;
  if (suspended && RESUME.test(compact)) {
    suspended.isSuspended = false;
    await logInterviewTurn(turn, suspended.rulesetId);
    return step(turn, suspended, { intro: '好的，我们接着测算。\n\n' });
  }
  if (suspended && CANCEL.test(compact)) {
    state.interview = undefined;
    await logInterviewTurn(turn, suspended.rulesetId);
    return reply(sessionId, '好的，已结束测算。还有什么可以帮您？', { rulesetId: suspended.rulesetId, status: 'cancelled' });
  }
  if (state.lastPrefilled && !suspended && /^(更正|不对)/.test(compact)) {
    // the result came straight from values filled in: ask them after all
    const rulesetId = state.lastPrefilled;
    await logInterviewTurn(turn, rulesetId);
    return startInterview(turn, rulesetId, { withFacts: false });
  }

  const accepted = lastOffer && ACCEPT_OFFER.test(compact) && !(compact === '1' && lastOffer.hasOptions) ? lastOffer.rulesetId : undefined;
  const start = chosen ?? accepted ?? explicitCalculation(text);
  if (start) {
    // asking again for the calculator that waits picks it up where it stopped
    if (suspended && suspended.rulesetId === start) {
      suspended.isSuspended = false;
      await logInterviewTurn(turn, start);
      return step(turn, suspended, { intro: '好的，我们接着测算。\n\n' });
    }
    await logInterviewTurn(turn, start);
    return startInterview(turn, start);
  }

  state.lastPrefilled = undefined;
  // "我交了几年社保": the citizen's own record answers, not the knowledge base (which explains the rules)
  const personal = await ports.personal?.answer(actor, text);
  if (personal) {
    await robot.logTurn(actor, turn.input, { decision: 'answer', sessionId, entryId: null, topEntryId: `personal:${personal.kind}${personal.needsSignIn ? ':sign-in' : ''}`, confidence: 1, handoffReason: null });
    return reply(sessionId, personal.text);
  }
  const answer = await robot.ask(actor, asked);
  return withOffer(turn, answer, text);
}

interface Turn {
  ports: RobotTurnPorts;
  actor: Actor;
  input: { question: string; sessionId: string; channel?: string };
  state: TurnState;
}

const reply = (sessionId: string, answer: string, interview?: Interview): TurnResult => ({ type: 'answer', answer, candidates: [], confidence: 1, sessionId, ...(interview ? { interview } : {}) });

const logInterviewTurn = (turn: Turn, rulesetId: string) =>
  turn.ports.robot.logTurn(turn.actor, turn.input, { decision: 'answer', sessionId: turn.input.sessionId, entryId: null, topEntryId: `ruleset:${rulesetId}`, confidence: 1, handoffReason: null });

/** The robot's reply, with the calculator that fits it offered (remembered, so "好的" takes it). */
function withOffer(turn: Turn, answer: RobotAnswer, text: string): TurnResult {
  const rulesetId = answer.type === 'handoff' ? undefined : (personalCalculation(text) ?? (answer.type === 'answer' ? calculatorOfEntry(answer.entryId) : undefined));
  const summary = rulesetId ? turn.ports.rules.listRuleSets().find((r) => r.id === rulesetId) : undefined;
  if (!summary) {
    turn.state.offer = undefined;
    return answer;
  }
  turn.state.offer = { rulesetId: summary.id, hasOptions: answer.type === 'clarify' && answer.candidates.length > 0 };
  return { ...answer, calculatorOffer: { rulesetId: summary.id, name: summary.name } };
}

/** A turn while an interview runs: an answer moves it on; anything else leaves it, as the citizen means. */
async function insideInterview(turn: Turn, running: InterviewState, text: string, compact: string): Promise<TurnResult> {
  const { ports, actor, input, state } = turn;
  const sessionId = input.sessionId;
  if (CANCEL.test(compact)) {
    state.interview = undefined;
    await logInterviewTurn(turn, running.rulesetId);
    return reply(sessionId, '好的，已结束测算。还有什么可以帮您？', { rulesetId: running.rulesetId, status: 'cancelled' });
  }
  if (ports.robot.wantsHuman(text)) {
    // a person is asked for: the interview ends here and the robot hands the conversation on
    state.interview = undefined;
    return ports.robot.ask(actor, input);
  }
  const current = await ports.rules.determine(running.rulesetId, { inputs: running.inputs, unknown: running.unknown, explain: false });
  const question = current.question;
  const isCorrection = running.prefilled?.length && (/^更正/.test(compact) || (CORRECT.test(compact) && question?.type !== 'boolean'));
  if (isCorrection) {
    for (const id of running.prefilled!) delete running.inputs[id];
    running.prefilled = [];
    await logInterviewTurn(turn, running.rulesetId);
    return step(turn, running, { intro: '好的，前面自动填入的信息已清除，请重新回答。\n\n' });
  }
  if (question && question.id === running.questionId) {
    if (DONT_KNOW.test(compact)) running.unknown.push(question.id);
    else {
      const value = parseAnswer(question, text);
      if (value === undefined) return notAnAnswer(turn, running, current, text);
      running.inputs[question.id] = value;
    }
  }
  await logInterviewTurn(turn, running.rulesetId);
  return step(turn, running);
}

/** A question looks like one: enough words, or a question word or mark. */
const looksLikeQuestion = (text: string) =>
  [...text].filter(isHan).length >= 6 || /[?？吗呢么]$|怎么|怎样|如何|什么|哪里|哪儿|多少|能不能|可不可以|是否|为什么|咋/.test(text);
/** Too little to be a question or a complaint ("嗯嗯嗯", "啊", "ok"): the question is asked again. */
const isFiller = (text: string) => [...text].filter(isHan).length < 2 || /^[嗯啊哦呃额噢唔哈好是对行恩的了吧呀…。.，,！!~～\s]+$/.test(text);

/**
 * A reply the interview cannot read. A complaint (the robot hands off on anger) or a new question the
 * robot can answer leaves the interview waiting; anything else is asked again.
 */
async function notAnAnswer(turn: Turn, running: InterviewState, current: DeterminationView, text: string): Promise<TurnResult> {
  const { ports, actor, input, state } = turn;
  const again = () => {
    const view = render(ports, running.rulesetId, current);
    return reply(input.sessionId, `抱歉，没能看懂您的回答。${view.text}`, { rulesetId: running.rulesetId, status: 'need_input', question: questionView(current.question!) });
  };
  if (isFiller(text)) {
    await logInterviewTurn(turn, running.rulesetId);
    return again();
  }
  const answer = await ports.robot.ask(actor, input);
  if (answer.type === 'handoff') {
    state.interview = undefined;
    return answer;
  }
  // a clarify prompt on a few words may only be the robot guessing from the conversation's topic
  if (answer.type === 'answer' || looksLikeQuestion(text)) {
    running.isSuspended = true;
    const offered = withOffer(turn, answer, text);
    // the calculator that waits is resumed with 继续测算, not offered a second time
    if (offered.calculatorOffer?.rulesetId === running.rulesetId) {
      delete offered.calculatorOffer;
      state.offer = undefined;
    }
    return { ...offered, answer: `${offered.answer ?? ''}\n\n${SUSPENDED_NOTE}`.trim() };
  }
  // the robot logged this turn (as not understood); the interview asks its question again
  return again();
}

/** A new interview, with what the citizen already said filled in and stated. */
async function startInterview(turn: Turn, rulesetId: string, opts = { withFacts: true }): Promise<TurnResult> {
  // the citizen's own record (when signed in) first; what they said in this conversation wins over it
  const recordFacts = opts.withFacts ? await turn.ports.personal?.factsOf(turn.actor) : undefined;
  const prefilled = opts.withFacts ? prefillFor(rulesetId, mergeFacts(recordFacts ?? {}, turn.state.facts)) : [];
  const interview: InterviewState = { rulesetId, inputs: Object.fromEntries(prefilled.map((p) => [p.inputId, p.value])), unknown: [], questionId: '', prefilled: prefilled.map((p) => p.inputId) };
  turn.state.offer = undefined;
  const name = turn.ports.rules.listRuleSets().find((r) => r.id === rulesetId)!.name;
  return step(turn, interview, { intro: `我可以帮您测算“${name}”，需要问您几个问题。\n\n`, prefilled });
}

const questionView = (q: NonNullable<DeterminationView['question']>) => ({ id: q.id, text: q.text, type: q.type, options: q.options });

function render(ports: RobotTurnPorts, rulesetId: string, result: DeterminationView) {
  const summary = ports.rules.listRuleSets().find((r) => r.id === rulesetId)!;
  if (result.status === 'need_input' && result.question) {
    const q = result.question;
    const options = q.options?.length ? `\n\n${q.options.map((o, i) => `${i + 1}. ${o.label}`).join('\n')}` : '';
    return { text: `${q.text}${options}\n\n（可回答“不知道”，或回复“退出”结束测算、“转人工”联系人工客服）`, done: false };
  }
  const lines = summary.outputs
    .filter((o) => result.outputs[o.id] !== null && result.outputs[o.id] !== undefined && !Array.isArray(result.outputs[o.id]))
    .map((o) => `- ${o.label}：${typeof result.outputs[o.id] === 'boolean' ? (result.outputs[o.id] ? '是' : '否') : result.outputs[o.id]}${o.unit ? ` ${o.unit}` : ''}`);
  const why = (result.explanation ?? []).map((e) => e.why).filter(Boolean);
  const hints = (result.suggestions ?? []).map((s) => `- ${s.text}`);
  const conditional = result.status === 'conditional' ? '\n\n因部分信息“不知道”，以上结果有条件成立，请向参保地社保经办机构核实。' : '';
  return {
    text: `${result.headline ? `**${result.headline}**\n\n` : ''}**${summary.name}测算结果**（示例市演示参数，仅供参考）\n\n${lines.join('\n')}\n\n**为什么**\n\n${why.map((w) => `- ${w}`).join('\n')}${hints.length ? `\n\n**怎样才能符合条件**\n\n${hints.join('\n')}` : ''}${conditional}${result.notes?.length ? `\n\n${result.notes.join('\n')}` : ''}`,
    done: true,
  };
}

/** The interview's next question or its result; the state is updated on `turn.state`. */
async function step(turn: Turn, interview: InterviewState, opts: { intro?: string; prefilled?: { inputId: string; said: string }[] } = {}): Promise<TurnResult> {
  const { ports, state } = turn;
  const sessionId = turn.input.sessionId;
  const record = { actorLabel: actorLabel(turn.actor) };
  const determine = () => ports.rules.determine(interview.rulesetId, { inputs: interview.inputs, unknown: interview.unknown }, record);
  let prefilled = opts.prefilled ?? [];
  let result: DeterminationView;
  try {
    try {
      result = await determine();
    } catch (err) {
      // a value filled in from the conversation that the rule set refuses is simply asked
      if (!(err instanceof AppError && err.field && interview.prefilled?.includes(err.field))) throw err;
      delete interview.inputs[err.field];
      interview.prefilled = interview.prefilled.filter((id) => id !== err.field);
      prefilled = prefilled.filter((p) => p.inputId !== err.field);
      result = await determine();
    }
  } catch (err) {
    // An answer outside the rule set's range (e.g. a birth year of 1800): drop it and ask again.
    if (err instanceof AppError && err.field && err.field in interview.inputs) {
      delete interview.inputs[err.field];
      result = await ports.rules.determine(interview.rulesetId, { inputs: interview.inputs, unknown: interview.unknown }, record);
      const again = render(ports, interview.rulesetId, result);
      state.interview = { ...interview, questionId: result.question?.id ?? '' };
      return reply(sessionId, `${err.message}\n\n${again.text}`, { rulesetId: interview.rulesetId, status: result.status, question: result.question && questionView(result.question) });
    }
    if (err instanceof AppError) {
      // the calculator cannot run now (e.g. a parameter in force is unusable): say so, do not fail the chat
      state.interview = undefined;
      return reply(sessionId, `抱歉，这项测算暂时无法完成（${err.message}）。您可以稍后再试，或回复“转人工”联系人工客服。`, { rulesetId: interview.rulesetId, status: 'cancelled' });
    }
    throw err;
  }
  const view = render(ports, interview.rulesetId, result);
  state.interview = view.done ? undefined : { ...interview, questionId: result.question!.id };
  state.lastPrefilled = view.done && interview.prefilled?.length ? interview.rulesetId : undefined;
  const stated = prefilled.length ? `根据您前面提到的：${prefilled.map((p) => p.said).join('、')}。如有不对请回复“更正”。\n\n` : '';
  return reply(sessionId, (opts.intro ?? '') + stated + view.text, {
    rulesetId: interview.rulesetId,
    status: result.status,
    question: result.question && questionView(result.question),
    outputs: view.done ? result.outputs : undefined,
  });
}
