import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction, systemActor, type Actor } from '../../lib/audit.js';
import { canonicalJson } from '../../lib/audit-chain.js';
import type { CheckpointSigner } from '../../lib/crypto/signing.js';
import { signerOf } from '../../lib/crypto/signing.js';
import type { Tx } from '../../lib/db/db.js';
import { bilingual, bilingualSubject, bilingualText, formatInstant } from '../../lib/i18n.js';
import { logRetentionMonths, noticeRecipients } from '../agreement/service.js';
import {
  checkpointChain,
  recordVerification,
  verifyChain,
  type ChainProblem,
  type TenantVerification,
} from './chain.js';
import { MIN_RETENTION_MONTHS, monthsBefore } from './retention.js';
import { log } from '../../lib/log.js';

/**
 * OBLIGATIONS LOG-3, issue 16 point 4: evidence the processor cannot rewrite alone.
 *
 * Checkpoints are signed, but they live in the same database as the log: whoever can delete entries
 * (a database owner, the processor's own staff) can delete the checkpoints after them too and move
 * audit_heads back, and the chain still verifies. So the customer holds *signed heads* of its chain
 * outside Peil's database, like certificate transparency's signed tree heads:
 *
 *   { tenant, seq, hash of entry seq, entryAt (its time), at (signed when), keyId }
 *
 * signed (Ed25519) with the installation's checkpoint key, and shipped with that public key, so that
 * anyone can check the signature without Peil. A head goes out when a user downloads it (GET
 * /api/v1/audit/head, Privacy > Bewijs) and every AUDIT_ANCHOR_DAYS days by mail to the privacy
 * contact (or the owners); audit_anchors records each (shown on the Privacy page).
 *
 * `peil audit verify --head FILE` (and the API's verification with a head) then checks, besides the
 * chain itself: the head's signature; that the log still reaches seq; that entry seq still has
 * exactly that hash (so, the chain verifying, everything up to it links unchanged); and, for several
 * heads, that each newer head extends the older ones. Removing entries with their checkpoints,
 * moving the head back, rewriting the chain or deleting a whole customer's log is reported against
 * any head signed after the removed entries.
 */

export const HEAD_FORMAT = 'peil-audit-head/1';
const BEGIN = '-----BEGIN PEIL AUDIT HEAD-----';
const END = '-----END PEIL AUDIT HEAD-----';

export const signedHeadBody = z.object({
  tenant: z.uuid(),
  seq: z.number().int().min(0),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  entryAt: z.string().nullable(),
  at: z.string(),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
});
export type SignedHeadBody = z.infer<typeof signedHeadBody>;

export const headFile = z.object({
  format: z.literal(HEAD_FORMAT),
  customer: z.object({ id: z.uuid(), slug: z.string(), name: z.string() }),
  head: signedHeadBody,
  signature: z.string().regex(/^[A-Za-z0-9+/]+=*$/),
  publicKey: z.string().max(1000),
  about: z.object({ nl: z.string(), en: z.string() }).optional(),
});
export type HeadFile = z.infer<typeof headFile>;

/** What is signed: the head's fields, canonical JSON, with a type so no other signed text can pass for a head. */
export function headPayload(h: SignedHeadBody): string {
  return canonicalJson({
    v: 1,
    type: 'peil-audit-head',
    tenant: h.tenant,
    seq: h.seq,
    hash: h.hash,
    entryAt: h.entryAt,
    at: h.at,
    keyId: h.keyId,
  });
}

const ABOUT = {
  nl: 'Ondertekende stand van het auditlogboek van deze klant bij Peil. Bewaar dit bestand buiten Peil. Met "peil audit verify --head <bestand>", of op de pagina Privacy > Bewijs, controleert iedereen dat het logboek tot en met dit volgnummer nog precies zo is: verwijderen of herschrijven van regels ervoor wordt dan gemeld.',
  en: 'Signed head of this customer\'s audit log at Peil. Keep this file outside Peil. With "peil audit verify --head <file>", or on the page Privacy > Evidence, anyone checks that the log up to this sequence number is still exactly as it was: removing or rewriting entries before it is then reported.',
};

