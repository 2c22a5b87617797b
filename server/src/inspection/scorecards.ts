import type { AppContext } from '../platform/context';
import type { Inspection, QualityFlag, QualityRule } from './model';
import { presentFlag } from './presenter';
import { inspectionRepo } from './repo';

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The China-time Monday (YYYY-MM-DD) of the week an instant falls in. */
export function weekOf(iso: string): string {
  const local = new Date(Date.parse(iso) + CHINA_OFFSET_MS);
  const back = (local.getUTCDay() + 6) % 7;
  return new Date(local.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}

/** The instant a China calendar day starts. */
export const startOfDay = (day: string) => new Date(`${day}T00:00:00+08:00`).toISOString();
/** The instant after a China calendar day ends. */
export const endOfDay = (day: string) => new Date(Date.parse(`${day}T00:00:00+08:00`) + 86_400_000).toISOString();

const average = (scores: number[]) => (scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10) / 10 : null);

function trendOf(inspections: Inspection[]) {
  const weeks = new Map<string, number[]>();
  for (const i of inspections) {
    const week = weekOf(i.closedAt);
    weeks.set(week, [...(weeks.get(week) ?? []), i.score]);
  }
  return [...weeks.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([week, scores]) => ({ week, count: scores.length, averageScore: average(scores) }));
}

/** Flags that stand (not overturned), counted per rule. */
function countByRule(flags: QualityFlag[], rules: Map<string, QualityRule>) {
  const counts = new Map<string, number>();
  for (const f of flags) if (f.status !== 'overturned') counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  return [...counts.entries()].map(([rule, count]) => ({ rule, ruleName: rules.get(rule)?.name ?? rule, count })).sort((a, b) => b.count - a.count);
}

const rulesById = async (ctx: AppContext) => new Map((await inspectionRepo(ctx.db).rules()).map((r) => [r.id, r]));

/** Per agent over a period of China days: conversations inspected, average score, flags by rule, weekly trend. */
export async function agentScorecards(ctx: AppContext, from: string, to: string) {
  const repo = inspectionRepo(ctx.db);
  const inspections = (await repo.inspectionsBetween(startOfDay(from), endOfDay(to))).filter((i) => i.agentId);
  const flags = await flagsOfMany(ctx, inspections.map((i) => i.conversationId));
  const rules = await rulesById(ctx);
  const agentIds = [...new Set(inspections.map((i) => i.agentId!))];
  const names = await repo.staffNames(agentIds);
  const items = agentIds.map((agentId) => {
    const own = inspections.filter((i) => i.agentId === agentId);
    const ids = new Set(own.map((i) => i.conversationId));
    return {
      agentId,
      agentName: names.get(agentId) ?? agentId,
      inspected: own.length,
      averageScore: average(own.map((i) => i.score)),
      flagsByRule: countByRule(flags.filter((f) => ids.has(f.conversationId)), rules),
      trend: trendOf(own),
    };
  });
  items.sort((a, b) => (a.averageScore ?? 101) - (b.averageScore ?? 101) || a.agentName.localeCompare(b.agentName));
  return { from, to, items };
}

/** An agent's own inspections (the last 90 days), weekly trend, flags by rule, and their flags to appeal. */
export async function myQuality(ctx: AppContext, agentId: string) {
  const repo = inspectionRepo(ctx.db);
  const since = new Date(Date.now() - 90 * 86_400_000).toISOString();
  const inspections = await repo.inspectionsBetween(since, undefined, agentId);
  const flags = await repo.flagsOfAgent(agentId);
  const rules = await rulesById(ctx);
  return {
    inspected: inspections.length,
    averageScore: average(inspections.map((i) => i.score)),
    inspections: inspections
      .slice(-200)
      .reverse()
      .map((i) => ({ conversationId: i.conversationId, score: i.score, closedAt: i.closedAt, inspectedAt: i.inspectedAt })),
    trend: trendOf(inspections),
    byRule: countByRule(flags, rules),
    flags: flags.map((f) => presentFlag(f, rules)),
  };
}

/** Flags of many conversations, in chunks (IN lists stay short on both databases). */
async function flagsOfMany(ctx: AppContext, ids: string[]) {
  const repo = inspectionRepo(ctx.db);
  const out: QualityFlag[] = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await repo.flagsOf(ids.slice(i, i + 500))));
  return out;
}
