import { maskPhone } from '../../../../common/masking';
import type { ChannelFunnel, ChannelLimits, InboundResult } from '../../conversations/channel-adapter';
import type { MessageRecord } from '../../conversations/model';
import { conflict, notFound } from '../../platform/errors';
import { ivrStep, type IvrInput, type IvrIo, type QueueStatus } from './ivr-menu';
import { loadIvrTree } from './manage-ivr';
import { phoneRepo, type CallRecord } from './repo';
import { requestCallback } from './request-callback';
import type { CallAction, CallEvent } from './schema';
import type { SpeechService } from './speech';

/** The IVR's id space of callers: one line namespace for the whole hotline. */
export const PHONE_NAMESPACE = 'ivr';

/** What the phone channel's use cases need: the funnel, speech, and the line's limits. */
export interface PhoneDeps {
  funnel: ChannelFunnel;
  speech: SpeechService;
  limits: ChannelLimits;
}

/** Digits only, without +86/0086 before a mobile: the form a caller's number is compared in. */
export function callerDigits(from: string | undefined): string | null {
  const digits = (from ?? '').replace(/\D/g, '').replace(/^(0086|86)(?=1\d{10}$)/, '');
  return digits.length >= 5 ? digits : null;
}

/** The caller's id on the phone channel: a keyed hash of the number (never the number), or the call for withheld numbers. */
function callerExternalId(deps: PhoneDeps, call: CallRecord, phone: string | null): string {
  return phone ? deps.funnel.ctx.secrets.lookupHash(phone) : `withheld:${call.callId}`;
}

/**
 * A robot or system reply as a voice says it: plain text without links, the robot's numbered
 * choices turned into keys, and cut at a sentence end so a caller is not read a page.
 */
