// HTTP for the labelling module: the customer's switch and terms (AI-1), its labels, corrections
// (AI-2), the operator's switches and quota (AI-4, in operator.ts), and the background workers.

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction } from '../../lib/audit.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, callerOf } from '../auth/guard.js';
import { correctionInput, correctionResult, correctLabels } from './correct.js';
import { labelDto, labelIdFrom, loadLabels, standardLabelDtos, toLabelDto } from './labels.js';
import { invalidateModel } from './model.js';
import { operatorRoutes } from './operator.js';
import { enqueueLabelling, nudgeLabelling } from './run.js';
import { ensureStandardSets, labelSetName, openQuestionIds, setOfSurvey } from './sets.js';
import { isUuid, type Tx } from '../../lib/db/db.js';
import {
  bumpModelVersion,
  ensureSettings,
  labellingStateDto,
  loadGlobalSwitch,
  loadSettings,
  stateDto,
} from './settings.js';
import { LABELLING_TERMS, termsHash } from './terms.js';
import { assertFeature } from '../plans/limits.js';

const localizedName = z.object({ nl: z.string().trim().min(1).max(100), en: z.string().trim().min(1).max(100) });
const localizedDefinition = z.object({ nl: z.string().trim().max(500), en: z.string().trim().max(500) });

export const activateInput = z.object({
  termsVersion: z.string().describe('the version of the terms shown to the owner (GET /api/v1/labelling)'),
  acceptTerms: z.literal(true).describe('the owner accepts the terms of that version'),
  allowExternalProvider: z
    .boolean()
    .default(false)
    .describe('allow the external AI provider (a sub-processor) for this customer'),
  taxonomy: z
    .enum(['customer', 'employee'])
    .optional()
    .describe(
      'the organisation’s default set for its own labels; each survey has its own set (PUT /api/v1/surveys/{id}/label-set; default from its kind)',
    ),
});

export const createLabelInput = z.object({
  set: labelSetName.optional().describe('the set the label joins; default the organisation’s (GET /api/v1/labelling)'),
  id: z
    .string()
    .regex(/^[a-z][a-z0-9_]{1,62}$/, 'lower-case letters, digits and _, starting with a letter')
    .optional(),
  name: localizedName,
  definition: localizedDefinition.optional(),
});

export const changeLabelInput = z.object({
  name: localizedName.partial().optional(),
  definition: localizedDefinition.partial().optional(),
  retired: z.boolean().optional().describe('true: no new answers get this label; its answers keep it'),
});

const surveyLabelSetDto = z.object({
  surveyId: z.string(),
  set: labelSetName,
  chosen: z.boolean().describe('false: the default of the survey’s kind'),
  default: labelSetName.describe('the default of the survey’s kind: employee for eNPS, customer for the others'),
  openQuestions: z
    .array(z.string())
    .describe(
      'the ids of the survey’s open questions, each labelled; the first is the default everywhere a question id is optional',
    ),
});

/** Another customer's survey is invisible (row-level security): the same 404 as a wrong id. */
async function readSurveyLabelSet(tx: Tx, surveyId: string): Promise<z.infer<typeof surveyLabelSetDto>> {
  if (!isUuid(surveyId)) throw AppError.notFound('survey');
  const s = await tx
    .selectFrom('surveys')
    .select(['id', 'kind', 'label_set', 'definition'])
    .where('id', '=', surveyId)
    .executeTakeFirst();
  if (!s) throw AppError.notFound('survey');
  return { surveyId: s.id, ...setOfSurvey(s), openQuestions: openQuestionIds(s.definition) };
}

