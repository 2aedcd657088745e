/**
 * Issue 14: the mails to a customer's staff speak from /locales/<nl|en>/mails.json. A test reads the
 * message straight from the catalogue file (formatted with intl-messageformat, not through the app's
 * own i18n) and checks that a mail that was really sent holds the Dutch text and, after it, the English.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';

type Lng = 'nl' | 'en';
type Tree = { [k: string]: string | Tree };
type Params = Record<string, string | number>;

const files = new Map<string, Tree>();
function message(lng: Lng, key: string): string {
  const [ns, path] = key.split(':') as [string, string];
  const id = `${lng}/${ns}`;
  let tree = files.get(id);
  if (!tree)
    files.set(
      id,
      (tree = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'locales', lng, `${ns}.json`), 'utf8')) as Tree),
    );
  const found = path
    .split('.')
    .reduce<string | Tree | undefined>((t, k) => (typeof t === 'object' ? t[k] : undefined), tree);
  assert.equal(typeof found, 'string', `${lng}: ${key} is in the catalogue`);
  return found as string;
}

/** The catalogue's text of `key` in one language. */
export function fromCatalogue(lng: Lng, key: string, params: Params = {}): string {
  return String(new IntlMessageFormat(message(lng, key), lng).format(params));
}

/**
 * The mail's text (or subject) holds the catalogue's Dutch message and, after it, its English one (and
 * they differ, so the check cannot pass on one language alone). `params` may differ per language
 * (a date as each language writes it).
 */
export function assertBothLanguages(text: string, key: string, params: Params | ((lng: Lng) => Params) = {}): void {
  const of = (lng: Lng) => fromCatalogue(lng, key, typeof params === 'function' ? params(lng) : params);
  const nl = of('nl');
  const en = of('en');
  assert.notEqual(nl, en, `${key}: Dutch and English differ`);
  const at = text.indexOf(nl);
  assert.ok(at >= 0, `the Dutch ${key} (${JSON.stringify(nl)}) is in:\n${text}`);
  assert.ok(
    text.indexOf(en, at + nl.length) > at,
    `the English ${key} (${JSON.stringify(en)}) follows the Dutch in:\n${text}`,
  );
}