export function forSpeech(text: string, maxChars = 220): string {
  let t = text
    .replace(/（回复序号即可查看）/g, '请按对应的数字键选择。')
    .replace(/(完整内容|详细测算)：\S*/g, '')
    .replace(/https?:\/\/\S+/g, '')
    .replace(/^\s*(\d)\.\s*/gm, '按$1，')
    .replace(/^\s*[-•]\s+/gm, '')
    .replace(/[*_`#>|]/g, '')
    .replace(/\s*\n+\s*/g, '\n')
    .trim();
  t = t.replace(/\n/g, (_, offset: number) => (/[。！？；，：]$/.test(t.slice(0, offset)) ? '' : '。'));
  if ([...t].length <= maxChars) return t;
  const cut = [...t].slice(0, maxChars).join('');
  const end = Math.max(cut.lastIndexOf('。'), cut.lastIndexOf('；'), cut.lastIndexOf('！'), cut.lastIndexOf('？'));
  return `${end > maxChars / 3 ? cut.slice(0, end + 1) : `${cut}…`}详细内容可在12333网站查看。`;
}

/**
 * One event of a call from the telephony bridge → what the line does next. The call's place in the
 * IVR is kept in the database (any instance may answer the next event); an event the bridge sends
 * again with the same number gets the same answer and stores nothing twice.
 */
export async function handleCallEvent(deps: PhoneDeps, callId: string, event: CallEvent): Promise<CallAction[]> {
  const { funnel, speech } = deps;
  const repo = phoneRepo(funnel.ctx.db);
  let call = await repo.call(callId);
  if (!call) {
    if (event.event !== 'start') throw notFound('通话', 'call_not_found');
    const { version, tree } = await loadIvrTree(funnel.ctx);
    const phone = callerDigits(event.from);
    await repo.insertCall({
      callId,
      callerMasked: phone ? maskPhone(phone) : null,
      callerSealed: phone ? funnel.ctx.secrets.seal(phone) : null,
      dialled: event.to ?? null,
      hasBridgeAsr: event.asr === true,
      state: { mode: 'menu', nodeId: tree.rootId, path: [], misses: 0 },
      treeVersion: version,
    });
    call = (await repo.call(callId))!;
  }
  const seq = event.seq ?? (event.event === 'start' ? 1 : call.lastSeq + 1);
  if (!(await repo.claimEvent(callId, seq, event.event))) {
    const earlier = await repo.eventResponse(callId, seq);
    if (!earlier) throw conflict('event_in_progress', { zh: '该事件正在处理', en: 'this event is being answered' });
    return earlier;
  }

  try {
    return await answerEvent(deps, call, seq, event);
  } catch (err) {
    // messages already stored carry this event's ids, so the retry stores nothing twice
    await repo.releaseEvent(callId, seq);
    throw err;
  }
}

/** The IVR's step for one claimed event, with the live world around it; the state and the answer are stored. */
async function answerEvent(deps: PhoneDeps, call: CallRecord, seq: number, event: CallEvent): Promise<CallAction[]> {
  const { funnel, speech } = deps;
  const repo = phoneRepo(funnel.ctx.db);
  const { callId } = call;
  const { tree } = await loadIvrTree(funnel.ctx, call.treeVersion);
  const phone = call.callerSealed ? funnel.ctx.secrets.open(call.callerSealed) : null;
  const externalId = callerExternalId(deps, call, phone);
  let conversationId = call.conversationId;
  let records = 0;

  /** A message from the caller into their conversation (created with the first one). */
  const receive = async (text: string, options: { pick?: { entryId: string }; isNavigation?: boolean } = {}): Promise<InboundResult> => {
    const result = await funnel.receive({
      channel: 'phone',
      namespace: PHONE_NAMESPACE,
      externalId,
      ...(phone ? { phone } : {}),
      messageId: `${callId}:${seq}${records++ ? `:${records}` : ''}`,
      text,
      ...options,
    });
    if (result.conversation.id !== conversationId) {
      conversationId = result.conversation.id;
      await repo.setConversation(callId, conversationId);
    }
    return result;
  };
  const spoken = (replies: MessageRecord[]) => replies.map((m) => forSpeech(funnel.render(m, deps.limits))).filter(Boolean).join('');
  const current = async () => {
    const open = await funnel.openConversationOf('phone', PHONE_NAMESPACE, externalId);
    return open && open.id === conversationId ? open : undefined;
  };
  const waiting = async (): Promise<QueueStatus> => {
    const conversation = await current();
    if (!conversation) return { status: 'ended' };
    if (conversation.status === 'assigned' && conversation.assigneeId) {
      const extension = await repo.extensionOf(conversation.assigneeId);
      return { status: 'assigned', agentId: conversation.assigneeId, agentName: await funnel.staffName(conversation.assigneeId), ...(extension ? { extension } : {}) };
    }
    if (conversation.status === 'queued' && conversation.isLeftMessage) return { status: 'closed_hours' };
    const handed = await funnel.handOff(conversation.id, 'ivr', conversation.skill ?? undefined);
    if (handed.status === 'assigned') return waiting();
    if (!handed.queue) return handed.status === 'queued' ? { status: 'closed_hours' } : { status: 'ended' };
    return { status: 'queued', conversationId: conversation.id, skill: conversation.skill, position: handed.queue.position, estimatedWaitSeconds: handed.queue.estimatedWaitSeconds };
  };

  const settings = await repo.settings();
  const io: IvrIo = {
    canListen: speech.canRecognize || call.hasBridgeAsr,
    callbackThresholdSeconds: settings.callbackThresholdSeconds,
    hours: () => funnel.serviceHours(),
    record: async (text) => void (await receive(text, { isNavigation: true })),
    async readEntry(entryId) {
      if (!funnel.knowledgeEntry(entryId)) return null;
      const { replies } = await receive('', { pick: { entryId } });
      return spoken(replies.filter((m) => m.sender === 'robot')) || null;
    },
    async ask(text) {
      const { replies, conversation } = await receive(text);
      const last = replies.filter((m) => m.sender === 'robot').at(-1);
      return { say: spoken(replies), choices: Math.min(9, last?.payload.options?.length ?? 0), isWithPeople: conversation.status !== 'bot' };
    },
    async handOff(skill) {
      if (!conversationId) await receive('来电请求人工服务', { isNavigation: true });
      const conversation = await current();
      if (!conversation) return { status: 'ended' };
      const handed = await funnel.handOff(conversation.id, 'ivr', skill ?? undefined);
      if (handed.status === 'queued' && !handed.queue) return { status: 'closed_hours' };
      return waiting();
    },
    waiting,
    async requestCallback(window) {
      if (!call.callerSealed) return null;
      const conversation = conversationId ? await current() : undefined;
      const ticket = await requestCallback(funnel.ctx, { callId, phoneSealed: call.callerSealed, phoneMasked: call.callerMasked!, window, conversationId, contactId: conversation?.contactId ?? null });
      return { phoneMasked: ticket.phoneMasked, when: ticket.when };
    },
    async end() {
      const conversation = conversationId ? await current() : undefined;
      // an agent who took the call closes the conversation with its category and summary
      if (conversation && conversation.status !== 'assigned') await funnel.close(conversation.id, 'hangup');
    },
  };

  const input: IvrInput =
    event.event === 'dtmf'
      ? { kind: 'dtmf', digits: event.digits ?? '' }
      : event.event === 'speech'
        ? { kind: 'speech', text: event.text || (event.recordingUrl && speech.canRecognize ? await speech.recognize(event.recordingUrl) : null) }
        : { kind: event.event };
  const effective: IvrInput = input.kind === 'dtmf' && !input.digits ? { kind: 'timeout' } : input;
  const { state, actions } = await ivrStep(tree, call.state, effective, io);
  const voiced = await Promise.all(
    actions.map(async (a) => {
      if (!('say' in a)) return a;
      const audioUrl = await speech.synthesize(a.say);
      return audioUrl ? { ...a, audioUrl } : a;
    }),
  );
  await repo.saveCallState(callId, state, Math.max(seq, call.lastSeq));
  await repo.saveEventResponse(callId, seq, voiced);
  return voiced;
}
