import type { MonitorAlert } from '../../../common/analytics';
import type { EventPayloads } from '../../../common/events';
import { EVENTS } from '../../../common/events';
import { maskPersonalData } from '../../../common/masking';
import { newId } from '../platform/ids';
import { loadMonitorSettings, secondsSince, type SupervisionDeps } from './deps';
import { findAlertWords } from './lexicon';
import { supervisionRepo } from './repo';

/** Transfers of one conversation from which it counts as handed back and forth. */
export const PING_PONG_TRANSFERS = 3;
/** Messages older than this (replayed, or backdated demo traffic) raise no live alert. */
const LIVE_WINDOW_MS = 10 * 60_000;

/**
 * Stores an alert once — `dedupeKey` says what makes it the same alert, so a second instance or a
 * second run raising it stores nothing — and announces it through the outbox, in the same
 * transaction, so every instance pushes it to its supervisors. True when this call raised it.
 */
export async function raiseAlert(deps: SupervisionDeps, input: Omit<MonitorAlert, 'id'> & { dedupeKey: string }) {
  const alert = { ...input, id: newId(), detail: maskPersonalData(input.detail).slice(0, 300) };
  const events = deps.ctx.outbox.batch();
  const isNew = await deps.ctx.db.transaction().execute(async (trx) => {
    const stored = await supervisionRepo(trx).insertAlert(alert);
    if (stored) await events.add(trx, EVENTS.alertChanged, { alertId: alert.id, isOpen: true });
    return stored;
  });
  events.dispatch();
  return isNew;
}

/** A citizen's message with complaint words or displeasure raises an alert (once per conversation and kind). */
export async function checkCustomerMessage(deps: SupervisionDeps, p: EventPayloads['message.created']) {
  if (p.sender !== 'customer' || p.isPrivate) return;
  const repo = supervisionRepo(deps.ctx.db);
  const [message, conversation] = await Promise.all([repo.message(p.conversationId, p.seq), repo.conversation(p.conversationId)]);
  if (!message || !conversation || conversation.status === 'resolved') return;
  if (Date.now() - Date.parse(message.createdAt) > LIVE_WINDOW_MS) return;
  const hit = findAlertWords(message.text);
  if (!hit) return;
  await raiseAlert(deps, {
    kind: hit.kind,
    conversationId: p.conversationId,
    dedupeKey: `${p.conversationId}:${hit.kind}`,
    detail: `「${hit.word}」${message.text.slice(0, 120)}`,
    at: message.createdAt,
  });
}

/** A conversation transferred again and again (from `conversation_events`) raises `ping_pong`, once. */
export async function checkTransfers(deps: SupervisionDeps, conversationId: string) {
  const transfers = await supervisionRepo(deps.ctx.db).transfers(conversationId);
  if (transfers.length < PING_PONG_TRANSFERS) return;
  await raiseAlert(deps, {
    kind: 'ping_pong',
    conversationId,
    dedupeKey: `${conversationId}:ping_pong`,
    detail: `已转接 ${transfers.length} 次 / transferred ${transfers.length} times`,
    at: transfers[PING_PONG_TRANSFERS - 1],
  });
}

/**
 * The periodic check (once across instances): citizens waiting in a queue too long, and citizens an
 * agent has not answered for too long. Each wait raises its alert once.
 */
export async function checkWaits(deps: SupervisionDeps) {
  const settings = await loadMonitorSettings(deps);
  const repo = supervisionRepo(deps.ctx.db);
  const nowMs = Date.now();
  let raised = 0;
  for (const c of await repo.waitingSince(new Date(nowMs - settings.longWaitSeconds * 1000).toISOString())) {
    const waited = secondsSince(c.queuedAt, nowMs);
    const isNew = await raiseAlert(deps, {
      kind: 'long_wait',
      conversationId: c.id,
      dedupeKey: `${c.id}:long_wait:${c.queuedAt}`,
      detail: `排队已 ${waited} 秒 / waiting ${waited} s${c.skill ? ` (${c.skill})` : ''}`,
      at: new Date(Date.parse(c.queuedAt) + settings.longWaitSeconds * 1000).toISOString(),
    });
    if (isNew) raised++;
  }
  const assigned = await repo.assigned();
  const unanswered = await repo.unansweredSince(assigned.map((c) => c.id));
  for (const c of assigned) {
    const asked = unanswered.get(c.id);
    if (!asked) continue;
    // a question asked while queued is waited for from the moment the agent got the conversation
    const since = c.assignedAt && c.assignedAt > asked ? c.assignedAt : asked;
    const silent = secondsSince(since, nowMs);
    if (silent < settings.agentSilentSeconds) continue;
    const name = c.assigneeId ? await deps.conversations.displayName(c.assigneeId) : '';
    const isNew = await raiseAlert(deps, {
      kind: 'agent_silent',
      conversationId: c.id,
      dedupeKey: `${c.id}:agent_silent:${since}`,
      detail: `${name} 已 ${silent} 秒未回复 / no answer for ${silent} s`,
      at: new Date(Date.parse(since) + settings.agentSilentSeconds * 1000).toISOString(),
    });
    if (isNew) raised++;
  }
  return raised;
}

/** A supervisor acknowledges an alert: it leaves every supervisor's list. False when it was not open. */
export async function acknowledgeAlert(deps: SupervisionDeps, alertId: string, byUserId: string) {
  const events = deps.ctx.outbox.batch();
  const closed = await deps.ctx.db.transaction().execute(async (trx) => {
    const done = await supervisionRepo(trx).acknowledge(alertId, byUserId);
    if (done) await events.add(trx, EVENTS.alertChanged, { alertId, isOpen: false });
    return done;
  });
  events.dispatch();
  return closed;
}

