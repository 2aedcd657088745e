import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction } from '../../lib/audit.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, requireUser } from '../auth/guard.js';
import { loadSurvey } from '../surveys/routes.js';
import { commentLabelFields, displayComment, labelResults, labelsOfResponses, labelSummary } from '../labelling/results.js';
import { nudgeLabelling } from '../labelling/run.js';
import { categoryOf, summarize } from './nps.js';
import { keyQuestion } from '../surveys/definition.js';
import { questionResult, questionResults } from './questions.js';
import { breakdownResult, readBreakdown } from './breakdown.js';
import { inRelease, loadRelease, type Release } from './release.js';
import type { Tx } from '../../lib/db/db.js';

const share = z.object({ count: z.number(), percent: z.number() });
const results = z.object({
  surveyId: z.string(),
  invited: z.number(),
  responses: z.number(),
  responseRate: z.number().describe('percentage of invited contacts who answered'),
  nps: z.number().nullable(),
  promoters: share,
  passives: share,
  detractors: share,
  scores: z.array(z.number()).length(11).describe('number of answers per score 0..10'),
  released: z.number().nullable().describe('confidential and anonymous surveys: the responses the numbers are computed over (whole release steps of at least minGroupSize, in arrival order); null for identified surveys, whose numbers cover every response'),
  nextRelease: z.number().nullable().describe('confidential and anonymous surveys: the response count at which the next step is released'),
  trend: z.array(z.object({
    day: z.string().describe('identified surveys: the day; shielded surveys: the last day of the release step'),
    from: z.string().optional().describe('shielded surveys: the first day of the release step'),
    responses: z.number(),
    nps: z.number().nullable(),
  })).describe('identified surveys: per day; confidential and anonymous surveys: per release step, so that no point rests on fewer than minGroupSize answers'),
  comments: z.array(z.object({
    id: z.string(),
    score: z.number().nullable().describe('null for confidential and anonymous surveys'),
    category: z.string().nullable(),
    comment: z.string(),
    submittedAt: z.string().nullable().describe('null for confidential and anonymous surveys, whose comments come in an order that carries nothing'),
    ...commentLabelFields,
  })),
  labelling: labelResults.describe('label counts and sentiment per label (OBLIGATIONS AI-2)'),
  anonymity: z.enum(['identified', 'confidential', 'anonymous']),
  minGroupSize: z.number().nullable().describe('confidential surveys: the smallest group shown'),
  hidden: z.boolean().describe('true when a confidential survey has fewer responses than minGroupSize: nothing but the count is shown'),
  questions: z.array(questionResult).describe('per-question results'),
  breakdown: breakdownResult.nullable().describe('the key score by a profile field (?breakdown=<field>): for users who may read contact details, or by a field marked as a grouping field; confidential surveys: once closed, one field, computed once with complementary suppression'),
}).meta({
  examples: [
    {
      surveyId: 'ef336289-1817-4109-a948-c780be8dd4c6',
      invited: 128,
      responses: 54,
      responseRate: 42.2,
      released: null,
      nextRelease: null,
      nps: 41,
      promoters: { count: 31, percent: 57.4 },
      passives: { count: 14, percent: 25.9 },
      detractors: { count: 9, percent: 16.7 },
      scores: [1, 0, 0, 1, 1, 2, 4, 6, 8, 13, 18],
      trend: [
        { day: '2026-11-18', responses: 22, nps: 45 },
        { day: '2026-11-19', responses: 19, nps: 37 },
        { day: '2026-11-20', responses: 13, nps: 38 },
      ],
      comments: [
        { id: '9c1e5a7b-2d3f-4a6b-8c0d-1e2f3a4b5c6d', score: 10, category: 'promoter', comment: 'Heel vriendelijk en snel geholpen door de thuiszorg.', submittedAt: '2026-11-20T14:02:11.000Z', labels: ['staff', 'service'], sentiment: 'positive', labelSource: 'model' },
        { id: '2f3a4b5c-6d7e-4f80-9a1b-2c3d4e5f6a7b', score: 4, category: 'detractor', comment: 'Ik moest drie weken wachten op een afspraak.', submittedAt: '2026-11-19T10:45:37.000Z', labels: ['waiting_time'], sentiment: 'negative', labelSource: 'human' },
      ],
      labelling: {
        enabled: true,
        taxonomy: 'customer',
        labelled: 2,
        sentiment: { positive: 1, negative: 1, neutral: 0, mixed: 0 },
        labels: [
          { id: 'service', name: { nl: 'Service', en: 'Service' }, retired: false, count: 1, sentiment: { positive: 1, negative: 0, neutral: 0, mixed: 0 } },
          { id: 'staff', name: { nl: 'Medewerkers', en: 'Staff' }, retired: false, count: 1, sentiment: { positive: 1, negative: 0, neutral: 0, mixed: 0 } },
          { id: 'waiting_time', name: { nl: 'Wachttijd', en: 'Waiting time' }, retired: false, count: 1, sentiment: { positive: 0, negative: 1, neutral: 0, mixed: 0 } },
        ],
      },
      anonymity: 'identified',
      minGroupSize: null,
      hidden: false,
      questions: [
        {
          id: 'score',
          type: 'nps',
          text: { nl: 'Hoe waarschijnlijk is het dat je Zorggroep Noord aanbeveelt aan vrienden of collega\'s?', en: 'How likely are you to recommend Zorggroep Noord to a friend or colleague?' },
          answered: 54,
          distribution: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((value, i) => ({ value, count: [1, 0, 0, 1, 1, 2, 4, 6, 8, 13, 18][i]! })),
          mean: 8.2,
          nps: 41,
          promoters: 31,
          passives: 14,
          detractors: 9,
        },
        { id: 'why', type: 'text', text: { nl: 'Wat is de belangrijkste reden voor je score?', en: 'What is the most important reason for your score?' }, answered: null, distribution: [], mean: null },
      ],
      breakdown: {
        field: 'vestiging',
        minGroupSize: null,
        groups: [
          { value: 'Groningen', responses: 31, mean: 8.5, nps: 48 },
          { value: 'Assen', responses: 23, mean: 7.9, nps: 30 },
        ],
        hiddenGroups: 0,
        released: null,
      },
    },
  ],
});

