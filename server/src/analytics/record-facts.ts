import { nowIso } from '../platform/ids';
import { chinaHour, secondsBetween } from './china-time';
import { maskPersonalData } from '../../../common/masking';
import { bucketId, isHardDecision, type AnalyticsRepo, type AnswerRow, type BucketKey, type ConversationSource, type FactsRow, type HardQuestionRow } from './repo';

const DAY_MS = 24 * 3600_000;
const AGENT_EVENTS = new Set(['assign', 'accept', 'take_over']);

/** The entries whose category a conversation's facts need (the robot's answers). */
export const entriesOf = (source: ConversationSource) => [...new Set(source.robotMessages.map((m) => m.entryId).filter((e): e is string => Boolean(e)))];

/**
 * A conversation's facts from its stored state: every time comes from the records (events and
 * the conversation row), never from the clock at the moment this runs, so backdated traffic lands
 * in its own hours. `isRepeated` is kept from before: it depends on the contact's other conversations.
 */
export function computeFacts(source: ConversationSource, entryCategory: Map<string, string>, isRepeated = false): FactsRow {
  const c = source.conversation;
  const first = (types: string[]) => source.events.find((e) => types.includes(e.type));
  const handoff = first(['handoff', 'left_message']);
  const queued = first(['handoff']);
  const accepted = source.events.find((e) => AGENT_EVENTS.has(e.type));
  const lastAgent = [...source.events].reverse().find((e) => AGENT_EVENTS.has(e.type) || e.type === 'transfer');
  const isClosed = c.status === 'resolved' && Boolean(c.closed_at);
  const queuedAt: string | null = queued?.createdAt ?? (c.queued_at && !c.is_left_message ? c.queued_at : null);
  const acceptedAt: string | null = accepted?.createdAt ?? c.assigned_at ?? null;
  const isHandedOff = Boolean(handoff) || Boolean(c.handoff_reason);
  const hadAgent = Boolean(acceptedAt) || Boolean(c.first_agent_reply_at);
  const agent = (c.assignee_id as string | null) ?? ((lastAgent?.payload.agentId as string | undefined) || (lastAgent?.payload.toAgent as string | undefined)) ?? '';
  // the category an agent closed with, else the one of the robot's last answer from the knowledge
  let category: string = c.category ?? '';
  if (!category) {
    for (const m of [...source.robotMessages].reverse()) {
      const cat = m.entryId ? entryCategory.get(m.entryId) : undefined;
      if (cat) {
        category = cat;
        break;
      }
    }
  }
  const robotAnswers = source.robotMessages.filter((m) => m.payload?.decision === 'answer' || (m.payload?.decision === undefined && m.entryId)).length;
  const robotQuestions = source.robotMessages.filter((m) => ['answer', 'clarify', 'handoff', 'fallback'].includes(m.payload?.decision)).length;
  const calculatorRuns = source.robotMessages.filter((m) => m.payload?.interview && ['complete', 'conditional'].includes(m.payload.interview.status)).length;
  const firstReplyAt: string | null = c.first_agent_reply_at ?? null;
  const closedAt: string | null = isClosed ? c.closed_at : null;
  const rating = c.rating === null || c.rating === undefined ? null : Number(c.rating);
  return {
    conversation_id: c.id,
    contact_id: c.contact_id,
    channel: c.channel,
    category,
    skill: c.skill ?? '',
    agent: hadAgent ? agent : '',
    hour: chinaHour(c.created_at),
    created_at: c.created_at,
    queued_at: queuedAt,
    accepted_at: acceptedAt,
    first_reply_at: firstReplyAt,
    closed_at: closedAt,
    handoff_reason: isHandedOff ? ((handoff?.payload.reason as string | undefined) ?? c.handoff_reason ?? 'unknown') : null,
    is_closed: isClosed ? 1 : 0,
    is_handed_off: isHandedOff ? 1 : 0,
    is_queued: queuedAt ? 1 : 0,
    is_abandoned: queuedAt && isClosed && !hadAgent ? 1 : 0,
    is_robot_resolved: isClosed && !isHandedOff && !hadAgent ? 1 : 0,
    is_repeated: isRepeated ? 1 : 0,
    first_response_s: queuedAt ? secondsBetween(queuedAt, firstReplyAt) : null,
    handling_s: isClosed && acceptedAt ? secondsBetween(acceptedAt, closedAt) : null,
    rating,
    messages: source.messages,
    robot_questions: robotQuestions,
    robot_answers: robotAnswers,
    calculator_runs: calculatorRuns,
    updated_at: nowIso(),
  };
}

