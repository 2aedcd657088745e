/**
 * Issue 14: the reasons of a request that fails its zod schema, in the client's language. zod writes
 * its messages once, in English, while it parses (before the language of the answer is known); here
 * each issue is written again per request with zod v4's own locales (`z.locales.nl()` /
 * `z.locales.en()`), never by switching zod's global configuration. The item's `code` is zod's issue
 * code (too_small, invalid_type, ...), the same in every language.
 *
 * A schema's own message (`.regex(re, 'lower-case letters, ...')`, a refinement's message) is taken
 * from the catalogue: a refinement may carry its catalogue message in its params
 * (`{ message, params: { text: { key } } }`), and the messages listed in OWN_MESSAGES have one in
 * `problems:validation.*`. Any other own message is sent as its author wrote it (several are written
 * "Nederlands / English"), since zod's generic text for it ("Ongeldige invoer") would say less.
 */
import type { FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import { safeParse, type $ZodType, type $ZodRawIssue } from 'zod/v4/core';
import { translate, type Language, type Message } from '../i18n.js';
import type { ProblemItem } from '../errors.js';

const LOCALES: Record<Language, (issue: $ZodRawIssue) => string | undefined> = {
  nl: dutchNouns(mustFormat(z.locales.nl().localeError)),
  en: mustFormat(z.locales.en().localeError),
};

/** zod's Dutch locale names the kind of value in English ("verwacht dat string >=1 tekens heeft"); these say it in Dutch. */
const NL_KINDS: Record<string, string> = {
  string: 'de tekst',
  array: 'de lijst',
  set: 'de verzameling',
  map: 'de tabel',
  file: 'het bestand',
  number: 'het getal',
  int: 'het getal',
  bigint: 'het getal',
  date: 'de datum',
};
const NL_TYPES: Record<string, string> = {
  string: 'tekst',
  number: 'getal',
  getal: 'getal',
  boolean: 'ja of nee',
  array: 'lijst',
  object: 'object',
  undefined: 'niets',
  null: 'leeg (null)',
  date: 'datum',
  bigint: 'getal',
};

function dutchNouns(format: (issue: $ZodRawIssue) => string | undefined): (issue: $ZodRawIssue) => string | undefined {
  return (issue) => {
    const text = format(issue);
    if (!text) return text;
    const origin = (issue as { origin?: string }).origin;
    if ((issue.code === 'too_small' || issue.code === 'too_big') && origin && NL_KINDS[origin])
      return text.replace(`verwacht dat ${origin} `, `verwacht dat ${NL_KINDS[origin]} `);
    if (issue.code === 'invalid_type')
      return text.replace(
        /verwacht (\w+), ontving (\w+)$/,
        (all, expected: string, received: string) =>
          `verwacht ${NL_TYPES[expected] ?? expected}, ontving ${NL_TYPES[received] ?? received}`,
      );
    return text;
  };
}

function mustFormat(
  localeError: ReturnType<typeof z.locales.en>['localeError'],
): (issue: $ZodRawIssue) => string | undefined {
  return (issue) => {
    const out = localeError?.(issue);
    return typeof out === 'string' ? out : out?.message;
  };
}

/** A schema's own English messages that have a catalogue message (problems:validation.<key>). */
const OWN_MESSAGES: Record<string, string> = {
  'lower-case letters, digits and dashes, 2–63 characters': 'slug',
  'six digits': 'sixDigits',
  'a date YYYY-MM-DD': 'date',
  'a date, YYYY-MM-DD': 'date',
  'a date as YYYY-MM-DD': 'date',
  'an ISO 3166-1 alpha-2 country code, e.g. NL': 'country',
  'lower-case letters, digits and _ (at most 40), starting with a letter': 'questionId',
  'lower-case letters, digits and _': 'optionValue',
  'not a calendar date': 'calendarDate',
  'give exactly one of all, contactIds or selection': 'oneAudience',
  'give either contactId or email': 'contactOrEmail',
  'give active or events': 'activeOrEvents',
  'give blocked, monthlyQuota or both': 'blockedOrQuota',
  'not a category of the register vocabulary (GET /api/v1/register/vocabulary)': 'category',
};

const ZOD_ERROR = Symbol.for('ZodFastifySchemaValidationError');

/**
 * fastify-type-provider-zod's validator, with `reportInput`: the issues keep the value they are
 * about, so that they can be written again in another language ("expected number, received string").
 * The value stays on the server: only the pointer, code and reason are sent.
 */
export const validatorCompiler: FastifySchemaCompiler<$ZodType> =
  ({ schema }) =>
  (data) => {
    const result = safeParse(schema, data, { reportInput: true });
    if (!result.error) return { value: result.data };
    return {
      error: result.error.issues.map((issue) => {
        const { path, code, message, ...params } = issue;
        return {
          [ZOD_ERROR]: true,
          keyword: code,
          instancePath: `/${path.join('/')}`,
          schemaPath: `#/${path.join('/')}/${code}`,
          message,
          params,
        };
      }),
    } as unknown as { error: Error };
  };

interface ValidationEntry {
  keyword?: string;
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** One problem item per zod issue: pointer, stable code, reason in the client's language. */
export function zodItems(validation: readonly ValidationEntry[], context: string): ProblemItem[] {
  return validation.map((v) => {
    const issue = { ...v.params, code: v.keyword } as unknown as $ZodRawIssue;
    const english = v.message ?? LOCALES.en(issue) ?? 'invalid';
    const item: ProblemItem = {
      pointer: `/${context}${v.instancePath}`,
      code: v.keyword ?? 'invalid',
      reason: english,
    };
    const text = (v.params?.params as { text?: Message } | undefined)?.text;
    if (english === LOCALES.en(issue))
      item.localized = (lng) => (lng === 'en' ? english : (LOCALES[lng](issue) ?? english));
    else if (text) item.message = text;
    else if (OWN_MESSAGES[english]) item.message = { key: `problems:validation.${OWN_MESSAGES[english]}` };
    return item;
  });
}

/** The items as one line, in a language: "/body/name: Te kort: …; /body/kind: …". */
export function summaryOf(items: readonly ProblemItem[], lng: Language): string {
  return items
    .map((e) => {
      const reason = e.message ? translate(lng, e.message) : e.localized ? e.localized(lng) : e.reason;
      return `${e.pointer}: ${reason}`;
    })
    .join('; ');
}