interface Answers {
  score?: number | null;
  why?: string | null;
  answers?: Record<string, number | string | string[]>;
}

/** Per day (Europe/Amsterdam), for identified surveys. */
async function dailyTrend(tx: Tx, surveyId: string) {
  const rows = await sql<{ day: string; p: number; d: number; n: number }>`
    SELECT to_char(date_trunc('day', submitted_at AT TIME ZONE 'Europe/Amsterdam'), 'YYYY-MM-DD') AS day,
           count(*) FILTER (WHERE score >= 9)::int AS p, count(*) FILTER (WHERE score <= 6)::int AS d, count(score)::int AS n
      FROM responses WHERE survey_id = ${surveyId}::uuid GROUP BY 1 ORDER BY 1`.execute(tx);
  return rows.rows.map((t) => ({ day: t.day, responses: t.n, nps: t.n ? Math.round(((t.p - t.d) / t.n) * 100) : null }));
}

/**
 * OBLIGATIONS SVC-4: per release step, for shielded surveys. A day-by-day trend could be
 * subtracted from the total (the one answer of a quiet day); a step holds at least minGroupSize
 * answers and never changes once shown.
 */
async function stepTrend(tx: Tx, surveyId: string, release: Release) {
  if (release.released === 0) return [];
  const bounds = [1, ...release.steps.slice(0, -1).map((p) => p + 1)];
  const rows = await sql<{ step: number; first: string; last: string; p: number; d: number; n: number; all: number }>`
    SELECT width_bucket(x.rn, ${bounds}::int[]) AS step,
           to_char(min(x.at) AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD') AS first,
           to_char(max(x.at) AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD') AS last,
           count(*) FILTER (WHERE x.score >= 9)::int AS p, count(*) FILTER (WHERE x.score <= 6)::int AS d,
           count(x.score)::int AS n, count(*)::int AS all
      FROM (SELECT r.score, r.submitted_at AS at, row_number() OVER (ORDER BY r.submitted_at, r.id)::int AS rn
              FROM responses r WHERE r.survey_id = ${surveyId}::uuid AND ${inRelease(release.cutoff)}) x
     GROUP BY 1 ORDER BY 1`.execute(tx);
  return rows.rows.map((t) => ({ day: t.last, from: t.first, responses: t.all, nps: t.n ? Math.round(((t.p - t.d) / t.n) * 100) : null }));
}

