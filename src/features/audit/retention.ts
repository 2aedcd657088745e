import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { audit, AuditAction, systemActor, type Actor } from '../../lib/audit.js';
import type { Db } from '../../lib/db/db.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { signerOf, type CheckpointSigner } from '../../lib/crypto/signing.js';
import { changeAgreement, logRetentionMonths } from '../agreement/service.js';
import { checkpointForPrune, recordVerification, tenantIds, type ChainProblem } from './chain.js';

/** OBLIGATIONS LOG-4, AGR-2: the agreed retention may not be shorter than this (L 12.8). */
export const MIN_RETENTION_MONTHS = 2;

export interface PruneResult {
  tenantId: string;
  retentionMonths: number;
  cutoff: string;
  removed: number;
  throughSeq: number | null;
  problem: ChainProblem | null;
}

/** `months` calendar months before `at` (UTC): 31 August minus 6 months is 3 March, as Date does it. */
export function monthsBefore(at: Date, months: number): Date {
  const d = new Date(at);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

/**
 * OBLIGATIONS LOG-4: removes the tenant's audit entries older than its agreed retention.
 *
 * The removed entries are a prefix of the chain (up to the last one older than the cut-off). Before
 * anything is deleted, the chain up to that boundary is checked and a signed 'prune' checkpoint of
 * the boundary's hash is written: it is what lets `peil audit verify` start after the removed
 * entries, and what tells a legitimate removal from one done outside Peil. The removal itself is
 * logged as an entry (audit.pruned) in the chain.
 *
 * Runs on the owner connection (Db.maintenance): the application role has no DELETE on the log, so
 * that no request, bug or injection can remove evidence; only this job and `peil audit prune` can.
 */
export async function pruneTenant(
  db: Db,
  tenantId: string,
  signer: CheckpointSigner,
  now = new Date(),
  actor: Actor = systemActor,
): Promise<PruneResult> {
  return db.maintenance(tenantId, async (tx) => {
    // The head is locked first: appends wait, so the boundary and the new entry after it stay in order.
    await sql`SELECT seq FROM audit_heads WHERE tenant_id = ${tenantId} FOR UPDATE`.execute(tx);
    // OBLIGATIONS LOG-4, AGR-2: the retention is a term of the customer's agreement.
    const months = Math.max(MIN_RETENTION_MONTHS, await logRetentionMonths(tx, tenantId));
    const cutoff = monthsBefore(now, months);
    const result: PruneResult = {
      tenantId,
      retentionMonths: months,
      cutoff: cutoff.toISOString(),
      removed: 0,
      throughSeq: null,
      problem: null,
    };
    // Explicit tenant filters throughout: the owner may be a superuser, whom row-level security does not stop.
    const b = await tx
      .selectFrom('audit_events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('tenant_id', '=', tenantId)
      .where('at', '<', cutoff)
      .executeTakeFirst();
    if (b?.seq === null || b?.seq === undefined) return result;
    const boundary = Number(b.seq);
    const { problem } = await checkpointForPrune(tx, tenantId, signer, boundary);
    if (problem) {
      // Never remove entries from a chain that does not verify: they may be the evidence.
      await recordVerification(tx, tenantId, { ok: false, fromSeq: null, toSeq: boundary, entries: 0, problem });
      return { ...result, problem };
    }
    const del = await tx
      .deleteFrom('audit_events')
      .where('tenant_id', '=', tenantId)
      .where('seq', '<=', boundary)
      .executeTakeFirst();
    // Checkpoints of removed entries are of no further use; the prune checkpoint at the boundary stays.
    await tx.deleteFrom('audit_checkpoints').where('tenant_id', '=', tenantId).where('seq', '<', boundary).execute();
    const removed = Number(del.numDeletedRows);
    await audit(tx, tenantId, actor, {
      action: AuditAction.AUDIT_PRUNED,
      details: { throughSeq: boundary, removed, before: cutoff.toISOString(), retentionMonths: months },
    });
    return { ...result, removed, throughSeq: boundary };
  });
}

export async function pruneAll(
  ctx: AppContext,
  opts: { slug?: string | undefined; now?: Date | undefined; actor?: Actor } = {},
): Promise<PruneResult[]> {
  const signer = signerOf(ctx.keyring.master);
  const out: PruneResult[] = [];
  for (const t of await tenantIds(ctx.db, opts.slug))
    out.push(await pruneTenant(ctx.db, t.id, signer, opts.now ?? new Date(), opts.actor ?? systemActor));
  return out;
}

/**
 * Sets a tenant's agreed log retention (operator command): the agreement's term logRetentionMonths
 * (AGR-2), which is what pruning reads; the change is an agreement.changed entry like any other.
 */
export async function setRetention(ctx: AppContext, tenantId: string, months: number, actor: Actor): Promise<void> {
  if (!Number.isInteger(months) || months < MIN_RETENTION_MONTHS || months > 120) {
    throw new AppError(
      ErrorCode.VALIDATION,
      { key: 'problems:audit.retentionMonths', params: { min: MIN_RETENTION_MONTHS } },
      { errors: [{ pointer: '/months', reason: `at least ${MIN_RETENTION_MONTHS}` }] },
    );
  }
  await ctx.db.tenant(tenantId, (tx) => changeAgreement(tx, tenantId, { logRetentionMonths: months }, actor));
}
