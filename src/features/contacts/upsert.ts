import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction } from '../../lib/audit.js';
import type { FieldSpecs, ParsedContact } from './file/contact-file.js';
import { normalizeEmail, normalizeGender, normalizeLanguage, normalizePhone } from './file/values.js';
import { AppError, ErrorCode, type ProblemItem } from '../../lib/errors.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, requireUser } from '../auth/guard.js';
import { checkProfile, createTextFields, loadFieldSpecs } from './profile-fields.js';
import { upsertContacts } from './store.js';

/**
 * Contacts by API (OBLIGATIONS SVC-1, SVC-5): upsert by email address, with the same normalisation,
 * checks and de-duplication (the blind index) as the file import. A field left out, null or empty
 * keeps what is stored; profile values merge. Clearing a value is a correction (PATCH).
 */

export const MAX_BATCH = 1000;

const text = (max: number) => z.string().max(max).nullable().optional();
export const contactInput = z
  .object({
    email: z.string().max(254).describe('The key: the same address in any case is the same contact'),
    firstName: text(500),
    infix: text(500).describe('tussenvoegsel, such as "van der"'),
    lastName: text(500),
    phone: text(40).describe('Dutch numbers without a country code are read as Dutch; stored as E.164'),
    gender: text(40).describe('man, vrouw, x, onbekend (or male, female, other, unknown, m, v)'),
    language: text(20).describe('nl or en (or Nederlands, Engels, nl-BE, …)'),
    function: text(500),
    profile: z
      .record(z.string().regex(/^[a-z0-9_]{1,64}$/), z.union([z.string().max(1000), z.number(), z.null()]))
      .optional()
      .describe('Profile values by field key: number fields take a number or "12,5", date fields "YYYY-MM-DD" or "dd-mm-jjjj", choice fields one of the options (any case); a key without a field is stored as text and its field created as text'),
  })
  .strict()
  .meta({
    examples: [
      { email: 'jan.de.vries@example.nl', firstName: 'Jan', infix: 'de', lastName: 'Vries', phone: '06 12345678', language: 'nl', profile: { afdeling: 'Zorg', uren: 32, in_dienst_sinds: '2019-04-01' } },
    ],
  });
type ContactInput = z.infer<typeof contactInput>;

/** One contact from the API as the import would have read it; problems go to `errors` by pointer. */
export function checkContact(input: ContactInput, specs: FieldSpecs, at: string, errors: ProblemItem[], newKeys?: Set<string>): ParsedContact | null {
  const before = errors.length;
  const given = (v: string | null | undefined): string | undefined => {
    const t = v?.trim();
    return t ? t : undefined;
  };
  const c: ParsedContact = { email: '', profile: {} };
  const email = normalizeEmail(input.email.trim());
  if (!email) errors.push({ pointer: `${at}/email`, reason: input.email.trim() ? 'not a valid email address' : 'missing', value: input.email.slice(0, 100) });
  else c.email = email;
  for (const [f, k] of [['firstName', 'first_name'], ['infix', 'infix'], ['lastName', 'last_name'], ['function', 'function']] as const) {
    const v = given(input[f]);
    if (v !== undefined) c[k] = v.replace(/\r\n?/g, '\n');
  }
  const phone = given(input.phone);
  if (phone !== undefined) {
    const p = normalizePhone(phone);
    if (p === undefined) errors.push({ pointer: `${at}/phone`, reason: 'not a valid phone number', value: phone });
    else c.phone = p;
  }
  const gender = given(input.gender);
  if (gender !== undefined) {
    const g = normalizeGender(gender);
    if (g === undefined) errors.push({ pointer: `${at}/gender`, reason: 'not a recognised gender', value: gender });
    else c.gender = g;
  }
  const language = given(input.language);
  if (language !== undefined) {
    const l = normalizeLanguage(language);
    if (l === undefined) errors.push({ pointer: `${at}/language`, reason: 'nl or en', value: language });
    else c.language = l;
  }
  if (input.profile) {
    for (const [k, v] of Object.entries(checkProfile(specs, input.profile, `${at}/profile`, errors, newKeys))) if (v !== null) c.profile[k] = v;
  }
  return errors.length === before ? c : null;
}

const result = z.object({ id: z.uuid(), email: z.string(), status: z.enum(['created', 'updated']) });
const created = result.meta({ examples: [{ id: '3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d', email: 'jan.de.vries@example.nl', status: 'created' }] });
const updated = result.meta({ examples: [{ id: '3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d', email: 'jan.de.vries@example.nl', status: 'updated' }] });

