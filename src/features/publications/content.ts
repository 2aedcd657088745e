import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../../lib/audit-chain.js';
import type { Tx } from '../../lib/db/db.js';
import { AppError } from '../../lib/errors.js';
import { isUuid } from '../../lib/db/db.js';
import type { SurveyDefinition } from '../surveys/definition.js';
import { publishableResults } from '../results/public.js';
import { dateIn } from '../agreement/dates.js';

/**
 * OBLIGATIONS BEN-2: what a publication shows, computed by ONE function (publicationContent) for the
 * owner's preview and for the snapshot the public routes serve, so the preview is exactly what goes
 * out (the create and refresh routes recompute it and refuse a different hash). Aggregates only, from
 * results/public.ts (the results page's disclosure rules); no comment, no contact, no response id.
 */
const localized = z.object({ nl: z.string(), en: z.string() });

export const KINDS = ['page', 'widget', 'badge'] as const;
export type PublicationKind = (typeof KINDS)[number];

export const publicationOptions = z.object({
  kinds: z
    .array(z.enum(KINDS))
    .min(1)
    .max(3)
    .default(['page', 'widget', 'badge'])
    .describe(
      'the forms served: page (/p/<token>), widget (/p/<token>/widget, for an iframe), badge (/p/<token>/badge.svg)',
    ),
  showResponses: z.boolean().default(true).describe('show how many answers the numbers rest on'),
  showTrend: z
    .boolean()
    .default(false)
    .describe(
      'the key score over time: per quarter (identified surveys, a quarter with fewer than minGroupSize answers without a value) or per release step (confidential and anonymous surveys)',
    ),
  questions: z
    .array(z.string().max(64))
    .max(20)
    .default([])
    .describe(
      'closed questions (choices and scales) whose distribution is shown; a question answered by fewer than minGroupSize is shown without it',
    ),
  title: z
    .object({ nl: z.string().trim().min(1).max(120), en: z.string().trim().min(1).max(120) })
    .nullable()
    .default(null)
    .describe("the public title; null: the key score's name"),
});
export type PublicationOptions = z.infer<typeof publicationOptions>;

export const publicContent = z.object({
  v: z.literal(1),
  org: z.string().describe("the customer's name"),
  title: localized,
  asOf: z.string().describe('the date of the snapshot (Europe/Amsterdam)'),
  shown: z.boolean().describe('false: fewer than minGroupSize answers (released); nothing but that is shown'),
  minGroupSize: z.number(),
  responses: z
    .number()
    .nullable()
    .describe('the answers the numbers rest on; null when the owner chose not to show it'),
  keyScore: z
    .object({
      kind: z.enum(['nps', 'enps', 'csat', 'ces', 'rating']),
      name: localized,
      unit: z.enum(['nps', 'percent', 'mean']),
      value: z.number().nullable(),
      margin: z.number().nullable(),
      lowerIsBetter: z.boolean(),
      scale: z.object({ min: z.number(), max: z.number() }),
      groups: z.array(z.object({ category: z.string(), name: localized, range: z.string(), percent: z.number() })),
    })
    .nullable(),
  trend: z
    .array(
      z.object({
        period: z.string(),
        from: z.string(),
        to: z.string(),
        complete: z.boolean(),
        n: z.number().nullable(),
        value: z.number().nullable(),
      }),
    )
    .nullable(),
  questions: z.array(
    z.object({
      id: z.string(),
      text: localized,
      suppressed: z.boolean(),
      answered: z.number().nullable(),
      distribution: z.array(z.object({ label: localized, percent: z.number() })),
    }),
  ),
});
export type PublicContent = z.infer<typeof publicContent>;

/** The hash the owner approves: SHA-256 of the content's canonical JSON (sorted keys). */
export function contentHash(content: PublicContent): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** The survey row a publication reads (the tenant's transaction: row-level security). */
export async function loadPublishableSurvey(tx: Tx, surveyId: string) {
  if (!isUuid(surveyId)) throw AppError.notFound('survey');
  const row = await tx
    .selectFrom('surveys')
    .select(['id', 'anonymity', 'min_group_size', 'release_base', 'definition'])
    .where('id', '=', surveyId)
    .executeTakeFirst();
  if (!row) throw AppError.notFound('survey');
  return { ...row, definition: row.definition as SurveyDefinition };
}

/** THE function: the public content of a survey under the given options, now. */
export async function publicationContent(
  tx: Tx,
  tenantId: string,
  surveyId: string,
  opts: PublicationOptions,
  env: { settleSeconds: number },
  now = new Date(),
): Promise<PublicContent> {
  const survey = await loadPublishableSurvey(tx, surveyId);
  const org = await tx.selectFrom('tenants').select('name').where('id', '=', tenantId).executeTakeFirstOrThrow();
  const r = await publishableResults(tx, survey, {
    trend: opts.showTrend,
    questions: opts.questions,
    settleSeconds: env.settleSeconds,
    now,
  });
  const k = r.keyScore;
  const keyQ = k ? survey.definition.questions.find((q) => q.id === k.questionId) : undefined;
  const scale = k
    ? { min: k.distribution[0]?.value ?? 0, max: k.distribution.at(-1)?.value ?? 10 }
    : { min: 0, max: 10 };
  return {
    v: 1,
    org: org.name,
    title: opts.title ?? (k ? k.name : { nl: 'Resultaten', en: 'Results' }),
    asOf: dateIn(now),
    shown: r.shown,
    minGroupSize: r.minGroupSize,
    responses: opts.showResponses ? r.responses : null,
    keyScore:
      k && keyQ
        ? {
            kind: k.kind,
            name: k.name,
            unit: k.unit,
            value: k.value,
            margin: k.margin,
            lowerIsBetter: k.lowerIsBetter,
            scale,
            groups: k.groups.map((g) => ({ category: g.category, name: g.name, range: g.range, percent: g.percent })),
          }
        : null,
    trend: r.trend
      ? r.trend.map((p) => ({
          period: p.period,
          from: p.from,
          to: p.to,
          complete: p.complete,
          n: opts.showResponses ? p.n : null,
          value: p.value,
        }))
      : null,
    questions: r.questions.map((q) => ({
      id: q.id,
      text: q.text,
      suppressed: q.suppressed === true,
      answered: opts.showResponses ? q.answered : null,
      distribution: q.suppressed
        ? []
        : q.distribution.map((d) => ({
            label: d.label ?? { nl: String(d.value), en: String(d.value) },
            percent: d.percent ?? 0,
          })),
    })),
  };
}
