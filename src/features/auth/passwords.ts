import argon2 from 'argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import { AppError, ErrorCode } from '../../lib/errors.js';

// OBLIGATIONS ACC-1: memory-hard hashing (argon2id, OWASP's 19 MiB / 2 passes minimum).
const options = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 10;

/**
 * Known-breached and guessable passwords are refused with zxcvbn's offline lists (leaked-password
 * lists, common words, keyboard patterns): the password is never sent anywhere to be checked.
 * Dutch favourites are added, since the lists are English.
 */
const dutch = ['welkom', 'wachtwoord', 'geheim', 'voorjaar', 'zomer', 'najaar', 'winter', 'ajax', 'feyenoord', 'psv', 'amsterdam', 'rotterdam', 'utrecht', 'nederland', 'holland', 'oranje', 'lente', 'herfst', 'maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag', 'zondag', 'peil'];
const strength = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...en.dictionary, dutch },
  graphs: common.adjacencyGraphs,
  translations: en.translations,
});

export function checkPasswordRules(password: string, email?: string, pointer = '/body/password'): void {
  const problems: string[] = [];
  if (password.length < MIN_PASSWORD_LENGTH) problems.push(`at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > 256) problems.push('at most 256 characters');
  const name = email?.toLowerCase().split('@')[0] ?? '';
  if (name.length >= 3 && password.toLowerCase().includes(name)) problems.push('must not contain your email name');
  if (problems.length === 0) {
    const r = strength.check(password, email ? [email, name, ...name.split(/[._-]/)] : []);
    if (r.score < 3) problems.push(`too easy to guess${r.feedback.warning ? ` (${r.feedback.warning.replace(/\.$/, '').toLowerCase()})` : ''}; use a longer phrase of unrelated words`);
  }
  if (problems.length) {
    throw new AppError(ErrorCode.VALIDATION, `The password is too weak: ${problems.join(', ')}.`, {
      errors: problems.map((reason) => ({ pointer, reason })),
    });
  }
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
