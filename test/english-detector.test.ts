/** Issue 14: the English detector of the browser tests finds English and leaves Dutch alone. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { englishWords } from './english-detector.js';

type Tree = { [k: string]: string | Tree };
const strings = (t: Tree): string[] => Object.values(t).flatMap((v) => (typeof v === 'string' ? [v] : strings(v)));
/** A message without its ICU syntax ({name}, {count, plural, one {…} other {…}}): the words a user reads. */
const words = (m: string) => m.replace(/\{\s*\w+\s*(,\s*\w+\s*,?)?/g, '{').replace(/[\w=]+\s*\{/g, '{');
const catalogue = (lang: string, ns: string) =>
  strings(JSON.parse(readFileSync(join(import.meta.dirname, '..', 'locales', lang, `${ns}.json`), 'utf8')) as Tree).map(
    words,
  );
/** Code the user types as it is (the scope field of a breach takes the literal word all, and table names). */
const LITERALS = ['all of ids', '(contacts, invitations, responses, users, audit_events)'];
const NAMESPACES = ['privacy', 'operator', 'security', 'team', 'profileFields', 'suppressions'];

test('the English detector finds English words, whole words only', () => {
  assert.deepEqual(englishWords('Save the records of this breach'), ['save', 'the', 'records', 'this', 'breach']);
  assert.deepEqual(englishWords('Theorie, Toevoegen, Andere'), []);
  assert.deepEqual(englishWords('Acme and Sons', ['Acme and Sons']), []);
  // Codes are not prose: a scope, an event, a category code, a placeholder.
  assert.deepEqual(englishWords('Lezen contacts:read, survey.closed, answers.choice, {survey}, owner@zorg.test'), []);
  assert.deepEqual(englishWords('Show the answers. Save'), ['show', 'the', 'answers', 'save']);
  // An id's first characters (as the Activity page shows them) are not words: "7add1b93" is not "add".
  assert.deepEqual(englishWords('Import: 7add1b93 · Enquête: 0a1b2c3d · 2the5'), []);
  assert.deepEqual(englishWords('Import: 7add1b93 add'), ['add']);
});

test('the English detector never flags the Dutch catalogues of the pages it checks', () => {
  for (const ns of NAMESPACES) {
    const flagged = catalogue('nl', ns).filter((s) => englishWords(s, LITERALS).length > 0);
    assert.deepEqual(flagged, [], `${ns}: Dutch messages that look English`);
  }
});

test('the English detector flags the English catalogues (it can fail)', () => {
  for (const ns of NAMESPACES)
    assert.ok(
      catalogue('en', ns).some((s) => englishWords(s).length > 0),
      ns,
    );
});
