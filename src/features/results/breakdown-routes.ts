import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction } from '../../lib/audit.js';
import type { Tx } from '../../lib/db/db.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, callerOf, type TenantAuth } from '../auth/guard.js';
import { loadSurvey } from '../surveys/store.js';
import { shieldedBreakdown } from './breakdown.js';
import {
  breakdownBody,
  CONTACT_FIELDS,
  crossTab,
  crossTabBody,
  groupable,
  resolveGrouping,
  scoreBreakdown,
  type Grouping,
} from './crosstab.js';
import { loadRelease } from './release.js';

const localized = z.object({ nl: z.string(), en: z.string() });

const groupings = z.object({
  surveyId: z.string(),
  anonymity: z.enum(['identified', 'confidential', 'anonymous']),
  contact: z
    .array(
      z.object({
        id: z.string(),
        label: localized,
        allowed: z.boolean().describe('false: your role may not break down by it'),
      }),
    )
    .describe('built-in contact fields: language (of the response), gender, function; none for anonymous surveys'),
  profile: z.array(
    z.object({
      id: z.string(),
      label: localized,
      allowed: z.boolean(),
      grouping: z
        .boolean()
        .describe(
          'marked as a grouping field: analysts and viewers may use it (never in groups below the minimum group size)',
        ),
    }),
  ),
  answers: z
    .array(z.object({ id: z.string(), label: localized, overlapping: z.boolean() }))
    .describe('closed questions whose answer can group respondents'),
  questions: z
    .array(z.object({ id: z.string(), type: z.string(), text: localized }))
    .describe('questions a cross-tab can show: choices, scales, numbers'),
  crossTabs: z
    .boolean()
    .describe(
      'false for confidential and anonymous surveys: their cross-tabs are not offered (see the breakdown route)',
    ),
  released: z
    .string()
    .nullable()
    .describe('confidential and anonymous surveys: the one grouping already released (no other is available)'),
});

/**
 * OBLIGATIONS ACC-2, SVC-4: who may group by what. Contact and profile fields read contacts' personal
 * data: users who may read contact details use any; others only profile fields marked as grouping
 * fields and the response language (which the responses export already gives them), never in groups
 * below the survey's minimum group size. Gender and function only for users who may read contacts:
 * gender is sensitive and a function is often held by one person (a customer who wants analysts to
 * group by function makes a grouping profile field of its function groups). An answer needs only
 * results:read. Returns the minimum group size that applies to an identified survey (null: none).
 */
async function mayGroup(
  tx: Tx,
  auth: TenantAuth,
  survey: { anonymity: string; min_group_size: number },
  g: Grouping,
): Promise<number | null> {
  if (g.kind === 'answer') return null;
  if (survey.anonymity === 'anonymous') {
    throw new AppError(
      ErrorCode.CONFLICT,
      { key: 'problems:results.anonymousNoContactBreakdown' },
      { errors: [{ pointer: '/query/by', reason: 'not available for anonymous surveys' }] },
    );
  }
  if (auth.permissions.has(Permission.CONTACTS_READ)) return null;
  const allowed =
    g.kind === 'contact'
      ? g.field === 'language'
      : (await tx.selectFrom('profile_fields').select('grouping').where('key', '=', g.key).executeTakeFirst())
          ?.grouping === true;
  if (!allowed) {
    throw new AppError(
      ErrorCode.FORBIDDEN,
      { key: 'problems:results.roleGroupingOrAnswer', params: { role: auth.role, field: g.id } },
      { errors: [{ pointer: '/query/by', reason: 'not a grouping field' }] },
    );
  }
  return survey.min_group_size;
}