export class HeadFileError extends Error {}

/** A head file as downloaded, or a mail that carries one between the BEGIN/END lines. */
export function parseHeadFile(text: string): HeadFile {
  let json: unknown;
  const trimmed = text.trim();
  const start = trimmed.indexOf(BEGIN);
  try {
    if (start >= 0) {
      const end = trimmed.indexOf(END, start);
      if (end < 0) throw new HeadFileError(`the head starts with "${BEGIN}" but its "${END}" line is missing`);
      json = JSON.parse(trimmed.slice(start + BEGIN.length, end));
    } else {
      json = JSON.parse(trimmed);
    }
  } catch (err) {
    if (err instanceof HeadFileError) throw err;
    throw new HeadFileError(
      'not a signed audit head: neither JSON nor a mail with a PEIL AUDIT HEAD block / geen ondertekende stand van het logboek',
    );
  }
  const r = headFile.safeParse(json);
  if (!r.success)
    throw new HeadFileError(
      `not a signed audit head (${HEAD_FORMAT}): ${r.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`,
    );
  return r.data;
}

/** The head as text for a mail: the JSON between two lines a reader and the parser can find. */
export function headBlock(file: HeadFile): string {
  return `${BEGIN}\n${JSON.stringify(file, null, 2)}\n${END}`;
}

export interface HeadSignature {
  ok: boolean;
  keyId: string;
  /** Signed with this installation's current checkpoint key (else before a master key rotation, or elsewhere). */
  currentKey: boolean;
  message: string | null;
}

/** Checks the file's signature with the public key it carries, and whether that key is this installation's. */
export function checkHeadSignature(file: HeadFile, signer: CheckpointSigner): HeadSignature {
  const keyId = file.head.keyId;
  let spki: Buffer;
  let key: ReturnType<typeof createPublicKey>;
  try {
    key = createPublicKey(file.publicKey);
    spki = key.export({ format: 'der', type: 'spki' });
  } catch {
    return {
      ok: false,
      keyId,
      currentKey: false,
      message: 'the public key in the file cannot be read / de publieke sleutel in het bestand is onleesbaar',
    };
  }
  const carried = createHash('sha256').update(spki).digest('hex').slice(0, 16);
  if (carried !== keyId)
    return {
      ok: false,
      keyId,
      currentKey: false,
      message: `the head names signing key ${keyId} but carries key ${carried}: altered / de stand noemt sleutel ${keyId} maar bevat sleutel ${carried}: gewijzigd`,
    };
  let ok = false;
  try {
    ok = verifySignature(null, Buffer.from(headPayload(file.head), 'utf8'), key, Buffer.from(file.signature, 'base64'));
  } catch {
    ok = false;
  }
  if (!ok)
    return {
      ok: false,
      keyId,
      currentKey: keyId === signer.keyId,
      message: `the signature of the head at seq ${file.head.seq} does not verify: the file was altered or forged / de handtekening klopt niet: het bestand is gewijzigd of vervalst`,
    };
  return { ok: true, keyId, currentKey: keyId === signer.keyId, message: null };
}

/**
 * Signs the tenant's chain head now, after checking the entries since the last checkpoint
 * (checkpointChain: a head of a chain that does not verify is never signed). Locks the head.
 */
