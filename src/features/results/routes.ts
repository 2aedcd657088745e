import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction } from '../../lib/audit.js';
import { csvRow } from '../../lib/csv/write.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, requireUser } from '../auth/guard.js';
import { loadSurvey } from '../surveys/routes.js';
import { commentLabelFields, displayComment, labelResults, labelsOfResponses, labelSummary } from '../labelling/results.js';
import { nudgeLabelling } from '../labelling/run.js';
import { categoryOf, summarize } from './nps.js';
import { commentQuestion, keyQuestion } from '../surveys/definition.js';
import { breakdown, breakdownResult, questionResult, questionResults } from './questions.js';

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
  trend: z.array(z.object({ day: z.string(), responses: z.number(), nps: z.number().nullable() })),
  comments: z.array(z.object({ id: z.string(), score: z.number().nullable(), category: z.string().nullable(), comment: z.string(), submittedAt: z.string(), ...commentLabelFields })),
  labelling: labelResults.describe('label counts and sentiment per label (OBLIGATIONS AI-2)'),
  anonymity: z.enum(['identified', 'confidential', 'anonymous']),
  minGroupSize: z.number().nullable().describe('confidential surveys: the smallest group shown'),
  hidden: z.boolean().describe('true when a confidential survey has fewer responses than minGroupSize: nothing but the count is shown'),
  questions: z.array(questionResult).describe('per-question results'),
  breakdown: breakdownResult.nullable().describe('the key score by a profile field (?breakdown=<field>); groups below minGroupSize are left out'),
}).meta({
  examples: [
    {
      surveyId: 'ef336289-1817-4109-a948-c780be8dd4c6',
      invited: 128,
      responses: 54,
      responseRate: 42.2,
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
      },
    },
  ],
});

