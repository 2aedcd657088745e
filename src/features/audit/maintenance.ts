import type { AppContext } from '../../context.js';
import { signerOf } from '../../lib/crypto/signing.js';
import { checkpointChain, recordVerification, tenantIds, type ChainProblem } from './chain.js';
import { pruneAll, type PruneResult } from './retention.js';
import { anchorDue, type AnchorOutcome } from './anchor.js';
import { log } from '../../lib/log.js';

export const AUDIT_MAINTENANCE_QUEUE = 'audit-maintenance';

export interface CheckpointOutcome {
  tenantId: string;
  slug: string;
  signed: { seq: number; at: Date } | null;
  problem: ChainProblem | null;
}

/**
 * OBLIGATIONS LOG-3: signs every tenant's chain head that moved since its last checkpoint. A chain
 * that fails its check is not signed; the failure is recorded (and shown in the security measures)
 * and reported on the log for the operator.
 */
export async function checkpointAll(
  ctx: AppContext,
  opts: { slug?: string | undefined; reason?: 'periodic' | 'manual' } = {},
): Promise<CheckpointOutcome[]> {
  const signer = signerOf(ctx.keyring.master);
  const out: CheckpointOutcome[] = [];
  for (const t of await tenantIds(ctx.db, opts.slug)) {
    const r = await ctx.db.tenant(t.id, (tx) => checkpointChain(tx, t.id, signer, opts.reason ?? 'periodic'));
    if (r.problem) {
      await ctx.db.tenant(t.id, (tx) =>
        recordVerification(tx, t.id, {
          ok: false,
          fromSeq: null,
          toSeq: r.problem!.seq,
          entries: 0,
          problem: r.problem,
        }),
      );
      log.error(
        { worker: 'audit', problem: r.problem.kind },
        `[audit] the log of ${t.slug} does not verify, not signed: ${r.problem.kind}: ${r.problem.message}`,
      );
    }
    out.push({ tenantId: t.id, slug: t.slug, ...r });
  }
  return out;
}

/**
 * One maintenance pass: checkpoints, the signed heads that are due to go out to the customers
 * (LOG-3, anchor.ts), then retention (LOG-4). `asOf` moves "now" (tests, what-if).
 */
export async function runAuditMaintenance(
  ctx: AppContext,
  opts: { asOf?: Date | undefined } = {},
): Promise<{ checkpoints: CheckpointOutcome[]; pruned: PruneResult[]; anchored: AnchorOutcome[] }> {
  const checkpoints = await checkpointAll(ctx);
  const anchored = await anchorDue(ctx, { now: opts.asOf });
  const pruned = await pruneAll(ctx, { now: opts.asOf });
  for (const p of pruned)
    if (p.problem)
      log.error(
        { worker: 'audit', problem: p.problem.kind },
        `[audit] retention not applied to ${p.tenantId}: ${p.problem.kind}: ${p.problem.message}`,
      );
  return { checkpoints, pruned, anchored };
}

/**
 * The pg-boss job that runs the maintenance pass, and a timer that queues it every
 * AUDIT_MAINTENANCE_MINUTES. With several Peil processes each queues it; the passes are safe to
 * overlap (every step locks the tenant's chain head), merely redundant.
 */
export async function registerAuditMaintenance(ctx: AppContext): Promise<() => void> {
  await ctx.jobs.work<{ asOf?: string }>(AUDIT_MAINTENANCE_QUEUE, async (data) => {
    await runAuditMaintenance(ctx, { asOf: data.asOf ? new Date(data.asOf) : undefined });
  });
  const minutes = ctx.env.AUDIT_MAINTENANCE_MINUTES;
  if (minutes <= 0) return () => {};
  const timer = setInterval(() => {
    ctx.jobs
      .send(AUDIT_MAINTENANCE_QUEUE, {})
      .catch((err: Error) => log.error({ worker: 'audit' }, `[audit] could not queue maintenance: ${err.message}`));
  }, minutes * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
