import { sql } from 'kysely';
import { audit, AuditAction, systemActor } from '../../lib/audit.js';
import type { Keyring } from '../../lib/crypto/keyring.js';
import type { Db, Tx } from '../../lib/db/db.js';
import { eraseContact } from '../contacts/store.js';
import { scaleOf, type SurveyDefinition } from '../surveys/definition.js';
import { log } from '../../lib/log.js';
import { runLeased } from '../../lib/tick.js';

/**
 * OBLIGATIONS REG-4: retention set by the customer, carried out by a job with a controllable clock.
 *
 * - A survey with a retention of N months: once it has been closed for N months (closed_at + N
 *   months <= now), its personal data is erased: the free text, numbers and dates typed by
 *   respondents (answers_enc keeps only the key score and the closed answers; the numbers and dates
 *   also leave the clear responses.answers, where issue 12 stores them for aggregation, and so does
 *   issue 17's mark that an open question was answered: no comments are left to count), the link between a
 *   response and a person (contact_id, invitation_id), its invitations (who was invited, opened,
 *   answered; their number is kept in surveys.invitations_erased so the results still say how many
 *   were invited), the label corrections (they hold a respondent's text) and the finished webhook
 *   deliveries of its responses (copies of the answers). The aggregates stay:
 *   scores, closed answers, labels and sentiment per response.
 * - The contacts data set with a retention of N months: a contact that was not created, changed,
 *   invited or answering for N months is erased through THE contact deletion (contacts/store.ts
 *   eraseContact), so its address stays suppressed by blind index like any deleted contact.
 *
 * Each erasure is one audit row with counts only, in the same transaction. Suspended customers are
 * skipped (AGR-6: nothing is deleted while suspended); the job catches up when they are resumed.
 */
export interface RetentionOutcome {
  surveys: number;
  responses: number;
  invitations: number;
  contacts: number;
  /** Customers whose retention failed this time (ids only). */
  failed: string[];
}

export async function applyRetention(
  ctx: { db: Db; keyring: Keyring },
  now = new Date(),
  opts: { quiet?: boolean } = {},
): Promise<RetentionOutcome> {
  const total: RetentionOutcome = { surveys: 0, responses: 0, invitations: 0, contacts: 0, failed: [] };
  const tenants = await ctx.db.global((tx) =>
    tx.selectFrom('tenants').select('id').where('status', '=', 'active').execute(),
  );
  for (const { id: tenantId } of tenants) {
    try {
      await ctx.db.tenant(tenantId, async (tx) => {
        const due = await sql<{ id: string; definition: SurveyDefinition; months: number }>`
          SELECT s.id, s.definition, r.months_after_close AS months
            FROM survey_retention r JOIN surveys s ON s.tenant_id = r.tenant_id AND s.id = r.survey_id
           WHERE r.erased_at IS NULL AND s.status = 'closed' AND s.closed_at IS NOT NULL
             AND s.closed_at + make_interval(months => r.months_after_close) <= ${now.toISOString()}::timestamptz
           ORDER BY s.id FOR UPDATE OF r, s`.execute(tx);
        // The key only when there is something to re-seal (in this transaction: never a second one).
        const keys = due.rows.length ? await ctx.keyring.forTenant(tenantId, tx) : null;
        for (const s of due.rows) {
          const n = await eraseSurvey(
            tx,
            tenantId,
            s.id,
            s.definition,
            (blob) => keys!.openJson(blob),
            (v) => keys!.sealJson(v),
            now,
          );
          await audit(tx, tenantId, systemActor, {
            action: AuditAction.RETENTION_APPLIED,
            subject: { kind: 'survey', id: s.id },
            details: { scope: 'survey', monthsAfterClose: s.months, ...n },
          });
          total.surveys++;
          total.responses += n.responses;
          total.invitations += n.invitations;
        }
        const settings = await tx
          .selectFrom('register_settings')
          .select('contacts_inactive_months')
          .where('tenant_id', '=', tenantId)
          .executeTakeFirst();
        const months = settings?.contacts_inactive_months;
        if (months) {
          const n = await eraseInactiveContacts(tx, tenantId, months, now);
          if (n.contacts > 0) {
            await audit(tx, tenantId, systemActor, {
              action: AuditAction.RETENTION_APPLIED,
              subject: { kind: 'contacts', id: tenantId },
              details: { scope: 'contacts', inactiveMonths: months, ...n },
            });
            total.contacts += n.contacts;
            total.invitations += n.invitations;
          }
        }
      });
    } catch (err) {
      // One customer's failure (its key erased, a conflict) does not stop the others; the next tick tries again.
      total.failed.push(tenantId);
      if (!opts.quiet)
        log.error(
          { worker: 'retention', code: (err as { code?: unknown }).code },
          `[retention] customer ${tenantId}: ${(err as Error).message}`,
        );
    }
  }
  return total;
}

interface Sealed {
  score?: number | null;
  why?: string | null;
  answers?: Record<string, unknown>;
}