export function upsertRoutes(ctx: AppContext, app: FastifyInstance): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/api/v1/contacts', {
    config: { access: { permission: Permission.CONTACTS_WRITE } },
    schema: {
      tags: ['contacts'],
      summary: 'Create or update one contact, by email address (upsert)',
      description:
        '201 when the contact is new, 200 when a contact with this address (in any case) existed and was updated. Fields left out, null or empty keep the stored value; profile values merge. The same checks as the file import; problems come back as 422 with a JSON pointer per field.',
      body: contactInput,
      response: { 200: updated, 201: created },
    },
  }, async (request, reply) => {
    const auth = await requireUser(ctx, request, Permission.CONTACTS_WRITE);
    const keys = await ctx.keyring.forTenant(auth.tenantId);
    const out = await ctx.db.tenant(auth.tenantId, async (tx) => {
      const specs = await loadFieldSpecs(tx);
      const errors: ProblemItem[] = [];
      const newKeys = new Set<string>();
      const c = checkContact(request.body, specs, '/body', errors, newKeys);
      if (!c) throw new AppError(ErrorCode.VALIDATION, `The contact is not valid: ${errors.map((e) => `${e.pointer}: ${e.reason}`).join('; ')}`, { errors });
      const fieldsCreated = await createTextFields(tx, auth.tenantId, [...newKeys].map((key) => ({ key, label: key })));
      const res = await upsertContacts(tx, auth.tenantId, keys, [c], { ids: true });
      const { id, created } = res.ids![0]!;
      await audit(tx, auth.tenantId, actorOf(request, auth), {
        action: AuditAction.CONTACTS_UPSERTED,
        subject: { kind: 'contact', id },
        details: { created: created ? 1 : 0, updated: created ? 0 : 1, ...(fieldsCreated.length ? { fieldsCreated } : {}) },
      });
      return { id, email: c.email, status: created ? ('created' as const) : ('updated' as const) };
    });
    return reply.code(out.status === 'created' ? 201 : 200).send(out);
  });

  r.post('/api/v1/contacts/batch', {
    config: { access: { permission: Permission.CONTACTS_WRITE } },
    // 1,000 contacts with profile values can pass the default 1 MiB.
    bodyLimit: 4 * 1024 * 1024,
    schema: {
      tags: ['contacts'],
      summary: `Create or update up to ${MAX_BATCH} contacts at once, all or nothing`,
      description:
        'Each contact as in POST /api/v1/contacts. If any contact is not valid, nothing is stored and the answer is 422 with every problem by pointer (/body/contacts/3/email). The same address twice in one batch is one contact (the later values win). The result lists each contact of the request, in order.',
      body: z
        .object({ contacts: z.array(contactInput).min(1).max(MAX_BATCH) })
        .strict()
        .meta({
          examples: [
            {
              contacts: [
                { email: 'jan.de.vries@example.nl', firstName: 'Jan', infix: 'de', lastName: 'Vries', language: 'nl', profile: { afdeling: 'Zorg', uren: 32 } },
                { email: 'fatima.el-amrani@example.nl', firstName: 'Fatima', lastName: 'El Amrani', phone: '+31 20 123 4567', gender: 'vrouw', language: 'nl', function: 'Teamleider', profile: { afdeling: 'Facilitair', in_dienst_sinds: '15-03-2021' } },
                { email: 'pieter.bakker@example.nl', firstName: 'Pieter', lastName: 'Bakker', language: 'en', profile: { afdeling: 'Staf', uren: '24,5' } },
              ],
            },
          ],
        }),
      response: {
        200: z
          .object({ created: z.number(), updated: z.number(), duplicates: z.number().describe('contacts that repeated an address earlier in the batch'), contacts: z.array(result) })
          .meta({
            examples: [
              {
                created: 2,
                updated: 1,
                duplicates: 0,
                contacts: [
                  { id: '3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d', email: 'jan.de.vries@example.nl', status: 'updated' },
                  { id: '7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f', email: 'fatima.el-amrani@example.nl', status: 'created' },
                  { id: 'b1c2d3e4-f5a6-4b7c-9d8e-0f1a2b3c4d5e', email: 'pieter.bakker@example.nl', status: 'created' },
                ],
              },
            ],
          }),
      },
    },
  }, async (request) => {
    const auth = await requireUser(ctx, request, Permission.CONTACTS_WRITE);
    const keys = await ctx.keyring.forTenant(auth.tenantId);
    return ctx.db.tenant(auth.tenantId, async (tx) => {
      const specs = await loadFieldSpecs(tx);
      const errors: ProblemItem[] = [];
      const newKeys = new Set<string>();
      const parsed = request.body.contacts.map((c, i) => checkContact(c, specs, `/body/contacts/${i}`, errors, newKeys));
      if (errors.length) {
        throw new AppError(ErrorCode.VALIDATION, `${errors.length} problem(s) in ${parsed.filter((p) => !p).length} contact(s); nothing was stored.`, { errors: errors.slice(0, 1000), extra: { errorCount: errors.length } });
      }
      const contacts = parsed as ParsedContact[];
      const fieldsCreated = await createTextFields(tx, auth.tenantId, [...newKeys].map((key) => ({ key, label: key })));
      const res = await upsertContacts(tx, auth.tenantId, keys, contacts, { ids: true });
      // The first occurrence of an address in the batch reports what happened to it; repeats are updates.
      const seen = new Set<string>();
      const list = contacts.map((c, i) => {
        const r = res.ids![i]!;
        const first = !seen.has(r.id);
        seen.add(r.id);
        return { id: r.id, email: c.email, status: r.created && first ? ('created' as const) : ('updated' as const) };
      });
      await audit(tx, auth.tenantId, actorOf(request, auth), {
        action: AuditAction.CONTACTS_UPSERTED,
        subject: { kind: 'contacts', id: 'batch' },
        details: { received: contacts.length, created: res.created, updated: res.updated, duplicates: res.duplicates, ...(fieldsCreated.length ? { fieldsCreated } : {}) },
      });
      return { created: res.created, updated: res.updated, duplicates: res.duplicates, contacts: list };
    });
  });
}