export function labellingRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/labelling',
      {
        config: { access: { permission: Permission.RESULTS_READ } },
        schema: {
          tags: ['labelling'],
          summary: 'State of the AI labelling module: on/off, the terms to accept, operator switches, quota and usage',
          response: { 200: labellingStateDto },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        return ctx.db.tenant(auth.tenantId, (tx) => stateDto(tx, auth.tenantId, ctx.env));
      },
    );

    app.post(
      '/api/v1/labelling/activate',
      {
        config: { access: { permission: Permission.LABELLING_ACTIVATE } },
        schema: {
          tags: ['labelling'],
          summary: 'Switch the module on (owner only), accepting its terms (OBLIGATIONS AI-1)',
          body: activateInput,
          response: { 200: labellingStateDto },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const body = request.body;
        if (body.termsVersion !== LABELLING_TERMS.version) {
          throw new AppError(
            ErrorCode.CONFLICT,
            { key: 'problems:labelling.termsChanged', params: { version: LABELLING_TERMS.version } },
            { extra: { currentVersion: LABELLING_TERMS.version } },
          );
        }
        const hash = termsHash();
        const state = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const settings = await loadSettings(tx, auth.tenantId);
          const global = await loadGlobalSwitch(tx);
          if (!global.enabled) throw new AppError(ErrorCode.CONFLICT, { key: 'problems:labelling.offForAll' });
          if (settings.operatorBlocked) throw new AppError(ErrorCode.CONFLICT, { key: 'problems:labelling.offForYou' });
          // OBLIGATIONS SVC-6: the AI module is part of the plan.
          await assertFeature(tx, auth.tenantId, 'ai');
          // Issue 12: the set is chosen per survey (default from its kind); this is the organisation's
          // default for creating its own labels. Both standard sets are copied.
          const taxonomy = body.taxonomy ?? settings.taxonomy;
          const now = new Date();
          await ensureSettings(tx, auth.tenantId);
          await tx
            .updateTable('labelling_settings')
            .set({
              enabled: true,
              taxonomy,
              allow_external: body.allowExternalProvider,
              terms_version: LABELLING_TERMS.version,
              terms_hash: hash,
              accepted_by: auth.userId,
              accepted_at: now,
              changed_by: auth.userId,
              changed_at: now,
            })
            .where('tenant_id', '=', auth.tenantId)
            .execute();
          await tx
            .insertInto('labelling_terms_acceptances')
            .values({
              tenant_id: auth.tenantId,
              id: randomUUID(),
              terms_version: LABELLING_TERMS.version,
              terms_hash: hash,
              allow_external: body.allowExternalProvider,
              taxonomy,
              accepted_by: auth.userId,
              accepted_at: now,
              ip: request.ip,
            })
            .execute();
          await ensureStandardSets(tx, auth.tenantId);
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.LABELLING_ACTIVATED,
            details: {
              termsVersion: LABELLING_TERMS.version,
              termsHash: hash,
              allowExternalProvider: body.allowExternalProvider,
              taxonomy,
            },
          });
          return stateDto(tx, auth.tenantId, ctx.env);
        });
        // Answers stored before activation are labelled too.
        await enqueueLabelling(ctx, auth.tenantId);
        return state;
      },
    );

    app.post(
      '/api/v1/labelling/deactivate',
      {
        config: { access: { permission: Permission.LABELLING_ACTIVATE } },
        schema: {
          tags: ['labelling'],
          summary: 'Switch the module off (owner only). Existing labels stay in the results.',
          response: { 200: labellingStateDto },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          await ensureSettings(tx, auth.tenantId);
          await tx
            .updateTable('labelling_settings')
            .set({ enabled: false, changed_by: auth.userId, changed_at: new Date() })
            .where('tenant_id', '=', auth.tenantId)
            .execute();
          await audit(tx, auth.tenantId, actorOf(request, auth), { action: AuditAction.LABELLING_DEACTIVATED });
          return stateDto(tx, auth.tenantId, ctx.env);
        });
      },
    );

    // ---------------------------------------------------------------- the customer's labels

    app.get(
      '/api/v1/labels',
      {
        config: { access: { permission: Permission.RESULTS_READ } },
        schema: {
          tags: ['labelling'],
          summary: "The customer's labels: the standard taxonomy (renamed or not) and its own, with retired ones",
          querystring: z.object({ set: labelSetName.optional().describe('which set; default the organisation’s') }),
          response: { 200: z.object({ taxonomy: labelSetName, stored: z.boolean(), labels: z.array(labelDto) }) },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          const settings = await loadSettings(tx, auth.tenantId);
          const set = request.query.set ?? settings.taxonomy;
          const all = await loadLabels(tx);
          const rows = all.filter((r) => r.taxonomy === set);
          if (all.length === 0 || (rows.length === 0 && set !== 'own'))
            return { taxonomy: set, stored: false, labels: set === 'own' ? [] : standardLabelDtos(set) };
          return { taxonomy: set, stored: true, labels: rows.map(toLabelDto) };
        });
      },
    );

    app.post(
      '/api/v1/labels',
      {
        config: { access: { permission: Permission.LABELS_MANAGE } },
        schema: {
          tags: ['labelling'],
          summary: 'Add a label of the customer’s own',
          body: createLabelInput,
          response: { 201: labelDto },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        const label = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const settings = await loadSettings(tx, auth.tenantId);
          if (!(await tx.selectFrom('labels').select('id').limit(1).executeTakeFirst()))
            throw new AppError(ErrorCode.CONFLICT, { key: 'problems:labelling.switchOnFirst' });
          const set = request.body.set ?? settings.taxonomy;
          await ensureStandardSets(tx, auth.tenantId);
          const rows = await loadLabels(tx, set);
          const taken = new Set(rows.map((r) => r.id));
          const id = request.body.id ?? labelIdFrom(request.body.name.en, taken);
          if (taken.has(id))
            throw new AppError(
              ErrorCode.CONFLICT,
              { key: 'problems:labelling.idTaken', params: { id } },
              {
                errors: [
                  {
                    pointer: '/id',
                    code: 'taken',
                    reason: 'taken',
                    value: id,
                    message: { key: 'problems:reasons.taken' },
                  },
                ],
              },
            );
          const def = request.body.definition;
          const row = await tx
            .insertInto('labels')
            .values({
              tenant_id: auth.tenantId,
              id,
              taxonomy: set,
              standard: false,
              name_nl: request.body.name.nl,
              name_en: request.body.name.en,
              definition_nl: def?.nl || null,
              definition_en: def?.en || null,
              position: rows.length,
              created_by: auth.userId,
              retired_at: null,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          await bumpModelVersion(tx, auth.tenantId);
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.LABEL_CREATED,
            subject: { kind: 'label', id },
            details: { set, name: request.body.name },
          });
          return toLabelDto(row);
        });
        invalidateModel(ctx, auth.tenantId);
        return reply.code(201).send(label);
      },
    );

    app.patch(
      '/api/v1/labels/:id',
      {
        config: { access: { permission: Permission.LABELS_MANAGE } },
        schema: {
          tags: ['labelling'],
          summary: 'Rename a label, change its definition, retire it or bring it back (its id never changes)',
          params: z.object({ id: z.string().max(63) }),
          querystring: z.object({
            set: labelSetName
              .optional()
              .describe(
                'the set of the label (the same id, such as "other", is in more than one set); default the organisation’s',
              ),
          }),
          body: changeLabelInput,
          response: { 200: labelDto },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const { name, definition, retired } = request.body;
        const label = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const set = request.query.set ?? (await loadSettings(tx, auth.tenantId)).taxonomy;
          const row = await tx
            .selectFrom('labels')
            .selectAll()
            .where('id', '=', request.params.id)
            .where('taxonomy', '=', set)
            .executeTakeFirst();
          if (!row) throw AppError.notFound('label');
          const before = toLabelDto(row);
          const changes: Record<string, unknown> = { updated_at: new Date() };
          if (name?.nl !== undefined) changes.name_nl = name.nl;
          if (name?.en !== undefined) changes.name_en = name.en;
          if (definition?.nl !== undefined) changes.definition_nl = definition.nl || null;
          if (definition?.en !== undefined) changes.definition_en = definition.en || null;
          if (retired !== undefined && retired !== (row.status === 'retired')) {
            changes.status = retired ? 'retired' : 'active';
            changes.retired_at = retired ? new Date() : null;
          }
          const updated = await tx
            .updateTable('labels')
            .set(changes)
            .where('id', '=', row.id)
            .where('taxonomy', '=', row.taxonomy)
            .returningAll()
            .executeTakeFirstOrThrow();
          const after = toLabelDto(updated);
          if (before.status !== after.status) await bumpModelVersion(tx, auth.tenantId);
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.LABEL_CHANGED,
            subject: { kind: 'label', id: row.id },
            details: {
              set: row.taxonomy,
              before: { name: before.name, definition: before.definition, status: before.status },
              after: { name: after.name, definition: after.definition, status: after.status },
            },
          });
          return after;
        });
        invalidateModel(ctx, auth.tenantId);
        return label;
      },
    );

    // ---------------------------------------------------------------- a survey's label set (issue 12)

    app.get(
      '/api/v1/surveys/:id/label-set',
      {
        config: { access: { permission: Permission.RESULTS_READ } },
        schema: {
          tags: ['labelling'],
          summary:
            "A survey's label set (customer experience, employee experience or the customer's own) and its open questions",
          params: z.object({ id: z.string() }),
          response: { 200: surveyLabelSetDto },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        return ctx.db.tenant(auth.tenantId, (tx) => readSurveyLabelSet(tx, request.params.id));
      },
    );

    app.put(
      '/api/v1/surveys/:id/label-set',
      {
        config: { access: { permission: Permission.LABELS_MANAGE } },
        schema: {
          tags: ['labelling'],
          summary:
            "Choose a survey's label set (owner, admin); null: the default of its kind. Its answers are labelled again in the new set",
          params: z.object({ id: z.string() }),
          body: z.object({
            set: labelSetName
              .nullable()
              .describe('null: back to the default of the survey’s kind (eNPS: employee, others: customer)'),
          }),
          response: { 200: surveyLabelSetDto },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const result = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const before = await readSurveyLabelSet(tx, request.params.id);
          const next = request.body.set;
          if ((next ?? before.default) === before.set && (next !== null) === before.chosen)
            return { before, after: before, relabel: 0 };
          await tx.updateTable('surveys').set({ label_set: next }).where('id', '=', request.params.id).execute();
          let relabel = 0;
          if ((next ?? before.default) !== before.set) {
            // Answers labelled in the old set are labelled again in the new one (each text counts for the
            // quota again). Human corrections stay as training examples of the set they were made in.
            const gone = await tx
              .deleteFrom('response_labelling')
              .where('survey_id', '=', request.params.id)
              .where('has_text', '=', true)
              .returning('response_id')
              .execute();
            await tx.deleteFrom('labelling_cursors').where('survey_id', '=', request.params.id).execute();
            relabel = gone.length;
            if (await tx.selectFrom('labels').select('id').limit(1).executeTakeFirst())
              await ensureStandardSets(tx, auth.tenantId);
          }
          const after = await readSurveyLabelSet(tx, request.params.id);
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.SURVEY_LABEL_SET_CHANGED,
            subject: { kind: 'survey', id: request.params.id },
            details: {
              before: { set: before.set, chosen: before.chosen },
              after: { set: after.set, chosen: after.chosen },
              answersToLabelAgain: relabel,
            },
          });
          return { before, after, relabel };
        });
        if (result.relabel > 0 || result.before.set !== result.after.set) nudgeLabelling(ctx, auth.tenantId);
        return result.after;
      },
    );

    // ---------------------------------------------------------------- corrections (AI-2)

    app.put(
      '/api/v1/responses/:id/labels',
      {
        config: { access: { permission: Permission.LABELS_CORRECT } },
        schema: {
          tags: ['labelling'],
          summary:
            "Correct the labels and sentiment of an answer to an open question (default the first): the human answer wins, is kept, and teaches this customer's model of the survey's set",
          params: z.object({ id: z.string() }),
          body: correctionInput,
          response: { 200: correctionResult },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        const result = await ctx.db.tenant(auth.tenantId, (tx) =>
          correctLabels(tx, keys, auth.tenantId, request.params.id, request.body, {
            ...actorOf(request, auth),
            id: auth.userId,
          }),
        );
        // The model is retrained in the background run (before it labels anything new).
        invalidateModel(ctx, auth.tenantId);
        await enqueueLabelling(ctx, auth.tenantId);
        return result;
      },
    );

    await app.register(operatorRoutes(ctx));
  };
}
