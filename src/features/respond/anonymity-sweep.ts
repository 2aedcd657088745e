import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { startTick } from '../../lib/tick.js';

/**
 * OBLIGATIONS SVC-4: no database row links an anonymous response to its invitation.
 *
 * The writer marks the invitation answered and inserts the response in one transaction, so both rows
 * start with the same transaction id (xmin): `i.xmin = r.xmin` would pair them. The writer writes the
 * invitation again right after the commit (ResponseWriter.retouch); this sweep makes that reliable and
 * goes further. Per customer, in its own tenant transaction (row-level security holds), it rewrites
 * all answered invitations of an anonymous survey when
 *   - one of them still shares its transaction id with a response (the retouch failed or never ran:
 *     a crash between commit and retouch), or
 *   - they do not all carry the same transaction id: retouched one batch at a time, their ids would
 *     follow the order of the answers, and so would the responses' ids, which pairs them by rank;
 *   - or one still holds a time (a row from before migration 0011, e.g. restored from an old backup).
 * Afterwards every answered invitation of the survey carries this sweep's transaction id, which no
 * response has, and none carries a time: responded_at and opened_at hold the invitation's created_at
 * (a marker), reminders only "reminded or not".
 *
 * It runs at start and every ANONYMITY_SWEEP_SECONDS, never inside another transaction (PGlite has
 * one connection), one customer at a time; overlapping calls wait for each other.
 */
export function sweepAnonymousInvitations(ctx: AppContext): Promise<{ surveys: number; invitations: number }> {
  const prev = sweeps.get(ctx) ?? Promise.resolve();
  const next = prev.catch(() => undefined).then(() => sweepOnce(ctx));
  sweeps.set(ctx, next);
  return next;
}
const sweeps = new WeakMap<AppContext, Promise<unknown>>();

async function sweepOnce(ctx: AppContext): Promise<{ surveys: number; invitations: number }> {
  const tenants = await ctx.db.global((tx) => tx.selectFrom('tenants').select('id').execute());
  let surveys = 0;
  let invitations = 0;
  for (const { id: tenantId } of tenants) {
    const r = await ctx.db.tenant(tenantId, (tx) =>
      sql<{ surveys: number; invitations: number }>`
        WITH answered AS (
          SELECT i.survey_id, i.xmin AS x,
                 i.responded_at <> i.created_at OR i.opened_at <> i.created_at OR i.last_reminded_at <> i.created_at OR i.reminders_sent > 1 AS timed
            FROM invitations i JOIN surveys s ON s.tenant_id = i.tenant_id AND s.id = i.survey_id
           WHERE i.tenant_id = ${tenantId}::uuid AND s.anonymity = 'anonymous' AND i.responded_at IS NOT NULL
        ), due AS (
          SELECT survey_id FROM answered GROUP BY survey_id HAVING count(DISTINCT x::text) > 1 OR bool_or(timed)
          UNION
          SELECT a.survey_id FROM answered a JOIN responses r ON r.tenant_id = ${tenantId}::uuid AND r.survey_id = a.survey_id AND r.xmin = a.x
        ), rewritten AS (
          UPDATE invitations i
             SET responded_at = i.created_at,
                 opened_at = CASE WHEN i.opened_at IS NULL THEN NULL ELSE i.created_at END,
                 reminders_sent = least(i.reminders_sent, 1),
                 last_reminded_at = CASE WHEN i.last_reminded_at IS NULL THEN NULL ELSE i.created_at END
            FROM due
           WHERE i.tenant_id = ${tenantId}::uuid AND i.survey_id = due.survey_id AND i.responded_at IS NOT NULL
          RETURNING i.survey_id
        )
        SELECT count(DISTINCT survey_id)::int AS surveys, count(*)::int AS invitations FROM rewritten`.execute(tx),
    );
    surveys += r.rows[0]?.surveys ?? 0;
    invitations += r.rows[0]?.invitations ?? 0;
  }
  return { surveys, invitations };
}

/** At start and every `seconds` (0: never); returns the stop function, which waits for a running sweep. */
export function startAnonymitySweep(ctx: AppContext, seconds: number): () => Promise<void> {
  return startTick('[respond] anonymity sweep', seconds, () => sweepAnonymousInvitations(ctx), { db: ctx.db });
}
