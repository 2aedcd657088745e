import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../lib/db/db.js';
import { assertWithin } from '../plans/limits.js';

export type SkipReason = 'alreadyInvited' | 'suppressed' | 'throttled';
export interface InviteCounts {
  invited: number;
  skipped: number;
  skippedBy: Record<SkipReason, number>;
}

export async function throttleDays(tx: Tx): Promise<number> {
  const row = await tx.selectFrom('distribution_settings').select('throttle_days').executeTakeFirst();
  return row?.throttle_days ?? 0;
}

/**
 * THE way contacts get invited (contract 6): used by distributions, their preview, and the single
 * invite API. For the contacts matching `where` (a condition over `contacts c`) it decides per
 * contact, in one statement:
 *  - already invited to this survey → skipped (one invitation per contact per survey);
 *  - on the suppression list (by the email's blind index) → skipped (DSR-3);
 *  - invited to any survey of this customer less than `throttleDays` days before or after `at`
 *    (the send time; a scheduled invitation counts at its distribution's send time) → skipped
 *    (throttling);
 *  - else an invitation is queued (unless dryRun).
 * Runs in the caller's tenant transaction.
 */
export async function inviteContacts(
  tx: Tx,
  opts: {
    tenantId: string;
    surveyId: string;
    defaultLanguage: string;
    distributionId: string | null;
    where: RawBuilder<unknown>;
    at: Date;
    throttleDays: number;
    dryRun: boolean;
  },
): Promise<InviteCounts & { invitationIds: string[] }> {
  const { tenantId, surveyId } = opts;
  // OBLIGATIONS SVC-6: no new invitations once the month's responses reach the plan's limit (the
  // answers themselves are always stored).
  if (!opts.dryRun && opts.distributionId)
    await assertWithin(tx, tenantId, 'responses', 1, { nl: 'Nieuwe uitnodigingen', en: 'New invitations' });
  const classify = sql`
    cand AS (SELECT c.id, c.language, c.email_hmac FROM contacts c WHERE ${opts.where}),
    cls AS (
      SELECT cand.id, cand.language, CASE
        WHEN EXISTS (SELECT 1 FROM invitations i WHERE i.tenant_id = ${tenantId}::uuid AND i.survey_id = ${surveyId}::uuid AND i.contact_id = cand.id) THEN 'alreadyInvited'
        WHEN EXISTS (SELECT 1 FROM suppressions x WHERE x.tenant_id = ${tenantId}::uuid AND x.email_hmac = cand.email_hmac) THEN 'suppressed'
        WHEN ${opts.throttleDays}::int > 0 AND EXISTS (
          SELECT 1 FROM invitations i
           WHERE i.tenant_id = ${tenantId}::uuid AND i.contact_id = cand.id AND i.status <> 'suppressed'
             AND abs(extract(epoch FROM coalesce((SELECT d.send_at FROM distributions d WHERE d.tenant_id = i.tenant_id AND d.id = i.distribution_id), i.created_at)
                                   - ${opts.at.toISOString()}::timestamptz)) < ${opts.throttleDays}::int * 86400) THEN 'throttled'
      END AS skip
      FROM cand)`;
  const stmt =
    opts.dryRun || !opts.distributionId
      ? sql<{
          skip: string | null;
          n: number;
          ids: string[] | null;
        }>`WITH ${classify} SELECT skip, count(*)::int AS n, NULL::uuid[] AS ids FROM cls GROUP BY skip`
      : sql<{ skip: string | null; n: number; ids: string[] | null }>`
      WITH ${classify},
      ins AS (
        INSERT INTO invitations (tenant_id, id, survey_id, distribution_id, contact_id, language)
        SELECT ${tenantId}::uuid, gen_random_uuid(), ${surveyId}::uuid, ${opts.distributionId}::uuid, cls.id, coalesce(cls.language, ${opts.defaultLanguage})
          FROM cls WHERE cls.skip IS NULL
        ON CONFLICT (tenant_id, survey_id, contact_id) DO NOTHING
        RETURNING id)
      SELECT 'invited' AS skip, count(*)::int AS n, CASE WHEN count(*) <= 10 THEN array_agg(id) END AS ids FROM ins
      UNION ALL SELECT skip, count(*)::int, NULL FROM cls WHERE skip IS NOT NULL GROUP BY skip`;
  const rows = (await stmt.execute(tx)).rows;
  const skippedBy: Record<SkipReason, number> = { alreadyInvited: 0, suppressed: 0, throttled: 0 };
  let invited = 0;
  let ids: string[] = [];
  for (const r of rows) {
    if (r.skip === null || r.skip === 'invited') {
      invited += r.n;
      if (r.ids) ids = r.ids;
    } else skippedBy[r.skip as SkipReason] += r.n;
  }
  return {
    invited,
    skipped: skippedBy.alreadyInvited + skippedBy.suppressed + skippedBy.throttled,
    skippedBy,
    invitationIds: ids,
  };
}
