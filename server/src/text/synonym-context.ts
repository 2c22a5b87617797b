// Where a synonym group's colloquial phrases apply. A phrase such as 过期了 means 仲裁时效 only in a
// question about labour disputes; elsewhere (护照过期了) it must not drag the question there. Shared
// by the robot's Analyzer and the knowledge search, so both read one group the same way.
import { normalizeText } from './normalize-text';

/** A group's context words, normalised and compacted as question text is (empty: applies everywhere). */
export function compileContext(context: readonly string[] | undefined): string[] {
  if (!context?.length) return [];
  const words = new Set<string>();
  for (const w of context) {
    const compact = normalizeText(String(w)).compact;
    if (compact) words.add(compact);
  }
  return [...words];
}

/**
 * Whether a group with these (compiled) context words applies to the compact, normalised text:
 * yes when it has no context, or when at least one of its words occurs in the text.
 */
export function isInContext(compact: string, words: readonly string[]): boolean {
  if (!words.length) return true;
  for (const w of words) if (compact.includes(w)) return true;
  return false;
}
