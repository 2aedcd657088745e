// HTTP for the labelling module: the customer's switch and terms (AI-1), its labels, corrections
// (AI-2), the operator's switches and quota (AI-4, in operator.ts), and the background workers.

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction } from '../../lib/audit.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, requireUser } from '../auth/guard.js';
import { correctionInput, correctionResult, correctLabels } from './correct.js';
import { labelDto, labelIdFrom, loadLabels, seedStandardLabels, standardLabelDtos, toLabelDto } from './labels.js';
import { invalidateModel } from './model.js';
import { registerNoticeWorker } from './notices.js';
import { operatorRoutes } from './operator.js';
import { enqueueLabelling, registerRunWorker, startSweep } from './run.js';
import { bumpModelVersion, ensureSettings, labellingStateDto, loadGlobalSwitch, loadSettings, stateDto } from './settings.js';
import { LABELLING_TERMS, termsHash } from './terms.js';

const localizedName = z.object({ nl: z.string().trim().min(1).max(100), en: z.string().trim().min(1).max(100) });
const localizedDefinition = z.object({ nl: z.string().trim().max(500), en: z.string().trim().max(500) });

export const activateInput = z.object({
  termsVersion: z.string().describe('the version of the terms shown to the owner (GET /api/v1/labelling)'),
  acceptTerms: z.literal(true).describe('the owner accepts the terms of that version'),
  allowExternalProvider: z.boolean().default(false).describe('allow the external AI provider (a sub-processor) for this customer'),
  taxonomy: z.enum(['customer', 'employee']).optional().describe('label set; default customer experience'),
});

export const createLabelInput = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]{1,62}$/, 'lower-case letters, digits and _, starting with a letter').optional(),
  name: localizedName,
  definition: localizedDefinition.optional(),
});

export const changeLabelInput = z.object({
  name: localizedName.partial().optional(),
  definition: localizedDefinition.partial().optional(),
  retired: z.boolean().optional().describe('true: no new answers get this label; its answers keep it'),
});

