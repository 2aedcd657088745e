import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { ParsedContact } from './types.js';

// Deliberately not RFC 5322: no quoted local parts or IP literals, which no survey mailing needs and
// which usually mean a typo. Unicode letters are allowed in the domain for internationalised domains.
const EMAIL_RE =
  /^(?!\.)(?!.*\.\.)[^\s@"(),:;<>[\]\\]{1,64}(?<!\.)@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})$/u;

/** The address lower-cased, or undefined when it is not a usable address. Expects a trimmed value. */
export function normalizeEmail(value: string): string | undefined {
  if (value.length > 254) return undefined;
  const email = value.toLowerCase();
  return EMAIL_RE.test(email) ? email : undefined;
}

// libphonenumber costs ~11 µs a call, more than reading the row. For a Dutch number of the usual
// 9 significant digits its metadata decides validity on the leading digits alone (at most 3 today),
// so the verdict is cached per 4-digit prefix; values.test.ts checks that this still holds.
const NL_COMPACT_RE = /^(?:\+31|0031|0)?([1-9]\d{8})$/;
const PHONE_SEPARATORS_RE = /[\s.()-]+/g;
const nlPrefixValid = new Map<string, boolean>();

/** E.164, or undefined when libphonenumber (max metadata, default region NL) says it is not a valid number. */
export function normalizePhone(value: string): string | undefined {
  const m = NL_COMPACT_RE.exec(value.replace(PHONE_SEPARATORS_RE, ''));
  if (m) {
    const nsn = m[1] as string;
    const prefix = nsn.slice(0, 4);
    let valid = nlPrefixValid.get(prefix);
    if (valid === undefined) {
      valid = phoneSlow(`0${nsn}`) === `+31${nsn}`;
      nlPrefixValid.set(prefix, valid);
    }
    return valid ? `+31${nsn}` : undefined;
  }
  return phoneSlow(value);
}

/** The uncached libphonenumber check. */
export function phoneSlow(value: string): string | undefined {
  const parsed = parsePhoneNumberFromString(value, 'NL');
  return parsed?.isValid() ? parsed.number : undefined;
}

function key(value: string): string {
  return value
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

type Gender = NonNullable<ParsedContact['gender']>;
const GENDERS = new Map<string, Gender>();
function genders(g: Gender, words: string[]): void {
  for (const w of words) GENDERS.set(key(w), g);
}
// Salutations are accepted because Dutch CRM exports often carry `Aanhef` values in this column.
genders('male', ['man', 'm', 'male', 'mannelijk', 'heer', 'de heer', 'dhr', 'dhr.', 'meneer', 'mr', 'mr.']);
genders('female', ['vrouw', 'v', 'f', 'female', 'vrouwelijk', 'mevrouw', 'mw', 'mw.', 'mevr', 'mevr.', 'mrs', 'ms']);
genders('other', ['x', 'anders', 'other', 'non-binair', 'non-binary', 'nonbinair', 'overig']);
genders('unknown', ['onbekend', 'unknown']);

/** Expects a non-empty trimmed value; undefined when not recognised. */
export function normalizeGender(value: string): Gender | undefined {
  const k = key(value);
  return k === '' ? undefined : GENDERS.get(k);
}

const LANGUAGES = new Map<string, 'nl' | 'en'>([
  ['nl', 'nl'],
  ['nld', 'nl'],
  ['dut', 'nl'],
  ['nederlands', 'nl'],
  ['dutch', 'nl'],
  ['vlaams', 'nl'],
  ['en', 'en'],
  ['eng', 'en'],
  ['engels', 'en'],
  ['english', 'en'],
]);
const LOCALE_RE = /^(nl|en)[-_][a-z]{2}$/;

/** Expects a non-empty trimmed value; accepts codes, names in Dutch and English, and locales such as nl-BE. */
export function normalizeLanguage(value: string): 'nl' | 'en' | undefined {
  const v = value.toLowerCase();
  const hit = LANGUAGES.get(v);
  if (hit) return hit;
  const m = LOCALE_RE.exec(v);
  return m ? (m[1] as 'nl' | 'en') : undefined;
}

// ---------------------------------------------------------------- typed profile fields (SVC-1)

export type ProfileFieldType = 'text' | 'number' | 'date' | 'choice';

/** What a profile field accepts. Stored: text/choice → string, number → number, date → 'YYYY-MM-DD'. */
export interface ProfileFieldSpec {
  type: ProfileFieldType;
  /** The options of a choice field, canonical spelling. */
  options?: readonly string[] | null;
}

export type ProfileValueError = 'number_invalid' | 'date_invalid' | 'choice_invalid' | 'too_long';

export const MAX_PROFILE_TEXT = 1000;

const INT_RE = /^[+-]?\d+$/;
const NUMBER_SPACES_RE = /[\s\u00a0\u202f']/g;

/**
 * A number as Dutch people write it, or undefined. `12,5` and `1.234,5` are Dutch (decimal comma,
 * thousands dot); `1.234` and `1.234.567` are thousands (3-digit groups after a dot); otherwise a
 * single dot is a decimal point (`12.5`, what systems export). With both, the last one is the decimal
 * separator (`1,234.5` works too). Spaces as thousands separators are allowed.
 */
export function normalizeNumber(value: string): number | undefined {
  const v = value.replace(NUMBER_SPACES_RE, '');
  if (v === '' || v.length > 40) return undefined;
  if (INT_RE.test(v)) return finite(Number(v));
  const m = /^([+-]?)(\d[\d.,]*)$/.exec(v);
  if (!m) return undefined;
  const sign = m[1] === '-' ? -1 : 1;
  const body = m[2] as string;
  const lastDot = body.lastIndexOf('.');
  const lastComma = body.lastIndexOf(',');
  let intPart: string;
  let frac = '';
  let group: string | undefined;
  if (lastDot >= 0 && lastComma >= 0) {
    const dec = lastDot > lastComma ? '.' : ',';
    group = dec === '.' ? ',' : '.';
    const at = body.lastIndexOf(dec);
    intPart = body.slice(0, at);
    frac = body.slice(at + 1);
  } else if (lastComma >= 0) {
    // One comma is a decimal comma; several (1,234,567) are thousands.
    if (body.indexOf(',') === lastComma) {
      intPart = body.slice(0, lastComma);
      frac = body.slice(lastComma + 1);
    } else {
      intPart = body;
      group = ',';
    }
  } else {
    // Dots only: 3-digit groups are thousands (Dutch 1.234), anything else is a decimal point.
    if (/^\d{1,3}(\.\d{3})+$/.test(body)) {
      intPart = body;
      group = '.';
    } else if (body.indexOf('.') === lastDot) {
      intPart = body.slice(0, lastDot);
      frac = body.slice(lastDot + 1);
    } else return undefined;
  }
  if (group !== undefined && intPart.includes(group)) {
    if (!new RegExp(`^\\d{1,3}(\\${group}\\d{3})+$`).test(intPart)) return undefined;
    intPart = intPart.split(group).join('');
  }
  if (!/^\d+$/.test(intPart) || (frac !== '' && !/^\d+$/.test(frac))) return undefined;
  if (body.endsWith('.') || body.endsWith(',')) return undefined;
  return finite(sign * Number(`${intPart}.${frac || '0'}`));
}

function finite(n: number): number | undefined {
  return Number.isFinite(n) ? (Object.is(n, -0) ? 0 : n) : undefined;
}

const DMY_RE = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/;
const YMD_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?Z?)?$/;

/** 'YYYY-MM-DD' from dd-mm-jjjj, d-m-jjjj (also with / or .), or jjjj-mm-dd; undefined for anything else or a day that does not exist. */
export function normalizeDate(value: string): string | undefined {
  let y: number, mo: number, d: number;
  const dmy = DMY_RE.exec(value);
  const ymd = dmy ? null : YMD_RE.exec(value);
  if (dmy) [d, mo, y] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])];
  else if (ymd) [y, mo, d] = [Number(ymd[1]), Number(ymd[2]), Number(ymd[3])];
  else return undefined;
  if (y < 1000 || mo < 1 || mo > 12 || d < 1) return undefined;
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The option as defined, matched case- and accent-insensitively; undefined when it is none of them. */
export function normalizeChoice(value: string, options: readonly string[]): string | undefined {
  const k = choiceKey(value);
  return options.find((o) => choiceKey(o) === k);
}

function choiceKey(v: string): string {
  return v
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A profile value for storage, checked against its field. Accepts what a file cell or an API client
 * sends: a string in any of the accepted forms, or a JSON number for number fields (and a number
 * for a text field, kept as written).
 */
export function normalizeProfileValue(
  spec: ProfileFieldSpec,
  value: string | number,
): { value: string | number } | { error: ProfileValueError } {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { error: spec.type === 'date' ? 'date_invalid' : 'number_invalid' };
    if (spec.type === 'number') return { value };
    value = String(value);
  }
  const v = value.trim();
  switch (spec.type) {
    case 'text':
      return v.length > MAX_PROFILE_TEXT ? { error: 'too_long' } : { value: v };
    case 'number': {
      const n = normalizeNumber(v);
      return n === undefined ? { error: 'number_invalid' } : { value: n };
    }
    case 'date': {
      const d = normalizeDate(v);
      return d === undefined ? { error: 'date_invalid' } : { value: d };
    }
    case 'choice': {
      const c = normalizeChoice(v, spec.options ?? []);
      return c === undefined ? { error: 'choice_invalid' } : { value: c };
    }
  }
}
