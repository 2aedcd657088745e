import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction } from '../../lib/audit.js';
import { isUuid } from '../../lib/db/db.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, callerOf } from '../auth/guard.js';
import { negotiateLanguage } from '../../lib/i18n.js';
import { ContactImports } from './imports.js';
import { CONTACT_FIELDS } from './file/headers.js';
import { changedFields, contactImage, sealImage } from './history.js';
import { normalizeEmail, normalizeGender, normalizeLanguage, normalizePhone } from './file/values.js';
import { eraseContact } from './store.js';
import { checkProfile, createTextFields, loadFieldSpecs, profileFieldRoutes } from './profile-fields.js';
import { suppressionRoutes } from './suppression-routes.js';
import { upsertRoutes } from './upsert.js';

const rowError = z.object({
  row: z.number(),
  column: z.string(),
  columnLetter: z.string(),
  reason: z.string().describe("in the uploader's language (Accept-Language)"),
  code: z.string().describe('stable: email_invalid, phone_invalid, …'),
  value: z.string().optional(),
});
const target = z
  .string()
  .regex(/^(email|first_name|infix|last_name|gender|phone|language|function|ignore|custom:[a-z0-9_]{1,64})$/);
const importView = z.object({
  id: z.string(),
  fileName: z.string(),
  format: z
    .enum(['csv', 'xlsx'])
    .describe('xlsx: the first sheet of an Excel workbook; encoding and delimiter then do not apply'),
  encoding: z.string(),
  delimiter: z.string(),
  headers: z.array(z.string()),
  mapping: z.record(z.string(), z.string()),
  targets: z
    .array(z.string())
    .describe('the standard contact fields a column can be mapped to, besides custom:<key> and ignore'),
  rows: z.number(),
  validRows: z.number(),
  errorCount: z.number(),
  errors: z.array(rowError),
});
const contact = z
  .object({
    id: z.string(),
    email: z.string(),
    firstName: z.string().nullable(),
    infix: z.string().nullable(),
    lastName: z.string().nullable(),
    phone: z.string().nullable(),
    gender: z.string().nullable(),
    language: z.string().nullable(),
    function: z.string().nullable(),
    profile: z
      .record(z.string(), z.union([z.string(), z.number()]))
      .describe('Profile field values by key: text and choice as string, number as number, date as YYYY-MM-DD'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({
    examples: [
      {
        id: '3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d',
        email: 'jan.de.vries@example.nl',
        firstName: 'Jan',
        infix: 'de',
        lastName: 'Vries',
        phone: '+31612345678',
        gender: 'male',
        language: 'nl',
        function: 'Verpleegkundige',
        profile: { afdeling: 'Zorg', uren: 32, in_dienst_sinds: '2019-04-01' },
        createdAt: '2026-03-02T09:14:00.000Z',
        updatedAt: '2026-11-20T16:40:12.000Z',
      },
    ],
  });

export function contactRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const imports = new ContactImports(ctx);
    app.addHook('onClose', async () => imports.close());
    profileFieldRoutes(ctx, app);
    upsertRoutes(ctx, app);
    await app.register(suppressionRoutes(ctx));

    app.post(
      '/api/v1/contact-imports',
      {
        config: { access: { permission: Permission.CONTACTS_WRITE } },
        schema: {
          tags: ['contacts'],
          summary:
            'Upload a contact file (CSV or Excel .xlsx, multipart field "file"); returns the detected shape, a suggested column mapping and the rows with problems',
          description:
            'An .xlsx is recognised by its content: the first sheet is read, its first row holds the column names. Columns mapped to custom:<key> are checked against the profile field <key> (number, date, choice); a key without a field is text, and the field is created on commit.',
          consumes: ['multipart/form-data'],
          response: { 201: importView },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        if (!request.isMultipart())
          throw new AppError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, { key: 'problems:contacts.notMultipart' });
        const part = await request.file();
        if (!part)
          throw new AppError(
            ErrorCode.BAD_REQUEST,
            { key: 'problems:contacts.noFile' },
            {
              errors: [{ pointer: '/body/file', reason: 'missing' }],
            },
          );
        const { state, mapping, analysis } = await imports.upload(
          auth.tenantId,
          part.filename || 'contacts.csv',
          part.file,
        );
        // The rows' reasons are in the uploader's language (issue 14).
        return reply
          .code(201)
          .header('vary', 'Accept-Language')
          .send({
            id: state.id,
            fileName: state.fileName,
            format: state.shape.format ?? 'csv',
            encoding: state.shape.encoding,
            delimiter: state.shape.delimiter,
            headers: state.shape.headers,
            mapping,
            targets: [...CONTACT_FIELDS],
            ...analysis,
            errors: ContactImports.localErrors(analysis.errors, negotiateLanguage(request.headers['accept-language'])),
          });
      },
    );

    app.get(
      '/api/v1/contact-imports/:id',
      {
        config: { access: { permission: Permission.CONTACTS_WRITE } },
        schema: {
          tags: ['contacts'],
          summary: 'Progress of an import',
          params: z.object({ id: z.string() }),
          response: {
            200: z.object({
              id: z.string(),
              status: z.string(),
              processedRows: z.number(),
              totalRows: z.number(),
              result: z.record(z.string(), z.number()).optional(),
            }),
          },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const s = await imports.get(auth.tenantId, request.params.id);
        return {
          id: s.id,
          status: s.status,
          processedRows: s.processedRows,
          totalRows: s.totalRows,
          ...(s.result ? { result: { ...s.result } } : {}),
        };
      },
    );

    app.post(
      '/api/v1/contact-imports/:id/commit',
      {
        config: { access: { permission: Permission.CONTACTS_WRITE } },
        schema: {
          tags: ['contacts'],
          summary:
            'Import the uploaded file with a column mapping. With bad rows nothing is imported, unless validOnly is true.',
          params: z.object({ id: z.string() }),
          body: z.object({ mapping: z.record(z.string(), target), validOnly: z.boolean().default(false) }),
          response: {
            200: z.object({
              imported: z.number(),
              created: z.number(),
              updated: z.number(),
              duplicatesInFile: z.number(),
              skippedRows: z.number(),
              fieldsCreated: z.number().describe('custom columns without a profile field, created as text fields'),
            }),
          },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        return imports.commit(
          auth.tenantId,
          request.params.id,
          request.body.mapping as never,
          request.body.validOnly,
          actorOf(request, auth),
        );
      },
    );

    app.get(
      '/api/v1/contacts',
      {
        config: { access: { permission: Permission.CONTACTS_READ } },
        schema: {
          tags: ['contacts'],
          summary:
            'Contacts with their details (owners and admins only): search, filters and pages. Keyset pagination with "after", or pages with "offset".',
          description:
            'Issue 14. Names and addresses are encrypted (SEC-1) and only the address has a blind index, so `q` finds an exact address through the index and otherwise matches part of a name or address on decrypted data: at most CONTACT_SEARCH_MAX contacts (after the other filters) are decrypted for one search, and `searchLimited` says when there were more. `total` counts what the filters (and search) match.',
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(500).default(50),
            after: z.uuid().optional(),
            offset: z.coerce
              .number()
              .int()
              .min(0)
              .max(10_000_000)
              .optional()
              .describe('skip this many (ordered by id); instead of after'),
            email: z.string().max(254).optional().describe('exactly this address (through the blind index)'),
            q: z
              .string()
              .trim()
              .min(1)
              .max(254)
              .optional()
              .describe('part of a name or email address; case-insensitive'),
            language: z.enum(['nl', 'en', 'none']).optional(),
            subscribed: z
              .enum(['yes', 'no'])
              .optional()
              .describe(
                'no: the address is on the suppression list (unsubscribed, bounced, erased or blocked); yes: it is not',
              ),
            gender: z.enum(['female', 'male', 'other', 'unknown', 'none']).optional(),
            field: z
              .string()
              .regex(/^[a-z0-9_]{1,64}$/)
              .optional()
              .describe('a profile field key; with value'),
            value: z
              .string()
              .max(1000)
              .optional()
              .describe("the profile field's value (text as stored, a number or a date YYYY-MM-DD)"),
          }),
          response: {
            200: z.object({
              contacts: z.array(contact.extend({ subscribed: z.boolean().describe('false: on the suppression list') })),
              total: z.number(),
              next: z.string().nullable(),
              searchLimited: z
                .boolean()
                .describe('the search decrypted only the first CONTACT_SEARCH_MAX contacts that pass the filters'),
            }),
          },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        const { limit, after, offset, email, q: search, language, subscribed, gender, field, value } = request.query;
        if ((field === undefined) !== (value === undefined))
          throw new AppError(
            ErrorCode.VALIDATION,
            { key: 'problems:contacts.profileFilterPair' },
            {
              errors: [
                { pointer: field === undefined ? '/query/field' : '/query/value', reason: 'needed with the other' },
              ],
            },
          );
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          const suppressed = sql<boolean>`EXISTS (SELECT 1 FROM suppressions s WHERE s.tenant_id = contacts.tenant_id AND s.email_hmac = contacts.email_hmac)`;
          // The filters that SQL can apply (none of them reads an encrypted column).
          const filtered = () => {
            let f = tx.selectFrom('contacts');
            if (email) f = f.where('email_hmac', '=', keys.emailIndex(email));
            if (language)
              f = language === 'none' ? f.where('language', 'is', null) : f.where('language', '=', language);
            if (gender) f = gender === 'none' ? f.where('gender', 'is', null) : f.where('gender', '=', gender);
            if (subscribed) f = f.where(subscribed === 'no' ? suppressed : sql<boolean>`NOT ${suppressed}`);
            if (field && value !== undefined) f = f.where(sql<string>`profile ->> ${field}`, '=', value);
            return f;
          };
          let rows: Row[];
          let total: number;
          let searchLimited = false;
          let next: string | null = null;
          if (search) {
            // Decrypted and matched here, bounded: a name has no blind index (SEC-1 stays as it is).
            const max = ctx.env.CONTACT_SEARCH_MAX;
            const needle = search.toLocaleLowerCase('nl');
            const candidates = await filtered()
              .select(['id', 'email_hmac', 'email_enc', 'first_name_enc', 'infix_enc', 'last_name_enc'])
              .orderBy('id')
              .limit(max + 1)
              .execute();
            searchLimited = candidates.length > max;
            const exact = keys.emailIndex(search);
            const ids = candidates
              .slice(0, max)
              .filter((c) => {
                if (Buffer.from(c.email_hmac).equals(exact)) return true;
                const hay = [
                  keys.open(c.email_enc),
                  keys.open(c.first_name_enc),
                  keys.open(c.infix_enc),
                  keys.open(c.last_name_enc),
                ];
                const name = hay.slice(1).filter(Boolean).join(' ');
                return [...hay, name].some((h) => h !== null && h.toLocaleLowerCase('nl').includes(needle));
              })
              .map((c) => c.id);
            // An exact address beyond the bound is still found, through the index.
            if (searchLimited) {
              const hit = await filtered().select('id').where('email_hmac', '=', exact).executeTakeFirst();
              if (hit && !ids.includes(hit.id)) ids.push(hit.id);
            }
            total = ids.length;
            const start = after ? ids.findIndex((id) => id > after) : (offset ?? 0);
            const pageIds = start < 0 ? [] : ids.slice(start, start + limit);
            rows = pageIds.length
              ? ((await tx
                  .selectFrom('contacts')
                  .selectAll()
                  .where('id', 'in', pageIds)
                  .orderBy('id')
                  .execute()) as Row[])
              : [];
            next = start >= 0 && start + limit < ids.length ? pageIds[pageIds.length - 1]! : null;
          } else {
            let pq = filtered().selectAll();
            if (after) pq = pq.where('id', '>', after);
            pq = pq.orderBy('id').limit(limit + 1);
            if (!after && offset) pq = pq.offset(offset);
            const found = (await pq.execute()) as Row[];
            rows = found.slice(0, limit);
            next = found.length > limit ? rows[rows.length - 1]!.id : null;
            total = Number(
              (
                await filtered()
                  .select((eb) => eb.fn.countAll<number>().as('n'))
                  .executeTakeFirstOrThrow()
              ).n,
            );
          }
          const blocked = rows.length
            ? new Set(
                (
                  await tx
                    .selectFrom('suppressions')
                    .select('email_hmac')
                    .where(
                      'email_hmac',
                      'in',
                      rows.map((r) => (r as Row & { email_hmac: Buffer }).email_hmac),
                    )
                    .execute()
                ).map((s) => Buffer.from(s.email_hmac).toString('base64')),
              )
            : new Set<string>();
          // OBLIGATIONS LOG-1: reading contact details is recorded (which filters, never the search text).
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.CONTACTS_LISTED,
            details: {
              count: rows.length,
              search: Boolean(email || search),
              filters: [
                language && 'language',
                gender && 'gender',
                subscribed && 'subscribed',
                field && 'profile',
              ].filter(Boolean),
            },
          });
          return {
            contacts: rows.map((r) => ({
              ...toContact(keys, r),
              subscribed: !blocked.has(Buffer.from((r as Row & { email_hmac: Buffer }).email_hmac).toString('base64')),
            })),
            total,
            next,
            searchLimited,
          };
        });
      },
    );

    app.get(
      '/api/v1/contacts/summary',
      {
        config: { access: { permission: Permission.SURVEYS_READ } },
        schema: {
          tags: ['contacts'],
          summary: 'How many contacts there are, without any contact details (every role)',
          response: { 200: z.object({ total: z.number(), byLanguage: z.record(z.string(), z.number()) }) },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          const rows = await tx
            .selectFrom('contacts')
            .select(['language', (eb) => eb.fn.countAll<number>().as('n')])
            .groupBy('language')
            .execute();
          const byLanguage: Record<string, number> = {};
          let total = 0;
          for (const r of rows) {
            byLanguage[r.language ?? 'unknown'] = Number(r.n);
            total += Number(r.n);
          }
          return { total, byLanguage };
        });
      },
    );

    app.get(
      '/api/v1/contacts/:id',
      {
        config: { access: { permission: Permission.CONTACTS_READ } },
        schema: {
          tags: ['contacts'],
          summary: 'One contact with its details',
          params: z.object({ id: z.string() }),
          response: { 200: contact },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        if (!isUuid(request.params.id)) throw AppError.notFound('contact');
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          const row = await tx
            .selectFrom('contacts')
            .selectAll()
            .where('id', '=', request.params.id)
            .executeTakeFirst();
          if (!row) throw AppError.notFound('contact');
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.CONTACT_READ,
            subject: { kind: 'contact', id: row.id },
          });
          return toContact(keys, row);
        });
      },
    );

    app.patch(
      '/api/v1/contacts/:id',
      {
        config: { access: { permission: Permission.CONTACTS_WRITE } },
        schema: {
          tags: ['contacts'],
          summary:
            'Correct a contact (rectification). Fields left out stay as they are; null clears a field; a profile value of null removes that field. The log keeps before and after.',
          params: z.object({ id: z.string() }),
          body: contactPatch,
          response: { 200: contact },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        if (!isUuid(request.params.id)) throw AppError.notFound('contact');
        const patch = validatePatch(request.body);
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          const id = request.params.id;
          const before = await contactImage(tx, auth.tenantId, id, false);
          if (!before) throw AppError.notFound('contact');
          const row = await tx.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
          const set: Record<string, unknown> = { updated_at: new Date() };
          if (patch.email !== undefined) {
            const hmac = keys.emailIndex(patch.email);
            const taken = await tx
              .selectFrom('contacts')
              .select('id')
              .where('email_hmac', '=', hmac)
              .where('id', '!=', id)
              .executeTakeFirst();
            if (taken)
              throw new AppError(
                ErrorCode.CONFLICT,
                { key: 'problems:contacts.emailTaken' },
                {
                  errors: [
                    {
                      pointer: '/body/email',
                      code: 'taken',
                      reason: 'taken',
                      message: { key: 'problems:reasons.taken' },
                    },
                  ],
                },
              );
            set.email_hmac = hmac;
            set.email_enc = keys.seal(patch.email);
          }
          const sealed = {
            firstName: 'first_name_enc',
            infix: 'infix_enc',
            lastName: 'last_name_enc',
            phone: 'phone_enc',
          } as const;
          for (const [field, column] of Object.entries(sealed) as Array<[keyof typeof sealed, string]>) {
            if (patch[field] !== undefined) set[column] = keys.seal(patch[field]);
          }
          for (const field of ['gender', 'language', 'function'] as const)
            if (patch[field] !== undefined) set[field] = patch[field];
          if (patch.profile !== undefined) {
            const errors: Array<{ pointer: string; reason: string }> = [];
            const newKeys = new Set<string>();
            const checked = checkProfile(await loadFieldSpecs(tx), patch.profile, '/body/profile', errors, newKeys);
            if (errors.length)
              throw new AppError(
                ErrorCode.VALIDATION,
                {
                  key: 'problems:contacts.correctionInvalid',
                  params: { problems: errors.map((e) => `${e.pointer}: ${e.reason}`).join('; ') },
                },
                { errors },
              );
            await createTextFields(
              tx,
              auth.tenantId,
              [...newKeys].map((key) => ({ key, label: key })),
            );
            const profile: Record<string, string | number> = { ...row.profile };
            for (const [k, v] of Object.entries(checked)) {
              if (v === null) delete profile[k];
              else profile[k] = v;
            }
            set.profile = JSON.stringify(profile);
          }
          await tx.updateTable('contacts').set(set).where('id', '=', id).execute();
          const after = (await contactImage(tx, auth.tenantId, id, false))!;
          // OBLIGATIONS LOG-2: before and after, sealed with the contact's image key (DSR-2); the field names in clear.
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.CONTACT_UPDATED,
            subject: { kind: 'contact', id },
            details: {
              fields: changedFields(keys, before, after),
              sealed: {
                before: await sealImage(tx, auth.tenantId, keys, before),
                after: await sealImage(tx, auth.tenantId, keys, after),
              },
            },
          });
          return toContact(
            keys,
            (await tx.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirstOrThrow()) as Row,
          );
        });
      },
    );

    app.delete(
      '/api/v1/contacts/:id',
      {
        config: { access: { permission: Permission.CONTACTS_WRITE } },
        schema: {
          tags: ['contacts'],
          summary:
            'Delete a contact. The log keeps the whole contact (encrypted), so an owner or admin can restore it from there.',
          params: z.object({ id: z.string() }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        if (!isUuid(request.params.id)) throw AppError.notFound('contact');
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        await ctx.db.tenant(auth.tenantId, async (tx) => {
          const image = await contactImage(tx, auth.tenantId, request.params.id, true);
          if (!image) throw AppError.notFound('contact');
          // DSR-3: the address stays suppressed (contract 2)
          if (!(await eraseContact(tx, auth.tenantId, request.params.id))) throw AppError.notFound('contact');
          // OBLIGATIONS LOG-2: the whole row (and what the deletion took along), so it can be undone.
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.CONTACT_DELETED,
            subject: { kind: 'contact', id: request.params.id },
            details: {
              invitations: image.invitations?.length ?? 0,
              responses: image.responseIds?.length ?? 0,
              sealed: { before: await sealImage(tx, auth.tenantId, keys, image) },
            },
          });
        });
        return reply.code(204).send(null);
      },
    );
  };
}

