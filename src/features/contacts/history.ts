import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { open as openBytes, seal as sealBytes } from '../../lib/crypto/envelope.js';
import type { TenantKeys } from '../../lib/crypto/keyring.js';
import { isUuid, type Tx } from '../../lib/db/db.js';
import type { ContactsTable, InvitationsTable } from '../../lib/db/schema.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { countWithin } from '../plans/limits.js';

/**
 * OBLIGATIONS LOG-2: what a change to a contact looked like, kept in the audit entry so that it can be
 * seen and undone from the log. The image holds the row exactly as stored: its encrypted columns
 * as they were (so a restore puts back the same ciphertext), its clear columns, and, for a deletion,
 * what the deletion took along (the contact's invitations, deleted by the foreign key; the links of
 * its responses, cleared by a trigger). The whole image is sealed again with the tenant key before it
 * goes into the log: it holds personal data (function, profile fields) and the log is read by more
 * people, and kept longer, than the contact itself. Destroying the tenant key erases it too.
 */
export interface ContactImage {
  v: 1;
  contact: Record<string, unknown>;
  invitations?: Array<Record<string, unknown>>;
  responseIds?: string[];
}

type ContactRow = { [K in keyof ContactsTable]: unknown };

const DATES = new Set(['created_at', 'updated_at', 'sent_at', 'opened_at', 'responded_at']);

function toJsonRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (Buffer.isBuffer(v)) out[k] = { b64: v.toString('base64') };
    else if (v instanceof Date) out[k] = v.toISOString();
    else out[k] = v;
  }
  return out;
}

function fromJsonRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (v && typeof v === 'object' && 'b64' in v) out[k] = Buffer.from(String((v as { b64: string }).b64), 'base64');
    else if (DATES.has(k) && typeof v === 'string') out[k] = new Date(v);
    else out[k] = v;
  }
  return out;
}

export async function contactImage(
  tx: Tx,
  tenantId: string,
  id: string,
  withDependents: boolean,
): Promise<ContactImage | null> {
  const row = await tx
    .selectFrom('contacts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const image: ContactImage = { v: 1, contact: toJsonRow(row as Record<string, unknown>) };
  if (withDependents) {
    const invitations = await tx
      .selectFrom('invitations')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('contact_id', '=', id)
      .execute();
    const responses = await tx
      .selectFrom('responses')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('contact_id', '=', id)
      .execute();
    image.invitations = invitations.map((i) => toJsonRow(i as Record<string, unknown>));
    image.responseIds = responses.map((r) => r.id);
  }
  return image;
}

// ---------------------------------------------------------------- per-contact image keys (DSR-2)

/**
 * OBLIGATIONS DSR-2: an image is sealed under a key of its own contact (`contact_image_keys`, a random
 * key sealed with the tenant key), as `ck1.<contact id>.<base64>`. An erasure deletes that key: every
 * image of the person in the log becomes unreadable, while the log rows, and so the hash chain over
 * them, stay byte for byte as they were (the chain covers the sealed text, which does not change).
 * A deletion keeps the key, so it can still be undone. Images of the older form (plain base64, sealed
 * with the tenant key; written before migration 0019) are still read.
 */
const IMAGE_PREFIX = 'ck1.';
const imageAad = (tenantId: string, contactId: string) => Buffer.from(`peil/contact-image/${tenantId}/${contactId}`);

async function imageKey(
  tx: Tx,
  tenantId: string,
  keys: TenantKeys,
  contactId: string,
  create: boolean,
): Promise<Buffer | null> {
  if (create) {
    await tx
      .insertInto('contact_image_keys')
      .values({ tenant_id: tenantId, contact_id: contactId, key_enc: keys.seal(randomBytes(32).toString('base64')) })
      .onConflict((oc) => oc.columns(['tenant_id', 'contact_id']).doNothing())
      .execute();
  }
  const row = await tx
    .selectFrom('contact_image_keys')
    .select('key_enc')
    .where('tenant_id', '=', tenantId)
    .where('contact_id', '=', contactId)
    .executeTakeFirst();
  return row ? Buffer.from(keys.open(row.key_enc), 'base64') : null;
}

export async function sealImage(tx: Tx, tenantId: string, keys: TenantKeys, image: ContactImage): Promise<string> {
  const contactId = String(image.contact.id);
  const key = (await imageKey(tx, tenantId, keys, contactId, true))!;
  return `${IMAGE_PREFIX}${contactId}.${sealBytes(key, Buffer.from(JSON.stringify(image), 'utf8'), imageAad(tenantId, contactId)).toString('base64')}`;
}

/** The contact a sealed image belongs to (null for the older form). */
export function imageContact(sealed: unknown): string | null {
  if (typeof sealed !== 'string' || !sealed.startsWith(IMAGE_PREFIX)) return null;
  const id = sealed.slice(IMAGE_PREFIX.length, IMAGE_PREFIX.length + 36);
  return isUuid(id) ? id : null;
}

/**
 * The keys to open a set of sealed images, loaded once (the log shows a page of entries). An image
 * whose contact was erased opens as null: its key is gone.
 */
export class ImageKeys {
  constructor(
    readonly keys: TenantKeys,
    private readonly tenantId: string,
    private readonly byContact: Map<string, Buffer>,
  ) {}

  open(sealed: unknown): ContactImage | null {
    if (typeof sealed !== 'string') return null;
    const contactId = imageContact(sealed);
    if (!contactId) {
      if (sealed.startsWith(IMAGE_PREFIX)) return null;
      return this.keys.openJson<ContactImage>(Buffer.from(sealed, 'base64'));
    }
    const key = this.byContact.get(contactId);
    if (!key) return null;
    const blob = Buffer.from(sealed.slice(IMAGE_PREFIX.length + 37), 'base64');
    return JSON.parse(openBytes(key, blob, imageAad(this.tenantId, contactId)).toString('utf8')) as ContactImage;
  }
}

/** Loads the image keys for every sealed value given (strings, or objects of them such as details.sealed). */
export async function imageKeysFor(
  tx: Tx,
  tenantId: string,
  keys: TenantKeys,
  sealedValues: unknown[],
): Promise<ImageKeys> {
  const ids = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === 'string') {
      const id = imageContact(v);
      if (id) ids.add(id);
    } else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  sealedValues.forEach(walk);
  const byContact = new Map<string, Buffer>();
  if (ids.size) {
    const rows = await tx
      .selectFrom('contact_image_keys')
      .select(['contact_id', 'key_enc'])
      .where('tenant_id', '=', tenantId)
      .where('contact_id', 'in', [...ids])
      .execute();
    for (const r of rows) byContact.set(r.contact_id, Buffer.from(keys.open(r.key_enc), 'base64'));
  }
  return new ImageKeys(keys, tenantId, byContact);
}