export async function signHead(
  tx: Tx,
  tenantId: string,
  signer: CheckpointSigner,
): Promise<{ file: HeadFile; problem: null } | { file: null; problem: ChainProblem }> {
  const cp = await checkpointChain(tx, tenantId, signer, 'periodic');
  if (cp.problem) return { file: null, problem: cp.problem };
  const h = (
    await sql<{
      seq: number;
      hash: Buffer;
    }>`SELECT seq, hash FROM audit_heads WHERE tenant_id = ${tenantId} FOR UPDATE`.execute(tx)
  ).rows[0];
  const seq = h ? Number(h.seq) : 0;
  const hash = h ? h.hash : Buffer.alloc(32);
  const entry =
    seq > 0
      ? await tx
          .selectFrom('audit_events')
          .select('at')
          .where('tenant_id', '=', tenantId)
          .where('seq', '=', seq)
          .executeTakeFirst()
      : undefined;
  const tenant = await tx
    .selectFrom('tenants')
    .select(['slug', 'name'])
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  const body: SignedHeadBody = {
    tenant: tenantId,
    seq,
    hash: hash.toString('hex'),
    entryAt: entry ? new Date(entry.at).toISOString() : null,
    at: new Date().toISOString(),
    keyId: signer.keyId,
  };
  return {
    file: {
      format: HEAD_FORMAT,
      customer: { id: tenantId, slug: tenant.slug, name: tenant.name },
      head: body,
      signature: signer.sign(headPayload(body)).toString('base64'),
      publicKey: signer.publicKeyPem,
      about: ABOUT,
    },
    problem: null,
  };
}

/** Records that a head went out, with its audit entry (same transaction). */
export async function recordAnchor(
  tx: Tx,
  tenantId: string,
  file: HeadFile,
  how:
    | { channel: 'download'; userId: string | null }
    | { channel: 'mail'; sentTo: 'privacy_contact' | 'owners'; recipients: number },
  actor: Actor,
): Promise<void> {
  await tx
    .insertInto('audit_anchors')
    .values({
      tenant_id: tenantId,
      seq: file.head.seq,
      hash: Buffer.from(file.head.hash, 'hex'),
      signed_at: new Date(file.head.at),
      key_id: file.head.keyId,
      signature: Buffer.from(file.signature, 'base64'),
      channel: how.channel,
      sent_to: how.channel === 'mail' ? how.sentTo : null,
      recipients: how.channel === 'mail' ? how.recipients : 0,
      user_id: how.channel === 'download' ? how.userId : null,
    })
    .execute();
  await audit(tx, tenantId, actor, {
    action: AuditAction.AUDIT_HEAD_ANCHORED,
    details: {
      seq: file.head.seq,
      hash: file.head.hash,
      signedAt: file.head.at,
      keyId: file.head.keyId,
      channel: how.channel,
      ...(how.channel === 'mail' ? { sentTo: how.sentTo, recipients: how.recipients } : {}),
    },
  });
}

export interface AnchorRecord {
  seq: number;
  hash: string;
  signedAt: string;
  keyId: string;
  channel: 'download' | 'mail';
  sentTo: 'privacy_contact' | 'owners' | null;
  recipients: number;
  userId: string | null;
}

export async function listAnchors(tx: Tx, limit = 20): Promise<AnchorRecord[]> {
  const rows = await tx
    .selectFrom('audit_anchors')
    .select(['seq', 'hash', 'signed_at', 'key_id', 'channel', 'sent_to', 'recipients', 'user_id'])
    .orderBy('signed_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    hash: r.hash.toString('hex'),
    signedAt: new Date(r.signed_at).toISOString(),
    keyId: r.key_id,
    channel: r.channel,
    sentTo: r.sent_to,
    recipients: Number(r.recipients),
    userId: r.user_id,
  }));
}

// ---------------------------------------------------------------- checking a held head

export interface HeadCheck {
  seq: number;
  signedAt: string;
  keyId: string;
  currentKey: boolean;
  /** 'matches': entry seq is there with exactly that hash; 'pruned': removed by retention (LOG-4), older than the agreed retention. */
  outcome: 'matches' | 'pruned' | 'failed';
  message: string;
}

export interface HeadVerification {
  verification: TenantVerification;
  heads: HeadCheck[];
  /** The first problem: of the chain itself, or of a head against it. */
  problem: ChainProblem | null;
}

