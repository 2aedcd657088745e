import { randomUUID } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
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

/** The columns a contact file fills, in the order of `sealedArrays`. */
const CONTACT_COLUMNS = sql`email_hmac, email_enc, first_name_enc, infix_enc, last_name_enc, phone_enc, gender, language, function, profile`;

/** The same email is one contact: a later value replaces, an empty one keeps what was stored, profiles merge. */
const ON_CONFLICT = sql`ON CONFLICT (tenant_id, email_hmac) DO UPDATE SET
      email_enc = excluded.email_enc,
      first_name_enc = coalesce(excluded.first_name_enc, t.first_name_enc),
      infix_enc = coalesce(excluded.infix_enc, t.infix_enc),
      last_name_enc = coalesce(excluded.last_name_enc, t.last_name_enc),
      phone_enc = coalesce(excluded.phone_enc, t.phone_enc),
      gender = coalesce(excluded.gender, t.gender),
      language = coalesce(excluded.language, t.language),
      function = coalesce(excluded.function, t.function),
      profile = t.profile || excluded.profile,
      updated_at = now()`;

/** Contacts as the array parameters of an `unnest` in CONTACT_COLUMNS order, personal values sealed. */
function sealedArrays(keys: TenantKeys, cs: ParsedContact[], hmacs: Buffer[]) {
  return sql`${hmacs}::bytea[], ${cs.map((c) => keys.seal(c.email))}::bytea[],
      ${cs.map((c) => keys.seal(c.first_name))}::bytea[], ${cs.map((c) => keys.seal(c.infix))}::bytea[],
      ${cs.map((c) => keys.seal(c.last_name))}::bytea[], ${cs.map((c) => keys.seal(c.phone))}::bytea[],
      ${cs.map((c) => c.gender ?? null)}::text[], ${cs.map((c) => c.language ?? null)}::text[],
      ${cs.map((c) => c.function ?? null)}::text[], ${cs.map((c) => JSON.stringify(c.profile ?? {}))}::jsonb[]`;
}

/**
 * Issue 17: a file import's checked rows, sealed, numbered from `firstSeq` in file order, as the rows
 * of its staging table (contact_import_rows, migration 0038), with their blind indexes. The sealing
 * happens here, outside any transaction; `stageContacts` writes them. Nothing is a contact until
 * `mergeStagedContacts`.
 */
export function sealForStaging(
  keys: TenantKeys,
  firstSeq: number,
  contacts: ParsedContact[],
): { rows: RawBuilder<unknown>; hmacs: Buffer[] } {
  const hmacs = contacts.map((c) => keys.emailIndex(c.email));
  const rows = sql`unnest(${contacts.map((_, i) => firstSeq + i)}::int[], ${sealedArrays(keys, contacts, hmacs)})`;
  return { rows, hmacs };
}

export async function stageContacts(
  tx: Tx,
  tenantId: string,
  uploadId: string,
  rows: RawBuilder<unknown>,
): Promise<void> {
  await sql`
    INSERT INTO contact_import_rows (tenant_id, upload_id, seq, ${CONTACT_COLUMNS})
    SELECT ${tenantId}::uuid, ${uploadId}::uuid, u.* FROM ${rows} AS u`.execute(tx);
}

/**
 * Issue 17: staged rows `from` ≤ seq < `to` of an import into contacts, set-based, with the same
 * rules as `upsertContacts`: within the range the later row wins field by field and profiles merge.
 * `repeated`: the blind indexes that occur more than once in the range (the caller saw them while
 * staging); only their rows are aggregated, the others are inserted as they are (sorting every row
 * by its address cost 40% of a step); `staged`: how many rows the import staged in all. The import
 * calls it for consecutive ranges in one transaction.
 */
export async function mergeStagedContacts(
  tx: Tx,
  tenantId: string,
  uploadId: string,
  range: { from: number; to: number; repeated: Buffer[]; staged: number },
): Promise<{ created: number; updated: number; duplicates: number }> {
  const { from, to, repeated } = range;
  const inRange = sql`upload_id = ${uploadId}::uuid AND seq >= ${from} AND seq < ${to}`;
  const last = (column: string) =>
    sql`(array_agg(${sql.ref(`d.${column}`)} ORDER BY d.seq DESC) FILTER (WHERE ${sql.ref(`d.${column}`)} IS NOT NULL))[1]`;
  const single = sql`SELECT email_hmac, email_enc, first_name_enc, infix_enc, last_name_enc, phone_enc, gender, language,
             function, profile
        FROM contact_import_rows WHERE ${inRange}`;
  const source = repeated.length
    ? sql`${single} AND NOT (email_hmac = ANY(${repeated}::bytea[]))
      UNION ALL
      SELECT d.email_hmac, (array_agg(d.email_enc ORDER BY d.seq DESC))[1],
             ${last('first_name_enc')}, ${last('infix_enc')}, ${last('last_name_enc')}, ${last('phone_enc')},
             ${last('gender')}, ${last('language')}, ${last('function')},
             coalesce(min(p.profile::text)::jsonb, '{}'::jsonb)
        FROM contact_import_rows d
        LEFT JOIN (SELECT x.email_hmac, jsonb_object_agg(e.key, e.value ORDER BY x.seq) AS profile
                     FROM contact_import_rows x, jsonb_each(x.profile) e
                    WHERE x.upload_id = ${uploadId}::uuid AND x.seq >= ${from} AND x.seq < ${to}
                      AND x.email_hmac = ANY(${repeated}::bytea[])
                    GROUP BY x.email_hmac) p ON p.email_hmac = d.email_hmac
       WHERE d.upload_id = ${uploadId}::uuid AND d.seq >= ${from} AND d.seq < ${to}
         AND d.email_hmac = ANY(${repeated}::bytea[])
       GROUP BY d.email_hmac`
    : single;
  const res = await sql<{ created: number; merged: number }>`
    WITH s AS (${source}),
    ins AS (
      INSERT INTO contacts AS t (tenant_id, id, ${CONTACT_COLUMNS})
      SELECT ${tenantId}::uuid, gen_random_uuid(), email_hmac, email_enc, first_name_enc, infix_enc, last_name_enc,
             phone_enc, gender, language, function, profile
        FROM s
      ${ON_CONFLICT}
      RETURNING (xmax = 0) AS created)
    SELECT count(*) FILTER (WHERE created)::int AS created, count(*)::int AS merged FROM ins`.execute(tx);
  const { created, merged } = res.rows[0]!;
  return { created, updated: merged - created, duplicates: Math.min(to, range.staged) - from - merged };
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
    INSERT INTO contacts AS t (tenant_id, id, ${CONTACT_COLUMNS})
    SELECT ${tenantId}::uuid, u.* FROM unnest(${rows.map(() => randomUUID())}::uuid[], ${sealedArrays(
      keys,
      rows.map((r) => r.c),
      rows.map((r) => r.hmac),
    )}) AS u
    ${ON_CONFLICT}
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
