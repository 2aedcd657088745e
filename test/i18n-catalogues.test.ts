/**
 * Issue 14: the message catalogues in /locales are complete in both languages and every message is
 * valid ICU. TypeScript already refuses a t('key') the Dutch catalogue lacks (web/src/i18next.d.ts);
 * this test refuses a catalogue whose Dutch and English keys differ, an empty message, a message that
 * does not parse, and an ICU argument that one language uses and the other does not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';

const root = join(import.meta.dirname, '..', 'locales');
const languages = readdirSync(root).sort();
type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else flatten(v, key, out);
  }
  return out;
}

function load(lang: string, file: string): Map<string, string> {
  return flatten(JSON.parse(readFileSync(join(root, lang, file), 'utf8')) as Tree);
}

/** The names of the ICU arguments a message uses ({count}, {tenant}, ...). */
function argumentsOf(message: string, locale: string): string[] {
  const names = new Set<string>();
  const walk = (els: unknown[]): void => {
    for (const el of els as {
      type: number;
      value?: string;
      options?: Record<string, { value: unknown[] }>;
      children?: unknown[];
    }[]) {
      if (el.type !== 0 && el.type !== 7 && typeof el.value === 'string') names.add(el.value);
      if (el.options) for (const o of Object.values(el.options)) walk(o.value);
      if (el.children) walk(el.children);
    }
  };
  walk(new IntlMessageFormat(message, locale).getAst() as unknown[]);
  return [...names].sort();
}

test('there is a Dutch and an English catalogue', () => {
  assert.deepEqual(languages, ['en', 'nl']);
});

const files = readdirSync(join(root, 'nl'))
  .filter((f) => f.endsWith('.json'))
  .sort();

test('both languages have the same namespaces', () => {
  assert.deepEqual(
    readdirSync(join(root, 'en'))
      .filter((f) => f.endsWith('.json'))
      .sort(),
    files,
  );
});

for (const file of files) {
  test(`${file}: the same keys in Dutch and English, every message valid ICU with the same arguments`, () => {
    const nl = load('nl', file);
    const en = load('en', file);
    const onlyNl = [...nl.keys()].filter((k) => !en.has(k));
    const onlyEn = [...en.keys()].filter((k) => !nl.has(k));
    assert.deepEqual(onlyNl, [], `keys missing in English`);
    assert.deepEqual(onlyEn, [], `keys missing in Dutch`);
    for (const [key, text] of nl) {
      const other = en.get(key)!;
      assert.ok(text.trim() && other.trim(), `${key} is empty`);
      assert.deepEqual(
        argumentsOf(text, 'nl'),
        argumentsOf(other, 'en'),
        `${key}: the two languages use different arguments`,
      );
    }
  });
}

// Issue 14: the respondent pages and the mails (server-rendered) speak from their own namespaces.
test('the respondent and mails namespaces exist in both languages (server-side texts of respondent pages and mails)', () => {
  for (const lang of languages)
    for (const ns of ['respondent.json', 'mails.json']) assert.ok(load(lang, ns).size > 0, `${lang}/${ns}`);
});

test('mails: the survey size is an ICU plural that reads right for every count', () => {
  const format = (lang: string, key: string, values: Record<string, number>) =>
    new IntlMessageFormat(load(lang, 'mails.json').get(key)!, lang).format(values) as string;
  const expect: [number, string, string][] = [
    [1, 'één korte vraag', 'one short question'],
    [2, 'twee korte vragen', 'two short questions'],
    [7, 'zeven vragen', 'seven questions'],
    [13, '13 vragen', '13 questions'],
  ];
  for (const [questions, nl, en] of expect) {
    assert.equal(format('nl', 'survey.length', { questions }), nl);
    assert.equal(format('en', 'survey.length', { questions }), en);
  }
  assert.equal(format('nl', 'survey.duration', { minutes: 1 }), 'minder dan een minuut');
  assert.equal(format('en', 'survey.duration', { minutes: 3 }), 'about 3 minutes');
});

// Issue 14: the server's texts (API problems, respondent pages, mails) name their messages in code
// ('mails:breach.intro'); TypeScript does not check those keys, so this test reads the source: every
// key written out in src/ is in both the Dutch and the English catalogue, and every key built from a
// template (`mails:breach.field.${k}`) starts with a part that names a group of messages in both.
const SERVER_NAMESPACES = ['mails', 'respondent', 'problems', 'cli'];

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(full, out);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

/** The keys the server's source names: written out, and the fixed start of those built from a template. */
function keysInSource(files: string[]): { whole: Map<string, string>; prefixes: Map<string, string> } {
  const ns = SERVER_NAMESPACES.join('|');
  const whole = new Map<string, string>();
  const prefixes = new Map<string, string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(new RegExp(`['"\`]((?:${ns}):[A-Za-z0-9_.]+)(['"\`]|\\$\\{)`, 'g')))
      (m[2] === '${' ? prefixes : whole).set(m[1]!, file);
  }
  return { whole, prefixes };
}

function missingIn(lang: string, found: ReturnType<typeof keysInSource>): string[] {
  const missing: string[] = [];
  for (const [key, file] of found.whole) {
    const [ns, path] = key.split(':') as [string, string];
    const keys = load(lang, `${ns}.json`);
    // A key, or a group of keys that the code completes (`respondent:requests.kinds` + `.${kind}`).
    if (!keys.has(path) && ![...keys.keys()].some((k) => k.startsWith(`${path}.`))) missing.push(`${key} (${file})`);
  }
  for (const [prefix, file] of found.prefixes) {
    const [ns, path] = prefix.split(':') as [string, string];
    if (![...load(lang, `${ns}.json`).keys()].some((k) => k.startsWith(path))) missing.push(`${prefix}… (${file})`);
  }
  return missing;
}

test('every mails/respondent/problems/cli key the server code names is in the Dutch and the English catalogue', () => {
  const found = keysInSource(sourceFiles(join(import.meta.dirname, '..', 'src')));
  assert.ok(found.whole.size > 50, `the scan finds the keys in code (${found.whole.size})`);
  for (const key of [
    'mails:breach.intro',
    'mails:usage.reached',
    'mails:labelling.quotaSet',
    'cli:usage',
    'cli:audit.entries',
  ])
    assert.ok(found.whole.has(key), `${key} is found in the source`);
  for (const lang of languages) assert.deepEqual(missingIn(lang, found), [], `keys missing in ${lang}`);
});

test('the key check fails on a mails or cli key that is missing in one language', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peil-keys-'));
  try {
    writeFileSync(
      join(dir, 'a.ts'),
      "t('mails:staff.dearOwner', { org }); t('mails:staff.notThere'); t('cli:usage'); t('cli:errors.notThere');\n",
    );
    writeFileSync(join(dir, 'b.ts'), 'const L = (k: string) => t(`mails:nowhere.${k}`);\n');
    const found = keysInSource(sourceFiles(dir));
    for (const lang of languages)
      assert.deepEqual(missingIn(lang, found), [
        `mails:staff.notThere (${join(dir, 'a.ts')})`,
        `cli:errors.notThere (${join(dir, 'a.ts')})`,
        `mails:nowhere.… (${join(dir, 'b.ts')})`,
      ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