/** OBLIGATIONS DSR-2: destroys the key of a contact's images (erasure). Returns whether there was one. */
export async function destroyImageKey(tx: Tx, tenantId: string, contactId: string): Promise<boolean> {
  const res = await tx
    .deleteFrom('contact_image_keys')
    .where('tenant_id', '=', tenantId)
    .where('contact_id', '=', contactId)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** The image in words, for the people allowed to read the log: the encrypted columns decrypted. */
export function revealContact(
  keys: Pick<TenantKeys, 'open'>,
  image: ContactImage | null,
): Record<string, unknown> | null {
  if (!image) return null;
  const c = fromJsonRow(image.contact) as ContactRow;
  const open = (v: unknown) => (Buffer.isBuffer(v) ? keys.open(v) : null);
  return {
    id: c.id,
    email: open(c.email_enc),
    firstName: open(c.first_name_enc),
    infix: open(c.infix_enc),
    lastName: open(c.last_name_enc),
    phone: open(c.phone_enc),
    gender: c.gender,
    language: c.language,
    function: c.function,
    profile: c.profile,
    ...(image.invitations ? { invitations: image.invitations.length } : {}),
    ...(image.responseIds ? { responses: image.responseIds.length } : {}),
  };
}

/** Which fields differ between two images, by API name (for the log's clear-text summary). */
export function changedFields(keys: TenantKeys, before: ContactImage, after: ContactImage): string[] {
  const a = revealContact(keys, before)!;
  const b = revealContact(keys, after)!;
  return Object.keys(b).filter((k) => k !== 'id' && JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

/**
 * Undoes a deletion: the contact comes back with the same id and the same encrypted values, with the
 * invitations the deletion took along (their survey links work again) and its responses relinked.
 */
export async function restoreDeletedContact(
  tx: Tx,
  tenantId: string,
  image: ContactImage,
): Promise<{ id: string; invitations: number; responses: number }> {
  const c = fromJsonRow(image.contact) as Record<string, unknown> & { id: string; email_hmac: Buffer };
  const exists = await tx
    .selectFrom('contacts')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', c.id)
    .executeTakeFirst();
  if (exists) throw new AppError(ErrorCode.CONFLICT, { key: 'problems:contacts.restoredAlready' });
  const sameEmail = await tx
    .selectFrom('contacts')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('email_hmac', '=', c.email_hmac)
    .executeTakeFirst();
  if (sameEmail) {
    throw new AppError(
      ErrorCode.CONFLICT,
      { key: 'problems:contacts.emailTakenNow', params: { id: sameEmail.id } },
      { extra: { contactId: sameEmail.id } },
    );
  }
  await tx
    .insertInto('contacts')
    .values({
      ...(c as unknown as ContactsTable),
      tenant_id: tenantId,
      profile: JSON.stringify(c.profile ?? {}),
    } as never)
    .execute();
  // OBLIGATIONS SVC-6: a contact brought back counts again (deleting and restoring does not dodge the limit).
  await countWithin(tx, tenantId, 'contacts', 1, {
    nl: 'Het terugzetten van deze contactpersoon',
    en: 'Restoring this contact',
  });
  let invitations = 0;
  for (const raw of image.invitations ?? []) {
    const inv = fromJsonRow(raw) as { [K in keyof InvitationsTable]: unknown } & {
      id: string;
      survey_id: string;
      distribution_id: string;
      language: string;
      last_error: string | null;
      sent_at: Date | null;
      opened_at: Date | null;
      responded_at: Date | null;
    };
    // An invitation comes back only while its survey and distribution still exist.
    const res = await sql`
      INSERT INTO invitations (tenant_id, id, survey_id, distribution_id, contact_id, language, status, attempts, last_error, sent_at, opened_at, responded_at, created_at)
      SELECT ${tenantId}, ${inv.id}, ${inv.survey_id}, ${inv.distribution_id}, ${c.id}, ${inv.language}, ${inv.status as string}, ${inv.attempts as number},
             ${inv.last_error}, ${inv.sent_at}, ${inv.opened_at}, ${inv.responded_at}, ${inv.created_at as Date}
       WHERE EXISTS (SELECT 1 FROM distributions d WHERE d.tenant_id = ${tenantId} AND d.id = ${inv.distribution_id})
      ON CONFLICT DO NOTHING`.execute(tx);
    invitations += Number(res.numAffectedRows ?? 0);
  }
  let responses = 0;
  if (image.responseIds?.length) {
    const res = await tx
      .updateTable('responses')
      .set({ contact_id: c.id })
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', image.responseIds)
      .where('contact_id', 'is', null)
      .executeTakeFirst();
    responses = Number(res.numUpdatedRows);
  }
  return { id: c.id, invitations, responses };
}

/** Undoes a change: the row gets its earlier values back, unless it was changed again since. */
export async function revertContactUpdate(
  tx: Tx,
  tenantId: string,
  before: ContactImage,
  after: ContactImage,
): Promise<{ id: string }> {
  const b = fromJsonRow(before.contact) as Record<string, unknown> & { id: string; email_hmac: Buffer };
  const a = fromJsonRow(after.contact) as Record<string, unknown> & { updated_at: Date };
  const current = await tx
    .selectFrom('contacts')
    .select(['updated_at'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', b.id)
    .executeTakeFirst();
  if (!current) throw new AppError(ErrorCode.CONFLICT, { key: 'problems:contacts.restoreDeletionFirst' });
  if (new Date(current.updated_at).getTime() !== a.updated_at.getTime()) {
    throw new AppError(ErrorCode.CONFLICT, { key: 'problems:contacts.changedAgain' });
  }
  const sameEmail = await tx
    .selectFrom('contacts')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('email_hmac', '=', b.email_hmac)
    .where('id', '!=', b.id)
    .executeTakeFirst();
  if (sameEmail)
    throw new AppError(ErrorCode.CONFLICT, {
      key: 'problems:contacts.earlierEmailTaken',
      params: { id: sameEmail.id },
    });
  await tx
    .updateTable('contacts')
    .set({
      email_hmac: b.email_hmac,
      email_enc: b.email_enc as Buffer,
      first_name_enc: b.first_name_enc as Buffer | null,
      infix_enc: b.infix_enc as Buffer | null,
      last_name_enc: b.last_name_enc as Buffer | null,
      phone_enc: b.phone_enc as Buffer | null,
      gender: b.gender as ContactsTable['gender'],
      language: b.language as ContactsTable['language'],
      function: b.function as string | null,
      profile: JSON.stringify(b.profile ?? {}),
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', b.id)
    .execute();
  return { id: b.id };
}
