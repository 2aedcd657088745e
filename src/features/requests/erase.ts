import { sql } from 'kysely';
import type { TenantKeys } from '../../lib/crypto/keyring.js';
import type { Tx } from '../../lib/db/db.js';
import type { Lang, RequestKind } from '../../lib/db/schema.js';
import { eraseContact } from '../contacts/store.js';
import { destroyImageKey, imageKeysFor, type ContactImage } from '../contacts/history.js';
import { followUpIdsOf } from '../followups/index.js';

/**
 * OBLIGATIONS DSR-2: one person erased everywhere, in the caller's transaction.
 *
 * Who the person is: the contact row (when it still exists) and every image of it in the log (a
 * deletion or a change keeps one, sealed with the contact's image key): together they give every
 * address the person had (blind index and clear), its invitations and its responses (a plain deletion
 * unlinks responses, but its image lists their ids).
 *
 * What goes: the responses of identified and confidential surveys (and with them, by foreign key,
 * labels, sentiment and label corrections, which retrains the customer's model), the webhook deliveries
 * that carry those answers, the invitations and the contact, the outbox mail to any of the addresses,
 * idempotency records whose stored answer names the person, the address and the respondent's text in
 * the person's requests (their record stays, pseudonymous), and the key of the person's images in the
 * log, which makes every image unreadable while the log rows, and so the hash chain, stay unchanged.
 *
 * What stays: the addresses' blind indexes on the suppression list (so a re-import gets no mail) and a
 * tombstone (contact id + blind index) that a restore of an older backup re-applies; the contact id in
 * the log's subject column, now a pseudonym that nothing links to a person. Anonymous answers carry no
 * link to anyone and are not touched. Aggregates (a confidential survey's released breakdown, counts)
 * name nobody and stay.
 */
export interface ErasureCounts {
  contact: boolean;
  invitations: number;
  responses: number;
  webhookDeliveries: number;
  outbox: number;
  idempotencyRecords: number;
  requests: number;
  logImagesUnreadable: number;
}

/** A respondent to tell that their request was carried out (after the commit: mail never waits in a transaction). */
export interface ErasureNotice {
  requestId: string;
  email: string;
  lang: Lang;
  kind: RequestKind;
}

interface Person {
  hmacs: Map<string, Buffer>;
  emails: Set<string>;
  invitationIds: Set<string>;
  responseIds: Set<string>;
  images: number;
  exists: boolean;
}

