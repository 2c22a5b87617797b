import { maskPersonalData } from '../../../common/masking';
import type { Interview } from '../../../common/conversations';
import { actorLabel, type Actor } from '../identity/permissions';
import { AppError } from '../platform/errors';
import { newId } from '../platform/ids';
import { normalizeText } from '../text/normalize-text';
import type { DeterminationView, RobotPort, RulesPort, StatePort, TurnResult } from './ports';
import { calculationIntent, CANCEL, DONT_KNOW, parseAnswer } from './read-answer';

/**
 * The robot as first responder of a conversation: one citizen message in, one reply out. A message
 * that asks for a personal computation (我什么时候能退休, 我能领多少养老金 …) starts that rule set's
 * interview; while it runs, each message answers the current question until there is a result with
 * its plain "why". 退出/算了 leaves the interview, and 转人工 leaves it for a person. Everything else
 * goes to the robot. The state is keyed by the conversation id (or the robot session id of the
 * plain robot API) and kept server-side.
 */
export interface RobotTurnPorts {
  robot: RobotPort;
  rules: RulesPort;
  state: StatePort;
}

interface InterviewState {
  rulesetId: string;
  inputs: Record<string, unknown>;
  unknown: string[];
  questionId: string;
}

const interviewKey = (sessionId: string) => `interview:${sessionId}`;

/** One turn. `sessionId` is the conversation id; a new one is made for a first robot-API question. */
export async function robotTurn(
  ports: RobotTurnPorts,
  actor: Actor,
  asked: { question: string; sessionId?: string; channel?: string; /** a menu choice that starts this calculator */ startCalculation?: string },
): Promise<TurnResult> {
  // ID and phone numbers never reach the session state, the interview state or the turn log
  const input = { ...asked, question: maskPersonalData(asked.question) };
  const { robot, state } = ports;
  const running = input.sessionId ? ((await state.get(interviewKey(input.sessionId))) as InterviewState | undefined) : undefined;
  const reply = (sessionId: string, answer: string, interview: Interview): TurnResult => ({ type: 'answer', answer, candidates: [], confidence: 1, sessionId, interview });

  if (running && input.sessionId) {
    const sessionId = input.sessionId;
    const text = input.question.trim();
    const compact = normalizeText(text).compact;
    if (CANCEL.test(compact)) {
      await state.delete(interviewKey(sessionId));
      return reply(sessionId, '好的，已结束测算。还有什么可以帮您？', { rulesetId: running.rulesetId, status: 'cancelled' });
    }
    if (robot.wantsHuman(text)) {
      // a person is asked for: the interview ends here and the robot hands the conversation on
      await state.delete(interviewKey(sessionId));
      return robot.ask(actor, input);
    }
    const current = await ports.rules.determine(running.rulesetId, { inputs: running.inputs, unknown: running.unknown, explain: false });
    const question = current.question;
    if (question && question.id === running.questionId) {
      if (DONT_KNOW.test(compact)) running.unknown.push(question.id);
      else {
        const value = parseAnswer(question, text);
        if (value === undefined) {
          const again = render(ports, running.rulesetId, current);
          return reply(sessionId, `抱歉，没能看懂您的回答。${again.text}`, { rulesetId: running.rulesetId, status: 'need_input', question: questionView(question) });
        }
        running.inputs[question.id] = value;
      }
    }
    return step(ports, actor, sessionId, running);
  }

  const chosen = asked.startCalculation && ports.rules.listRuleSets().some((r) => r.id === asked.startCalculation) ? asked.startCalculation : undefined;
  const rulesetId = chosen ?? calculationIntent(input.question);
  if (rulesetId) {
    const sessionId = input.sessionId ?? newId();
    await robot.logTurn(actor, input, { decision: 'answer', sessionId, entryId: null, topEntryId: `ruleset:${rulesetId}`, confidence: 1, handoffReason: null });
    return step(ports, actor, sessionId, { rulesetId, inputs: {}, unknown: [], questionId: '' }, true);
  }
  return robot.ask(actor, input);
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
    text: `**${summary.name}测算结果**（示例市演示参数，仅供参考）\n\n${lines.join('\n')}\n\n**为什么**\n\n${why.map((w) => `- ${w}`).join('\n')}${hints.length ? `\n\n**怎样才能符合条件**\n\n${hints.join('\n')}` : ''}${conditional}${result.notes?.length ? `\n\n${result.notes.join('\n')}` : ''}`,
    done: true,
  };
}

async function step(ports: RobotTurnPorts, actor: Actor, sessionId: string, interview: InterviewState, isFirst = false): Promise<TurnResult> {
  const record = { actorLabel: actorLabel(actor) };
  let result: DeterminationView;
  try {
    result = await ports.rules.determine(interview.rulesetId, { inputs: interview.inputs, unknown: interview.unknown }, record);
  } catch (err) {
    // An answer outside the rule set's range (e.g. a birth year of 1800): drop it and ask again.
    if (err instanceof AppError && err.field && err.field in interview.inputs) {
      delete interview.inputs[err.field];
      result = await ports.rules.determine(interview.rulesetId, { inputs: interview.inputs, unknown: interview.unknown }, record);
      const again = render(ports, interview.rulesetId, result);
      await ports.state.set(interviewKey(sessionId), { ...interview, questionId: result.question?.id ?? '' });
      return {
        type: 'answer',
        answer: `${err.message}\n\n${again.text}`,
        candidates: [],
        confidence: 1,
        sessionId,
        interview: { rulesetId: interview.rulesetId, status: result.status, question: result.question && questionView(result.question) },
      };
    }
    if (err instanceof AppError) {
      // the calculator cannot run now (e.g. a parameter in force is unusable): say so, do not fail the chat
      await ports.state.delete(interviewKey(sessionId));
      return { type: 'answer', answer: `抱歉，这项测算暂时无法完成（${err.message}）。您可以稍后再试，或回复“转人工”联系人工客服。`, candidates: [], confidence: 1, sessionId, interview: { rulesetId: interview.rulesetId, status: 'cancelled' } };
    }
    throw err;
  }
  const view = render(ports, interview.rulesetId, result);
  const name = ports.rules.listRuleSets().find((r) => r.id === interview.rulesetId)!.name;
  if (view.done) await ports.state.delete(interviewKey(sessionId));
  else await ports.state.set(interviewKey(sessionId), { ...interview, questionId: result.question!.id });
  const intro = isFirst ? `我可以帮您测算“${name}”，需要问您几个问题。\n\n` : '';
  return {
    type: 'answer',
    answer: intro + view.text,
    candidates: [],
    confidence: 1,
    sessionId,
    interview: {
      rulesetId: interview.rulesetId,
      status: result.status,
      question: result.question && questionView(result.question),
      outputs: view.done ? result.outputs : undefined,
    },
  };
}