const problemOf = (kind: ChainProblem['kind'], seq: number | null, message: string): ChainProblem => ({
  kind,
  seq,
  id: null,
  message,
});

/**
 * The chain of this tenant (verifyChain), and each held head against it. Reads only; run in a
 * repeatable read transaction so every statement sees the same log.
 */
export async function verifyWithHeads(
  tx: Tx,
  tenantId: string,
  signer: CheckpointSigner,
  files: HeadFile[],
  now = new Date(),
): Promise<HeadVerification> {
  const verification = await verifyChain(tx, tenantId, signer);
  const heads: HeadCheck[] = [];
  let first: ChainProblem | null = verification.problem;
  const fail = (c: Omit<HeadCheck, 'outcome' | 'message'>, p: ChainProblem) => {
    heads.push({ ...c, outcome: 'failed', message: p.message });
    first ??= p;
  };
  const cur = (await sql<{ seq: number }>`SELECT seq FROM audit_heads WHERE tenant_id = ${tenantId}`.execute(tx))
    .rows[0];
  const curSeq = cur ? Number(cur.seq) : 0;
  const retention = Math.max(MIN_RETENTION_MONTHS, await logRetentionMonths(tx, tenantId));

  // Newer heads must extend older ones: a later head behind an earlier one is a roll-back, whatever the database says now.
  const byTime = [...files].sort((a, b) => a.head.at.localeCompare(b.head.at));
  for (let i = 1; i < byTime.length; i++) {
    const older = byTime[i - 1]!.head;
    const newer = byTime[i]!.head;
    if (newer.seq < older.seq || (newer.seq === older.seq && newer.hash !== older.hash)) {
      first ??= problemOf(
        'rewritten',
        newer.seq,
        `the head signed ${newer.at} (seq ${newer.seq}) does not extend the head signed ${older.at} (seq ${older.seq}): the log was rolled back or forked between them / de latere stand bouwt niet voort op de eerdere: het logboek is teruggedraaid`,
      );
    }
  }

  for (const file of files) {
    const h = file.head;
    const sig = checkHeadSignature(file, signer);
    const base = { seq: h.seq, signedAt: h.at, keyId: h.keyId, currentKey: sig.currentKey };
    const keyNote = sig.currentKey
      ? ''
      : ` (signed with signing key ${h.keyId}, not this installation's current ${signer.keyId}: made before a master key rotation, or elsewhere)`;
    if (h.tenant !== tenantId) {
      fail(
        base,
        problemOf(
          'forged-head',
          h.seq,
          `the head is of customer ${h.tenant}, not of this customer / de stand hoort bij een andere klant`,
        ),
      );
      continue;
    }
    if (!sig.ok) {
      fail(base, problemOf('forged-head', h.seq, sig.message!));
      continue;
    }
    if (h.seq === 0) {
      heads.push({ ...base, outcome: 'matches', message: 'the head of an empty log: nothing to check yet' });
      continue;
    }
    if (curSeq < h.seq) {
      fail(
        base,
        problemOf(
          'removed',
          curSeq + 1,
          `the log ends at seq ${curSeq}, but a head signed ${h.at} is at seq ${h.seq}: ${curSeq === 0 ? `all ${h.seq} entries` : `entries ${curSeq + 1}..${h.seq}`} were removed (with their checkpoints, the chain head moved back)${keyNote} / het logboek eindigt bij volgnummer ${curSeq}, maar een ondertekende stand van ${h.at} staat op ${h.seq}: regels zijn verwijderd`,
        ),
      );
      continue;
    }
    const entry = await tx
      .selectFrom('audit_events')
      .select(['id', 'hash'])
      .where('tenant_id', '=', tenantId)
      .where('seq', '=', h.seq)
      .orderBy('id')
      .execute();
    if (entry.length > 0) {
      if (entry.length === 1 && entry[0]!.hash && entry[0]!.hash.toString('hex') === h.hash) {
        heads.push({
          ...base,
          outcome: 'matches',
          message: `entry seq ${h.seq} has exactly the hash of the head signed ${h.at}${keyNote}`,
        });
      } else {
        fail(base, {
          kind: 'rewritten',
          seq: h.seq,
          id: Number(entry[0]!.id),
          message: `entry seq ${h.seq} differs from the head signed ${h.at}: the log up to seq ${h.seq} was rewritten${keyNote} / de regel met volgnummer ${h.seq} wijkt af van de ondertekende stand: het logboek is herschreven`,
        });
      }
      continue;
    }
    // Entry seq is gone while the log goes on after it: only retention (LOG-4) may have removed it,
    // from a signed prune checkpoint on, and only once it is older than the agreed retention.
    const prune =
      verification.start === 'prune-checkpoint' && verification.fromSeq !== null && verification.fromSeq > h.seq;
    const cutoff = monthsBefore(now, retention);
    const old = h.entryAt !== null && new Date(h.entryAt) < cutoff;
    if (prune && old) {
      const samePoint = await tx
        .selectFrom('audit_checkpoints')
        .select('hash')
        .where('tenant_id', '=', tenantId)
        .where('seq', '=', h.seq)
        .where('reason', '=', 'prune')
        .executeTakeFirst();
      if (samePoint && samePoint.hash.toString('hex') !== h.hash) {
        fail(
          base,
          problemOf(
            'rewritten',
            h.seq,
            `the prune checkpoint at seq ${h.seq} differs from the head signed ${h.at}: the log was rewritten before it was pruned`,
          ),
        );
      } else {
        heads.push({
          ...base,
          outcome: 'pruned',
          message: `entry seq ${h.seq} (${h.entryAt}) is older than the agreed retention of ${retention} months and was removed by retention; the log verifies from the prune checkpoint at seq ${verification.fromSeq! - 1}`,
        });
      }
      continue;
    }
    fail(
      base,
      problemOf(
        'removed',
        h.seq,
        `entry seq ${h.seq} of the head signed ${h.at} is missing${h.entryAt ? `; it dates from ${h.entryAt}, ${old ? 'but no signed prune checkpoint vouches for its removal' : `within the agreed retention of ${retention} months, so retention cannot have removed it`}` : ''}${keyNote} / de regel met volgnummer ${h.seq} ontbreekt en is niet door de bewaartermijn verwijderd`,
      ),
    );
  }
  return { verification, heads, problem: first };
}

