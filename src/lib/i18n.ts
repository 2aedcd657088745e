/**
 * The server's side of Peil's message catalogues (issue 14): the same /locales/<language>/<namespace>.json
 * files and the same ICU message format (i18next + i18next-icu) as the admin app. Used for API problems
 * (title and detail in Dutch or English by Accept-Language, with a stable `code`).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInstance, type i18n as I18n } from 'i18next';
import ICU from 'i18next-icu';

export const LANGUAGES = ['nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
/** Peil is Dutch first: a client that states no language it speaks gets Dutch. */
export const DEFAULT_LANGUAGE: Language = 'nl';

// src/lib/i18n.ts is two levels below the checkout, the build's dist/src/lib/i18n.js three: take the
// nearest /locales above this file (a build without it would otherwise fail on its first translated text).
const HERE = dirname(fileURLToPath(import.meta.url));
const LOCALES =
  [join(HERE, '..', '..', 'locales'), join(HERE, '..', '..', '..', 'locales')].find((d) => existsSync(join(d, 'nl'))) ??
  join(HERE, '..', '..', 'locales');

type Tree = { [k: string]: string | Tree };

function loadCatalogues(): Record<Language, Record<string, Tree>> {
  const out = {} as Record<Language, Record<string, Tree>>;
  for (const lng of LANGUAGES) {
    out[lng] = {};
    for (const file of readdirSync(join(LOCALES, lng)).filter((f) => f.endsWith('.json'))) {
      out[lng][file.slice(0, -'.json'.length)] = JSON.parse(readFileSync(join(LOCALES, lng, file), 'utf8')) as Tree;
    }
  }
  return out;
}

let instance: I18n | undefined;
function i18n(): I18n {
  if (instance) return instance;
  const resources = loadCatalogues();
  const created = createInstance();
  void created.use(ICU).init({
    resources,
    lng: DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    ns: Object.keys(resources.nl),
    defaultNS: 'problems',
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  instance = created;
  return created;
}

/** An argument that is itself a text in the reader's language (a list of translated reasons). */
export type Localized = (lng: Language) => string;

/** A message from the catalogues: a key (`namespace:path`) and its ICU arguments. */
export interface Message {
  key: string;
  params?: Record<string, string | number | Localized>;
}

/** The message in the given language; the key itself if the catalogues lack it (test/i18n-catalogues.test.ts prevents that). */
export function translate(lng: Language, message: Message): string {
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(message.params ?? {}))
    params[name] = typeof value === 'function' ? value(lng) : value;
  return i18n().t(message.key, { ...params, lng }) as string;
}

/**
 * The language to answer in, from an Accept-Language header (RFC 9110 §12.5.4): the supported language
 * with the highest weight (`en-GB` counts as `en`, `*` as the default), else Dutch.
 */
export function negotiateLanguage(header: string | undefined): Language {
  if (!header) return DEFAULT_LANGUAGE;
  let best: { lng: Language; q: number } | undefined;
  for (const part of header.split(',').slice(0, 20)) {
    const [range = '', ...params] = part.trim().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    const primary = range.trim().toLowerCase().split('-')[0];
    const lng =
      primary === '*'
        ? DEFAULT_LANGUAGE
        : (LANGUAGES as readonly string[]).includes(primary ?? '')
          ? (primary as Language)
          : undefined;
    if (lng && (!best || q > best.q)) best = { lng, q };
  }
  return best?.lng ?? DEFAULT_LANGUAGE;
}

/** A translator bound to one language: `t('respondent:survey.submit')`, `t('mails:survey.length', { questions: 3 })`. */
export type Translator = (key: string, params?: Record<string, string | number>) => string;

/** The catalogues' messages in one language, for server-rendered pages and mails (respondents, users). */
export function translator(lng: Language): Translator {
  return (key, params) => (params ? translate(lng, { key, params }) : fixed(lng, key));
}

/** A message without arguments never changes (the catalogues are read once): mails ask for the same ones per recipient. */
const fixedTexts = new Map<string, string>();
function fixed(lng: Language, key: string): string {
  const id = `${lng}\0${key}`;
  let text = fixedTexts.get(id);
  if (text === undefined) fixedTexts.set(id, (text = translate(lng, { key })));
  return text;
}

/**
 * The texts of a mail to a customer's staff (or Peil's operators), whose language Peil does not know:
 * built once per language from the catalogues, Dutch first with English beside it (issue 14).
 */
export function bilingual<T>(build: (t: Translator, lng: Language) => T): Record<Language, T> {
  return { nl: build(translator('nl'), 'nl'), en: build(translator('en'), 'en') };
}

/** Such a mail's subject: `Peil: <Dutch> / <English><suffix>` (the suffix a number or name both share). */
export function bilingualSubject(key: string, params?: Record<string, string | number>, suffix = ''): string {
  const s = bilingual((t) => t(key, params));
  return `Peil: ${s.nl} / ${s.en}${suffix}`;
}

/** Such a mail's body: the Dutch lines, a rule, the English lines. */
export function bilingualText(lines: Record<Language, string[]>, after = ''): string {
  return `${lines.nl.join('\n')}\n\n---\n\n${lines.en.join('\n')}\n${after}`;
}

const LOCALE: Record<Language, string> = { nl: 'nl-NL', en: 'en-GB' };
const dayFormats = new Map<Language, Intl.DateTimeFormat>();
const instantFormats = new Map<Language, Intl.DateTimeFormat>();

/** A calendar date (YYYY-MM-DD) as a reader writes it: "12 januari 2027" / "12 January 2027". */
export function formatDay(lng: Language, day: string): string {
  let f = dayFormats.get(lng);
  if (!f)
    dayFormats.set(
      lng,
      (f = new Intl.DateTimeFormat(LOCALE[lng], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })),
    );
  return f.format(new Date(`${day}T12:00:00Z`));
}

/** An instant in Amsterdam time: "12 januari 2027 om 14:05" / "12 January 2027 at 14:05". */
export function formatInstant(lng: Language, at: Date | string): string {
  let f = instantFormats.get(lng);
  if (!f)
    instantFormats.set(
      lng,
      (f = new Intl.DateTimeFormat(LOCALE[lng], {
        dateStyle: 'long',
        timeStyle: 'short',
        timeZone: 'Europe/Amsterdam',
      })),
    );
  return f.format(typeof at === 'string' ? new Date(at) : at);
}
