import { maskPersonalData } from '../../../common/masking';
import type { Finding, PublishedEntry, QualityRule, RuleType, Transcript } from './model';
import type { RuleParams } from './rules';
import { excerptOf, findPhrase, isMoney, numbersIn } from './text-match';

type Message = Transcript['messages'][number];

interface Check<T extends RuleType> {
  (transcript: Transcript, params: RuleParams<T>, context: { agentReplies: Message[]; entries: Map<string, PublishedEntry> }): Omit<Finding, 'ruleId'>[];
}

const onMessage = (m: Message, excerpt: string): Omit<Finding, 'ruleId'> => ({ messageSeq: m.seq, agentId: m.senderId, excerpt });
const seconds = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 1000;

/** When the agent who wrote `reply` started serving: their latest assignment, acceptance, transfer to them or take-over before it. */
function joinedAt(transcript: Transcript, agentId: string | null, before: string): string | undefined {
  let at: string | undefined;
  for (const e of transcript.events) {
    if (e.createdAt > before) break;
    const isThem =
      ((e.type === 'assign' || e.type === 'accept') && e.payload.agentId === agentId) ||
      (e.type === 'transfer' && e.payload.toAgent === agentId) ||
      (e.type === 'take_over' && e.actor === `user:${agentId}`);
    if (isThem) at = e.createdAt;
  }
  return at;
}

const CHECKS: { [T in RuleType]: Check<T> } = {
  greeting(_t, params, { agentReplies }) {
    const first = agentReplies[0];
    if (!first || findPhrase(first.text, params.phrases)) return [];
    return [onMessage(first, excerptOf(first.text))];
  },

  closing(_t, params, { agentReplies }) {
    const last = agentReplies.at(-1);
    if (!last || findPhrase(last.text, params.phrases)) return [];
    return [onMessage(last, excerptOf(last.text, last.text.length, last.text.length, 48))];
  },

  slow_reply(transcript, params) {
    const found: Omit<Finding, 'ruleId'>[] = [];
    // the citizen's oldest message the agents have not answered yet
    let waitingSince: string | undefined;
    for (const m of transcript.messages) {
      if (m.sender === 'customer') waitingSince ??= m.createdAt;
      if (m.sender !== 'agent') continue;
      if (waitingSince) {
        // time in the queue or with a previous agent is not this agent's
        const joined = joinedAt(transcript, m.senderId, m.createdAt);
        const from = joined && joined > waitingSince ? joined : waitingSince;
        const took = Math.round(seconds(from, m.createdAt));
        if (took > params.seconds) found.push(onMessage(m, `${took}秒后回复 / replied after ${took} s：${excerptOf(m.text, 0, 0, 30)}`));
      }
      waitingSince = undefined;
    }
    return found;
  },

  forbidden_words(_t, params, { agentReplies }) {
    return agentReplies.flatMap((m) => {
      const hit = findPhrase(m.text, params.words);
      return hit ? [onMessage(m, `「${hit.phrase}」${excerptOf(m.text, hit.start, hit.end)}`)] : [];
    });
  },

  knowledge_mismatch(_t, params, { agentReplies, entries }) {
    const ignored = new Set(params.ignoreNumbers);
    return agentReplies.flatMap((m) => {
      if (!m.entryId) return [];
      const entry = entries.get(m.entryId);
      if (!entry) return [onMessage(m, `引用的知识条目 ${m.entryId} 已不再发布 / the cited entry is no longer published：${excerptOf(m.text, 0, 0, 30)}`)];
      const known = new Set(numbersIn(`${entry.question}\n${entry.answer}`).map((n) => n.value));
      const unknown = numbersIn(m.text).filter((n) => !known.has(n.value) && !ignored.has(n.value));
      if (!unknown.length) return [];
      const values = [...new Set(unknown.map((n) => n.value + n.unit))].join('、');
      return [onMessage(m, `${values} 不在条目 ${entry.entryId} 第${entry.version}版中 / not in the entry’s published answer：${excerptOf(m.text, unknown[0].start, unknown[0].end)}`)];
    });
  },

  promise(_t, params, { agentReplies, entries }) {
    return agentReplies.flatMap((m) => {
      const entry = m.entryId ? entries.get(m.entryId) : undefined;
      const hit = findPhrase(m.text, params.phrases);
      if (hit && !(entry && findPhrase(entry.answer, [hit.phrase]))) return [onMessage(m, `「${hit.phrase}」${excerptOf(m.text, hit.start, hit.end)}`)];
      // amounts in a reply citing an entry are the consistency rule's business
      if (m.entryId) return [];
      const money = numbersIn(m.text).find((n) => isMoney(m.text, n));
      return money ? [onMessage(m, `未引用知识的金额 / a sum with no cited entry：${excerptOf(m.text, money.start, money.end)}`)] : [];
    });
  },

  personal_data(_t, _params, { agentReplies }) {
    // citizens' messages are stored masked already; agents' are stored as typed
    return agentReplies.flatMap((m) => {
      const masked = maskPersonalData(m.text);
      if (masked === m.text) return [];
      const at = [...masked].findIndex((c, i) => c !== m.text[i]);
      return [onMessage(m, excerptOf(m.text, at, at + 1))];
    });
  },

  handoff_loop(transcript, params) {
    const transfers = transcript.events.filter((e) => e.type === 'transfer').length;
    if (transfers < params.transfers) return [];
    return [{ messageSeq: null, agentId: transcript.assigneeId, excerpt: `会话被转接 ${transfers} 次 / transferred ${transfers} times` }];
  },

  close_data(transcript, params) {
    const missing = [
      params.requireCategory && !transcript.category?.trim() ? '分类 / category' : '',
      params.requireSummary && !transcript.summary?.trim() ? '小结 / summary' : '',
    ].filter(Boolean);
    if (!missing.length) return [];
    return [{ messageSeq: null, agentId: transcript.assigneeId, excerpt: `结束时未填写：${missing.join('、')} / missing at close` }];
  },
};

/**
 * Runs the enabled rules over a closed conversation's transcript (what the citizen saw) and its
 * close data. Pure: the cited entries are looked up beforehand.
 */
export function detectFindings(transcript: Transcript, rules: QualityRule[], entries: Map<string, PublishedEntry>): Finding[] {
  const agentReplies = transcript.messages.filter((m) => m.sender === 'agent');
  const context = { agentReplies, entries };
  return rules
    .filter((r) => r.isEnabled)
    .flatMap((rule) => (CHECKS[rule.type] as Check<RuleType>)(transcript, rule.params as never, context).map((f) => ({ ...f, ruleId: rule.id })));
}
