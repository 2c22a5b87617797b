import type { AnalyticsFilter, HardTopics } from '../../../common/analytics';
import { maskPersonalData } from '../../../common/masking';
import type { Actor } from '../identity/permissions';
import type { AppContext } from '../platform/context';
import { badRequest, notFound } from '../platform/errors';
import { nowIso } from '../platform/ids';
import { normalizeText } from '../text/normalize-text';
import { generalWordFrequency, type Segmenter } from '../text/segmenter';
import { addDays, chinaDay } from './china-time';
import type { KnowledgeDrafts } from './ports';
import type { AnalyticsRepo } from './repo';
import { resolveFilter } from './scope';

/** How many distinct hard questions one request clusters (the most frequent first). */
const MAX_QUESTIONS = 3000;
/** Words that say nothing about the topic of a question. */
const STOP_WORDS = new Set(
  '怎么 怎么样 怎样 什么 如何 可以 能否 能不能 是否 请问 你好 您好 我的 我们 你们 一下 需要 多少 哪里 哪些 为什么 没有 还是 这个 那个 现在 时候 已经 应该 问题 咨询 办理 一个 知道 不是 就是 人工 客服 转人工 谢谢 帮忙'.split(' '),
);

type Reason = 'handoff' | 'unhelpful' | 'unanswered';
interface HardQuestion {
  text: string;
  reason: Reason;
  count: number;
  entryId: string | null;
  categoryId: string | null;
}

/** Whether a question only asks for a person ("转人工"), which says nothing about its topic. */
const isHumanRequestOnly = (compact: string) => compact.length <= 6 && /人工|客服|真人/.test(compact);

/** The content words of a question: segmented, stop words and single characters left out. */
function termsOf(segmenter: Segmenter, text: string): string[] {
  const { text: normalized } = normalizeText(text);
  return [...new Set(segmenter.cut(normalized).filter((w) => w.length >= 2 && !STOP_WORDS.has(w) && !/^\d+$/.test(w) && w.trim()))];
}

const encodeId = (key: string) => Buffer.from(key).toString('base64url');

/**
 * Questions the robot handed off, rated unhelpful, or could not answer, clustered by their most
 * shared content word (the word most of these questions contain, rarer words in general Chinese
 * winning ties); a question without content words falls back to the entry the robot matched. The
 * label is the member that shares most words with its cluster; the category is the one most of its
 * conversations were counted under. The questions come from conversations (the facts consumer keeps
 * them) and from unhelpful ratings of entries.
 */
