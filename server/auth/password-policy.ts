import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import { BullpenError, invalidRequestMessage } from '../../contract';

/**
 * zxcvbn's score (0–4) a new password needs. 3 is "safely unguessable: moderate protection from
 * offline slow-hash attacks" (about 10^8 guesses or more), the level zxcvbn's authors suggest
 * for sign-up forms; 2 still falls to a modest dictionary attack.
 */
export const MIN_PASSWORD_SCORE = 3;

let estimator: ZxcvbnFactory | undefined;

/** Built on first use: loading the dictionaries takes a few hundred milliseconds. */
function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  return estimator;
}

/**
 * Words of the person's own details a guesser would try first: their name, email and team,
 * whole, word by word and run together ("Acme Sales" → "acme", "sales", "acmesales").
 */
export function personalWords(details: { name?: string; email?: string; teamName?: string }): string[] {
  const words = new Set<string>();
  for (const text of [details.name, details.email, details.teamName]) {
    if (!text) continue;
    const lower = text.toLowerCase();
    const parts = lower.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3);
    words.add(lower);
    words.add(parts.join(''));
    for (const part of parts) words.add(part);
  }
  words.delete('');
  return [...words];
}

/**
 * Refuses a weak new password with BAD_REQUEST naming the password field and saying why and
 * how to fix it (zxcvbn's warning and suggestions). The length rule is the contract's.
 */
export function assertStrongPassword(password: string, details: { name?: string; email?: string; teamName?: string }): void {
  const result = zxcvbn().check(password, personalWords(details));
  if (result.score >= MIN_PASSWORD_SCORE) return;
  const why = result.feedback.warning ?? 'It would be found quickly by a password-guessing program.';
  const how = result.feedback.suggestions.length > 0 ? result.feedback.suggestions.join(' ') : 'Add more words that are less common.';
  throw new BullpenError(
    'BAD_REQUEST',
    invalidRequestMessage(['password'], `is too easy to guess. ${why} ${how} A few unrelated words make a strong password.`),
  );
}
