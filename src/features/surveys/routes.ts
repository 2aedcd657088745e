import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { audit, AuditAction } from '../../lib/audit.js';
import type { Tx } from '../../lib/db/db.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, callerOf } from '../auth/guard.js';
import type { TenantKeys } from '../../lib/crypto/keyring.js';
import {
  definition,
  localized,
  npsDefinition,
  samePageProblems,
  storedDefinition,
  structuralChanges,
  SURVEY_KINDS,
  templateDefinition,
} from './definition.js';
import { openLinkPath } from './open-link.js';
import { listSurveys, loadSurvey, surveySettingsKey, surveySettingsLock, type SurveyRow } from './store.js';
import { checkSurveyQuestions } from '../register/service.js';
import { count, countWithin } from '../plans/limits.js';
import { emitEvent } from '../integrations/events.js';

const anonymity = z
  .enum(['identified', 'confidential', 'anonymous'])
  .describe(
    'identified: answers linked to the contact; confidential: linked, but customer staff see only groups of at least minGroupSize; anonymous: no link between a response and a contact at all',
  );
const openLink = z.object({
  enabled: z.boolean(),
  oncePerBrowser: z.boolean().describe('a second response from the same browser is refused (a cookie)'),
  url: z.string().nullable().describe('the public link, when enabled'),
});
const survey = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(SURVEY_KINDS),
  status: z.string(),
  defaultLanguage: z.enum(['nl', 'en']),
  definition: storedDefinition,
  anonymity,
  minGroupSize: z.number().int(),
  openLink,
  responses: z.number().int().describe('number of stored responses'),
  createdAt: z.string(),
  archivedAt: z
    .string()
    .nullable()
    .describe('when the survey was archived (hidden from the list by default); null: not archived'),
});

/** A survey as the API shows it, for the OpenAPI examples: an NPS survey from the template. */
const surveyExample = {
  id: 'ef336289-1817-4109-a948-c780be8dd4c6',
  name: 'Klanttevredenheid 2026',
  kind: 'nps',
  status: 'open',
  defaultLanguage: 'nl',
  definition: {
    questions: [
      {
        id: 'score',
        required: true,
        text: {
          nl: "Hoe waarschijnlijk is het dat je Zorggroep Noord aanbeveelt aan vrienden of collega's?",
          en: 'How likely are you to recommend Zorggroep Noord to a friend or colleague?',
        },
        type: 'nps',
      },
      {
        id: 'why',
        required: false,
        text: {
          nl: 'Wat is de belangrijkste reden voor je score?',
          en: 'What is the most important reason for your score?',
        },
        type: 'text',
        maxLength: 5000,
      },
    ],
    invitation: {
      subject: {
        nl: 'Zorggroep Noord hoort graag je mening over {vragenlijst}',
        en: 'Zorggroep Noord would like to hear from you about {survey}',
      },
      body: {
        nl: 'Beste {naam},\n\nWil je ons helpen met {omvang}? Het kost je {duur}.',
        en: 'Dear {name},\n\nWould you help us with {length}? It takes {duration}.',
      },
    },
    thanks: { nl: 'Bedankt voor je antwoord!', en: 'Thank you for your answer!' },
  },
  anonymity: 'identified',
  minGroupSize: 5,
  openLink: { enabled: false, oncePerBrowser: false, url: null },
  responses: 54,
  createdAt: '2026-11-17T08:30:00.000Z',
  archivedAt: null,
} as const;