/** Everything that identifies the person, from the contact row and its images in the log. */
export async function findPerson(
  tx: Tx,
  tenantId: string,
  keys: TenantKeys,
  contactId: string,
): Promise<Person | null> {
  const p: Person = {
    hmacs: new Map(),
    emails: new Set(),
    invitationIds: new Set(),
    responseIds: new Set(),
    images: 0,
    exists: false,
  };
  const addEmail = (hmac: Buffer, enc: Buffer | null) => {
    p.hmacs.set(hmac.toString('base64'), hmac);
    if (enc) p.emails.add(keys.open(enc).trim().toLowerCase());
  };
  const c = await tx
    .selectFrom('contacts')
    .select(['email_hmac', 'email_enc'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', contactId)
    .executeTakeFirst();
  if (c) {
    p.exists = true;
    addEmail(c.email_hmac, c.email_enc);
  }
  const entries = await tx
    .selectFrom('audit_events')
    .select('details')
    .where('tenant_id', '=', tenantId)
    .where('subject_kind', '=', 'contact')
    .where('subject_id', '=', contactId)
    .where(sql<boolean>`details ? 'sealed'`)
    .execute();
  const sealed = entries.map((e) => (e.details as { sealed?: Record<string, unknown> }).sealed ?? {});
  const ik = await imageKeysFor(tx, tenantId, keys, sealed);
  for (const s of sealed) {
    for (const v of Object.values(s)) {
      let image: ContactImage | null = null;
      try {
        image = ik.open(v);
      } catch {
        image = null;
      }
      if (!image) continue;
      p.images++;
      const raw = image.contact as { email_hmac?: { b64: string }; email_enc?: { b64: string } };
      if (raw.email_hmac?.b64)
        addEmail(
          Buffer.from(raw.email_hmac.b64, 'base64'),
          raw.email_enc?.b64 ? Buffer.from(raw.email_enc.b64, 'base64') : null,
        );
      for (const inv of image.invitations ?? []) if (typeof inv.id === 'string') p.invitationIds.add(inv.id);
      for (const r of image.responseIds ?? []) p.responseIds.add(r);
    }
  }
  const invitations = await tx
    .selectFrom('invitations')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('contact_id', '=', contactId)
    .execute();
  for (const i of invitations) p.invitationIds.add(i.id);
  let rq = tx.selectFrom('responses').select('id').where('tenant_id', '=', tenantId);
  const invIds = [...p.invitationIds];
  rq = rq.where((eb) =>
    eb.or([eb('contact_id', '=', contactId), ...(invIds.length ? [eb('invitation_id', 'in', invIds)] : [])]),
  );
  for (const r of await rq.execute()) p.responseIds.add(r.id);
  // Erased already (a tombstone, no contact): what is left is pseudonymous; there is nobody to find.
  const tombstone = await tx
    .selectFrom('erasure_tombstones')
    .select('contact_id')
    .where('tenant_id', '=', tenantId)
    .where('contact_id', '=', contactId)
    .executeTakeFirst();
  if (tombstone && !p.exists) return null;
  const hasKey = await tx
    .selectFrom('contact_image_keys')
    .select('contact_id')
    .where('tenant_id', '=', tenantId)
    .where('contact_id', '=', contactId)
    .executeTakeFirst();
  const hasRequests = await tx
    .selectFrom('data_subject_requests')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('contact_id', '=', contactId)
    .executeTakeFirst();
  if (!p.exists && !hasKey && !hasRequests && p.hmacs.size === 0 && p.responseIds.size === 0) return null;
  return p;
}

/** Does a decrypted text name the person (contact id, one of its addresses, one of its responses)? */
function names(text: string, contactId: string, p: Person): boolean {
  const lower = text.toLowerCase();
  if (lower.includes(contactId)) return true;
  for (const e of p.emails) if (lower.includes(e)) return true;
  for (const r of p.responseIds) if (lower.includes(r)) return true;
  return false;
}

/** What an erasure would remove (for the confirmation in the web app), without removing anything. */
export async function erasurePreview(
  tx: Tx,
  tenantId: string,
  keys: TenantKeys,
  contactId: string,
): Promise<Omit<ErasureCounts, 'outbox' | 'idempotencyRecords' | 'webhookDeliveries'> | null> {
  const p = await findPerson(tx, tenantId, keys, contactId);
  if (!p) return null;
  const requests = await tx
    .selectFrom('data_subject_requests')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where((eb) =>
      eb.or([
        eb('contact_id', '=', contactId),
        ...(p.hmacs.size ? [eb('email_hmac', 'in', [...p.hmacs.values()])] : []),
      ]),
    )
    .execute();
  return {
    contact: p.exists,
    invitations: p.invitationIds.size,
    responses: p.responseIds.size,
    requests: requests.length,
    logImagesUnreadable: p.images,
  };
}

export async function erasePerson(
  tx: Tx,
  tenantId: string,
  keys: TenantKeys,
  contactId: string,
): Promise<{ counts: ErasureCounts; notices: ErasureNotice[] } | null> {
  const p = await findPerson(tx, tenantId, keys, contactId);
  if (!p) return null;
  const responseIds = [...p.responseIds];
  const hmacs = [...p.hmacs.values()];

  // Webhook deliveries carry the answers (their event id is the response id, or for a follow-up's
  // `followup.created` event the follow-up's id); attempts go with them. Follow-ups themselves go
  // with their responses (ON DELETE CASCADE, 0021).
  let webhookDeliveries = 0;
  if (responseIds.length) {
    const events = [...responseIds, ...(await followUpIdsOf(tx, tenantId, responseIds))];
    const d = await tx
      .deleteFrom('webhook_deliveries')
      .where('tenant_id', '=', tenantId)
      .where('event_id', 'in', events)
      .executeTakeFirst();
    webhookDeliveries = Number(d.numDeletedRows);
    // Labels, sentiment and corrections go with the responses (ON DELETE CASCADE, 0002).
    await tx.deleteFrom('responses').where('tenant_id', '=', tenantId).where('id', 'in', responseIds).execute();
  }

  // Stored answers of idempotent API calls and outbox mail: sealed, so each is opened and checked.
  let idempotencyRecords = 0;
  const stored = await tx
    .selectFrom('idempotency_keys')
    .select(['principal', 'key', 'response_enc'])
    .where('tenant_id', '=', tenantId)
    .where('response_enc', 'is not', null)
    .execute();
  for (const r of stored) {
    let text = '';
    try {
      text = keys.open(r.response_enc!);
    } catch {
      continue;
    }
    if (names(text, contactId, p)) {
      await tx
        .deleteFrom('idempotency_keys')
        .where('tenant_id', '=', tenantId)
        .where('principal', '=', r.principal)
        .where('key', '=', r.key)
        .execute();
      idempotencyRecords++;
    }
  }
  let outbox = 0;
  const mails = await tx.selectFrom('outbox').select(['id', 'message_enc']).where('tenant_id', '=', tenantId).execute();
  for (const m of mails) {
    let text = '';
    try {
      text = JSON.stringify(keys.openJson<unknown>(m.message_enc));
    } catch {
      continue;
    }
    if (names(text, contactId, p)) {
      await tx.deleteFrom('outbox').where('tenant_id', '=', tenantId).where('id', '=', m.id).execute();
      outbox++;
    }
  }

  // The person's requests: open ones are done with this erasure (the respondent is told after the
  // commit), unconfirmed ones expire; the address and the respondent's text go from all of them.
  const reqs = await tx
    .selectFrom('data_subject_requests')
    .select(['id', 'status', 'email_enc', 'lang', 'kind'])
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb.or([eb('contact_id', '=', contactId), ...(hmacs.length ? [eb('email_hmac', 'in', hmacs)] : [])]))
    .execute();
  const notices: ErasureNotice[] = [];
  for (const r of reqs) {
    if ((r.status === 'received' || r.status === 'extended') && r.email_enc)
      notices.push({ requestId: r.id, email: keys.open(r.email_enc), lang: r.lang as Lang, kind: r.kind });
  }
  if (reqs.length) {
    const ids = reqs.map((r) => r.id);
    await tx
      .updateTable('data_subject_requests')
      .set({
        status: sql`CASE WHEN status IN ('received', 'extended') THEN 'done' WHEN status = 'unconfirmed' THEN 'expired' ELSE status END`,
        decided_at: sql`CASE WHEN status IN ('received', 'extended') THEN now() ELSE decided_at END`,
        email_enc: null,
        message_enc: null,
        confirm_hash: null,
        contact_id: contactId,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', ids)
      .execute();
  }

  // The addresses stay suppressed by blind index only (DSR-3); an earlier reason (unsubscribed, ...) is
  // kept, but its sealed address and details go.
  for (const h of hmacs) {
    await sql`
      INSERT INTO suppressions (tenant_id, email_hmac, email_enc, reason, source)
      VALUES (${tenantId}::uuid, ${h}, NULL, 'erased', 'contact-erased')
      ON CONFLICT (tenant_id, email_hmac) DO UPDATE SET email_enc = NULL, details = '{}'::jsonb`.execute(tx);
  }
  let invitations = 0;
  if (p.exists) {
    invitations = Number(
      (
        await tx
          .selectFrom('invitations')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('tenant_id', '=', tenantId)
          .where('contact_id', '=', contactId)
          .executeTakeFirstOrThrow()
      ).n,
    );
    await eraseContact(tx, tenantId, contactId);
  }
  const imageKey = await destroyImageKey(tx, tenantId, contactId);
  const primary = hmacs[0];
  if (primary) {
    // One tombstone per contact (its current address); earlier addresses are on the suppression list.
    await tx
      .insertInto('erasure_tombstones')
      .values({ tenant_id: tenantId, contact_id: contactId, email_hmac: primary })
      .onConflict((oc) => oc.columns(['tenant_id', 'contact_id']).doNothing())
      .execute();
  }
  return {
    counts: {
      contact: p.exists,
      invitations,
      responses: responseIds.length,
      webhookDeliveries,
      outbox,
      idempotencyRecords,
      requests: reqs.length,
      logImagesUnreadable: imageKey ? p.images : 0,
    },
    notices,
  };
}

/**
 * OBLIGATIONS DSR-2: after a restore, every erasure the restored data does not know yet is applied
 * again (the tombstones come from the database restored over, or a later copy of them). A contact that
 * came back, by id or by address, is erased once more.
 */
export async function reapplyErasure(
  tx: Tx,
  tenantId: string,
  keys: TenantKeys,
  tombstone: { contactId: string; emailHmac: Buffer; erasedAt: Date },
): Promise<ErasureCounts | null> {
  const ids = new Set<string>([tombstone.contactId]);
  // The same address under another id, created before the erasure (a contact imported again after it
  // is a new, lawful one and stays).
  const same = await tx
    .selectFrom('contacts')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('email_hmac', '=', tombstone.emailHmac)
    .where('created_at', '<=', tombstone.erasedAt)
    .execute();
  for (const c of same) ids.add(c.id);
  let last: ErasureCounts | null = null;
  for (const id of ids) {
    const r = await erasePerson(tx, tenantId, keys, id);
    if (r) last = r.counts;
  }
  await tx
    .insertInto('erasure_tombstones')
    .values({
      tenant_id: tenantId,
      contact_id: tombstone.contactId,
      email_hmac: tombstone.emailHmac,
      erased_at: tombstone.erasedAt,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'contact_id']).doNothing())
    .execute();
  return last;
}
