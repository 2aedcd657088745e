import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction } from '../../lib/audit.js';
import type { FieldSpecs } from './file/contact-file.js';
import { normalizeProfileValue, type ProfileFieldSpec } from './file/values.js';
import type { Tx } from '../../lib/db/db.js';
import type { ProfileFieldType } from '../../lib/db/schema.js';
import { AppError, ErrorCode, type ProblemItem } from '../../lib/errors.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, callerOf } from '../auth/guard.js';
import { checkProfileFields, fieldCategory } from '../register/service.js';

/**
 * Typed profile fields (OBLIGATIONS SVC-1). A field says what the values of one key of
 * contacts.profile hold; the import, a correction and the API check values against it, and
 * selections filter on the stored form (text/choice → string, number → number, date → 'YYYY-MM-DD').
 */

export const FIELD_KEY_RE = /^[a-z0-9_]{1,64}$/;
const fieldType = z
  .enum(['text', 'number', 'date', 'choice'])
  .describe('text, number, date (stored as YYYY-MM-DD) or choice (one of options)');
const labelText = z.string().trim().min(1).max(200);
const options = z
  .array(z.string().trim().min(1).max(200))
  .min(1)
  .max(200)
  .describe('The allowed values of a choice field, in display order');

export const profileFieldView = z
  .object({
    key: z.string().describe("The key in the contact's profile and in an import mapping (custom:<key>)"),
    type: fieldType,
    label: z.object({ nl: z.string(), en: z.string() }),
    options: z.array(z.string()).optional(),
    grouping: z
      .boolean()
      .describe(
        "A grouping field: users who may not read contact details (analysts, viewers) may break results down by it, never in groups below the survey's minimum group size (OBLIGATIONS ACC-2)",
      ),
    category: z
      .string()
      .describe(
        'OBLIGATIONS REG-2: the register category of its values (profile.<key> unless set; a key or label that suggests a special category makes it that one)',
      ),
  })
  .meta({
    examples: [
      {
        key: 'afdeling',
        type: 'choice',
        label: { nl: 'Afdeling', en: 'Department' },
        options: ['Zorg', 'Facilitair', 'Staf'],
        grouping: true,
        category: 'work.department',
      },
    ],
  });
const category = z
  .string()
  .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/)
  .max(80)
  .nullable()
  .describe(
    'OBLIGATIONS REG-2: the register category, e.g. work.department or special.health (null: profile.<key>); special categories only when the agreement allows them (422)',
  );
const grouping = z
  .boolean()
  .describe(
    'Mark as a grouping field: analysts and viewers may then break results down by it (never in groups below the minimum group size)',
  );

const createBody = z
  .object({
    key: z.string().regex(FIELD_KEY_RE).describe('a–z, 0–9 and _, at most 64 characters'),
    type: fieldType,
    label: z
      .object({ nl: labelText, en: labelText.optional() })
      .describe('The label in Dutch and English (English defaults to the Dutch one)'),
    options: options.optional(),
    grouping: grouping.default(false),
    category: category.optional(),
  })
  .strict()
  .meta({
    examples: [{ key: 'in_dienst_sinds', type: 'date', label: { nl: 'In dienst sinds', en: 'Employed since' } }],
  });

const patchBody = z
  .object({
    type: fieldType.optional().describe('Only while no contact has a value for this field'),
    label: z.object({ nl: labelText.optional(), en: labelText.optional() }).optional(),
    options: options
      .optional()
      .describe("A choice field's options; an option still held by a contact cannot be removed"),
    grouping: grouping.optional(),
    category: category.optional(),
  })
  .strict();

type FieldRow = {
  key: string;
  type: ProfileFieldType;
  label_nl: string;
  label_en: string;
  options: string[] | null;
  grouping: boolean;
  category: string | null;
};

export function toField(r: FieldRow): z.infer<typeof profileFieldView> {
  return {
    key: r.key,
    type: r.type,
    label: { nl: r.label_nl, en: r.label_en },
    ...(r.type === 'choice' ? { options: r.options ?? [] } : {}),
    grouping: r.grouping,
    category: fieldCategory(r),
  };
}