async function responseCount(tx: Tx, surveyId: string): Promise<number> {
  const r = await tx
    .selectFrom('responses')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('survey_id', '=', surveyId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

function toDto(ctx: AppContext, keys: TenantKeys, tenantId: string, r: SurveyRow, responses: number) {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    status: r.status,
    defaultLanguage: r.default_language,
    definition: r.definition,
    anonymity: r.anonymity,
    minGroupSize: r.min_group_size,
    openLink: {
      enabled: r.open_link_enabled,
      oncePerBrowser: r.open_link_once_per_browser,
      url: r.open_link_enabled ? `${ctx.env.baseUrl}${openLinkPath(keys, tenantId, r.id)}` : null,
    },
    responses,
    createdAt: new Date(r.created_at).toISOString(),
    archivedAt: r.archived_at ? new Date(r.archived_at).toISOString() : null,
  };
}

export const createSurveyInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    kind: z
      .enum(SURVEY_KINDS)
      .default('nps')
      .describe('the template to start from: NPS, eNPS, CSAT, CES or a custom questionnaire'),
    defaultLanguage: z.enum(['nl', 'en']).default('nl'),
    texts: z
      .object({ score: localized, why: localized, subject: localized, body: localized })
      .partial()
      .optional()
      .describe('Overrides of the default question and invitation texts of an NPS survey, per language'),
    definition: definition.optional().describe('The whole definition; without it the template of `kind` is used'),
    anonymity: anonymity.default('identified'),
    minGroupSize: z
      .number()
      .int()
      .min(3)
      .max(1000)
      .default(5)
      .describe(
        'smallest group customer staff see results of (confidential surveys); at least 3, and once the survey has responses it can be raised but not lowered',
      ),
    status: z.enum(['draft', 'open']).default('open').describe('draft: not yet answerable; open: links work at once'),
  })
  .meta({
    examples: [
      { name: 'Klanttevredenheid 2026', kind: 'nps', defaultLanguage: 'nl' },
      { name: 'Medewerkersonderzoek 2026', kind: 'enps', anonymity: 'confidential', minGroupSize: 5 },
    ],
  });

const updateSurveyInput = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  defaultLanguage: z.enum(['nl', 'en']).optional(),
  // The same-page rule is checked in the handler: a condition the stored definition already had is kept.
  definition: storedDefinition
    .optional()
    .describe(
      'The whole definition. A condition on a question of the same page is refused (422, pointer /body/definition/questions/<i>/showIf/question): start a new page at that question',
    ),
  anonymity: anonymity.optional(),
  minGroupSize: z
    .number()
    .int()
    .min(3)
    .max(1000)
    .optional()
    .describe('at least 3; once the survey has responses it can be raised, not lowered (409)'),
});

/**
 * Once a survey has responses, only texts may change: stored answers must keep their meaning, and
 * (OBLIGATIONS SVC-4) the promise they were given under: the anonymity mode stays (above all, a
 * confidential or anonymous survey never becomes identified), and the minimum group size can be
 * raised but not lowered (lowering it would show groups that were too small when people answered).
 */
function refuseStructuralChanges(before: SurveyRow, body: z.infer<typeof updateSurveyInput>): void {
  const errors: { pointer: string; reason: string }[] = [];
  if (body.definition)
    for (const what of structuralChanges(before.definition, body.definition))
      errors.push({
        pointer: '/definition/questions',
        reason: `${what} would change; only texts can change once there are responses`,
      });
  if (body.anonymity && body.anonymity !== before.anonymity)
    errors.push({ pointer: '/anonymity', reason: 'the anonymity mode cannot change once there are responses' });
  if (body.minGroupSize !== undefined && body.minGroupSize < before.min_group_size)
    errors.push({
      pointer: '/minGroupSize',
      reason: `the minimum group size can be raised but not lowered below ${before.min_group_size} once there are responses`,
    });
  if (errors.length)
    throw new AppError(ErrorCode.CONFLICT, { key: 'problems:surveys.hasResponsesStructure' }, { errors });
}