export function breakdownRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/surveys/:id/breakdown',
      {
        config: { access: { permission: Permission.RESULTS_READ } },
        schema: {
          tags: ['results'],
          summary:
            'Break the key score down by a contact field, a profile field or an answer; with `question`, a cross-tab of that question by the groups',
          description:
            "Identified surveys: live. Contact fields (language, gender, function) and profile fields need the right to read contact details, or a grouping field (and the language), then never in groups below the survey's minimum group size, with complementary suppression; an answer needs results:read. Confidential surveys, and anonymous ones (answers only): once closed, one grouping per survey, computed once over the release with complementary suppression and kept; their cross-tabs are refused (409). Every breakdown by a contact or profile field is written to the audit log.",
          params: z.object({ id: z.string() }),
          querystring: z.object({
            by: z
              .string()
              .regex(
                /^(language|gender|function|profile\.[a-z0-9_]{1,64}|answer\.[A-Za-z0-9_-]{1,64}|[a-z0-9_]{1,64})$/,
              )
              .describe('language | gender | function | profile.<key> | answer.<question id>'),
            question: z
              .string()
              .max(64)
              .optional()
              .describe(
                'a choice, scale or number question: a cross-tab (rows: its options or scale points, columns: the groups; a number question: its mean per group)',
              ),
          }),
          response: { 200: z.union([breakdownBody, crossTabBody]) },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          const survey = await loadSurvey(tx, request.params.id);
          const g = await resolveGrouping(tx, survey.definition, request.query.by);
          const minGroup = await mayGroup(tx, auth, survey, g);
          const question =
            request.query.question === undefined
              ? undefined
              : survey.definition.questions.find((q) => q.id === request.query.question);
          if (request.query.question !== undefined && !question) {
            throw new AppError(
              ErrorCode.VALIDATION,
              { key: 'problems:results.noQuestion', params: { id: request.query.question } },
              {
                errors: [{ pointer: '/query/question', reason: 'unknown question' }],
              },
            );
          }
          let out: z.infer<typeof breakdownBody> | z.infer<typeof crossTabBody>;
          if (survey.anonymity !== 'identified') {
            if (question) {
              // OBLIGATIONS SVC-4: a cross-tab of a shielded survey would be a third dimension (release
              // steps × groups × answers) whose public margins (the per-step answer counts) the
              // suppression of disclosure.ts does not cover; refused rather than shipped leaky.
              throw new AppError(
                ErrorCode.CONFLICT,
                { key: 'problems:results.crossTabShielded' },
                { errors: [{ pointer: '/query/question', reason: 'not available for shielded surveys' }] },
              );
            }
            const release = await loadRelease(
              tx,
              survey.id,
              survey.min_group_size,
              ctx.env.RESULTS_SETTLE_SECONDS,
              survey.release_base ?? survey.min_group_size,
            );
            out = (await shieldedBreakdown(tx, auth.tenantId, survey, g, release, '/query/by')).body;
          } else if (question) {
            out = await crossTab(tx, keys, survey, g, question, minGroup);
          } else {
            out = await scoreBreakdown(tx, survey, g, minGroup, null);
          }
          if (g.kind !== 'answer') {
            // OBLIGATIONS LOG-1: a breakdown by a contact field reads contacts' personal data.
            const groups = 'groups' in out ? out.groups.length : out.columns.length;
            await audit(tx, auth.tenantId, actorOf(request, auth), {
              action: AuditAction.RESULTS_BREAKDOWN_READ,
              subject: { kind: 'survey', id: survey.id },
              details: { field: g.id, groups, ...(question ? { question: question.id } : {}) },
            });
          }
          return out;
        });
      },
    );

    app.get(
      '/api/v1/surveys/:id/groupings',
      {
        config: { access: { permission: Permission.RESULTS_READ } },
        schema: {
          tags: ['results'],
          summary: 'What the survey can be broken down by, and whether your role may use it',
          params: z.object({ id: z.string() }),
          response: { 200: groupings },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          const survey = await loadSurvey(tx, request.params.id);
          const mayRead = auth.permissions.has(Permission.CONTACTS_READ);
          const anonymous = survey.anonymity === 'anonymous';
          const fields = anonymous
            ? []
            : await tx
                .selectFrom('profile_fields')
                .select(['key', 'label_nl', 'label_en', 'grouping'])
                .orderBy('key')
                .execute();
          const released =
            survey.anonymity === 'identified'
              ? undefined
              : await tx
                  .selectFrom('released_breakdowns')
                  .select('field')
                  .where('survey_id', '=', survey.id)
                  .executeTakeFirst();
          const releasedId = released
            ? released.field.startsWith('contact.')
              ? released.field.slice(8)
              : released.field.startsWith('answer.')
                ? released.field
                : `profile.${released.field}`
            : null;
          return {
            surveyId: survey.id,
            anonymity: survey.anonymity,
            contact: anonymous
              ? []
              : (Object.keys(CONTACT_FIELDS) as Array<keyof typeof CONTACT_FIELDS>).map((f) => ({
                  id: f,
                  label: CONTACT_FIELDS[f],
                  allowed: mayRead || f === 'language',
                })),
            profile: fields.map((f) => ({
              id: `profile.${f.key}`,
              label: { nl: f.label_nl, en: f.label_en },
              allowed: mayRead || f.grouping,
              grouping: f.grouping,
            })),
            answers: survey.definition.questions
              .filter(groupable)
              .filter((q) => survey.anonymity === 'identified' || q.type !== 'multiple')
              .map((q) => ({ id: `answer.${q.id}`, label: q.text, overlapping: q.type === 'multiple' })),
            questions:
              survey.anonymity === 'identified'
                ? survey.definition.questions
                    .filter((q) => groupable(q) || q.type === 'number')
                    .map((q) => ({ id: q.id, type: q.type, text: q.text }))
                : [],
            crossTabs: survey.anonymity === 'identified',
            released: releasedId,
          };
        });
      },
    );
  };
}
