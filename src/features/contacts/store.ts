import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { TenantKeys } from '../../lib/crypto/keyring.js';
import type { Tx } from '../../lib/db/db.js';
import type { ParsedContact } from './file/contact-file.js';
import { suppressErasedContact } from './suppression.js';
import { count, countWithin } from '../plans/limits.js';

/**
 * THE deletion of a contact: its address stays suppressed by blind index (DSR-3), then the row goes
 * (its invitations with it; triggers unlink its responses). The DELETE route and retention
 * (register/retention.ts, REG-4) both call it; each writes its own audit row. Returns whether it existed.
 */
export async function eraseContact(tx: Tx, tenantId: string, contactId: string): Promise<boolean> {
  await suppressErasedContact(tx, tenantId, contactId);
  const res = await tx.deleteFrom('contacts').where('id', '=', contactId).executeTakeFirst();
  // OBLIGATIONS SVC-6: the contacts total goes down with every deletion (route, retention, erasure).
  if (Number(res.numDeletedRows) === 1) await count(tx, tenantId, 'contacts', -1);
  return Number(res.numDeletedRows) === 1;
}

/**
 * Upserts contacts in one statement. The same email (case-insensitive, via the blind index) is one
 * contact: a later row updates the earlier, empty cells keep what was stored, profile fields merge.
 */
export async function upsertContacts(
  tx: Tx,
  tenantId: string,
  keys: TenantKeys,
  contacts: ParsedContact[],
  /** count: false when the caller counts (and checks the limit) once for many calls (the file import). */
  opts: { ids?: boolean; count?: boolean } = {},
): Promise<{ created: number; updated: number; duplicates: number; ids?: Array<{ id: string; created: boolean }> }> {
  const byIndex = new Map<string, { hmac: Buffer; c: ParsedContact }>();
  const order: string[] = [];
  for (const c of contacts) {
    const hmac = keys.emailIndex(c.email);
    const k = hmac.toString('base64');
    if (opts.ids) order.push(k);
    const prior = byIndex.get(k);
    // Within one batch the later row wins, field by field, as it would against the stored contact.
    byIndex.set(k, { hmac, c: prior ? mergeContact(prior.c, c) : c });
  }
  const rows = [...byIndex.values()];
  if (rows.length === 0) return { created: 0, updated: 0, duplicates: 0 };
  const res = await sql<{ created: boolean; id: string; email_hmac: Buffer }>`
    INSERT INTO contacts AS t (tenant_id, id, email_hmac, email_enc, first_name_enc, infix_enc, last_name_enc, phone_enc, gender, language, function, profile)
    SELECT ${tenantId}::uuid, u.* FROM unnest(
      ${rows.map(() => randomUUID())}::uuid[], ${rows.map((r) => r.hmac)}::bytea[], ${rows.map((r) => keys.seal(r.c.email))}::bytea[],
      ${rows.map((r) => keys.seal(r.c.first_name))}::bytea[], ${rows.map((r) => keys.seal(r.c.infix))}::bytea[],
      ${rows.map((r) => keys.seal(r.c.last_name))}::bytea[], ${rows.map((r) => keys.seal(r.c.phone))}::bytea[],
      ${rows.map((r) => r.c.gender ?? null)}::text[], ${rows.map((r) => r.c.language ?? null)}::text[],
      ${rows.map((r) => r.c.function ?? null)}::text[], ${rows.map((r) => JSON.stringify(r.c.profile ?? {}))}::jsonb[]
    ) AS u
    ON CONFLICT (tenant_id, email_hmac) DO UPDATE SET
      email_enc = excluded.email_enc,
      first_name_enc = coalesce(excluded.first_name_enc, t.first_name_enc),
      infix_enc = coalesce(excluded.infix_enc, t.infix_enc),
      last_name_enc = coalesce(excluded.last_name_enc, t.last_name_enc),
      phone_enc = coalesce(excluded.phone_enc, t.phone_enc),
      gender = coalesce(excluded.gender, t.gender),
      language = coalesce(excluded.language, t.language),
      function = coalesce(excluded.function, t.function),
      profile = t.profile || excluded.profile,
      updated_at = now()
    RETURNING (xmax = 0) AS created${opts.ids ? sql`, t.id, t.email_hmac` : sql``}`.execute(tx);
  const created = res.rows.filter((r) => r.created).length;
  // OBLIGATIONS SVC-6: new contacts are counted, and refused as a whole above the plan's limit.
  if (opts.count !== false && created > 0)
    await countWithin(tx, tenantId, 'contacts', created, {
      nl: 'Het toevoegen van contactpersonen',
      en: 'Adding contacts',
    });
  const out: { created: number; updated: number; duplicates: number; ids?: Array<{ id: string; created: boolean }> } = {
    created,
    updated: res.rows.length - created,
    duplicates: contacts.length - rows.length,
  };
  if (opts.ids) {
    const byHmac = new Map(
      res.rows.map((r) => [Buffer.from(r.email_hmac).toString('base64'), { id: r.id, created: r.created }]),
    );
    out.ids = order.map((k) => byHmac.get(k)!);
  }
  return out;
}

function mergeContact(a: ParsedContact, b: ParsedContact): ParsedContact {
  const out: ParsedContact = { ...a, profile: { ...a.profile, ...b.profile } };
  for (const [k, v] of Object.entries(b) as Array<[keyof ParsedContact, unknown]>) {
    if (k !== 'profile' && v !== undefined && v !== '') (out as unknown as Record<string, unknown>)[k] = v;
  }
  return out;
}