export function surveyRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const params = z.object({ id: z.string() });

    app.post(
      '/api/v1/surveys',
      {
        config: { access: { permission: Permission.SURVEYS_WRITE } },
        schema: {
          tags: ['surveys'],
          summary: 'Create a survey from a template (NPS, eNPS, CSAT, CES, custom) or from a whole definition',
          description:
            'Question types: nps, enps (0–10), csat (1–5), ces (1–7), rating (min..max), single, multiple, text, number, date. Conditions (`showIf`) refer to an earlier question; problems come back as problem+json with a pointer.',
          body: createSurveyInput,
          response: { 201: survey.meta({ examples: [{ ...surveyExample, responses: 0 }] }) },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        const b = request.body;
        const row = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const tenant = await tx
            .selectFrom('tenants')
            .select('name')
            .where('id', '=', auth.tenantId)
            .executeTakeFirstOrThrow();
          const def =
            b.definition ??
            (b.kind === 'nps' ? npsDefinition(tenant.name, b.texts ?? {}) : templateDefinition(b.kind, tenant.name));
          // OBLIGATIONS REG-3: a question that asks for a special category only when the agreement allows it.
          await checkSurveyQuestions(
            tx,
            auth.tenantId,
            def,
            b.name,
            b.definition ? '/body/definition/questions' : '/body/texts',
          );
          const id = randomUUID();
          await tx
            .insertInto('surveys')
            .values({
              tenant_id: auth.tenantId,
              id,
              name: b.name,
              kind: b.kind,
              default_language: b.defaultLanguage,
              definition: JSON.stringify(def),
              created_by: auth.userId,
              anonymity: b.anonymity,
              min_group_size: b.minGroupSize,
              status: b.status,
            })
            .execute();
          // OBLIGATIONS SVC-6: the plan's number of surveys.
          await countWithin(tx, auth.tenantId, 'surveys', 1, { nl: 'Een nieuwe enquête', en: 'A new survey' });
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.SURVEY_CREATED,
            subject: { kind: 'survey', id },
            details: { name: b.name, kind: b.kind, anonymity: b.anonymity },
          });
          return loadSurvey(tx, id);
        });
        return reply.code(201).send(toDto(ctx, keys, auth.tenantId, row, 0));
      },
    );

    app.get(
      '/api/v1/surveys/defaults',
      {
        config: { access: { permission: Permission.SURVEYS_READ } },
        schema: {
          tags: ['surveys'],
          summary: 'The default texts of a new NPS survey for this customer, to start editing from',
          response: { 200: z.object({ score: localized, why: localized, subject: localized, body: localized }) },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const tenant = await ctx.db.tenant(auth.tenantId, (tx) =>
          tx.selectFrom('tenants').select('name').where('id', '=', auth.tenantId).executeTakeFirstOrThrow(),
        );
        const def = npsDefinition(tenant.name);
        return {
          score: def.questions[0]!.text,
          why: def.questions[1]!.text,
          subject: def.invitation.subject,
          body: def.invitation.body,
        };
      },
    );

    app.get(
      '/api/v1/surveys/templates',
      {
        config: { access: { permission: Permission.SURVEYS_READ } },
        schema: {
          tags: ['surveys'],
          summary: 'The starting definition of each survey kind (NPS, eNPS, CSAT, CES, custom) for this customer',
          response: {
            200: z.object({
              templates: z.array(z.object({ kind: z.enum(SURVEY_KINDS), definition: storedDefinition })),
            }),
          },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const tenant = await ctx.db.tenant(auth.tenantId, (tx) =>
          tx.selectFrom('tenants').select('name').where('id', '=', auth.tenantId).executeTakeFirstOrThrow(),
        );
        return { templates: SURVEY_KINDS.map((kind) => ({ kind, definition: templateDefinition(kind, tenant.name) })) };
      },
    );

    app.get(
      '/api/v1/surveys',
      {
        config: { access: { permission: Permission.SURVEYS_READ } },
        schema: {
          tags: ['surveys'],
          summary: 'List surveys; archived ones only when asked for',
          querystring: z.object({
            archived: z
              .enum(['false', 'true', 'all'])
              .default('false')
              .describe('false: surveys not archived (the default); true: only archived ones; all: both'),
          }),
          response: { 200: z.object({ surveys: z.array(survey) }).meta({ examples: [{ surveys: [surveyExample] }] }) },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        const archived = request.query.archived;
        const { rows, counts } = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const rows = await listSurveys(tx, archived);
          const counts = await tx
            .selectFrom('responses')
            .select(['survey_id', (eb) => eb.fn.countAll<string>().as('n')])
            .groupBy('survey_id')
            .execute();
          return { rows, counts: new Map(counts.map((c) => [c.survey_id, Number(c.n)])) };
        });
        return { surveys: rows.map((r) => toDto(ctx, keys, auth.tenantId, r, counts.get(r.id) ?? 0)) };
      },
    );

    app.get(
      '/api/v1/surveys/:id',
      {
        config: { access: { permission: Permission.SURVEYS_READ } },
        schema: { tags: ['surveys'], summary: 'One survey', params, response: { 200: survey } },
      },
      async (request) => {
        const auth = callerOf(request);
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        const { row, n } = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const row = await loadSurvey(tx, request.params.id);
          return { row, n: await responseCount(tx, row.id) };
        });
        return toDto(ctx, keys, auth.tenantId, row, n);
      },
    );

    app.put(
      '/api/v1/surveys/:id',
      {
        config: { access: { permission: Permission.SURVEYS_WRITE } },
        schema: {
          tags: ['surveys'],
          summary: 'Edit a survey: name, language, definition, anonymity, minimum group size',
          description:
            'Once the survey has responses, only texts can change: a change of questions, types, scales, options, conditions, pages or the anonymity mode, or a lower minimum group size, is refused (409 with pointers). The minimum group size is at least 3 and can always be raised.',
          params,
          body: updateSurveyInput,
          response: { 200: survey },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        const b = request.body;
        const { row, n } = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const first = await loadSurvey(tx, request.params.id);
          // OBLIGATIONS SVC-4: the anonymity mode and the minimum group size are what responses were
          // given under. The settings lock waits for answers being written to this survey (the writer
          // holds it shared) and keeps new ones out until this edit commits; the count below, a later
          // statement, then sees every response that could have been written under the old settings.
          if (b.anonymity !== undefined || b.minGroupSize !== undefined)
            await surveySettingsLock([surveySettingsKey(auth.tenantId, first.id)], 'exclusive').execute(tx);
          // Lock the row: a response written meanwhile must not see half an edit.
          await tx.selectFrom('surveys').select('id').where('id', '=', first.id).forUpdate().execute();
          const before = await loadSurvey(tx, first.id);
          const n = await responseCount(tx, before.id);
          if (b.definition) {
            const samePage = samePageProblems(b.definition, before.definition);
            if (samePage.length)
              throw new AppError(
                ErrorCode.VALIDATION,
                { key: 'problems:surveys.conditionSamePage' },
                {
                  errors: samePage.map((p) => ({
                    pointer: `/body/definition/questions/${p.index}/showIf/question`,
                    code: 'custom',
                    reason: p.reason,
                    message: p.text,
                  })),
                },
              );
          }
          if (n > 0) refuseStructuralChanges(before, b);
          // OBLIGATIONS REG-3: an edited question is checked again (its text may now ask for a special category).
          if (b.definition)
            await checkSurveyQuestions(
              tx,
              auth.tenantId,
              b.definition,
              b.name ?? before.name,
              '/body/definition/questions',
            );
          await tx
            .updateTable('surveys')
            .set({
              ...(b.name !== undefined ? { name: b.name } : {}),
              ...(b.defaultLanguage !== undefined ? { default_language: b.defaultLanguage } : {}),
              ...(b.definition !== undefined ? { definition: JSON.stringify(b.definition) } : {}),
              ...(b.anonymity !== undefined ? { anonymity: b.anonymity } : {}),
              ...(b.minGroupSize !== undefined ? { min_group_size: b.minGroupSize } : {}),
              // OBLIGATIONS SVC-4: raised once answers exist, the release schedule keeps the points of
              // the size it started with (results/release.ts), so no two releases differ by less.
              ...(b.minGroupSize !== undefined && b.minGroupSize !== before.min_group_size && n > 0
                ? { release_base: sql<number>`coalesce(release_base, min_group_size)` }
                : {}),
            })
            .where('id', '=', before.id)
            .execute();
          // The promises respondents are given, before and after (evidence for SVC-4).
          const promises = {
            ...(b.anonymity !== undefined && b.anonymity !== before.anonymity
              ? { anonymity: { before: before.anonymity, after: b.anonymity } }
              : {}),
            ...(b.minGroupSize !== undefined && b.minGroupSize !== before.min_group_size
              ? { minGroupSize: { before: before.min_group_size, after: b.minGroupSize } }
              : {}),
          };
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.SURVEY_UPDATED,
            subject: { kind: 'survey', id: before.id },
            details: { fields: Object.keys(b).sort(), responses: n, ...promises },
          });
          return { row: await loadSurvey(tx, before.id), n };
        });
        return toDto(ctx, keys, auth.tenantId, row, n);
      },
    );

    for (const [verb, status] of [
      ['open', 'open'],
      ['close', 'closed'],
    ] as const) {
      app.post(
        `/api/v1/surveys/:id/${verb}`,
        {
          config: { access: { permission: Permission.SURVEYS_WRITE } },
          schema: {
            tags: ['surveys'],
            summary:
              verb === 'open'
                ? 'Open the survey: its links accept answers'
                : 'Close the survey: its links stop accepting answers',
            params,
            response: { 200: survey },
          },
        },
        async (request) => {
          const auth = callerOf(request);
          const keys = await ctx.keyring.forTenant(auth.tenantId);
          const { row, n } = await ctx.db.tenant(auth.tenantId, async (tx) => {
            const before = await loadSurvey(tx, request.params.id);
            if (before.status !== status) {
              // OBLIGATIONS REG-4: retention counts from the day the survey closed (reopening stops the clock).
              await tx
                .updateTable('surveys')
                .set({ status, closed_at: status === 'closed' ? new Date() : null })
                .where('id', '=', before.id)
                .execute();
              await audit(tx, auth.tenantId, actorOf(request, auth), {
                action: AuditAction.SURVEY_STATUS_CHANGED,
                subject: { kind: 'survey', id: before.id },
                details: { from: before.status, to: status },
              });
              // Issue 15: the `survey.closed` webhook event, committed with the change.
              if (status === 'closed')
                await emitEvent(tx, auth.tenantId, keys, 'survey.closed', {
                  surveyId: before.id,
                  name: before.name,
                  anonymity: before.anonymity,
                  closedAt: new Date().toISOString(),
                });
            }
            return { row: await loadSurvey(tx, before.id), n: await responseCount(tx, before.id) };
          });
          return toDto(ctx, keys, auth.tenantId, row, n);
        },
      );
    }

    for (const [verb, archive] of [
      ['archive', true],
      ['unarchive', false],
    ] as const) {
      app.post(
        `/api/v1/surveys/:id/${verb}`,
        {
          config: { access: { permission: Permission.SURVEYS_WRITE } },
          schema: {
            tags: ['surveys'],
            summary: archive
              ? 'Archive the survey: hidden from the list (GET /surveys?archived=true shows it), nothing else changes'
              : 'Take the survey out of the archive: back in the list',
            description: archive
              ? 'Links, results and retention work as before; an open survey keeps accepting answers (close it first to stop them).'
              : undefined,
            params,
            response: { 200: survey },
          },
        },
        async (request) => {
          const auth = callerOf(request);
          const keys = await ctx.keyring.forTenant(auth.tenantId);
          const { row, n } = await ctx.db.tenant(auth.tenantId, async (tx) => {
            const before = await loadSurvey(tx, request.params.id);
            if ((before.archived_at !== null) !== archive) {
              await tx
                .updateTable('surveys')
                .set({ archived_at: archive ? new Date() : null })
                .where('id', '=', before.id)
                .execute();
              await audit(tx, auth.tenantId, actorOf(request, auth), {
                action: archive ? AuditAction.SURVEY_ARCHIVED : AuditAction.SURVEY_UNARCHIVED,
                subject: { kind: 'survey', id: before.id },
                details: { status: before.status },
              });
            }
            return { row: await loadSurvey(tx, before.id), n: await responseCount(tx, before.id) };
          });
          return toDto(ctx, keys, auth.tenantId, row, n);
        },
      );
    }

    app.delete(
      '/api/v1/surveys/:id',
      {
        config: { access: { permission: Permission.SURVEYS_WRITE } },
        schema: {
          tags: ['surveys'],
          summary:
            'Delete a survey that has no responses (a draft, or one nobody answered); its invitations go with it',
          description:
            "A survey with responses cannot be deleted (409): its answers are kept for the retention period the customer set, after which they are erased automatically (OBLIGATIONS REG-4), and one person's answers are erased through a request (DSR-2). Archive it to hide it from the list.",
          params,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        await ctx.db.tenant(auth.tenantId, async (tx) => {
          const first = await loadSurvey(tx, request.params.id);
          // Answers being written now wait for this (the writer holds the settings lock shared), and
          // the count below sees every one that committed before.
          await surveySettingsLock([surveySettingsKey(auth.tenantId, first.id)], 'exclusive').execute(tx);
          await tx.selectFrom('surveys').select('id').where('id', '=', first.id).forUpdate().execute();
          const n = await responseCount(tx, first.id);
          if (n > 0) {
            throw new AppError(
              ErrorCode.CONFLICT,
              { key: 'problems:surveys.deleteHasResponses', params: { n } },
              { errors: [{ pointer: '/params/id', reason: 'has responses' }] },
            );
          }
          const inv = await tx.deleteFrom('invitations').where('survey_id', '=', first.id).executeTakeFirst();
          await tx.deleteFrom('distributions').where('survey_id', '=', first.id).execute();
          await tx.deleteFrom('surveys').where('id', '=', first.id).execute();
          // OBLIGATIONS SVC-6: the plan's number of surveys goes down again.
          await count(tx, auth.tenantId, 'surveys', -1);
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.SURVEY_DELETED,
            subject: { kind: 'survey', id: first.id },
            details: {
              name: first.name,
              kind: first.kind,
              status: first.status,
              invitations: Number(inv.numDeletedRows),
            },
          });
        });
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/v1/surveys/:id/duplicate',
      {
        config: { access: { permission: Permission.SURVEYS_WRITE } },
        schema: {
          tags: ['surveys'],
          summary:
            'Make a new draft from a survey: the same questions, texts, settings and template, without invitations or responses',
          params,
          body: z
            .object({
              name: z
                .string()
                .trim()
                .min(1)
                .max(200)
                .optional()
                .describe('the new survey\'s name; default "Kopie van <name>"'),
            })
            .default({}),
          response: { 201: survey },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        const row = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const from = await loadSurvey(tx, request.params.id);
          const extra = await tx
            .selectFrom('surveys')
            .select(['label_set'])
            .where('id', '=', from.id)
            .executeTakeFirstOrThrow();
          const name = (request.body.name ?? `Kopie van ${from.name}`).slice(0, 200);
          // OBLIGATIONS REG-3: checked like any new survey (the agreement may have changed since).
          await checkSurveyQuestions(tx, auth.tenantId, from.definition, name, '/params/id');
          const id = randomUUID();
          await tx
            .insertInto('surveys')
            .values({
              tenant_id: auth.tenantId,
              id,
              name,
              kind: from.kind,
              default_language: from.default_language,
              definition: JSON.stringify(from.definition),
              created_by: auth.userId,
              anonymity: from.anonymity,
              min_group_size: from.min_group_size,
              status: 'draft',
              open_link_enabled: false,
              open_link_once_per_browser: from.open_link_once_per_browser,
              label_set: extra.label_set,
            })
            .execute();
          await countWithin(tx, auth.tenantId, 'surveys', 1, { nl: 'Een nieuwe enquête', en: 'A new survey' });
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.SURVEY_CREATED,
            subject: { kind: 'survey', id },
            details: { name, kind: from.kind, anonymity: from.anonymity, fromSurvey: from.id },
          });
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.SURVEY_DUPLICATED,
            subject: { kind: 'survey', id: from.id },
            details: { to: id },
          });
          return loadSurvey(tx, id);
        });
        return reply.code(201).send(toDto(ctx, keys, auth.tenantId, row, 0));
      },
    );

    app.put(
      '/api/v1/surveys/:id/open-link',
      {
        config: { access: { permission: Permission.SURVEYS_WRITE } },
        schema: {
          tags: ['surveys'],
          summary: 'Switch the open link on or off (one public link for everyone; rate-limited per address)',
          params,
          body: z
            .object({ enabled: z.boolean(), oncePerBrowser: z.boolean().default(false) })
            .meta({ examples: [{ enabled: true, oncePerBrowser: true }] }),
          response: { 200: openLink },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        const row = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const before = await loadSurvey(tx, request.params.id);
          await tx
            .updateTable('surveys')
            .set({ open_link_enabled: request.body.enabled, open_link_once_per_browser: request.body.oncePerBrowser })
            .where('id', '=', before.id)
            .execute();
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.SURVEY_OPEN_LINK_CHANGED,
            subject: { kind: 'survey', id: before.id },
            details: { ...request.body },
          });
          return loadSurvey(tx, before.id);
        });
        return toDto(ctx, keys, auth.tenantId, row, 0).openLink;
      },
    );
  };
}