async function eraseSurvey(
  tx: Tx,
  tenantId: string,
  surveyId: string,
  def: SurveyDefinition,
  open: (b: Buffer) => Sealed,
  seal: (v: unknown) => Buffer,
  now: Date,
) {
  // Invitations: counted (the results keep showing how many were invited), then deleted; the trigger
  // unlinks their responses.
  const inv = await sql<{ n: number }>`
    WITH gone AS (DELETE FROM invitations WHERE tenant_id = ${tenantId}::uuid AND survey_id = ${surveyId}::uuid RETURNING 1)
    SELECT count(*)::int AS n FROM gone`.execute(tx);
  const invitations = inv.rows[0]?.n ?? 0;
  if (invitations)
    await sql`UPDATE surveys SET invitations_erased = invitations_erased + ${invitations} WHERE tenant_id = ${tenantId}::uuid AND id = ${surveyId}::uuid`.execute(
      tx,
    );
  // What a respondent typed goes; the key score and closed answers stay (also in the sealed copy,
  // which the export and the responses API read).
  const closed = new Set(
    def.questions.filter((q) => scaleOf(q) || q.type === 'single' || q.type === 'multiple').map((q) => q.id),
  );
  // Numbers and dates go from the clear answers, and so does whether an open question was answered.
  const typed = def.questions
    .filter((q) => q.type === 'number' || q.type === 'date' || q.type === 'text')
    .map((q) => q.id);
  const rows = await tx
    .selectFrom('responses')
    .select(['id', 'answers_enc'])
    .where('survey_id', '=', surveyId)
    .execute();
  let texts = 0;
  const ids: string[] = [];
  const blobs: Buffer[] = [];
  for (const r of rows) {
    const a = open(r.answers_enc);
    const kept = Object.fromEntries(Object.entries(a.answers ?? {}).filter(([k]) => closed.has(k)));
    if (a.why || Object.keys(a.answers ?? {}).length !== Object.keys(kept).length) texts++;
    ids.push(r.id);
    blobs.push(seal({ score: a.score ?? null, why: null, answers: kept }));
  }
  for (let i = 0; i < ids.length; i += 1000) {
    await sql`
      UPDATE responses r SET answers_enc = u.blob, contact_id = NULL, invitation_id = NULL,
             answers = CASE WHEN r.answers IS NULL THEN NULL ELSE nullif(r.answers - ${typed}::text[], '{}'::jsonb) END
        FROM unnest(${ids.slice(i, i + 1000)}::uuid[], ${blobs.slice(i, i + 1000)}::bytea[]) AS u(id, blob)
       WHERE r.tenant_id = ${tenantId}::uuid AND r.id = u.id`.execute(tx);
  }
  const corr = await sql<{ n: number }>`
    WITH gone AS (DELETE FROM label_corrections c USING responses r
                   WHERE c.tenant_id = ${tenantId}::uuid AND r.tenant_id = c.tenant_id AND r.id = c.response_id AND r.survey_id = ${surveyId}::uuid RETURNING 1)
    SELECT count(*)::int AS n FROM gone`.execute(tx);
  // Webhook deliveries carry a copy of the answers and the contact id; the finished ones go (a pending
  // one is left to finish; the dispatcher never makes a delivery again for a response this old).
  const hooks = await sql<{ n: number }>`
    WITH gone AS (DELETE FROM webhook_deliveries d USING responses r
                   WHERE d.tenant_id = ${tenantId}::uuid AND r.tenant_id = d.tenant_id AND r.id = d.event_id AND r.survey_id = ${surveyId}::uuid
                     AND d.status <> 'pending' RETURNING 1)
    SELECT count(*)::int AS n FROM gone`.execute(tx);
  // The free-text counts (REG-3) were about texts that no longer exist; the scan starts again.
  await tx.deleteFrom('register_text_scans').where('survey_id', '=', surveyId).execute();
  await tx.updateTable('survey_retention').set({ erased_at: now }).where('survey_id', '=', surveyId).execute();
  return {
    responses: rows.length,
    texts,
    invitations,
    corrections: corr.rows[0]?.n ?? 0,
    webhookDeliveries: hooks.rows[0]?.n ?? 0,
  };
}

async function eraseInactiveContacts(tx: Tx, tenantId: string, months: number, now: Date) {
  const stale = await sql<{ id: string }>`
    SELECT c.id FROM contacts c
      LEFT JOIN LATERAL (SELECT max(greatest(i.created_at, coalesce(i.responded_at, i.created_at))) AS last FROM invitations i
                          WHERE i.tenant_id = c.tenant_id AND i.contact_id = c.id) x ON true
     WHERE c.tenant_id = ${tenantId}::uuid
       AND greatest(c.created_at, c.updated_at, coalesce(x.last, c.created_at)) + make_interval(months => ${months}) <= ${now.toISOString()}::timestamptz
     ORDER BY c.id`.execute(tx);
  if (stale.rows.length === 0) return { contacts: 0, invitations: 0 };
  const ids = stale.rows.map((r) => r.id);
  // Their invitations go with them (ON DELETE CASCADE); the surveys keep counting them as invited.
  const per = await sql<{ survey_id: string; n: number }>`
    SELECT survey_id, count(*)::int AS n FROM invitations WHERE tenant_id = ${tenantId}::uuid AND contact_id = ANY(${ids}::uuid[]) GROUP BY survey_id`.execute(
    tx,
  );
  for (const p of per.rows)
    await sql`UPDATE surveys SET invitations_erased = invitations_erased + ${p.n} WHERE tenant_id = ${tenantId}::uuid AND id = ${p.survey_id}::uuid`.execute(
      tx,
    );
  let contacts = 0;
  for (const id of ids) if (await eraseContact(tx, tenantId, id)) contacts++;
  return { contacts, invitations: per.rows.reduce((s, p) => s + p.n, 0) };
}

/** The tick: every hour, and once shortly after the start (server.ts). Errors are logged without data. */
export function startRetentionTicker(ctx: { db: Db; keyring: Keyring }, everyMs = 60 * 60_000): () => void {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = running
      .then(() => runLeased(ctx.db, 'retention tick', () => applyRetention(ctx)))
      .catch((err: Error) => log.error({ worker: 'retention' }, `[retention] tick failed: ${err.message}`));
  };
  const first = setTimeout(tick, 60_000);
  first.unref();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