export function resultRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/v1/surveys/:id/results', {
      config: { access: { permission: Permission.RESULTS_READ } },
      schema: {
        tags: ['results'],
        summary: 'NPS, promoters/passives/detractors, response rate, daily trend and the latest comments',
        params: z.object({ id: z.string() }),
        querystring: z.object({
          comments: z.coerce.number().int().min(0).max(500).default(50),
          label: z.string().max(63).optional().describe('only comments with this label id'),
          breakdown: z.string().regex(/^[a-z0-9_]{1,64}$/).optional().describe('a profile field to break the key score down by: any field for users who may read contact details, else only grouping fields; not for anonymous surveys; confidential surveys: once closed, one field'),
        }),
        response: { 200: results },
      },
    }, async (request) => {
      const auth = await requireUser(ctx, request, Permission.RESULTS_READ);
      const keys = await ctx.keyring.forTenant(auth.tenantId);
      const body = await ctx.db.tenant(auth.tenantId, async (tx) => {
        const survey = await loadSurvey(tx, request.params.id);
        if (request.query.breakdown && survey.anonymity === 'anonymous') {
          throw new AppError(ErrorCode.CONFLICT, 'An anonymous survey has no link to contacts, so it has no breakdown by contact fields.', { errors: [{ pointer: '/breakdown', reason: 'not available for anonymous surveys' }] });
        }
        // OBLIGATIONS SVC-4: a shielded survey (confidential, anonymous) shows nothing but numbers
        // computed over one release (release.ts): whole steps of at least minGroupSize answers.
        const shielded = survey.anonymity !== 'identified';
        const release = shielded ? await loadRelease(tx, survey.id, survey.min_group_size, ctx.env.RESULTS_SETTLE_SECONDS, survey.release_base ?? survey.min_group_size) : null;
        const cutoff = release ? release.cutoff : undefined;
        const hidden = release !== null && release.released === 0;
        const agg = await sql<{ total: number; promoters: number; passives: number; detractors: number }>`
          SELECT count(*)::int AS total, count(*) FILTER (WHERE r.score >= 9)::int AS promoters,
                 count(*) FILTER (WHERE r.score BETWEEN 7 AND 8)::int AS passives, count(*) FILTER (WHERE r.score <= 6)::int AS detractors
            FROM responses r WHERE r.survey_id = ${survey.id}::uuid AND ${inRelease(cutoff)}`.execute(tx);
        const invited = await tx.selectFrom('invitations').select((eb) => eb.fn.countAll<number>().as('n')).where('survey_id', '=', survey.id).executeTakeFirstOrThrow();
        // OBLIGATIONS REG-4: invitations erased by retention still count as invited.
        const erasedInvitations = await tx.selectFrom('surveys').select('invitations_erased').where('id', '=', survey.id).executeTakeFirstOrThrow();
        const byScore = await sql<{ score: number; n: number }>`
          SELECT r.score, count(*)::int AS n FROM responses r
           WHERE r.survey_id = ${survey.id}::uuid AND r.score IS NOT NULL AND ${inRelease(cutoff)} GROUP BY 1`.execute(tx);
        const trend = release ? await stepTrend(tx, survey.id, release) : await dailyTrend(tx, survey.id);
        const { label } = request.query;
        // Comments of a shielded survey: only released ones, without score or time, in the order of
        // their random ids, which carries nothing about when or by whom.
        const order = shielded ? sql`r.id` : sql`r.submitted_at DESC, r.id DESC`;
        const latest = !request.query.comments || hidden
          ? []
          : (await sql<{ id: string; score: number | null; answers_enc: Buffer; submitted_at: Date }>`
              SELECT r.id, r.score, r.answers_enc, r.submitted_at FROM responses r
               WHERE r.survey_id = ${survey.id}::uuid AND ${inRelease(cutoff)}
                 ${label ? sql`AND EXISTS (SELECT 1 FROM response_labels rl WHERE rl.tenant_id = r.tenant_id AND rl.response_id = r.id AND rl.survey_id = ${survey.id}::uuid AND rl.label_id = ${label})` : sql``}
               ORDER BY ${order} LIMIT ${request.query.comments * 4}`.execute(tx)).rows;
        const texts = [];
        for (const r of latest) {
          const a = keys.openJson<Answers>(r.answers_enc);
          // Shielded comments are redacted too (names, addresses, … removed: AI-3).
          if (a.why) {
            texts.push(shielded
              ? { id: r.id, score: null, category: null, comment: displayComment(a.why, { anonymous: true }), submittedAt: null }
              : { id: r.id, score: r.score, category: r.score === null ? null : categoryOf(r.score), comment: a.why, submittedAt: new Date(r.submitted_at).toISOString() });
          }
          if (texts.length >= request.query.comments) break;
        }
        const questions = hidden ? [] : await questionResults(tx, survey.id, survey.definition, cutoff, shielded ? survey.min_group_size : undefined);
        const key = keyQuestion(survey.definition);
        const split = hidden || !request.query.breakdown ? null : await readBreakdown(tx, auth, survey, request.query.breakdown, release);
        if (split) {
          if (key?.type !== 'nps' && key?.type !== 'enps') for (const g of split.groups) g.nps = null;
          // OBLIGATIONS LOG-1: a breakdown by a contact field reads contacts' personal data.
          await audit(tx, auth.tenantId, actorOf(request, auth), { action: AuditAction.RESULTS_BREAKDOWN_READ, subject: { kind: 'survey', id: survey.id }, details: { field: split.field, groups: split.groups.length } });
        }
        // Counts first, then each comment's labels: under READ COMMITTED a run may commit between the
        // two statements, and then the comments are the newer of the two, never the older.
        const labelling = await labelSummary(tx, auth.tenantId, survey.id, cutoff);
        const labelsOf = await labelsOfResponses(tx, texts.map((c) => c.id));
        const comments = texts.map((c) => ({ ...c, ...(labelsOf.get(c.id) ?? { labels: [], sentiment: null, labelSource: null }) }));
        if (comments.length) await audit(tx, auth.tenantId, actorOf(request, auth), { action: AuditAction.RESPONSES_READ, subject: { kind: 'survey', id: survey.id }, details: { comments: comments.length } });
        const a = agg.rows[0]!;
        const summary = summarize(a.promoters, a.passives, a.detractors);
        const scores = new Array<number>(11).fill(0);
        for (const r of byScore.rows) scores[r.score] = r.n;
        const invitedN = Number(invited.n) + erasedInvitations.invitations_erased;
        const total = release ? release.total : a.total;
        return {
          surveyId: survey.id,
          invited: invitedN,
          ...summary,
          responses: total,
          responseRate: invitedN === 0 ? 0 : Math.round((total / invitedN) * 1000) / 10,
          released: release ? release.released : null,
          nextRelease: release ? release.next : null,
          scores,
          trend,
          comments,
          labelling: { enabled: labelling.enabled, taxonomy: labelling.taxonomy, labelled: labelling.labelled, sentiment: labelling.sentiment, labels: labelling.labels },
          anonymity: survey.anonymity,
          minGroupSize: shielded ? survey.min_group_size : null,
          hidden,
          questions,
          breakdown: split,
          active: labelling.active,
        };
      });
      // New answers get their labels in the background; reading results is a good moment to ask.
      if (body.active) nudgeLabelling(ctx, auth.tenantId);
      const { active: _active, ...out } = body;
      return out;
    });
  };
}
