import { z } from 'zod';
import type { TenantKeys } from '../../lib/crypto/keyring.js';
import type { Tx } from '../../lib/db/db.js';
import { audit, AuditAction, type Actor } from '../../lib/audit.js';
import { AppError, ErrorCode, type ProblemItem } from '../../lib/errors.js';
import type { FieldSpecs, ParsedContact } from './file/contact-file.js';
import { normalizeEmail, normalizeGender, normalizeLanguage, normalizePhone } from './file/values.js';
import { checkProfile, createTextFields, loadFieldSpecs } from './profile-fields.js';
import { upsertContacts } from './store.js';

/**
 * THE way to create or update contacts from a request (issue 15): POST /api/v1/contacts, its batch
 * and POST /api/v1/surveys/:id/invitations (by email) all come through here, so they refuse the same
 * things with the same pointers, create profile fields the same way and write the same audit row
 * (contacts.upserted), in the caller's transaction. The file import has its own path (imports.ts)
 * with the same value rules (file/values.ts).
 */

const text = (max: number) => z.string().max(max).nullable().optional();

/** The fields of one contact, for every route that takes a contact (a route adds its own fields). */
export const contactFields = {
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
    .describe(
      'Profile values by field key: number fields take a number or "12,5", date fields "YYYY-MM-DD" or "dd-mm-jjjj", choice fields one of the options (any case); a key without a field is stored as text and its field created as text',
    ),
};
export const contactInput = z
  .object(contactFields)
  .strict()
  .meta({
    examples: [
      {
        email: 'jan.de.vries@example.nl',
        firstName: 'Jan',
        infix: 'de',
        lastName: 'Vries',
        phone: '06 12345678',
        language: 'nl',
        profile: { afdeling: 'Zorg', uren: 32, in_dienst_sinds: '2019-04-01' },
      },
    ],
  });
export type ContactInput = z.infer<typeof contactInput>;

/** One contact from the API as the import would have read it; problems go to `errors` by pointer. */
function checkContact(
  input: ContactInput,
  specs: FieldSpecs,
  at: string,
  errors: ProblemItem[],
  newKeys?: Set<string>,
): ParsedContact | null {
  const before = errors.length;
  const given = (v: string | null | undefined): string | undefined => {
    const t = v?.trim();
    return t ? t : undefined;
  };
  const c: ParsedContact = { email: '', profile: {} };
  const email = normalizeEmail(input.email.trim());
  if (!email)
    errors.push({
      pointer: `${at}/email`,
      reason: input.email.trim() ? 'not a valid email address' : 'missing',
      value: input.email.slice(0, 100),
    });
  else c.email = email;
  for (const [f, k] of [
    ['firstName', 'first_name'],
    ['infix', 'infix'],
    ['lastName', 'last_name'],
    ['function', 'function'],
  ] as const) {
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
    for (const [k, v] of Object.entries(checkProfile(specs, input.profile, `${at}/profile`, errors, newKeys)))
      if (v !== null) c.profile[k] = v;
  }
  return errors.length === before ? c : null;
}

export interface UpsertedContact {
  id: string;
  email: string;
  created: boolean;
}

/** Checks, stores and audits one contact; 422 with every problem under `at` (e.g. '/body'). */
export async function upsertContact(
  tx: Tx,
  tenantId: string,
  keys: TenantKeys,
  actor: Actor,
  input: ContactInput,
  at = '/body',
): Promise<UpsertedContact> {
  const specs = await loadFieldSpecs(tx);
  const errors: ProblemItem[] = [];
  const newKeys = new Set<string>();
  const c = checkContact(input, specs, at, errors, newKeys);
  if (!c)
    throw new AppError(
      ErrorCode.VALIDATION,
      {
        key: 'problems:contacts.contactInvalid',
        params: { problems: errors.map((e) => `${e.pointer}: ${e.reason}`).join('; ') },
      },
      { errors },
    );
  const fieldsCreated = await createTextFields(
    tx,
    tenantId,
    [...newKeys].map((key) => ({ key, label: key })),
  );
  const res = await upsertContacts(tx, tenantId, keys, [c], { ids: true });
  const { id, created } = res.ids![0]!;
  await audit(tx, tenantId, actor, {
    action: AuditAction.CONTACTS_UPSERTED,
    subject: { kind: 'contact', id },
    details: { created: created ? 1 : 0, updated: created ? 0 : 1, ...(fieldsCreated.length ? { fieldsCreated } : {}) },
  });
  return { id, email: c.email, created };
}

export interface UpsertedBatch {
  created: number;
  updated: number;
  duplicates: number;
  contacts: Array<{ id: string; email: string; status: 'created' | 'updated' }>;
}

/** A batch, all or nothing: 422 with every problem (`${at}/3/email`) and nothing stored. */
export async function upsertContactBatch(
  tx: Tx,
  tenantId: string,
  keys: TenantKeys,
  actor: Actor,
  inputs: ContactInput[],
  at = '/body/contacts',
): Promise<UpsertedBatch> {
  const specs = await loadFieldSpecs(tx);
  const errors: ProblemItem[] = [];
  const newKeys = new Set<string>();
  const parsed = inputs.map((c, i) => checkContact(c, specs, `${at}/${i}`, errors, newKeys));
  if (errors.length) {
    throw new AppError(
      ErrorCode.VALIDATION,
      {
        key: 'problems:contacts.batchInvalid',
        params: { problems: errors.length, contacts: parsed.filter((p) => !p).length },
      },
      { errors: errors.slice(0, 1000), extra: { errorCount: errors.length } },
    );
  }
  const contacts = parsed as ParsedContact[];
  const fieldsCreated = await createTextFields(
    tx,
    tenantId,
    [...newKeys].map((key) => ({ key, label: key })),
  );
  const res = await upsertContacts(tx, tenantId, keys, contacts, { ids: true });
  // The first occurrence of an address in the batch reports what happened to it; repeats are updates.
  const seen = new Set<string>();
  const list = contacts.map((c, i) => {
    const r = res.ids![i]!;
    const first = !seen.has(r.id);
    seen.add(r.id);
    return { id: r.id, email: c.email, status: r.created && first ? ('created' as const) : ('updated' as const) };
  });
  await audit(tx, tenantId, actor, {
    action: AuditAction.CONTACTS_UPSERTED,
    subject: { kind: 'contacts', id: 'batch' },
    details: {
      received: contacts.length,
      created: res.created,
      updated: res.updated,
      duplicates: res.duplicates,
      ...(fieldsCreated.length ? { fieldsCreated } : {}),
    },
  });
  return { created: res.created, updated: res.updated, duplicates: res.duplicates, contacts: list };
}