export async function loadFieldSpecs(tx: Tx): Promise<Map<string, ProfileFieldSpec>> {
  const rows = await tx.selectFrom('profile_fields').select(['key', 'type', 'options']).execute();
  return new Map(rows.map((r) => [r.key, { type: r.type, options: r.options ?? null }]));
}

/** Options must differ in more than case and accents: matching an import's value picks one. */
function checkOptions(type: ProfileFieldType, opts: string[] | undefined, pointer: string): string[] | null {
  if (type !== 'choice') {
    if (opts !== undefined)
      throw new AppError(
        ErrorCode.VALIDATION,
        { key: 'problems:contacts.optionsOnlyForChoice' },
        {
          errors: [{ pointer, reason: 'only for type choice' }],
        },
      );
    return null;
  }
  if (!opts)
    throw new AppError(
      ErrorCode.VALIDATION,
      { key: 'problems:contacts.choiceNeedsOptions' },
      {
        errors: [{ pointer, reason: 'required for type choice' }],
      },
    );
  const seen = new Set<string>();
  for (const [i, o] of opts.entries()) {
    const k = o
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase();
    if (seen.has(k))
      throw new AppError(
        ErrorCode.VALIDATION,
        { key: 'problems:contacts.optionTwice', params: { option: o } },
        {
          errors: [{ pointer: `${pointer}/${i}`, reason: 'duplicate option' }],
        },
      );
    seen.add(k);
  }
  return opts;
}

const TEXT: ProfileFieldSpec = { type: 'text' };

/**
 * Checks a profile from a correction or the API against the fields; null (or '') stands for "no
 * value". A key without a field is text, as in an import, and is added to `newKeys`: the caller
 * creates it as a text field in the same transaction (createTextFields).
 */
export function checkProfile(
  specs: FieldSpecs,
  profile: Record<string, string | number | null>,
  pointer: string,
  errors: ProblemItem[],
  newKeys?: Set<string>,
): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = {};
  for (const [key, raw] of Object.entries(profile)) {
    let spec = specs.get(key);
    if (!spec) {
      spec = TEXT;
      if (raw !== null && raw !== '') newKeys?.add(key);
    }
    if (raw === null || raw === '') {
      out[key] = null;
      continue;
    }
    const r = normalizeProfileValue(spec, raw);
    if ('value' in r) out[key] = r.value;
    else
      errors.push({
        pointer: `${pointer}/${key}`,
        reason: {
          number_invalid: 'not a number',
          date_invalid: 'not a date (dd-mm-jjjj or jjjj-mm-dd)',
          choice_invalid: `not one of the options: ${(spec.options ?? []).join(', ')}`,
          too_long: 'longer than 1000 characters',
        }[r.error],
        ...(typeof raw === 'string' ? { value: raw.slice(0, 100) } : {}),
      });
  }
  return out;
}