/** verifyWithHeads in one consistent snapshot, and its outcome recorded for the security measures. */
export async function verifyTenantWithHeads(
  ctx: AppContext,
  tenantId: string,
  files: HeadFile[],
): Promise<HeadVerification> {
  const signer = signerOf(ctx.keyring.master);
  const r = await ctx.db.tenant(tenantId, (tx) => verifyWithHeads(tx, tenantId, signer, files), {
    isolation: 'repeatable read',
  });
  const v = r.verification;
  await ctx.db.tenant(tenantId, (tx) =>
    recordVerification(tx, tenantId, {
      ok: r.problem === null,
      fromSeq: v.fromSeq,
      toSeq: v.toSeq,
      entries: v.entries,
      problem: r.problem,
    }),
  );
  return r;
}

// ---------------------------------------------------------------- the schedule

export interface AnchorOutcome {
  tenantId: string;
  slug: string;
  seq: number | null;
  sentTo: 'privacy_contact' | 'owners' | 'nobody' | null;
  recipients: number;
  problem: string | null;
}

function composeMail(file: HeadFile, to: string, baseUrl: string): { to: string; subject: string; text: string } {
  const h = file.head;
  const lines = bilingual((t, lang) => [
    t('mails:auditHead.title', { org: file.customer.name }),
    '',
    t('mails:auditHead.intro', { seq: String(h.seq), at: formatInstant(lang, h.at) }),
    '',
    t('mails:auditHead.keep'),
    t('mails:auditHead.page', { link: `${baseUrl}/app/privacy/evidence` }),
    t('mails:auditHead.cli'),
  ]);
  return {
    to,
    subject: bilingualSubject('mails:auditHead.subject', undefined, ` (${h.seq})`),
    text: bilingualText(lines, `\n${headBlock(file)}\n`),
  };
}

