import { UNSTORABLE_TEXT_RE } from '../../../lib/unstorable.js';
import type { Message } from '../../../lib/i18n.js';
import type { ColumnMapping, ColumnTarget, ContactField } from './types.js';
import { MAX_SLUG_LENGTH, slugify, stripDiacritics } from '../../../lib/slug.js';

export const CONTACT_FIELDS: readonly ContactField[] = [
  'email',
  'first_name',
  'infix',
  'last_name',
  'gender',
  'phone',
  'language',
  'function',
];

/** Spreadsheet column name of a 0-based index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  if (!Number.isInteger(index) || index < 0)
    throw new RangeError(`column index must be a non-negative integer, got ${index}`);
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** Lower-case, no diacritics, only a–z and 0–9: `E-mail adres`, `e_mailadres` and `EMAILADRES` are one header. */
export function normalizeHeader(header: string): string {
  return stripDiacritics(header)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

const SLUG_RE = /^[a-z0-9](?:[a-z0-9_]*[a-z0-9])?$/;

export function isValidSlug(key: string): boolean {
  return key.length <= MAX_SLUG_LENGTH && SLUG_RE.test(key);
}

const ALIASES: Record<string, ContactField> = {};
function alias(field: ContactField, names: string[]): void {
  for (const n of names) ALIASES[normalizeHeader(n)] = field;
}
alias('email', [
  'e-mailadres',
  'e-mail',
  'email',
  'emailadres',
  'mail',
  'mailadres',
  'e-mail address',
  'email address',
]);
alias('first_name', ['voornaam', 'first name', 'firstname', 'given name']);
alias('infix', ['tussenvoegsel', 'tussenvoegsels', 'infix', 'prefix', 'voorvoegsel']);
alias('last_name', ['achternaam', 'last name', 'surname', 'family name', 'familienaam']);
alias('gender', ['geslacht', 'gender', 'sekse', 'sex']);
alias('phone', [
  'telefoon',
  'telefoonnummer',
  'telefoonnr',
  'mobiel',
  'mobielnummer',
  'mobiel nummer',
  'mobile',
  'mobile number',
  'phone',
  'phone number',
  'tel',
  'telnr',
]);
alias('language', ['taal', 'language', 'lang', 'voorkeurstaal']);
alias('function', ['functie', 'function', 'job title', 'role', 'rol', 'functietitel']);

/** `naam`/`name` is a surname next to a first-name column, and a full name otherwise. */
const AMBIGUOUS_NAME = new Set(['naam', 'name']);

/** The recognised standard field for a header, ignoring the ambiguous `naam`. */
export function standardFieldOf(header: string): ContactField | undefined {
  return ALIASES[normalizeHeader(header)];
}

const UNSTORABLE_TEXT_GLOBAL_RE = new RegExp(UNSTORABLE_TEXT_RE.source, 'g');
const EMPTY_HEADER_RE = /^\(kolom [A-Z]+\)$/;

/** Names for the header cells: trailing empty cells dropped, inner empty and repeated ones made unique. */
export function uniqueHeaders(raw: readonly string[]): string[] {
  // A NUL (or a lone surrogate) in a column name cannot be stored as a field's label: it is left out.
  const trimmed = raw.map((h) => h.replace(UNSTORABLE_TEXT_GLOBAL_RE, '').trim());
  let end = trimmed.length;
  while (end > 0 && trimmed[end - 1] === '') end--;
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = 0; i < end; i++) {
    let h = trimmed[i] as string;
    if (h === '') h = `(kolom ${columnLetter(i)})`;
    else if (seen.has(h)) h = `${h} (kolom ${columnLetter(i)})`;
    seen.add(h);
    out.push(h);
  }
  return out;
}

/**
 * A first guess for the mapping screen. Each standard field goes to the first header that names it;
 * later ones become custom fields, so the suggestion always passes validateMapping when the file
 * has an email column. `Naam`/`Name` becomes last_name only when the file also has a first-name
 * column and no surname column: on its own it usually holds the full name, which cannot be split
 * reliably (`Jan van der Berg`), so it is kept as `custom:naam` for the user to decide. Columns
 * without a header are suggested as 'ignore'.
 */
export function suggestMapping(headers: string[]): ColumnMapping {
  const fields = headers.map((h) => standardFieldOf(h));
  const hasFirst = fields.includes('first_name');
  const hasLast = fields.includes('last_name');
  const taken = new Set<ContactField>();
  const slugs = new Set<string>();
  const mapping: ColumnMapping = {};

  headers.forEach((header, i) => {
    if (EMPTY_HEADER_RE.test(header)) {
      mapping[header] = 'ignore';
      return;
    }
    let field = fields[i];
    if (field === undefined && hasFirst && !hasLast && AMBIGUOUS_NAME.has(normalizeHeader(header))) field = 'last_name';
    if (field !== undefined && !taken.has(field)) {
      taken.add(field);
      mapping[header] = field;
      return;
    }
    const base = slugify(header) || `kolom_${columnLetter(i).toLowerCase()}`;
    let slug = base;
    for (let n = 2; slugs.has(slug); n++) slug = `${base.slice(0, MAX_SLUG_LENGTH - String(n).length - 1)}_${n}`;
    slugs.add(slug);
    mapping[header] = `custom:${slug}`;
  });
  return mapping;
}

function isTarget(t: unknown): t is ColumnTarget {
  if (typeof t !== 'string') return false;
  return t === 'ignore' || (CONTACT_FIELDS as readonly string[]).includes(t) || t.startsWith('custom:');
}

/** Problems that make a mapping unusable, as catalogue messages (problems:import.mapping*); empty when it is fine. */
export function validateMapping(headers: string[], mapping: ColumnMapping): Message[] {
  const problems: Message[] = [];
  const index = new Map(headers.map((h, i) => [h, i]));
  const letter = (h: string): string => columnLetter(index.get(h) ?? 0);
  const byTarget = new Map<string, string[]>();
  const problem = (key: string, params: Record<string, string | number>): void => {
    problems.push({ key: `problems:import.${key}`, params });
  };

  for (const [header, target] of Object.entries(mapping)) {
    if (!index.has(header)) {
      problem('mappingUnknownColumn', { header });
      continue;
    }
    if (!isTarget(target)) {
      problem('mappingBadTarget', { header, column: letter(header), target: String(target) });
      continue;
    }
    if (target === 'ignore') continue;
    if (target.startsWith('custom:') && !isValidSlug(target.slice(7))) {
      problem('mappingBadKey', { header, column: letter(header), target, max: MAX_SLUG_LENGTH });
      continue;
    }
    const list = byTarget.get(target) ?? [];
    list.push(header);
    byTarget.set(target, list);
  }

  if (!byTarget.has('email')) problems.push({ key: 'problems:import.mappingNoEmail' });
  for (const [target, list] of byTarget) {
    if (list.length < 2) continue;
    list.sort((a, b) => (index.get(a) ?? 0) - (index.get(b) ?? 0));
    problem('mappingTwice', {
      columns: list.map((h) => `“${h}” (${letter(h)})`).join(', '),
      count: list.length,
      target,
    });
  }
  return problems;
}