const optionalText = z.string().trim().max(200).nullable().optional();
const contactPatch = z
  .object({
    email: z.string().trim().max(254).optional(),
    firstName: optionalText,
    infix: optionalText,
    lastName: optionalText,
    phone: z.string().trim().max(40).nullable().optional(),
    gender: z.string().trim().max(40).nullable().optional(),
    language: z.string().trim().max(20).nullable().optional(),
    function: optionalText,
    profile: z
      .record(z.string().regex(/^[a-z0-9_]{1,64}$/), z.union([z.string().max(1000), z.number()]).nullable())
      .optional(),
  })
  .strict();

interface ContactPatch {
  email?: string;
  firstName?: string | null;
  infix?: string | null;
  lastName?: string | null;
  phone?: string | null;
  gender?: 'female' | 'male' | 'other' | 'unknown' | null;
  language?: 'nl' | 'en' | null;
  function?: string | null;
  profile?: Record<string, string | number | null>;
}

/** The same rules as the import (file/values.ts), with the problems named by JSON pointer. */
function validatePatch(body: z.infer<typeof contactPatch>): ContactPatch {
  const errors: Array<{ pointer: string; reason: string }> = [];
  const out: ContactPatch = {};
  const empty = (v: string | null | undefined) => (v === '' ? null : v);
  if (body.email !== undefined) {
    const e = normalizeEmail(body.email);
    if (!e) errors.push({ pointer: '/body/email', reason: 'not a valid email address' });
    else out.email = e;
  }
  for (const f of ['firstName', 'infix', 'lastName', 'function'] as const)
    if (body[f] !== undefined) out[f] = empty(body[f]) ?? null;
  if (body.phone !== undefined) {
    const v = empty(body.phone);
    const p = v === null || v === undefined ? null : normalizePhone(v);
    if (p === undefined) errors.push({ pointer: '/body/phone', reason: 'not a valid phone number' });
    else out.phone = p;
  }
  if (body.gender !== undefined) {
    const v = empty(body.gender);
    const g = v === null || v === undefined ? null : normalizeGender(v);
    if (g === undefined) errors.push({ pointer: '/body/gender', reason: 'not a recognised gender' });
    else out.gender = g;
  }
  if (body.language !== undefined) {
    const v = empty(body.language);
    const l = v === null || v === undefined ? null : normalizeLanguage(v);
    if (l === undefined) errors.push({ pointer: '/body/language', reason: 'nl or en' });
    else out.language = l;
  }
  if (body.profile !== undefined) out.profile = body.profile;
  if (errors.length)
    throw new AppError(
      ErrorCode.VALIDATION,
      {
        key: 'problems:contacts.correctionInvalid',
        params: { problems: errors.map((e) => `${e.pointer}: ${e.reason}`).join('; ') },
      },
      { errors },
    );
  return out;
}

type Row = {
  id: string;
  email_enc: Buffer;
  first_name_enc: Buffer | null;
  infix_enc: Buffer | null;
  last_name_enc: Buffer | null;
  phone_enc: Buffer | null;
  gender: string | null;
  language: string | null;
  function: string | null;
  profile: Record<string, string | number>;
  created_at: Date;
  updated_at: Date;
};

function toContact(keys: Awaited<ReturnType<AppContext['keyring']['forTenant']>>, r: Row) {
  return {
    id: r.id,
    email: keys.open(r.email_enc),
    firstName: keys.open(r.first_name_enc),
    infix: keys.open(r.infix_enc),
    lastName: keys.open(r.last_name_enc),
    phone: keys.open(r.phone_enc),
    gender: r.gender,
    language: r.language,
    function: r.function,
    profile: r.profile,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}
