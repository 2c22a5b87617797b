import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import { badRequest } from '../platform/errors';
import type { Bilingual } from '../platform/language';

export const MIN_PASSWORD_LENGTH = 8;
/**
 * zxcvbn score 2 = more than about a million guesses: every password of its common-password list
 * (12345678, password, qwerty…), keyboard walks, repeats and dates score 0–1 and are refused.
 * Online guessing is throttled per address (login.ts), so score 2 is the floor, not the target.
 */
const MIN_SCORE = 2;

// Building the matcher reads ~40,000 dictionary words (~75 ms): done once, on the first check.
// It holds no state between checks, so sharing it is safe.
let estimator: ZxcvbnFactory | undefined;
const strengthOf = (password: string, userInputs: string[]) => {
  estimator ??= new ZxcvbnFactory({ dictionary: { ...zxcvbnCommon.dictionary }, graphs: zxcvbnCommon.adjacencyGraphs });
  return estimator.check(password, userInputs);
};

/** Why a password is too weak (in Chinese and English), or null when it is acceptable. */
export function passwordWeakness(password: string, userInputs: string[] = []): Bilingual | null {
  if (password.length < MIN_PASSWORD_LENGTH) return { zh: `密码至少${MIN_PASSWORD_LENGTH}位`, en: `at least ${MIN_PASSWORD_LENGTH} characters` };
  if (strengthOf(password, userInputs.filter(Boolean)).score < MIN_SCORE) {
    return { zh: '密码太常见或太容易猜到，请换一个更长、更不规则的密码', en: 'password is too common or too easy to guess' };
  }
  return null;
}

/** Throws 400 `weak_password` unless the password is long enough and not common or guessable. */
export function assertStrongPassword(password: string, userInputs: string[] = []): void {
  const weakness = passwordWeakness(password, userInputs);
  if (weakness) throw badRequest('weak_password', weakness, 'password');
}
