import type { Tx } from '../../lib/db/db.js';
import { keyQuestion, scaleOf, type Question, type SurveyDefinition } from '../surveys/definition.js';
import { questionResults, type QuestionResult } from './questions.js';
import { loadRelease } from './release.js';
import { readTrend } from './rollup.js';
import { summarizeScale, type ScaleSummary } from './scores.js';
import { periodTrend, stepTrend } from './trend.js';
import { keyTarget } from './histograms.js';

/**
 * The results feature's small public surface for other features (publications, BEN-2): the key
 * score's target and the aggregates that may leave the customer, computed under the same disclosure
 * rules as the results page (routes.ts), never looser.
 */

/** Closed questions whose distribution may be published (choices and scales; never text, numbers or dates). */
export function publishableQuestion(q: Question): boolean {
  return q.type === 'single' || q.type === 'multiple' || scaleOf(q) !== null;
}

export interface PublishableSurvey {
  id: string;
  anonymity: 'identified' | 'confidential' | 'anonymous';
  min_group_size: number;
  release_base: number | null;
  definition: SurveyDefinition;
}

export interface PublicTrendPoint {
  /** identified surveys: the quarter (2026-Q1); shielded surveys: the release step (step 3) */
  period: string;
  from: string;
  to: string;
  complete: boolean;
  n: number;
  /** null when the point rests on fewer than minGroupSize answers (identified surveys' quarters) */
  value: number | null;
}

export interface PublishableResults {
  shielded: boolean;
  minGroupSize: number;
  /** the responses the numbers rest on: the release of a shielded survey, every response of an identified one */
  responses: number;
  /** false below minGroupSize: nothing is published but "not enough answers yet" */
  shown: boolean;
  keyScore: (ScaleSummary & { questionId: string }) | null;
  trend: PublicTrendPoint[] | null;
  /** the chosen closed questions, in the survey's order; `suppressed` ones show no distribution */
  questions: QuestionResult[];
}

/**
 * OBLIGATIONS BEN-2, SVC-4: the aggregates a publication may show. The rules, stricter than or equal
 * to the results page's:
 * - Confidential and anonymous surveys: exactly the results page's release (release.ts): whole steps
 *   of at least minGroupSize answers, the trend per release step, a question only when ≥ N released
 *   respondents answered it; never a breakdown or a cross-cut. Any two publications (or a publication
 *   and the results page) therefore differ by whole steps, never by fewer than N answers.
 * - Identified surveys (whose results page shows everything to the customer): the world sees nothing
 *   until the survey has minGroupSize answers, no question answered by fewer, and no quarter of the
 *   trend with fewer (that quarter is shown without a value).
 */
export async function publishableResults(
  tx: Tx,
  survey: PublishableSurvey,
  opts: { trend: boolean; questions: string[]; settleSeconds: number; now: Date },
): Promise<PublishableResults> {
  const shielded = survey.anonymity !== 'identified';
  const N = survey.min_group_size;
  const release = shielded ? await loadRelease(tx, survey.id, N, opts.settleSeconds, survey.release_base ?? N) : null;
  const cutoff = release ? release.cutoff : undefined;
  // Issue 17: responses per day and key answer, from the rollup and the responses after it.
  const days = await readTrend(tx, survey.id, survey.definition, cutoff);
  const total = release ? release.released : days.reduce((sum, d) => sum + d.n, 0);
  const shown = release ? release.released > 0 : total >= N;
  if (!shown)
    return {
      shielded,
      minGroupSize: N,
      responses: total,
      shown,
      keyScore: null,
      trend: opts.trend ? [] : null,
      questions: [],
    };

  const key = keyQuestion(survey.definition);
  const target = keyTarget(survey.definition.questions, key);
  let keyScore: PublishableResults['keyScore'] = null;
  if (target) {
    const counts = new Map<number, number>();
    for (const d of days) if (d.v !== '') counts.set(Number(d.v), (counts.get(Number(d.v)) ?? 0) + d.n);
    const byValue = [...counts].map(([value, count]) => ({ value, count }));
    const s = summarizeScale(target.kind, byValue, scaleOf(target.q) ?? { min: 0, max: 10 });
    keyScore = s.n >= N ? { questionId: target.q.id, ...s } : null;
  }

  let trend: PublicTrendPoint[] | null = null;
  if (opts.trend) {
    trend = [];
    if (target && release) {
      const t = await stepTrend(tx, survey.id, release, target.kind, target.value);
      trend = t.points.map((p) => ({
        period: p.period,
        from: p.from ?? p.day,
        to: p.day,
        complete: true,
        n: p.n,
        value: p.value,
      }));
    } else if (target) {
      const t = await periodTrend(tx, survey, target.kind, 'quarter', opts.now, release ? undefined : days);
      trend = t.points.map((p) => ({
        period: p.period,
        from: p.day,
        to: p.to ?? p.day,
        complete: p.complete,
        n: p.n,
        value: p.n >= N ? p.value : null,
      }));
    }
  }

  const chosen = new Set(opts.questions);
  const questions =
    chosen.size === 0
      ? []
      : (await questionResults(tx, survey.id, survey.definition, { cutoff, minGroup: N, shielded })).filter(
          (q) => chosen.has(q.id) && publishableQuestion(survey.definition.questions.find((x) => x.id === q.id)!),
        );
  return { shielded, minGroupSize: N, responses: total, shown, keyScore, trend, questions };
}