export async function readHardTopics(repo: AnalyticsRepo, segmenter: Segmenter, filter: AnalyticsFilter, limit = 30): Promise<HardTopics> {
  const r = await resolveFilter(repo, filter);
  const [asked, unhelpful] = await Promise.all([repo.hardQuestions(filter.from, filter.to, filter.channel, MAX_QUESTIONS), repo.unhelpfulFeedback(r.fromIso, r.toIso, filter.channel)]);
  const questions: HardQuestion[] = [];
  for (const q of asked) {
    if (isHumanRequestOnly(normalizeText(q.question).compact)) continue;
    questions.push({ text: q.question, reason: q.reason, count: q.count, entryId: q.entryId, categoryId: q.categoryId });
  }
  for (const f of unhelpful) questions.push({ text: f.comment?.trim() || f.question, reason: 'unhelpful', count: 1, entryId: f.entryId, categoryId: f.categoryId });
  const allowed = r.scope.categories ? new Set(r.scope.categories) : undefined;
  const kept = allowed ? questions.filter((q) => q.categoryId && allowed.has(q.categoryId)) : questions;

  const terms = kept.map((q) => termsOf(segmenter, q.text));
  const df = new Map<string, number>();
  for (const [i, q] of kept.entries()) for (const w of terms[i]) df.set(w, (df.get(w) ?? 0) + q.count);
  const clusters = new Map<string, { members: number[] }>();
  kept.forEach((q, i) => {
    const best = [...terms[i]].sort((a, b) => (df.get(b) ?? 0) - (df.get(a) ?? 0) || generalWordFrequency(a) - generalWordFrequency(b) || a.localeCompare(b))[0];
    const key = best ? `t:${best}` : q.entryId ? `e:${q.entryId}` : `q:${normalizeText(q.text).compact}`;
    const c = clusters.get(key) ?? { members: [] };
    c.members.push(i);
    clusters.set(key, c);
  });

  const items = [...clusters].map(([key, c]) => {
    const reasons = { handoff: 0, unhelpful: 0, unanswered: 0 };
    const words = new Map<string, number>();
    const categories = new Map<string, number>();
    let count = 0;
    for (const i of c.members) {
      const q = kept[i];
      reasons[q.reason] += q.count;
      count += q.count;
      for (const w of terms[i]) words.set(w, (words.get(w) ?? 0) + q.count);
      if (q.categoryId) categories.set(q.categoryId, (categories.get(q.categoryId) ?? 0) + q.count);
    }
    const typicality = (i: number) => terms[i].reduce((sum, w) => sum + (words.get(w) ?? 0), 0) * Math.log(1 + kept[i].count);
    const byTypical = [...c.members].sort((a, b) => typicality(b) - typicality(a) || kept[b].count - kept[a].count);
    const examples = [...new Set(byTypical.map((i) => maskPersonalData(kept[i].text)))].slice(0, 5);
    const categoryId = [...categories].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
    return { id: encodeId(key), label: examples[0] ?? '', count, reasons, examples, categoryId };
  });
  items.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  return { items: items.slice(0, limit) };
}

/** The period a draft's cluster is looked up in: the last 30 days. */
function recentPeriod(now: string): AnalyticsFilter {
  const to = chinaDay(now);
  return { from: addDays(to, -29), to };
}

/**
 * Turns a hard topic into a knowledge entry draft (question = the label, similar questions = the
 * examples), for editors to answer and send to review.
 */
export async function draftFromHardTopic(
  ctx: AppContext,
  repo: AnalyticsRepo,
  segmenter: Segmenter,
  drafts: KnowledgeDrafts,
  actor: Actor,
  input: { clusterId?: string; examples?: string[]; categoryId?: string },
): Promise<{ entryId: string }> {
  let questions: string[];
  let categoryId = input.categoryId ?? null;
  if (input.clusterId) {
    const topics = await readHardTopics(repo, segmenter, recentPeriod(nowIso()), 1000);
    const topic = topics.items.find((t) => t.id === input.clusterId);
    if (topic) {
      questions = topic.examples;
      categoryId ??= topic.categoryId;
    } else {
      // clustered differently over another period: the questions that contain the cluster's word
      const key = Buffer.from(input.clusterId, 'base64url').toString();
      const word = key.startsWith('t:') ? key.slice(2) : '';
      const holding = word ? topics.items.filter((t) => t.examples.some((e) => e.includes(word))) : [];
      if (!holding.length) throw notFound('难点问题', 'cluster_not_found');
      questions = [...new Set(holding.flatMap((t) => t.examples.filter((e) => e.includes(word))))].slice(0, 5);
      categoryId ??= holding.find((t) => t.categoryId)?.categoryId ?? null;
    }
  } else {
    questions = [...new Set((input.examples ?? []).map((q) => maskPersonalData(q.trim())).filter(Boolean))];
  }
  if (!questions.length) throw badRequest('examples_required', { zh: '请提供问题示例', en: 'examples are required' }, 'examples');
  if (!categoryId) throw badRequest('category_required', { zh: '请选择分类', en: 'categoryId is required' }, 'categoryId');
  const [question, ...similar] = questions;
  const { entryId } = await drafts.createDraft(actor, { categoryId, question, similar });
  await ctx.audit.record(actor, { action: 'analytics.hard_topic_drafted', detail: { entryId, clusterId: input.clusterId ?? null, questions: questions.length } });
  return { entryId };
}
