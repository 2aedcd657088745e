import argon2 from 'argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import * as nl from '@zxcvbn-ts/language-nl-be';
import { AppError, ErrorCode } from '../../lib/errors.js';
import type { Message } from '../../lib/i18n.js';

// OBLIGATIONS ACC-1: memory-hard hashing (argon2id, OWASP's 19 MiB / 2 passes minimum).
const options = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 10;

/**
 * Known-breached and guessable passwords are refused with zxcvbn's offline lists (leaked-password
 * lists, common words, first names and surnames, keyboard patterns): the password is never sent
 * anywhere to be checked. The Dutch lists (`@zxcvbn-ts/language-nl-be`: common words, names,
 * Wikipedia) and a few Dutch favourites sit beside the English ones, so that "Gezondheidszorg1" is
 * seen as one word and a digit.
 *
 * The bar is zxcvbn's score 4: at least 10^10 guesses. A stolen hash is attacked offline, where
 * score 3 (10^8..10^10: "Zomervakantie1", "Welkom2024!!", "Rotterdam2026!") falls to one GPU within
 * days even through argon2id. A phrase of three unrelated words passes easily.
 */
const dutch = [
  'welkom',
  'wachtwoord',
  'geheim',
  'voorjaar',
  'zomer',
  'najaar',
  'winter',
  'ajax',
  'feyenoord',
  'psv',
  'amsterdam',
  'rotterdam',
  'utrecht',
  'nederland',
  'holland',
  'oranje',
  'lente',
  'herfst',
  'maandag',
  'dinsdag',
  'woensdag',
  'donderdag',
  'vrijdag',
  'zaterdag',
  'zondag',
  'peil',
  'vakantie',
  'zomervakantie',
  'kerstvakantie',
  'gezondheidszorg',
];
const strength = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...en.dictionary, ...nl.dictionary, dutch },
  graphs: common.adjacencyGraphs,
  translations: en.translations,
});
const MIN_SCORE = 4;

export interface PasswordProblem {
  pointer: string;
  /** Stable across languages: password_short, password_long, password_name, password_guess. */
  code: string;
  /** English, for logs; the client gets `message` in its language (issue 14). */
  reason: string;
  message: Message;
}

/** The reasons a password can be refused, in the order the problem lists them (problems:reasons.password.*). */
const REASONS = {
  short: `at least ${MIN_PASSWORD_LENGTH} characters`,
  long: 'at most 256 characters',
  name: 'must not contain your email name',
  guess: 'too easy to guess (known words, names, years or patterns); use a longer phrase of unrelated words',
} as const;
type Reason = keyof typeof REASONS;

function reasonsOf(password: string, email?: string): Reason[] {
  const problems: Reason[] = [];
  if (password.length < MIN_PASSWORD_LENGTH) problems.push('short');
  if (password.length > 256) problems.push('long');
  const name = email?.toLowerCase().split('@')[0] ?? '';
  if (name.length >= 3 && password.toLowerCase().includes(name)) problems.push('name');
  if (password.length >= MIN_PASSWORD_LENGTH && password.length <= 256) {
    const r = strength.check(password, email ? [email, name, ...name.split(/[._-]/)] : []);
    if (r.score < MIN_SCORE) problems.push('guess');
  }
  return problems;
}

/** Every reason a password is refused (empty: it is accepted), each a catalogue message with a stable code. */
export function passwordProblems(password: string, email?: string, pointer = '/body/password'): PasswordProblem[] {
  return reasonsOf(password, email).map((r) => ({
    pointer,
    code: `password_${r}`,
    reason: REASONS[r],
    message: {
      key: `problems:reasons.password.${r}`,
      ...(r === 'short' ? { params: { min: MIN_PASSWORD_LENGTH } } : {}),
    },
  }));
}

/** Refuses with every problem of every password at once (set-up has two); the detail in the client's language. */
export function checkPasswords(...items: Array<{ password: string; email?: string; pointer: string }>): void {
  const errors = items.flatMap((i) => passwordProblems(i.password, i.email, i.pointer));
  if (errors.length) {
    const found = new Set(items.flatMap((i) => reasonsOf(i.password, i.email)));
    // Each reason is `first`, `next` (after a separator) or `no` in the ICU message problems:auth.passwordTooWeak.
    const params: Record<string, string | number> = { min: MIN_PASSWORD_LENGTH };
    let seen = false;
    for (const r of Object.keys(REASONS) as Reason[]) {
      params[r] = found.has(r) ? (seen ? 'next' : 'first') : 'no';
      if (found.has(r)) seen = true;
    }
    throw new AppError(ErrorCode.VALIDATION, { key: 'problems:auth.passwordTooWeak', params }, { errors });
  }
}

export function checkPasswordRules(password: string, email?: string, pointer = '/body/password'): void {
  checkPasswords({ password, email, pointer });
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, options);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

// Verifying against this when the account does not exist keeps the time of a failed sign-in the same.
let dummyHash: Promise<string> | undefined;
export function dummyVerify(password: string): Promise<boolean> {
  dummyHash ??= hashPassword('peil-dummy-password-for-timing');
  return dummyHash.then((h) => verifyPassword(h, password)).then(() => false);
}
