import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readSeedBundle } from '../knowledge/seed-knowledge';
import { nowIso } from '../platform/ids';
import { startTestApp, type TestApp } from '../testing/test-app';
import { generateTraffic, RISING_CATEGORY, type TrafficSummary } from './generate-traffic';

// a Tuesday and a Wednesday in the past: weekday traffic with agents on duty, whatever day the test runs
const OPTIONS = { days: 2, perDay: 40, seed: 7, endDay: '2026-11-18' };
const chinaDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

/** What a run left in the database, as counts a dashboard would show. */
async function footprint(t: TestApp) {
  const conversations = await t.ctx.db.selectFrom('conversations').select(['channel', 'status', 'rating', 'handoff_reason', 'created_at', 'closed_at']).execute();
  const messages = await t.ctx.db.selectFrom('messages').select(['sender']).execute();
  const tally = (keys: string[]) => keys.reduce<Record<string, number>>((n, k) => ({ ...n, [k]: (n[k] ?? 0) + 1 }), {});
  return {
    conversations: tally(conversations.map((c) => `${c.channel}/${c.status}`)),
    senders: tally(messages.map((m) => m.sender)),
    ratings: tally(conversations.filter((c) => c.rating !== null).map((c) => String(c.rating))),
    handoffs: tally(conversations.filter((c) => c.handoff_reason).map((c) => String(c.handoff_reason))),
    rows: conversations,
  };
}

describe('demo traffic', () => {
  let first: TestApp;
  let second: TestApp;
  let summary: TrafficSummary;
  let again: TrafficSummary;
  before(async () => {
    first = await startTestApp();
    second = await startTestApp();
    summary = await generateTraffic(first, OPTIONS);
    again = await generateTraffic(second, OPTIONS);
  });
  after(async () => {
    await first?.close();
    await second?.close();
  });

  it('serves citizens on several channels: robot answers, hand-offs, agents replying and closing, ratings', async () => {
    const { conversations, senders, ratings } = await footprint(first);
    const channels = new Set(Object.keys(conversations).map((k) => k.split('/')[0]));
    assert.deepEqual([...channels].sort(), ['open', 'phone', 'web'], JSON.stringify(conversations));
    assert.equal(Object.values(conversations).reduce((a, b) => a + b, 0), summary.conversations);
    assert.ok(senders.robot > summary.conversations, `the robot answered: ${JSON.stringify(senders)}`);
    assert.ok(senders.agent >= 5 && senders.agent === summary.agentReplies, `agents replied: ${JSON.stringify(senders)}`);
    assert.ok(summary.handoffs >= 3, `hand-offs: ${JSON.stringify(summary)}`);
    assert.ok(Object.values(ratings).reduce((a, b) => a + b, 0) >= 1, 'citizens rated agents');
    const closedByAgents = await first.ctx.db.selectFrom('conversation_events').select(['payload']).where('type', '=', 'close').where('actor', 'like', 'user:%').execute();
    assert.ok(closedByAgents.length >= 3, 'agents closed conversations');
    const categories = await first.ctx.db.selectFrom('conversations').select(['category', 'summary']).where('category', 'is not', null).execute();
    assert.ok(categories.every((c) => c.summary), 'a closed category comes with a summary');
    const robotShare = (summary.conversations - summary.handoffs) / summary.conversations;
    assert.ok(robotShare > 0.6 && robotShare < 0.95, `most conversations are the robot's alone: ${robotShare}`);
  });

  it('spreads timestamps over the simulated days, in the day more than at night, and leaves the clock on the wall', async () => {
    const { rows } = await footprint(first);
    const days = new Set(rows.map((r) => chinaDay(r.created_at)));
    assert.deepEqual([...days].sort(), ['2026-11-17', '2026-11-18']);
    const daytime = rows.filter((r) => {
      const hour = new Date(Date.parse(r.created_at) + 8 * 3_600_000).getUTCHours();
      return hour >= 8 && hour < 18;
    });
    assert.ok(daytime.length > rows.length / 2, `${daytime.length} of ${rows.length} in office hours`);
    assert.ok(rows.every((r) => !r.closed_at || r.closed_at >= r.created_at), 'closed after opened');
    const closedLate = rows.filter((r) => r.closed_at && chinaDay(r.closed_at) > '2026-11-18');
    assert.equal(closedLate.length, 0, 'nothing dated after the last simulated day');
    assert.ok(Math.abs(Date.parse(nowIso()) - Date.now()) < 5000, 'the clock is the wall clock again');
  });

  it('makes the rising category more frequent on the last day than before', async () => {
    const categoryOf = new Map(readSeedBundle().entries.map((e) => [e.id, e.category]));
    const turns = await first.ctx.db.selectFrom('robot_turns').select(['at', 'entry_id']).where('entry_id', 'is not', null).execute();
    const rising = (day: string) => turns.filter((t) => chinaDay(t.at) === day && (categoryOf.get(String(t.entry_id)) ?? '').startsWith(`${RISING_CATEGORY}.`)).length;
    assert.equal(summary.rising.fromDay, '2026-11-18');
    assert.ok(rising('2026-11-18') > rising('2026-11-17'), `失业保险 answers: ${rising('2026-11-17')} then ${rising('2026-11-18')}`);
  });

  it('is the same month for the same seed', async () => {
    assert.deepEqual(again, summary);
    const [a, b] = [await footprint(first), await footprint(second)];
    assert.deepEqual(b.conversations, a.conversations);
    assert.deepEqual(b.senders, a.senders);
    assert.deepEqual(b.ratings, a.ratings);
    assert.deepEqual(b.handoffs, a.handoffs);
  });
});
