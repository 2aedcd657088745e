import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction } from '../../lib/audit.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, callerOf } from '../auth/guard.js';
import { loadSurvey } from '../surveys/store.js';
import {
  commentLabelFields,
  displayComment,
  labelResults,
  labelsOfResponses,
  labelSummary,
} from '../labelling/results.js';
import { nudgeLabelling } from '../labelling/run.js';
import { summarize } from './nps.js';
import {
  commentQuestion,
  isAnsweredText,
  keyQuestion,
  sealedText,
  scaleOf,
  type Question,
} from '../surveys/definition.js';
import { questionResult, questionResults, type CommentItems } from './questions.js';
import { breakdownResult, readBreakdown } from './breakdown.js';
import { inRelease, loadRelease } from './release.js';
import { categoryOf, scaleSummary, summarizeScale } from './scores.js';
import { SMALL_BASE } from './stats.js';
import { comparison, headlineComparison, INTERVALS, periodTrend, stepTrend, trendPoint } from './trend.js';
import { ensureTypedAnswersClear } from './typed.js';
import { keyTarget } from './histograms.js';
import { readTrend } from './rollup.js';

const share = z.object({ count: z.number(), percent: z.number() });
const DEPRECATED = 'deprecated (use keyScore): ';
const results = z
  .object({
    surveyId: z.string(),
    invited: z.number(),
    responses: z.number(),
    responseRate: z.number().describe('percentage of invited contacts who answered'),
    keyScore: scaleSummary
      .extend({ questionId: z.string() })
      .nullable()
      .describe(
        'the key score as itself: the first NPS, eNPS, CSAT or CES question (else the first rating question), with its name, headline value, 95% margin, groups and distribution; null when the survey has no scale question',
      ),
    nps: z.number().nullable().describe(`${DEPRECATED}the NPS; null unless the key score is NPS or eNPS`),
    promoters: share.nullable().describe(`${DEPRECATED}null unless the key score is NPS or eNPS`),
    passives: share.nullable().describe(`${DEPRECATED}null unless the key score is NPS or eNPS`),
    detractors: share.nullable().describe(`${DEPRECATED}null unless the key score is NPS or eNPS`),
    scores: z
      .union([z.array(z.number()).length(11), z.array(z.number()).length(0)])
      .describe(`${DEPRECATED}number of answers per score 0..10; empty unless the key score is NPS or eNPS`),
    smallBase: z.number().describe('the base below which a number is flagged as a small base (smallBase: true)'),
    released: z
      .number()
      .nullable()
      .describe(
        'confidential and anonymous surveys: the responses the numbers are computed over (whole release steps of at least minGroupSize, in arrival order); null for identified surveys, whose numbers cover every response',
      ),
    nextRelease: z
      .number()
      .nullable()
      .describe('confidential and anonymous surveys: the response count at which the next step is released'),
    trendInterval: z
      .enum([...INTERVALS, 'step'])
      .describe(
        'the interval of the trend: as asked (?interval=) for identified surveys; always step for confidential and anonymous surveys',
      ),
    trend: z
      .array(trendPoint)
      .describe(
        'the key score over time, in its own unit, with n, the 95% margin and a significance mark against the point before. Identified surveys: per day, ISO week (Monday), month or quarter (?interval=, Europe/Amsterdam); confidential and anonymous surveys: per release step, whatever interval is asked, so that no point rests on fewer than minGroupSize answers and no point can be subtracted from another to reveal one answer',
      ),
    comparison: comparison
      .nullable()
      .describe(
        'the last two complete periods (identified surveys) or the last two release steps compared: the change and whether it is significant (two-sample z test, |z| ≥ 1.96); null with fewer than two',
      ),
    comments: z.array(
      z.object({
        id: z.string(),
        score: z.number().nullable().describe('the key score answer; null for confidential and anonymous surveys'),
        category: z
          .string()
          .nullable()
          .describe(
            "the key score's group: promoter/passive/detractor (NPS, eNPS), satisfied/neutral/dissatisfied (CSAT), easy/neutral/difficult (CES)",
          ),
        comment: z.string(),
        submittedAt: z
          .string()
          .nullable()
          .describe(
            'null for confidential and anonymous surveys, whose comments come in an order that carries nothing',
          ),
        ...commentLabelFields,
      }),
    ),
    labelling: labelResults.describe('label counts and sentiment per label (OBLIGATIONS AI-2)'),
    anonymity: z.enum(['identified', 'confidential', 'anonymous']),
    minGroupSize: z.number().nullable().describe('confidential surveys: the smallest group shown'),
    hidden: z
      .boolean()
      .describe(
        'true when a confidential survey has fewer responses than minGroupSize: nothing but the count is shown',
      ),
    questions: z.array(questionResult).describe('per-question results: every question type'),
    breakdown: breakdownResult
      .nullable()
      .describe(
        'the key score by a profile field (?breakdown=<field>): for users who may read contact details, or by a field marked as a grouping field; confidential surveys: once closed, one field, computed once with complementary suppression',
      ),
  })
  .meta({
    examples: [
      {
        surveyId: 'ef336289-1817-4109-a948-c780be8dd4c6',
        invited: 128,
        responses: 54,
        responseRate: 42.2,
        released: null,
        nextRelease: null,
        keyScore: {
          questionId: 'score',
          kind: 'nps',
          name: { nl: 'Net Promoter Score (NPS)', en: 'Net Promoter Score (NPS)' },
          unit: 'nps',
          value: 41,
          margin: 20.2,
          interval: { low: 20.5, high: 61 },
          lowerIsBetter: false,
          mean: 8.22,
          meanInterval: { low: 7.66, high: 8.79 },
          share: null,
          groups: [
            { category: 'promoter', name: { nl: 'Promotor', en: 'Promoter' }, range: '9–10', count: 31, percent: 57.4 },
            { category: 'passive', name: { nl: 'Passief', en: 'Passive' }, range: '7–8', count: 14, percent: 25.9 },
            { category: 'detractor', name: { nl: 'Criticus', en: 'Detractor' }, range: '0–6', count: 9, percent: 16.7 },
          ],
          distribution: [1, 0, 0, 1, 1, 2, 4, 6, 8, 13, 18].map((count, value) => ({
            value,
            count,
            percent: Math.round((count / 54) * 1000) / 10,
          })),
          n: 54,
          smallBase: false,
        },
        nps: 41,
        promoters: { count: 31, percent: 57.4 },
        passives: { count: 14, percent: 25.9 },
        detractors: { count: 9, percent: 16.7 },
        scores: [1, 0, 0, 1, 1, 2, 4, 6, 8, 13, 18],
        smallBase: 30,
        trendInterval: 'day',
        trend: [
          {
            day: '2026-11-18',
            to: '2026-11-18',
            period: '2026-11-18',
            complete: true,
            responses: 22,
            n: 22,
            value: 45,
            margin: 30.2,
            nps: 45,
            change: null,
          },
          {
            day: '2026-11-19',
            to: '2026-11-19',
            period: '2026-11-19',
            complete: true,
            responses: 19,
            n: 19,
            value: 37,
            margin: 33.3,
            nps: 37,
            change: { delta: -8.61, z: -0.38, significant: false },
          },
          {
            day: '2026-11-20',
            to: '2026-11-20',
            period: '2026-11-20',
            complete: false,
            responses: 13,
            n: 13,
            value: 38,
            margin: 40.1,
            nps: 38,
            change: { delta: 1.62, z: 0.06, significant: false },
          },
        ],
        comparison: {
          previous: '2026-11-18',
          last: '2026-11-19',
          previousValue: 45,
          lastValue: 37,
          delta: -8.61,
          z: -0.38,
          significant: false,
        },
        comments: [
          {
            id: '9c1e5a7b-2d3f-4a6b-8c0d-1e2f3a4b5c6d',
            score: 10,
            category: 'promoter',
            comment: 'Heel vriendelijk en snel geholpen door de thuiszorg.',
            submittedAt: '2026-11-20T14:02:11.000Z',
            labels: ['staff', 'service'],
            sentiment: 'positive',
            labelSource: 'model',
          },
          {
            id: '2f3a4b5c-6d7e-4f80-9a1b-2c3d4e5f6a7b',
            score: 4,
            category: 'detractor',
            comment: 'Ik moest drie weken wachten op een afspraak.',
            submittedAt: '2026-11-19T10:45:37.000Z',
            labels: ['waiting_time'],
            sentiment: 'negative',
            labelSource: 'human',
          },
        ],
        labelling: {
          enabled: true,
          taxonomy: 'customer',
          labelled: 2,
          sentiment: { positive: 1, negative: 1, neutral: 0, mixed: 0 },
          labels: [
            {
              id: 'service',
              name: { nl: 'Service', en: 'Service' },
              retired: false,
              count: 1,
              sentiment: { positive: 1, negative: 0, neutral: 0, mixed: 0 },
            },
            {
              id: 'staff',
              name: { nl: 'Medewerkers', en: 'Staff' },
              retired: false,
              count: 1,
              sentiment: { positive: 1, negative: 0, neutral: 0, mixed: 0 },
            },
            {
              id: 'waiting_time',
              name: { nl: 'Wachttijd', en: 'Waiting time' },
              retired: false,
              count: 1,
              sentiment: { positive: 0, negative: 1, neutral: 0, mixed: 0 },
            },
          ],
        },
        anonymity: 'identified',
        minGroupSize: null,
        hidden: false,
        questions: [
          {
            id: 'score',
            type: 'nps',
            text: {
              nl: "Hoe waarschijnlijk is het dat je Zorggroep Noord aanbeveelt aan vrienden of collega's?",
              en: 'How likely are you to recommend Zorggroep Noord to a friend or colleague?',
            },
            answered: 54,
            distribution: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((value, i) => ({
              value,
              count: [1, 0, 0, 1, 1, 2, 4, 6, 8, 13, 18][i]!,
            })),
            mean: 8.2,
            smallBase: false,
            nps: 41,
            promoters: 31,
            passives: 14,
            detractors: 9,
          },
          {
            id: 'why',
            type: 'text',
            text: {
              nl: 'Wat is de belangrijkste reden voor je score?',
              en: 'What is the most important reason for your score?',
            },
            answered: 2,
            distribution: [],
            mean: null,
            comments: {
              count: 2,
              complete: true,
              items: [
                {
                  id: '9c1e5a7b-2d3f-4a6b-8c0d-1e2f3a4b5c6d',
                  comment: 'Heel vriendelijk en snel geholpen door de thuiszorg.',
                  submittedAt: '2026-11-20T14:02:11.000Z',
                },
                {
                  id: '2f3a4b5c-6d7e-4f80-9a1b-2c3d4e5f6a7b',
                  comment: 'Ik moest drie weken wachten op een afspraak.',
                  submittedAt: '2026-11-19T10:45:37.000Z',
                },
              ],
            },
          },
          {
            id: 'hours',
            type: 'number',
            text: { nl: 'Hoeveel uur per week werk je?', en: 'How many hours a week do you work?' },
            answered: 50,
            distribution: [],
            mean: 29.4,
            smallBase: false,
            number: {
              n: 50,
              mean: 29.4,
              meanInterval: { low: 27.1, high: 31.7 },
              margin: 2.3,
              median: 32,
              min: 8,
              max: 40,
              bins: [
                { from: 0, to: 10, count: 2, percent: 4 },
                { from: 10, to: 20, count: 9, percent: 18 },
                { from: 20, to: 30, count: 12, percent: 24 },
                { from: 30, to: 40, count: 27, percent: 54 },
              ],
            },
          },
          {
            id: 'location',
            type: 'single',
            text: { nl: 'Welke vestiging?', en: 'Which site?' },
            answered: 52,
            mean: null,
            smallBase: false,
            distribution: [
              { value: 'groningen', label: { nl: 'Groningen', en: 'Groningen' }, count: 30, percent: 57.7 },
              { value: 'assen', label: { nl: 'Assen', en: 'Assen' }, count: 22, percent: 42.3 },
            ],
          },
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

/**
 * Rows read for the comments shown of the open questions: first the newest SCAN_FIRST (or four times
 * the comments asked for), then SCAN_MIN when an open question's list is not full from those.
 */
const SCAN_FIRST = 200;
const SCAN_MIN = 2000;

export function resultRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/surveys/:id/results',
      {
        config: { access: { permission: Permission.RESULTS_READ } },
        schema: {
          tags: ['results'],
          summary:
            'The key score as itself (NPS, eNPS, CSAT, CES or rating) with its 95% margin, every question aggregated, the trend with significance marks, response rate and the comments',
          params: z.object({ id: z.string() }),
          querystring: z.object({
            comments: z.coerce
              .number()
              .int()
              .min(0)
              .max(500)
              .default(50)
              .describe('comments per open question (and in the top-level list of the first open question)'),
            label: z.string().max(63).optional().describe('only comments with this label id (the top-level list)'),
            interval: z
              .enum(INTERVALS)
              .default('day')
              .describe(
                'identified surveys: the trend per day, ISO week (from Monday), month or quarter, in Europe/Amsterdam; confidential and anonymous surveys ignore it: their trend is per release step',
              ),
            breakdown: z
              .string()
              .regex(/^[a-z0-9_]{1,64}$/)
              .optional()
              .describe(
                'a profile field to break the key score down by: any field for users who may read contact details, else only grouping fields; not for anonymous surveys; confidential surveys: once closed, one field',
              ),
          }),
          response: { 200: results },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        const now = new Date();
        const body = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const survey = await loadSurvey(tx, request.params.id);
          if (request.query.breakdown && survey.anonymity === 'anonymous') {
            throw new AppError(
              ErrorCode.CONFLICT,
              { key: 'problems:results.anonymousNoBreakdown' },
              { errors: [{ pointer: '/query/breakdown', reason: 'not available for anonymous surveys' }] },
            );
          }
          // Older responses have their numbers and dates only sealed: copy them once (typed.ts).
          await ensureTypedAnswersClear(tx, (b) => keys.openJson<Answers>(b), survey);
          // OBLIGATIONS SVC-4: a shielded survey (confidential, anonymous) shows nothing but numbers
          // computed over one release (release.ts): whole steps of at least minGroupSize answers.
          const shielded = survey.anonymity !== 'identified';
          const release = shielded
            ? await loadRelease(
                tx,
                survey.id,
                survey.min_group_size,
                ctx.env.RESULTS_SETTLE_SECONDS,
                survey.release_base ?? survey.min_group_size,
              )
            : null;
          const cutoff = release ? release.cutoff : undefined;
          const hidden = release !== null && release.released === 0;
          // Issue 17: responses per day and key answer, from the rollup and the responses after it.
          const keyDays = await readTrend(tx, survey.id, survey.definition, cutoff);
          // Issue 17: the survey's own count of its invitations (0039's triggers), not a count per view.
          // OBLIGATIONS REG-4: invitations erased by retention still count as invited.
          const invited = await tx
            .selectFrom('surveys')
            .select(['invitations_count', 'invitations_erased'])
            .where('id', '=', survey.id)
            .executeTakeFirstOrThrow();
          const key = keyQuestion(survey.definition);
          const target = keyTarget(survey.definition.questions, key);
          const byValue = new Map<number, number>();
          for (const d of target ? keyDays : [])
            if (d.v !== '') byValue.set(Number(d.v), (byValue.get(Number(d.v)) ?? 0) + d.n);
          const trend = !target
            ? { points: [], hist: [] }
            : release
              ? await stepTrend(tx, survey.id, release, target.kind, target.value)
              : await periodTrend(tx, survey, target.kind, request.query.interval, now, keyDays);
          const { label } = request.query;
          const limit = request.query.comments;
          const comment = commentQuestion(survey.definition);
          const openQuestions = survey.definition.questions.filter((q) => q.type === 'text');
          // Comments of a shielded survey: only released ones, without score or time, in the order of
          // their random ids, which carries nothing about when or by whom. Shielded comments are
          // redacted too (names, addresses, … removed: AI-3).
          const order = shielded ? sql`r.id` : sql`r.submitted_at DESC, r.id DESC`;
          const scan = async (withLabel: boolean, rows: number) =>
            hidden || !limit
              ? []
              : (
                  await sql<{ id: string; score: number | null; answers_enc: Buffer; submitted_at: Date }>`
              SELECT r.id, r.score, r.answers_enc, r.submitted_at FROM responses r
               WHERE r.survey_id = ${survey.id}::uuid AND ${inRelease(cutoff)}
                 ${withLabel && label ? sql`AND EXISTS (SELECT 1 FROM response_labels rl WHERE rl.tenant_id = r.tenant_id AND rl.response_id = r.id AND rl.survey_id = ${survey.id}::uuid AND rl.label_id = ${label})` : sql``}
               ORDER BY ${order} LIMIT ${rows}`.execute(tx)
                ).rows;
          // Issue 17: each open question's number of comments comes from the rollup (questions.ts);
          // only the comments shown are read: the newest SCAN_FIRST answers, and SCAN_MIN when some
          // open question has not filled its list from those.
          const firstRows = Math.max(limit * 4, SCAN_FIRST);
          const read = await scan(true, label ? limit * 4 : firstRows);
          // Each answer is opened once, whichever lists it is read for.
          const opened = new Map<string, Answers>();
          const open = (r: { id: string; answers_enc: Buffer }) => {
            let a = opened.get(r.id);
            if (!a) opened.set(r.id, (a = keys.openJson<Answers>(r.answers_enc)));
            return a;
          };
          const texts = [];
          for (const r of read) {
            const a = open(r);
            if (a.why) {
              texts.push(
                shielded
                  ? {
                      id: r.id,
                      score: null,
                      category: null,
                      comment: displayComment(a.why, { anonymous: true }),
                      submittedAt: null,
                    }
                  : {
                      id: r.id,
                      score: r.score,
                      category:
                        r.score === null || !target || target.q !== key ? null : categoryOf(target.kind, r.score),
                      comment: a.why,
                      submittedAt: new Date(r.submitted_at).toISOString(),
                    },
              );
            }
            if (texts.length >= limit) break;
          }
          // Every open question's newest comments (not filtered by label).
          const listsOf = (rows: typeof read) => {
            const lists = new Map<string, CommentItems>(openQuestions.map((q) => [q.id, { items: [] }]));
            let unfilled = openQuestions.length;
            for (const r of rows) {
              if (unfilled === 0) break;
              const a = open(r);
              for (const q of openQuestions) {
                const raw = sealedText(a, q.id, q.id === comment?.id);
                const list = lists.get(q.id)!;
                if (!isAnsweredText(raw) || list.items.length >= limit) continue;
                list.items.push({
                  id: r.id,
                  comment: shielded ? displayComment(raw, { anonymous: true }) : raw,
                  submittedAt: shielded ? null : new Date(r.submitted_at).toISOString(),
                });
                if (list.items.length === limit) unfilled--;
              }
            }
            return { lists, full: unfilled === 0 };
          };
          let perQuestion = new Map<string, CommentItems>();
          if (!hidden && openQuestions.length && limit) {
            const rows = label ? await scan(false, firstRows) : read;
            const got = listsOf(rows);
            // Read again from the newest (answers may have arrived meanwhile), further back.
            perQuestion =
              !got.full && rows.length === firstRows && firstRows < SCAN_MIN
                ? listsOf(await scan(false, SCAN_MIN)).lists
                : got.lists;
          } else if (!hidden) for (const q of openQuestions) perQuestion.set(q.id, { items: [] });
          // Each open question's labels (OBLIGATIONS AI-2): its counts, and the labels of the comments shown.
          const summaries = new Map<string, Awaited<ReturnType<typeof labelSummary>>>();
          for (const [qid, list] of perQuestion) {
            const full = await labelSummary(tx, auth.tenantId, survey.id, cutoff, qid);
            summaries.set(qid, full);
            const { active: _a, ...summary } = full;
            const of = await labelsOfResponses(
              tx,
              list.items.map((c) => c.id),
              qid,
            );
            list.labelling = summary;
            list.items = list.items.map((c) => ({
              ...c,
              ...(of.get(c.id) ?? { labels: [], sentiment: null, labelSource: null }),
            }));
          }
          const questions = hidden
            ? []
            : await questionResults(tx, survey.id, survey.definition, {
                cutoff,
                minGroup: shielded ? survey.min_group_size : undefined,
                shielded,
                comments: perQuestion,
              });
          const split =
            hidden || !request.query.breakdown
              ? null
              : await readBreakdown(tx, auth, survey, request.query.breakdown, release);
          if (split) {
            if (key?.type !== 'nps' && key?.type !== 'enps') for (const g of split.groups) g.nps = null;
            // OBLIGATIONS LOG-1: a breakdown by a contact field reads contacts' personal data.
            await audit(tx, auth.tenantId, actorOf(request, auth), {
              action: AuditAction.RESULTS_BREAKDOWN_READ,
              subject: { kind: 'survey', id: survey.id },
              details: { field: split.field, groups: split.groups.length },
            });
          }
          // Counts first, then each comment's labels: under READ COMMITTED a run may commit between the
          // two statements, and then the comments are the newer of the two, never the older.
          // The first open question's counts were read above with its list (the same statements).
          const labelling =
            summaries.get(openQuestions[0]?.id ?? '') ?? (await labelSummary(tx, auth.tenantId, survey.id, cutoff));
          const labelsOf = await labelsOfResponses(
            tx,
            texts.map((c) => c.id),
          );
          const comments = texts.map((c) => ({
            ...c,
            ...(labelsOf.get(c.id) ?? { labels: [], sentiment: null, labelSource: null }),
          }));
          const shownComments = comments.length + [...perQuestion.values()].reduce((s, l) => s + l.items.length, 0);
          if (shownComments)
            await audit(tx, auth.tenantId, actorOf(request, auth), {
              action: AuditAction.RESPONSES_READ,
              subject: { kind: 'survey', id: survey.id },
              details: { comments: shownComments },
            });
          const invitedN = invited.invitations_count + invited.invitations_erased;
          const total = release ? release.total : keyDays.reduce((sum, d) => sum + d.n, 0);
          const keyScore =
            target && !hidden
              ? {
                  questionId: target.q.id,
                  ...summarizeScale(
                    target.kind,
                    [...byValue].map(([value, count]) => ({ value, count })),
                    scaleOfTarget(target.q),
                  ),
                }
              : null;
          // The deprecated NPS fields: only for an NPS or eNPS key score (zeros while hidden, as before).
          const isNps = target !== null && (target.kind === 'nps' || target.kind === 'enps');
          const g = (c: string) => keyScore?.groups.find((x) => x.category === c)?.count ?? 0;
          const legacy = isNps ? summarize(g('promoter'), g('passive'), g('detractor')) : null;
          return {
            surveyId: survey.id,
            invited: invitedN,
            responses: total,
            responseRate: invitedN === 0 ? 0 : Math.round((total / invitedN) * 1000) / 10,
            keyScore,
            nps: legacy ? legacy.nps : null,
            promoters: legacy ? legacy.promoters : null,
            passives: legacy ? legacy.passives : null,
            detractors: legacy ? legacy.detractors : null,
            scores: isNps ? (keyScore?.distribution.map((d) => d.count) ?? new Array<number>(11).fill(0)) : [],
            smallBase: SMALL_BASE,
            released: release ? release.released : null,
            nextRelease: release ? release.next : null,
            trendInterval: release ? ('step' as const) : request.query.interval,
            trend: trend.points,
            comparison: target ? headlineComparison(trend.points, trend.hist, target.kind) : null,
            comments,
            labelling: {
              enabled: labelling.enabled,
              taxonomy: labelling.taxonomy,
              labelled: labelling.labelled,
              sentiment: labelling.sentiment,
              labels: labelling.labels,
            },
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
      },
    );
  };
}

function scaleOfTarget(q: Question): { min: number; max: number } {
  return scaleOf(q) ?? { min: 0, max: 10 };
}