/**
 * Mails each customer's signed head to its privacy contact (else its owners) when the last mailed
 * head is AUDIT_ANCHOR_DAYS days old or there is none. Part of the audit maintenance pass. `now`
 * moves the clock for the due check (tests, what-if); the head is signed at the real time.
 */
export async function anchorDue(
  ctx: AppContext,
  opts: { now?: Date | undefined; slug?: string | undefined } = {},
): Promise<AnchorOutcome[]> {
  const days = ctx.env.AUDIT_ANCHOR_DAYS;
  if (days <= 0) return [];
  const now = opts.now ?? new Date();
  const due = new Date(now.getTime() - days * 86_400_000);
  const signer = signerOf(ctx.keyring.master);
  const out: AnchorOutcome[] = [];
  const tenants = await ctx.db.global((tx) => {
    let q = tx
      .selectFrom('tenants')
      .select(['id', 'slug'])
      .where('status', 'in', ['active', 'suspended'])
      .orderBy('created_at');
    if (opts.slug) q = q.where('slug', '=', opts.slug);
    return q.execute();
  });
  for (const t of tenants) {
    try {
      const work = await ctx.db.tenant(t.id, async (tx) => {
        const last = await tx
          .selectFrom('audit_anchors')
          .select('signed_at')
          .where('channel', '=', 'mail')
          .orderBy('signed_at', 'desc')
          .limit(1)
          .executeTakeFirst();
        if (last && new Date(last.signed_at) > due) return null;
        const r = await noticeRecipients(tx, t.id);
        if (r.to === 'nobody') return { kind: 'nobody' as const };
        const s = await signHead(tx, t.id, signer);
        return s.problem
          ? { kind: 'failed' as const, problem: s.problem }
          : { kind: 'signed' as const, file: s.file, recipients: r };
      });
      if (!work) continue;
      if (work.kind === 'nobody') {
        out.push({ tenantId: t.id, slug: t.slug, seq: null, sentTo: 'nobody', recipients: 0, problem: null });
        continue;
      }
      if (work.kind === 'failed') {
        const p = work.problem;
        await ctx.db.tenant(t.id, (tx) =>
          recordVerification(tx, t.id, { ok: false, fromSeq: null, toSeq: p.seq, entries: 0, problem: p }),
        );
        log.error(
          { worker: 'audit', problem: p.kind },
          `[audit] the log of ${t.slug} does not verify, its head was not sent: ${p.kind}`,
        );
        out.push({
          tenantId: t.id,
          slug: t.slug,
          seq: null,
          sentTo: null,
          recipients: 0,
          problem: `${p.kind}: ${p.message}`,
        });
        continue;
      }
      let sent = 0;
      for (const to of work.recipients.emails) {
        const res = await ctx.mailer.send(t.id, 'audit-head', composeMail(work.file, to, ctx.env.baseUrl));
        if (res.ok) sent++;
      }
      const sentTo = work.recipients.to as 'privacy_contact' | 'owners';
      if (sent > 0)
        await ctx.db.tenant(t.id, (tx) =>
          recordAnchor(tx, t.id, work.file, { channel: 'mail', sentTo, recipients: sent }, systemActor),
        );
      out.push({
        tenantId: t.id,
        slug: t.slug,
        seq: work.file.head.seq,
        sentTo,
        recipients: sent,
        problem: sent > 0 ? null : 'no mail could be sent',
      });
    } catch (err) {
      // One customer's failure (its key destroyed: no mail can be sealed) does not stop the others.
      out.push({
        tenantId: t.id,
        slug: t.slug,
        seq: null,
        sentTo: null,
        recipients: 0,
        problem: (err as Error).message,
      });
    }
  }
  return out;
}
