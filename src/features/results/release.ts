import { sql } from 'kysely';
import type { Tx } from '../../lib/db/db.js';

/**
 * OBLIGATIONS SVC-4: what a shielded survey (confidential or anonymous) releases, and when.
 *
 * A threshold on each number is not enough: an owner who reads the results, waits for one more
 * answer and reads them again learns that answer by subtraction, and knows from the response count
 * (or from whom he invited when) whose it is. So the results of a shielded survey are computed over a
 * *release*: the first p_k responses in arrival order, where p_1 < p_2 < … is a fixed schedule whose
 * steps are at least N (the survey's minimum group size) apart. Every number shown (score, histogram,
 * per-question counts, labels, comments, the trend, whose points are the steps themselves) is a
 * function of one release, and releases are nested prefixes, so whatever two views are subtracted,
 * the difference is a union of whole steps: never fewer than N respondents.
 *
 * Arrival order is (submitted_at, id). A writer batch takes its submitted_at when its transaction
 * starts and may commit a moment after a later one; a release therefore only counts responses older
 * than the settle margin (RESULTS_SETTLE_SECONDS, 60 s by default), so that no late commit can land
 * inside a step that was already shown. The same argument as the labelling and webhook cursors.
 */

/**
 * The release schedule: steps of N until the release holds 20·N responses, then steps of 5% (never
 * fewer than N). The number of steps grows with the logarithm of the responses (≈ 250 steps for ten
 * million), which keeps the trend readable and the breakdown check (disclosure.ts) small.
 */
export function releaseSchedule(n: number, step: number, base = step): number[] {
  const out: number[] = [];
  let p = 0;
  let last = 0;
  for (;;) {
    const next = p + Math.max(base, Math.floor(p / 20));
    if (next > n) return out;
    // A minimum group size raised after answers came in keeps the points of the schedule it started
    // with (`base`), taking only those at least `step` apart: every release ever shown is then a point
    // of one schedule, and two of them differ by at least the N that was in force.
    if (next - last >= step) {
      out.push(next);
      last = next;
    }
    p = next;
  }
}

export interface Release {
  /** every response of the survey, released or not */
  total: number;
  /** responses in the release (0: nothing is shown but the count) */
  released: number;
  /** responses older than the settle margin (the release is taken from these) */
  settled: number;
  /** the prefix sizes of every step up to this release */
  steps: number[];
  /** the last response in the release, as (submitted_at::text, id); null when nothing is released */
  cutoff: { at: string; id: string } | null;
  /** the response count at which the next step is released */
  next: number;
}

export async function loadRelease(
  tx: Tx,
  surveyId: string,
  minGroup: number,
  settleSeconds: number,
  base = minGroup,
): Promise<Release> {
  const counts = await sql<{ total: number; settled: number }>`
    SELECT count(*)::int AS total,
           count(*) FILTER (WHERE submitted_at <= now() - make_interval(secs => ${settleSeconds}))::int AS settled
      FROM responses WHERE survey_id = ${surveyId}::uuid`.execute(tx);
  const { total, settled } = counts.rows[0]!;
  const steps = releaseSchedule(settled, minGroup, base);
  const released = steps.at(-1) ?? 0;
  const next =
    releaseSchedule(2 * released + 2 * (minGroup + base), minGroup, base).find((p) => p > released) ?? released;
  if (released === 0) return { total, released, settled, steps, cutoff: null, next };
  const last = await sql<{ at: string; id: string }>`
    SELECT submitted_at::text AS at, id FROM responses WHERE survey_id = ${surveyId}::uuid
     ORDER BY submitted_at, id OFFSET ${released - 1} LIMIT 1`.execute(tx);
  return { total, released, settled, steps, cutoff: last.rows[0] ?? null, next };
}

/** A SQL condition: the response aliased `r` is inside the release (true for everything when null). */
export function inRelease(cutoff: { at: string; id: string } | null | undefined, alias = 'r') {
  if (cutoff === undefined) return sql<boolean>`true`;
  if (cutoff === null) return sql<boolean>`false`;
  return sql<boolean>`(${sql.ref(`${alias}.submitted_at`)}, ${sql.ref(`${alias}.id`)}) <= (${cutoff.at}::timestamptz, ${cutoff.id}::uuid)`;
}
