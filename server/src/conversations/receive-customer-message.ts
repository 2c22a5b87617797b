import { maskPersonalData } from '../../../common/masking';
import { EVENTS } from '../../../common/events';
import type { Actor } from '../identity/permissions';
import { isUniqueViolation } from '../platform/database';
import { conflict } from '../platform/errors';
import { inTransaction, messageCreated, repoOf, type ConversationDeps } from './deps';
import { handOff } from './hand-off-conversation';
import type { ConversationRecord, MessageAttachment, MessageRecord, NewMessage } from './model';
import { robotTurn } from './robot-turn';

export interface ReceivedMessage {
  message: MessageRecord;
  /** the robot's (and the system's) answers to it */
  replies: MessageRecord[];
  /** true when the idempotency id had been seen: nothing new was stored */
  isDuplicate: boolean;
}

/**
 * A citizen's message, on any channel. It is stored (with the next sequence number) before anything
 * else happens, so an acknowledged message is never lost; a resent `clientMessageId` returns the
 * original and its replies instead of storing it twice. While the robot is the responder it answers
 * here, and may hand the conversation to a person; in the queue or with an agent the message waits
 * for the agent. ID and phone numbers are masked before the text is stored.
 */
export async function receiveCustomerMessage(
  deps: ConversationDeps,
  actor: Actor,
  conversation: ConversationRecord,
  input: {
    text: string;
    clientMessageId?: string;
    attachment?: MessageAttachment;
    /** a menu choice that starts this calculator */ startCalculation?: string;
    /** a step through a channel's own menu (the phone IVR's 按键 1：养老保险): kept for the agent, not a question for the robot */ isNavigation?: boolean;
  },
): Promise<ReceivedMessage> {
  const repo = repoOf(deps.ctx.db);
  if (input.clientMessageId) {
    const seen = await repo.messageByClientId(conversation.id, input.clientMessageId);
    if (seen) return resend(deps, actor, seen, input.isNavigation);
  }
  if (conversation.status === 'resolved') throw conflict('conversation_closed', { zh: '会话已结束，请开始新的会话', en: 'the conversation is closed; start a new one' });

  let message: MessageRecord;
  try {
    message = await inTransaction(deps, async (repo, emit) => {
      const stored = await repo.appendMessage(conversation.id, {
        sender: 'customer',
        text: maskPersonalData(input.text),
        format: 'text',
        clientMessageId: input.clientMessageId ?? null,
        ...(input.attachment ? { payload: { attachment: maskAttachment(input.attachment) } } : {}),
      });
      await emit(EVENTS.messageCreated, messageCreated(stored));
      return stored;
    });
  } catch (err) {
    // the same id sent twice at the same moment: the other request stored it
    const seen = input.clientMessageId && isUniqueViolation(err) ? await repo.messageByClientId(conversation.id, input.clientMessageId) : undefined;
    if (!seen) throw err;
    return resend(deps, actor, seen, input.isNavigation);
  }

  const current = (await repo.getConversation(conversation.id))!;
  const replies = current.status === 'bot' && !input.isNavigation ? await answerByRobot(deps, actor, current, message, input.startCalculation) : [];
  return { message, replies, isDuplicate: false };
}

const maskAttachment = (a: MessageAttachment): MessageAttachment => (a.recognition ? { ...a, recognition: maskPersonalData(a.recognition) } : a);

/** What the robot says to media it cannot read (a picture with no words). */
export const MEDIA_ONLY_REPLY = '已收到您发送的内容。机器人暂时看不懂图片和文件，请用文字描述您的问题；需要人工服务请回复“转人工”。';

/** A resend: the original, its replies, and — if the robot never got to answer it — the answer now. */
async function resend(deps: ConversationDeps, actor: Actor, seen: MessageRecord, isNavigation = false): Promise<ReceivedMessage> {
  const repo = repoOf(deps.ctx.db);
  let replies = await repo.repliesTo(seen.conversationId, seen.seq);
  const conversation = (await repo.getConversation(seen.conversationId))!;
  if (!replies.length && !isNavigation && conversation.status === 'bot' && conversation.lastSeq === seen.seq) {
    replies = await answerByRobot(deps, actor, conversation, seen);
  }
  return { message: seen, replies, isDuplicate: true };
}

/** The robot's turn on one citizen message, stored as replies to it; a hand-off moves the conversation on. */
async function answerByRobot(deps: ConversationDeps, actor: Actor, conversation: ConversationRecord, message: MessageRecord, startCalculation?: string): Promise<MessageRecord[]> {
  if (!message.text.trim()) {
    const stored = await inTransaction(deps, async (repo, emit) => {
      const m = await repo.appendMessage(conversation.id, { sender: 'robot', text: MEDIA_ONLY_REPLY, inReplyTo: message.seq, payload: { decision: 'fallback', confidence: 0 } });
      await emit(EVENTS.messageCreated, messageCreated(m));
      return m;
    });
    return [stored];
  }
  const turn = await robotTurn(deps.robot, actor, { question: message.text, sessionId: conversation.id, channel: conversation.channel, startCalculation });
  const reply: NewMessage = {
    sender: 'robot',
    text: turn.answer ?? '',
    inReplyTo: message.seq,
    entryId: turn.type === 'answer' ? (turn.entryId ?? null) : null,
    payload: {
      decision: turn.type,
      confidence: turn.confidence,
      ...(turn.type === 'clarify' ? { options: turn.candidates.map((c) => ({ entryId: c.entryId, question: c.question })) } : {}),
      ...(turn.interview ? { interview: turn.interview } : {}),
      ...(turn.calculatorOffer ? { calculatorOffer: turn.calculatorOffer } : {}),
    },
  };
  const stored = turn.answer
    ? await inTransaction(deps, async (repo, emit) => {
        const m = await repo.appendMessage(conversation.id, reply);
        await emit(EVENTS.messageCreated, messageCreated(m));
        return m;
      })
    : undefined;
  const replies = stored ? [stored] : [];
  if (turn.type === 'handoff') {
    const topic = turn.entryId ?? turn.candidates[0]?.entryId;
    const notice = await handOff(deps, conversation, { reason: turn.handoffReason ?? 'robot', entryId: topic, inReplyTo: message.seq, by: 'robot' });
    if (notice) replies.push(notice);
  }
  return replies;
}