interface Answers {
  score?: number | null;
  why?: string | null;
  answers?: Record<string, number | string | string[]>;
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
          breakdown: z.string().regex(/^[a-z0-9_]{1,64}$/).optional().describe('a profile field to break the key score down by (not for anonymous surveys)'),
        }),
        response: { 200: results },
      },
    }, async (request) => {
      const auth = await requireUser(ctx, request, Permission.RESULTS_READ);
      const keys = await ctx.keyring.forTenant(auth.tenantId);
      const body = await ctx.db.tenant(auth.tenantId, async (tx) => {
        const survey = await loadSurvey(tx, request.params.id);
        // OBLIGATIONS SVC-4: a confidential survey shows only groups of at least min_group_size, and
        // an anonymous one has no link to contacts to break down by.
        const confidential = survey.anonymity === 'confidential';
        const minGroup = confidential ? survey.min_group_size : null;
        if (request.query.breakdown && survey.anonymity === 'anonymous') {
          throw new AppError(ErrorCode.CONFLICT, 'An anonymous survey has no link to contacts, so it has no breakdown by contact fields.', { errors: [{ pointer: '/breakdown', reason: 'not available for anonymous surveys' }] });
        }
        const agg = await tx
          .selectFrom('responses')
          .select((eb) => [
            eb.fn.countAll<number>().as('total'),
            eb.fn.count<number>('score').filterWhere('score', '>=', 9).as('promoters'),
            eb.fn.count<number>('score').filterWhere((w) => w.and([w('score', '>=', 7), w('score', '<=', 8)])).as('passives'),
            eb.fn.count<number>('score').filterWhere('score', '<=', 6).as('detractors'),
          ])
          .where('survey_id', '=', survey.id)
          .executeTakeFirstOrThrow();
        const invited = await tx.selectFrom('invitations').select((eb) => eb.fn.countAll<number>().as('n')).where('survey_id', '=', survey.id).executeTakeFirstOrThrow();
        const byScore = await tx.selectFrom('responses').select(['score', (eb) => eb.fn.countAll<number>().as('n')]).where('survey_id', '=', survey.id).where('score', 'is not', null).groupBy('score').execute();
        const trendRows = await sql<{ day: string; p: number; d: number; n: number }>`
          SELECT to_char(date_trunc('day', submitted_at AT TIME ZONE 'Europe/Amsterdam'), 'YYYY-MM-DD') AS day,
                 count(*) FILTER (WHERE score >= 9)::int AS p, count(*) FILTER (WHERE score <= 6)::int AS d, count(score)::int AS n
            FROM responses WHERE survey_id = ${survey.id}::uuid GROUP BY 1 ORDER BY 1`.execute(tx);
        const { label } = request.query;
        const latest = !request.query.comments
          ? []
          : label
            ? await tx
                .selectFrom('responses as r')
                .innerJoin('response_labels as rl', (j) => j.onRef('rl.tenant_id', '=', 'r.tenant_id').onRef('rl.response_id', '=', 'r.id'))
                .select(['r.id', 'r.score', 'r.answers_enc', 'r.submitted_at'])
                .where('r.survey_id', '=', survey.id)
                .where('rl.survey_id', '=', survey.id)
                .where('rl.label_id', '=', label)
                .orderBy('r.submitted_at', 'desc')
                .orderBy('r.id', 'desc')
                .limit(request.query.comments)
                .execute()
            : await tx.selectFrom('responses').select(['id', 'score', 'answers_enc', 'submitted_at']).where('survey_id', '=', survey.id).orderBy('submitted_at', 'desc').orderBy('id', 'desc').limit(request.query.comments * 4).execute();
        const total = Number(agg.total);
        const hidden = confidential && total < survey.min_group_size;
        const texts = [];
        // Confidential and anonymous comments are redacted (names, addresses, … removed: AI-3) and
        // dated to the day only; below the threshold they are not shown at all.
        const shielded = survey.anonymity !== 'identified';
        for (const r of hidden ? [] : latest) {
          const a = keys.openJson<Answers>(r.answers_enc);
          const at = new Date(r.submitted_at);
          if (shielded) at.setUTCHours(0, 0, 0, 0);
          if (a.why) texts.push({ id: r.id, score: r.score, category: r.score === null ? null : categoryOf(r.score), comment: displayComment(a.why, { anonymous: shielded }), submittedAt: at.toISOString() });
          if (texts.length >= request.query.comments) break;
        }
        const questions = hidden ? [] : await questionResults(tx, survey.id, survey.definition);
        const key = keyQuestion(survey.definition);
        const split = hidden || !request.query.breakdown ? null : await breakdown(tx, survey.id, request.query.breakdown, minGroup);
        if (split && key?.type !== 'nps' && key?.type !== 'enps') for (const g of split.groups) g.nps = null;
        // Counts first, then each comment's labels: under READ COMMITTED a run may commit between the
        // two statements, and then the comments are the newer of the two, never the older.
        const labelling = await labelSummary(tx, auth.tenantId, survey.id);
        const labelsOf = await labelsOfResponses(tx, texts.map((c) => c.id));
        const comments = texts.map((c) => ({ ...c, ...(labelsOf.get(c.id) ?? { labels: [], sentiment: null, labelSource: null }) }));
        if (comments.length) await audit(tx, auth.tenantId, actorOf(request, auth), { action: AuditAction.RESPONSES_READ, subject: { kind: 'survey', id: survey.id }, details: { comments: comments.length } });
        const summary = hidden ? summarize(0, 0, 0) : summarize(Number(agg.promoters), Number(agg.passives), Number(agg.detractors));
        const scores = new Array<number>(11).fill(0);
        if (!hidden) for (const r of byScore) if (r.score !== null) scores[r.score] = Number(r.n);
        const invitedN = Number(invited.n);
        return {
          surveyId: survey.id,
          invited: invitedN,
          ...summary,
          responses: Number(agg.total),
          responseRate: invitedN === 0 ? 0 : Math.round((Number(agg.total) / invitedN) * 1000) / 10,
          scores,
          // A day with fewer answers than the threshold shows its count, not its score.
          trend: hidden ? [] : trendRows.rows.map((t) => ({ day: t.day, responses: t.n, nps: t.n && (minGroup === null || t.n >= minGroup) ? Math.round(((t.p - t.d) / t.n) * 100) : null })),
          comments,
          labelling: hidden
            ? { enabled: labelling.enabled, taxonomy: labelling.taxonomy, labelled: 0, sentiment: { positive: 0, negative: 0, neutral: 0, mixed: 0 }, labels: [] }
            : { enabled: labelling.enabled, taxonomy: labelling.taxonomy, labelled: labelling.labelled, sentiment: labelling.sentiment, labels: labelling.labels },
          anonymity: survey.anonymity,
          minGroupSize: minGroup,
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

    app.get('/api/v1/surveys/:id/responses.csv', {
      config: { access: { permission: Permission.RESPONSES_EXPORT } },
      schema: {
        tags: ['results'],
        summary: 'Export all responses as CSV (streamed). Contact columns only with contacts=true and the right to see them.',
        params: z.object({ id: z.string() }),
        querystring: z.object({ contacts: z.enum(['true', 'false']).default('false'), delimiter: z.enum(['semicolon', 'comma']).default('semicolon') }),
      },
    }, async (request, reply) => {
      const auth = await requireUser(ctx, request, Permission.RESPONSES_EXPORT);
      const withContacts = request.query.contacts === 'true';
      // OBLIGATIONS ACC-2: analysts and viewers cannot export contact details.
      if (withContacts && !auth.permissions.has(Permission.RESPONSES_EXPORT_CONTACTS)) {
        throw new AppError(ErrorCode.FORBIDDEN, `Your role (${auth.role}) cannot export contact details.`);
      }
      const sep = request.query.delimiter === 'comma' ? ',' : ';';
      const keys = await ctx.keyring.forTenant(auth.tenantId);
      const survey = await ctx.db.tenant(auth.tenantId, async (tx) => {
        const s = await loadSurvey(tx, request.params.id);
        // OBLIGATIONS SVC-4: a confidential survey has no per-response export with contact data, and
        // none at all below its minimum group size; an anonymous one has no contacts to export.
        if (withContacts && s.anonymity !== 'identified') throw new AppError(ErrorCode.FORBIDDEN, `This survey is ${s.anonymity}: responses cannot be exported with contact details.`);
        if (s.anonymity === 'confidential') {
          const n = await tx.selectFrom('responses').select((eb) => eb.fn.countAll<string>().as('n')).where('survey_id', '=', s.id).executeTakeFirstOrThrow();
          if (Number(n.n) < s.min_group_size) throw new AppError(ErrorCode.FORBIDDEN, `This confidential survey has fewer than ${s.min_group_size} responses; its responses cannot be exported yet.`);
        }
        await audit(tx, auth.tenantId, actorOf(request, auth), { action: AuditAction.RESPONSES_EXPORTED, subject: { kind: 'survey', id: s.id }, details: { withContacts, format: 'csv' } });
        return s;
      });

      // Every question beyond the key score and the comment gets its own column.
      const key = keyQuestion(survey.definition);
      const comment = commentQuestion(survey.definition);
      const extra = survey.definition.questions.filter((q) => q.id !== key?.id && q.id !== comment?.id);
      const shielded = survey.anonymity !== 'identified';
      const header = ['response_id', 'submitted_at', 'language', 'score', 'category', 'comment', ...extra.map((q) => q.id), ...(withContacts ? ['email', 'first_name', 'infix', 'last_name'] : [])];
      const PAGE = 1000;
      async function* rows(): AsyncGenerator<string> {
        yield '\uFEFF' + csvRow(header, sep);
        let cursor: { at: string; id: string } | null = null;
        for (;;) {
          const c = cursor;
          // Each page is its own short transaction, so a slow download never holds the database.
          const page = await ctx.db.tenant(auth.tenantId, (tx) => {
            let q = tx
              .selectFrom('responses as r')
              .leftJoin('contacts as c', (j) => j.onRef('c.tenant_id', '=', 'r.tenant_id').onRef('c.id', '=', 'r.contact_id'))
              .select(['r.id', 'r.submitted_at', sql<string>`r.submitted_at::text`.as('at_text'), 'r.language', 'r.score', 'r.answers_enc', 'c.email_enc', 'c.first_name_enc', 'c.infix_enc', 'c.last_name_enc'])
              .where('r.survey_id', '=', survey.id);
            // The cursor keeps PostgreSQL's microseconds (a JS Date would round them and skip rows).
            if (c) q = q.where(sql<boolean>`(r.submitted_at, r.id) > (${c.at}::timestamptz, ${c.id}::uuid)`);
            return q.orderBy('r.submitted_at').orderBy('r.id').limit(PAGE).execute();
          });
          let chunk = '';
          for (const r of page) {
            const a = keys.openJson<Answers>(r.answers_enc);
            const at = new Date(r.submitted_at);
            if (shielded) at.setUTCHours(0, 0, 0, 0);
            const cells = extra.map((q) => {
              const v = a.answers?.[q.id];
              return v === undefined ? '' : Array.isArray(v) ? v.join('|') : shielded && q.type === 'text' ? displayComment(String(v), { anonymous: true }) : v;
            });
            const base = [r.id, at.toISOString(), r.language, r.score, r.score === null ? '' : categoryOf(r.score), a.why ? (shielded ? displayComment(a.why, { anonymous: true }) : a.why) : '', ...cells];
            const contact = withContacts ? [keys.open(r.email_enc), keys.open(r.first_name_enc), keys.open(r.infix_enc), keys.open(r.last_name_enc)] : [];
            chunk += csvRow([...base, ...contact], sep);
          }
          if (chunk) yield chunk;
          if (page.length < PAGE) return;
          const last = page[page.length - 1]!;
          cursor = { at: last.at_text, id: last.id };
        }
      }
      const filename = `peil-${survey.name.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 60) || 'survey'}-responses.csv`;
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(rows()));
    });
  };
}
