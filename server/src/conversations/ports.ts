import type { CalculatorOffer, Interview } from '../../../common/conversations';
import type { Actor } from '../identity/permissions';

/**
 * What the conversation flow needs from other domains, as small interfaces. The composition root
 * (app.ts) passes implementations; this domain never reaches into the robot's or the rules' internals.
 */

/** The robot's answer to one citizen message. */
export interface RobotAnswer {
  type: 'answer' | 'clarify' | 'handoff' | 'fallback';
  answer?: string;
  entryId?: string;
  candidates: { entryId: string; question: string; score: number }[];
  confidence: number;
  sessionId: string;
  referral?: { topic: string; hotline: string; agency: string };
  handoffReason?: string;
}

export interface RobotPort {
  /** Answers from the knowledge base; its session state is keyed by `sessionId` (the conversation id). */
  ask(actor: Actor, input: { question: string; sessionId?: string; channel?: string }): Promise<RobotAnswer>;
  /** Logs a turn the robot did not answer itself (a calculator step), for insights. */
  logTurn(actor: Actor, input: { question: string; channel?: string }, outcome: { decision: RobotAnswer['type']; sessionId: string; entryId: string | null; topEntryId: string | null; confidence: number; handoffReason: string | null }): Promise<void>;
  /** An explicit request for a person (转人工), in any wording the robot knows. */
  wantsHuman(text: string): boolean;
  /** Entries that may answer a message, best first, for an agent to send (staff entries included for staff). */
  suggest(actor: Actor, text: string): Promise<{ entryId: string; question: string; answer: string; score: number }[]>;
}

/**
 * Questions about the citizen's own record ("我交了几年社保", "我的退休申请办到哪一步了"): answered
 * from the record for a signed-in citizen, with a request to sign in otherwise; undefined when the
 * message is not such a question. `kind` is logged instead of an entry.
 */
export interface PersonalRecordsPort {
  answer(actor: Actor, text: string): Promise<{ kind: string; text: string; needsSignIn: boolean } | undefined>;
  /**
   * What the signed-in citizen's record says that calculators ask (sex and birth month from the ID
   * number, years paid): filled in and stated like what they said themselves, which wins over it.
   */
  factsOf(actor: Actor): Promise<{ gender?: 'male' | 'female'; birthYear?: number; birthMonth?: number; contributionYears?: number; unemploymentMonths?: number } | undefined>;
}

/** A rule set's interview step or result, as much of it as a chat shows. */
export interface DeterminationView {
  status: 'complete' | 'need_input' | 'conditional';
  /** the finished result in one plain sentence (the key figure), which the answer opens with */
  headline?: string;
  outputs: Record<string, unknown>;
  question?: { id: string; text: string; type: string; options?: { id: string; label: string }[] };
  explanation?: { why?: string }[];
  suggestions?: { text: string }[];
  notes?: string[];
}

export interface RulesPort {
  /** Rule sets in force, with their outputs' labels. */
  listRuleSets(): { id: string; name: string; outputs: { id: string; label: string; unit?: string }[] }[];
  /**
   * One determination. `record` writes it to the determinations log under `actorLabel`, as the HTTP
   * route does; a probe that only re-reads the current question is not recorded.
   */
  determine(rulesetId: string, request: { inputs: Record<string, unknown>; unknown: string[]; explain?: boolean }, record?: { actorLabel: string }): Promise<DeterminationView>;
}

/** Small JSON values with an idle expiry, shared by every instance (database, or Redis when set). */
export interface StatePort {
  get(id: string): Promise<unknown>;
  set(id: string, value: unknown): Promise<void>;
  delete(id: string): Promise<void>;
}

/** One reply of the robot turn, with the calculator interview when one runs, or the calculator it offers. */
export type TurnResult = RobotAnswer & { interview?: Interview; calculatorOffer?: CalculatorOffer };