export function profileFieldRoutes(ctx: AppContext, app: FastifyInstance): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/profile-fields',
    {
      config: { access: { permission: Permission.SURVEYS_READ } },
      schema: {
        tags: ['contacts'],
        summary:
          'The typed profile fields of contacts (every role: selections and results use them; they hold no personal data)',
        response: {
          200: z.object({ fields: z.array(profileFieldView) }).meta({
            examples: [
              {
                fields: [
                  {
                    key: 'afdeling',
                    type: 'choice',
                    label: { nl: 'Afdeling', en: 'Department' },
                    options: ['Zorg', 'Facilitair', 'Staf'],
                    grouping: true,
                    category: 'work.department',
                  },
                  {
                    key: 'in_dienst_sinds',
                    type: 'date',
                    label: { nl: 'In dienst sinds', en: 'Employed since' },
                    grouping: false,
                    category: 'profile.in_dienst_sinds',
                  },
                  {
                    key: 'uren',
                    type: 'number',
                    label: { nl: 'Uren per week', en: 'Hours per week' },
                    grouping: false,
                    category: 'profile.uren',
                  },
                ],
              },
            ],
          }),
        },
      },
    },
    async (request) => {
      const auth = callerOf(request);
      return ctx.db.tenant(auth.tenantId, async (tx) => {
        const rows = await tx
          .selectFrom('profile_fields')
          .select(['key', 'type', 'label_nl', 'label_en', 'options', 'grouping', 'category'])
          .orderBy('key')
          .execute();
        return { fields: rows.map(toField) };
      });
    },
  );

  r.post(
    '/api/v1/profile-fields',
    {
      config: { access: { permission: Permission.CONTACTS_WRITE } },
      schema: {
        tags: ['contacts'],
        summary: 'Define a profile field',
        description:
          'Its values are then checked on import (column mapped to custom:<key>), on correction and in the contacts API.',
        body: createBody,
        response: { 201: profileFieldView },
      },
    },
    async (request, reply) => {
      const auth = callerOf(request);
      const b = request.body;
      const opts = checkOptions(b.type, b.options, '/body/options');
      const row: FieldRow = {
        key: b.key,
        type: b.type,
        label_nl: b.label.nl,
        label_en: b.label.en ?? b.label.nl,
        options: opts,
        grouping: b.grouping,
        category: b.category ?? null,
      };
      await ctx.db.tenant(auth.tenantId, async (tx) => {
        // OBLIGATIONS REG-3: a special category (set, or suggested by the key or a label) only when the agreement allows it.
        await checkProfileFields(tx, auth.tenantId, [{ ...row, pointer: '/body' }]);
        const res = await tx
          .insertInto('profile_fields')
          .values({ tenant_id: auth.tenantId, ...row, options: opts === null ? null : JSON.stringify(opts) })
          .onConflict((oc) => oc.doNothing())
          .returning('key')
          .executeTakeFirst();
        if (!res)
          throw new AppError(
            ErrorCode.CONFLICT,
            { key: 'problems:contacts.fieldExists', params: { key: b.key } },
            {
              errors: [
                { pointer: '/body/key', code: 'taken', reason: 'taken', message: { key: 'problems:reasons.taken' } },
              ],
            },
          );
        await audit(tx, auth.tenantId, actorOf(request, auth), {
          action: AuditAction.PROFILE_FIELD_CREATED,
          subject: { kind: 'profile_field', id: b.key },
          details: { type: b.type, category: fieldCategory(row) },
        });
      });
      return reply
        .code(201)
        .header('location', `/api/v1/profile-fields/${encodeURIComponent(row.key)}`)
        .send(toField(row));
    },
  );

  r.patch(
    '/api/v1/profile-fields/:key',
    {
      config: { access: { permission: Permission.CONTACTS_WRITE } },
      schema: {
        tags: ['contacts'],
        summary: "Change a profile field's labels or options (or its type, while no contact has a value)",
        params: z.object({ key: z.string() }),
        body: patchBody,
        response: { 200: profileFieldView },
      },
    },
    async (request) => {
      const auth = callerOf(request);
      const key = request.params.key;
      if (!FIELD_KEY_RE.test(key)) throw AppError.notFound('profile field');
      const b = request.body;
      return ctx.db.tenant(auth.tenantId, async (tx) => {
        const cur = await tx
          .selectFrom('profile_fields')
          .select(['key', 'type', 'label_nl', 'label_en', 'options', 'grouping', 'category'])
          .where('key', '=', key)
          .forUpdate()
          .executeTakeFirst();
        if (!cur) throw AppError.notFound('profile field');
        const type = b.type ?? cur.type;
        if (type !== cur.type) {
          const used = await sql<{ n: number }>`SELECT count(*)::int AS n FROM contacts WHERE profile ? ${key}`.execute(
            tx,
          );
          const n = used.rows[0]?.n ?? 0;
          if (n > 0) {
            throw new AppError(
              ErrorCode.CONFLICT,
              { key: 'problems:contacts.typeInUse', params: { count: n, key } },
              {
                errors: [{ pointer: '/body/type', reason: 'in use' }],
                extra: { contacts: n },
              },
            );
          }
        }
        const opts = checkOptions(
          type,
          b.options ?? (type === 'choice' && cur.type === 'choice' ? (cur.options ?? undefined) : undefined),
          '/body/options',
        );
        if (opts && cur.type === 'choice' && cur.options) {
          const removed = cur.options.filter((o) => !opts.includes(o));
          if (removed.length) {
            const used = await sql<{
              v: string;
            }>`SELECT DISTINCT profile ->> ${key} AS v FROM contacts WHERE profile ->> ${key} = ANY(${removed}::text[])`.execute(
              tx,
            );
            if (used.rows.length) {
              throw new AppError(
                ErrorCode.CONFLICT,
                {
                  key: 'problems:contacts.optionsInUse',
                  params: { options: used.rows.map((u) => `"${u.v}"`).join(', ') },
                },
                {
                  errors: [{ pointer: '/body/options', reason: 'option in use' }],
                },
              );
            }
          }
        }
        const next: FieldRow = {
          key,
          type,
          label_nl: b.label?.nl ?? cur.label_nl,
          label_en: b.label?.en ?? cur.label_en,
          options: opts,
          grouping: b.grouping ?? cur.grouping,
          category: b.category !== undefined ? b.category : cur.category,
        };
        // OBLIGATIONS REG-3: a renamed field is checked again (its new labels may suggest a special category).
        await checkProfileFields(tx, auth.tenantId, [{ ...next, pointer: '/body' }]);
        await tx
          .updateTable('profile_fields')
          .set({
            type,
            label_nl: next.label_nl,
            label_en: next.label_en,
            options: opts === null ? null : JSON.stringify(opts),
            grouping: next.grouping,
            category: next.category,
            updated_at: new Date(),
          })
          .where('key', '=', key)
          .execute();
        const changed = (['type', 'label_nl', 'label_en', 'options', 'grouping', 'category'] as const).filter(
          (f) => JSON.stringify(cur[f] ?? null) !== JSON.stringify(next[f] ?? null),
        );
        await audit(tx, auth.tenantId, actorOf(request, auth), {
          action: AuditAction.PROFILE_FIELD_UPDATED,
          subject: { kind: 'profile_field', id: key },
          details: { changed },
        });
        return toField(next);
      });
    },
  );

  r.delete(
    '/api/v1/profile-fields/:key',
    {
      config: { access: { permission: Permission.CONTACTS_WRITE } },
      schema: {
        tags: ['contacts'],
        summary: "Delete a profile field and every contact's value of it",
        params: z.object({ key: z.string() }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const auth = callerOf(request);
      const key = request.params.key;
      if (!FIELD_KEY_RE.test(key)) throw AppError.notFound('profile field');
      await ctx.db.tenant(auth.tenantId, async (tx) => {
        const res = await tx.deleteFrom('profile_fields').where('key', '=', key).executeTakeFirst();
        if (Number(res.numDeletedRows) !== 1) throw AppError.notFound('profile field');
        const cleared =
          await sql`UPDATE contacts SET profile = profile - ${key}::text, updated_at = now() WHERE profile ? ${key}`.execute(
            tx,
          );
        await audit(tx, auth.tenantId, actorOf(request, auth), {
          action: AuditAction.PROFILE_FIELD_DELETED,
          subject: { kind: 'profile_field', id: key },
          details: { contactsCleared: Number(cleared.numAffectedRows ?? 0) },
        });
      });
      return reply.code(204).send(null);
    },
  );
}

/** Fields an import creates for custom columns that have no field yet: text, labelled by the column. */
export async function createTextFields(
  tx: Tx,
  tenantId: string,
  fields: Array<{ key: string; label: string }>,
): Promise<string[]> {
  if (fields.length === 0) return [];
  // OBLIGATIONS REG-3: a column named like a special category ("diagnose", "religie", "bsn") is not
  // created behind the agreement's back by an import or the API.
  const existing = new Set(
    (
      await tx
        .selectFrom('profile_fields')
        .select('key')
        .where(
          'key',
          'in',
          fields.map((f) => f.key),
        )
        .execute()
    ).map((r) => r.key),
  );
  await checkProfileFields(
    tx,
    tenantId,
    fields
      .filter((f) => !existing.has(f.key))
      .map((f) => ({ key: f.key, label_nl: f.label, label_en: f.label, category: null, pointer: `/profile/${f.key}` })),
  );
  const res = await tx
    .insertInto('profile_fields')
    .values(
      fields.map((f) => ({
        tenant_id: tenantId,
        key: f.key,
        type: 'text' as const,
        label_nl: f.label.slice(0, 200) || f.key,
        label_en: f.label.slice(0, 200) || f.key,
        options: null,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .returning('key')
    .execute();
  return res.map((r) => r.key);
}