export function labellingRoutes(ctx: AppContext, opts: { workers?: boolean } = {}): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/v1/labelling', {
      config: { access: { permission: Permission.RESULTS_READ } },
      schema: {
        tags: ['labelling'],
        summary: 'State of the AI labelling module: on/off, the terms to accept, operator switches, quota and usage',
        response: { 200: labellingStateDto },
      },
    }, async (request) => {
      const auth = await requireUser(ctx, request, Permission.RESULTS_READ);
      return ctx.db.tenant(auth.tenantId, (tx) => stateDto(tx, auth.tenantId, ctx.env));
    });

    app.post('/api/v1/labelling/activate', {
      config: { access: { permission: Permission.LABELLING_ACTIVATE } },
      schema: {
        tags: ['labelling'],
        summary: 'Switch the module on (owner only), accepting its terms (OBLIGATIONS AI-1)',
        body: activateInput,
        response: { 200: labellingStateDto },
      },
    }, async (request) => {
      const auth = await requireUser(ctx, request, Permission.LABELLING_ACTIVATE);
      const body = request.body;
      if (body.termsVersion !== LABELLING_TERMS.version) {
        throw new AppError(ErrorCode.CONFLICT, `The terms have changed: read and accept version ${LABELLING_TERMS.version}.`, { extra: { currentVersion: LABELLING_TERMS.version } });
      }
      const hash = termsHash();
      const state = await ctx.db.tenant(auth.tenantId, async (tx) => {
        const settings = await loadSettings(tx, auth.tenantId);
        const global = await loadGlobalSwitch(tx);
        if (!global.enabled) throw new AppError(ErrorCode.CONFLICT, 'Peil has switched the labelling module off for all customers for now.');
        if (settings.operatorBlocked) throw new AppError(ErrorCode.CONFLICT, 'Peil has switched the labelling module off for your organisation.');
        const existing = await tx.selectFrom('labels').select('taxonomy').where('standard', '=', true).limit(1).executeTakeFirst();
        const taxonomy = body.taxonomy ?? existing?.taxonomy ?? settings.taxonomy;
        if (existing && existing.taxonomy !== taxonomy) {
          throw new AppError(ErrorCode.CONFLICT, `Your answers are labelled with the ${existing.taxonomy} label set; it cannot be changed.`);
        }
        const now = new Date();
        await ensureSettings(tx, auth.tenantId);
        await tx
          .updateTable('labelling_settings')
          .set({ enabled: true, taxonomy, allow_external: body.allowExternalProvider, terms_version: LABELLING_TERMS.version, terms_hash: hash, accepted_by: auth.userId, accepted_at: now, changed_by: auth.userId, changed_at: now })
          .where('tenant_id', '=', auth.tenantId)
          .execute();
        await tx
          .insertInto('labelling_terms_acceptances')
          .values({ tenant_id: auth.tenantId, id: randomUUID(), terms_version: LABELLING_TERMS.version, terms_hash: hash, allow_external: body.allowExternalProvider, taxonomy, accepted_by: auth.userId, accepted_at: now, ip: request.ip })
          .execute();
        await seedStandardLabels(tx, auth.tenantId, taxonomy);
        await audit(tx, auth.tenantId, actorOf(request, auth), {
          action: AuditAction.LABELLING_ACTIVATED,
          details: { termsVersion: LABELLING_TERMS.version, termsHash: hash, allowExternalProvider: body.allowExternalProvider, taxonomy },
        });
        return stateDto(tx, auth.tenantId, ctx.env);
      });
      // Answers stored before activation are labelled too.
      await enqueueLabelling(ctx, auth.tenantId);
      return state;
    });

    app.post('/api/v1/labelling/deactivate', {
      config: { access: { permission: Permission.LABELLING_ACTIVATE } },
      schema: {
        tags: ['labelling'],
        summary: 'Switch the module off (owner only). Existing labels stay in the results.',
        response: { 200: labellingStateDto },
      },
    }, async (request) => {
      const auth = await requireUser(ctx, request, Permission.LABELLING_ACTIVATE);
      return ctx.db.tenant(auth.tenantId, async (tx) => {
        await ensureSettings(tx, auth.tenantId);
        await tx.updateTable('labelling_settings').set({ enabled: false, changed_by: auth.userId, changed_at: new Date() }).where('tenant_id', '=', auth.tenantId).execute();
        await audit(tx, auth.tenantId, actorOf(request, auth), { action: AuditAction.LABELLING_DEACTIVATED });
        return stateDto(tx, auth.tenantId, ctx.env);
      });
    });

    // ---------------------------------------------------------------- the customer's labels

    app.get('/api/v1/labels', {
      config: { access: { permission: Permission.RESULTS_READ } },
      schema: {
        tags: ['labelling'],
        summary: "The customer's labels: the standard taxonomy (renamed or not) and its own, with retired ones",
        response: { 200: z.object({ taxonomy: z.enum(['customer', 'employee']), stored: z.boolean(), labels: z.array(labelDto) }) },
      },
    }, async (request) => {
      const auth = await requireUser(ctx, request, Permission.RESULTS_READ);
      return ctx.db.tenant(auth.tenantId, async (tx) => {
        const settings = await loadSettings(tx, auth.tenantId);
        const rows = await loadLabels(tx);
        if (rows.length === 0) return { taxonomy: settings.taxonomy, stored: false, labels: standardLabelDtos(settings.taxonomy) };
        return { taxonomy: settings.taxonomy, stored: true, labels: rows.filter((r) => r.taxonomy === settings.taxonomy).map(toLabelDto) };
      });
    });

    app.post('/api/v1/labels', {
      config: { access: { permission: Permission.LABELS_MANAGE } },
      schema: { tags: ['labelling'], summary: 'Add a label of the customer’s own', body: createLabelInput, response: { 201: labelDto } },
    }, async (request, reply) => {
      const auth = await requireUser(ctx, request, Permission.LABELS_MANAGE);
      const label = await ctx.db.tenant(auth.tenantId, async (tx) => {
        const settings = await loadSettings(tx, auth.tenantId);
        const rows = await loadLabels(tx);
        if (rows.length === 0) throw new AppError(ErrorCode.CONFLICT, 'Switch the labelling module on first.');
        const taken = new Set(rows.map((r) => r.id));
        const id = request.body.id ?? labelIdFrom(request.body.name.en, taken);
        if (taken.has(id)) throw new AppError(ErrorCode.CONFLICT, `A label with id "${id}" exists already.`, { errors: [{ pointer: '/id', reason: 'taken', value: id }] });
        const def = request.body.definition;
        const row = await tx
          .insertInto('labels')
          .values({
            tenant_id: auth.tenantId,
            id,
            taxonomy: settings.taxonomy,
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
        await audit(tx, auth.tenantId, actorOf(request, auth), { action: AuditAction.LABEL_CREATED, subject: { kind: 'label', id }, details: { name: request.body.name } });
        return toLabelDto(row);
      });
      invalidateModel(ctx, auth.tenantId);
      return reply.code(201).send(label);
    });

    app.patch('/api/v1/labels/:id', {
      config: { access: { permission: Permission.LABELS_MANAGE } },
      schema: {
        tags: ['labelling'],
        summary: 'Rename a label, change its definition, retire it or bring it back (its id never changes)',
        params: z.object({ id: z.string().max(63) }),
        body: changeLabelInput,
        response: { 200: labelDto },
      },
    }, async (request) => {
      const auth = await requireUser(ctx, request, Permission.LABELS_MANAGE);
      const { name, definition, retired } = request.body;
      const label = await ctx.db.tenant(auth.tenantId, async (tx) => {
        const row = await tx.selectFrom('labels').selectAll().where('id', '=', request.params.id).executeTakeFirst();
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
        const updated = await tx.updateTable('labels').set(changes).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
        const after = toLabelDto(updated);
        if (before.status !== after.status) await bumpModelVersion(tx, auth.tenantId);
        await audit(tx, auth.tenantId, actorOf(request, auth), {
          action: AuditAction.LABEL_CHANGED,
          subject: { kind: 'label', id: row.id },
          details: { before: { name: before.name, definition: before.definition, status: before.status }, after: { name: after.name, definition: after.definition, status: after.status } },
        });
        return after;
      });
      invalidateModel(ctx, auth.tenantId);
      return label;
    });

    // ---------------------------------------------------------------- corrections (AI-2)

    app.put('/api/v1/responses/:id/labels', {
      config: { access: { permission: Permission.LABELS_CORRECT } },
      schema: {
        tags: ['labelling'],
        summary: "Correct an answer's labels and sentiment: the human answer wins, is kept, and teaches this customer's model",
        params: z.object({ id: z.string() }),
        body: correctionInput,
        response: { 200: correctionResult },
      },
    }, async (request) => {
      const auth = await requireUser(ctx, request, Permission.LABELS_CORRECT);
      const keys = await ctx.keyring.forTenant(auth.tenantId);
      const result = await ctx.db.tenant(auth.tenantId, (tx) =>
        correctLabels(tx, keys, auth.tenantId, request.params.id, request.body, { ...actorOf(request, auth), id: auth.userId }),
      );
      // The model is retrained in the background run (before it labels anything new).
      invalidateModel(ctx, auth.tenantId);
      await enqueueLabelling(ctx, auth.tenantId);
      return result;
    });

    await app.register(operatorRoutes(ctx));

    if (opts.workers !== false) {
      await registerRunWorker(ctx);
      await registerNoticeWorker(ctx);
      const stop = startSweep(ctx);
      app.addHook('onClose', async () => stop());
    }
  };
}
