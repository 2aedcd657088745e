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
  return value.normalize('NFKD').toLowerCase().replace(/[^a-z]/g, '');
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