/** A conversation's robot answers per entry and the questions it could not serve, dated by the conversation's start. */
export function computeDetails(source: ConversationSource, facts: FactsRow): { answers: AnswerRow[]; hard: HardQuestionRow[] } {
  const day = facts.hour.slice(0, 10);
  const perEntry = new Map<string, number>();
  for (const m of source.robotMessages) {
    if (m.entryId && (m.payload?.decision === 'answer' || m.payload?.decision === undefined)) perEntry.set(m.entryId, (perEntry.get(m.entryId) ?? 0) + 1);
  }
  const answers = [...perEntry].map(([entry_id, n]) => ({ conversation_id: facts.conversation_id, entry_id, day, channel: facts.channel, answers: n }));
  const hard: HardQuestionRow[] = [];
  const seen = new Set<number>();
  for (const m of source.robotMessages) {
    const question = m.inReplyTo !== null ? source.hardQuestions.get(m.inReplyTo) : undefined;
    if (!isHardDecision(m.payload?.decision) || !question || seen.has(m.inReplyTo!)) continue;
    seen.add(m.inReplyTo!);
    hard.push({ conversation_id: facts.conversation_id, seq: m.inReplyTo!, day, channel: facts.channel, reason: m.payload.decision === 'handoff' ? 'handoff' : 'unanswered', question: maskPersonalData(question).slice(0, 500), entry_id: m.entryId, category: facts.category });
  }
  return { answers, hard };
}

const keyOf = (f: Pick<FactsRow, 'hour' | 'channel' | 'category' | 'skill' | 'agent'>): BucketKey => ({ hour: f.hour, channel: f.channel, category: f.category, skill: f.skill, agent: f.agent });

/**
 * Marks which of these conversations (one contact's) were followed by another about the same
 * category within 24 hours. Returns the ones whose flag changed.
 */
export function repeatedFlags(facts: Pick<FactsRow, 'conversation_id' | 'category' | 'created_at' | 'is_repeated'>[]): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const f of facts) {
    const t = Date.parse(f.created_at);
    const repeated = Boolean(f.category) && facts.some((g) => g !== f && g.category === f.category && Date.parse(g.created_at) > t && Date.parse(g.created_at) - t <= DAY_MS);
    if (repeated !== Boolean(f.is_repeated)) out.set(f.conversation_id, repeated);
  }
  return out;
}

/**
 * Brings one conversation's facts and the rollups they count in up to date with its stored state.
 * Idempotent: a redelivered event recomputes the same facts and the same buckets.
 */
export async function recordConversationFacts(repo: AnalyticsRepo, conversationId: string) {
  const source = await repo.conversationSource(conversationId);
  if (!source) return;
  const before = await repo.facts(conversationId);
  const facts = computeFacts(source, await repo.entryCategories(entriesOf(source)), Boolean(before?.is_repeated));
  const touched = new Map<string, BucketKey>();
  if (before) touched.set(bucketId(keyOf(before)), keyOf(before));
  touched.set(bucketId(keyOf(facts)), keyOf(facts));
  await repo.upsertFacts(facts);
  // the contact's conversations a day either side: the first-contact resolution of each may change
  const t = Date.parse(facts.created_at);
  const around = await repo.contactFacts(facts.contact_id, new Date(t - DAY_MS).toISOString(), new Date(t + DAY_MS).toISOString());
  const byId = new Map(around.map((f) => [f.conversation_id, f]));
  for (const [id, isRepeated] of repeatedFlags(around)) {
    // only the conversations up to this one see all their next 24 hours in `around`
    if (byId.get(id)!.created_at > facts.created_at) continue;
    await repo.setRepeated(id, isRepeated);
    const f = byId.get(id)!;
    touched.set(bucketId(keyOf(f)), keyOf(f));
  }
  for (const key of touched.values()) await repo.refreshBucket(key);
  const details = computeDetails(source, facts);
  const answerBuckets = new Map((await repo.replaceDetails(conversationId, details.answers, details.hard)).map((b) => [`${b.day}|${b.channel}|${b.entry_id}`, b]));
  for (const b of answerBuckets.values()) await repo.refreshAnswerBucket(b);
}

/** Runs work one piece at a time, in order: two events of one conversation must not race their writes. */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;
  /** keys queued and not started yet: another push of one of them adds nothing */
  private readonly waiting = new Set<string>();

  /**
   * Runs `work` after everything pushed before it. With a key, a push while the same key still waits
   * is dropped: the waiting run recomputes from what is stored by then, so a burst of events of one
   * conversation (every message of a chat) costs one recomputation, not one per event.
   */
  push(work: () => Promise<void>, onError: (err: unknown) => void, key?: string) {
    if (key !== undefined) {
      if (this.waiting.has(key)) return;
      this.waiting.add(key);
    }
    this.pending++;
    const run = async () => {
      if (key !== undefined) this.waiting.delete(key);
      await work();
    };
    this.tail = this.tail.then(run).catch(onError).finally(() => {
      this.pending--;
    });
  }

  /** Resolves once everything pushed so far is done. */
  async idle() {
    while (this.pending > 0) await this.tail;
  }
}
