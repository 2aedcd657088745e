import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';

/**
 * Selections: which contacts a distribution invites, by filters on the standard fields (language,
 * gender, function) or on profile fields (`profile.<key>`). Filters compile to SQL over `contacts c`
 * with every value as a parameter; a profile key is checked against ^[a-z0-9_]{1,64}$ and passed as
 * a parameter too, so nothing a client sends is ever spliced into the statement.
 *
 * Values as Engineer B stores them: text/choice a JSON string, number a JSON number, date a
 * 'YYYY-MM-DD' string. A number in a filter compares numerically (a stored numeric string, as a CSV
 * import writes it, counts as its number); a string compares as text in byte order, which orders
 * 'YYYY-MM-DD' dates correctly. `neq` and `notIn` also match contacts without the field.
 */
export const STANDARD_FIELDS = ['language', 'gender', 'function'] as const;
export const FILTER_OPS = ['eq', 'neq', 'in', 'notIn', 'gt', 'gte', 'lt', 'lte', 'exists', 'missing'] as const;

const scalar = z.union([z.string().max(500), z.number().finite()]);

export const filterSchema = z
  .object({
    field: z
      .string()
      .regex(
        /^(language|gender|function|profile\.[a-z0-9_]{1,64})$/,
        'a standard field (language, gender, function) or profile.<key> with key [a-z0-9_]{1,64}',
      )
      .describe('`language`, `gender`, `function`, or `profile.<key>`'),
    op: z.enum(FILTER_OPS),
    value: z
      .union([scalar, z.array(scalar).min(1).max(1000)])
      .optional()
      .describe('a string or number; an array for in/notIn; none for exists/missing'),
  })
  .superRefine((f, c) => {
    const list = f.op === 'in' || f.op === 'notIn';
    const none = f.op === 'exists' || f.op === 'missing';
    // Issue 14: the reason in English and as a catalogue message (problems:validation.filter.*), by language.
    const issue = (message: string, key: string) =>
      c.addIssue({
        code: 'custom',
        path: ['value'],
        message,
        params: { text: { key: `problems:validation.filter.${key}`, params: { op: f.op } } },
      });
    if (none && f.value !== undefined) issue(`${f.op} takes no value`, 'noValue');
    if (!none && f.value === undefined) issue(`${f.op} needs a value`, 'needsValue');
    if (list && f.value !== undefined && !Array.isArray(f.value))
      issue(`${f.op} needs an array of values`, 'needsList');
    if (!list && Array.isArray(f.value)) issue(`${f.op} needs a single value`, 'needsOne');
  });
export type Filter = z.infer<typeof filterSchema>;

export const selectionSchema = z
  .object({
    match: z.enum(['all', 'any']).default('all').describe('all: every filter must hold; any: at least one'),
    filters: z.array(filterSchema).max(50),
  })
  .describe('Contacts chosen by filters on standard and profile fields')
  .meta({
    examples: [
      {
        match: 'all',
        filters: [
          { field: 'language', op: 'eq', value: 'nl' },
          { field: 'profile.age', op: 'gte', value: 30 },
          { field: 'profile.region', op: 'in', value: ['Noord', 'Oost'] },
        ],
      },
    ],
  });
export type Selection = z.infer<typeof selectionSchema>;

/** Numeric view of a profile value: a JSON number, or a string that is a plain decimal number. */
function numericOf(key: string): RawBuilder<unknown> {
  return sql`(CASE WHEN jsonb_typeof(c.profile -> ${key}::text) = 'number' THEN (c.profile ->> ${key}::text)::numeric
                   WHEN (c.profile ->> ${key}::text) ~ '^-?[0-9]{1,30}(\\.[0-9]{1,30})?$' THEN (c.profile ->> ${key}::text)::numeric END)`;
}

function compileFilter(f: Filter): RawBuilder<unknown> {
  const profileKey = f.field.startsWith('profile.') ? f.field.slice('profile.'.length) : null;
  if (profileKey !== null && !/^[a-z0-9_]{1,64}$/.test(profileKey)) throw new Error('invalid profile key');
  if (profileKey === null && !(STANDARD_FIELDS as readonly string[]).includes(f.field))
    throw new Error('invalid field');
  const text = profileKey !== null ? sql`(c.profile ->> ${profileKey}::text)` : sql.ref(`c.${f.field}`);
  const num = profileKey !== null ? numericOf(profileKey) : sql`NULL::numeric`;
  const exists = sql`(${text} IS NOT NULL AND ${text} <> '')`;
  const cmp = (op: string, v: string | number): RawBuilder<unknown> => {
    const o = sql.raw(op);
    return typeof v === 'number'
      ? sql`coalesce(${num} ${o} ${v}::numeric, false)`
      : sql`coalesce(${text} COLLATE "C" ${o} ${v}::text, false)`;
  };
  const values = (Array.isArray(f.value) ? f.value : f.value === undefined ? [] : [f.value]) as (string | number)[];
  const anyOf = (): RawBuilder<unknown> => {
    const strs = values.filter((v): v is string => typeof v === 'string');
    const nums = values.filter((v): v is number => typeof v === 'number');
    const parts: RawBuilder<unknown>[] = [];
    if (strs.length) parts.push(sql`coalesce(${text} = ANY(${strs}::text[]), false)`);
    if (nums.length) parts.push(sql`coalesce(${num} = ANY(${nums}::numeric[]), false)`);
    return parts.length ? sql`(${sql.join(parts, sql` OR `)})` : sql`false`;
  };
  switch (f.op) {
    case 'exists':
      return exists;
    case 'missing':
      return sql`NOT ${exists}`;
    case 'eq':
      return cmp('=', values[0]!);
    case 'neq':
      return sql`NOT ${cmp('=', values[0]!)}`;
    case 'in':
      return anyOf();
    case 'notIn':
      return sql`NOT ${anyOf()}`;
    case 'gt':
      return cmp('>', values[0]!);
    case 'gte':
      return cmp('>=', values[0]!);
    case 'lt':
      return cmp('<', values[0]!);
    case 'lte':
      return cmp('<=', values[0]!);
  }
}

/** The selection as a boolean SQL condition over `contacts c`. */
export function compileSelection(s: Selection): RawBuilder<unknown> {
  if (s.filters.length === 0) return sql`TRUE`;
  const parts = s.filters.map((f) => sql`(${compileFilter(f)})`);
  return sql`(${sql.join(parts, s.match === 'any' ? sql` OR ` : sql` AND `)})`;
}

/** What a distribution sends to: everyone, a list of contact ids, or a selection by filters. */
export type Audience = { all: true } | { contactIds: string[] } | { selection: Selection };

export function audienceCondition(a: Audience): RawBuilder<unknown> {
  if ('all' in a) return sql`TRUE`;
  if ('contactIds' in a) return sql`c.id = ANY(${a.contactIds}::uuid[])`;
  return compileSelection(a.selection);
}
