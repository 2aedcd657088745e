import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction } from '../../lib/audit.js';
import { isUuid, type Tx } from '../../lib/db/db.js';
import { AppError } from '../../lib/errors.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, requireUser } from '../auth/guard.js';
import { definition, localized, npsDefinition, type SurveyDefinition } from './definition.js';

const survey = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.literal('nps'),
  status: z.string(),
  defaultLanguage: z.enum(['nl', 'en']),
  definition,
  createdAt: z.string(),
});

export interface SurveyRow {
  id: string;
  name: string;
  kind: 'nps';
  status: string;
  default_language: 'nl' | 'en';
  definition: SurveyDefinition;
  created_at: Date;
}

export async function loadSurvey(tx: Tx, id: string): Promise<SurveyRow> {
  if (!isUuid(id)) throw AppError.notFound('survey');
  const row = await tx.selectFrom('surveys').select(['id', 'name', 'kind', 'status', 'default_language', 'definition', 'created_at']).where('id', '=', id).executeTakeFirst();
  if (!row) throw AppError.notFound('survey');
  return row as SurveyRow;
}

const toDto = (r: SurveyRow) => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  status: r.status,
  defaultLanguage: r.default_language,
  definition: r.definition,
  createdAt: new Date(r.created_at).toISOString(),
});

export const createSurveyInput = z.object({
  name: z.string().trim().min(1).max(200),
  kind: z.literal('nps').default('nps'),
  defaultLanguage: z.enum(['nl', 'en']).default('nl'),
  texts: z
    .object({ score: localized, why: localized, subject: localized, body: localized })
    .partial()
    .optional()
    .describe('Overrides of the default question and invitation texts, per language'),
});

export function surveyRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api/v1/surveys', {
      config: { access: { permission: Permission.SURVEYS_WRITE } },
      schema: { tags: ['surveys'], summary: 'Create an NPS survey (0–10 question and an open "why?", Dutch and English)', body: createSurveyInput, response: { 201: survey } },
    }, async (request, reply) => {
      const auth = await requireUser(ctx, request, Permission.SURVEYS_WRITE);
      const row = await ctx.db.tenant(auth.tenantId, async (tx) => {
        const tenant = await tx.selectFrom('tenants').select('name').where('id', '=', auth.tenantId).executeTakeFirstOrThrow();
        const def = npsDefinition(tenant.name, request.body.texts ?? {});
        const id = randomUUID();
        await tx
          .insertInto('surveys')
          .values({ tenant_id: auth.tenantId, id, name: request.body.name, kind: 'nps', default_language: request.body.defaultLanguage, definition: JSON.stringify(def), created_by: auth.userId })
          .execute();
        await audit(tx, auth.tenantId, actorOf(request, auth), { action: AuditAction.SURVEY_CREATED, subject: { kind: 'survey', id }, details: { name: request.body.name } });
        return loadSurvey(tx, id);
      });
      return reply.code(201).send(toDto(row));
    });

    app.get('/api/v1/surveys/defaults', {
      config: { access: { permission: Permission.SURVEYS_READ } },
      schema: {
        tags: ['surveys'],
        summary: 'The default texts of a new NPS survey for this customer, to start editing from',
        response: { 200: z.object({ score: localized, why: localized, subject: localized, body: localized }) },
      },
    }, async (request) => {
      const auth = await requireUser(ctx, request, Permission.SURVEYS_READ);
      const tenant = await ctx.db.tenant(auth.tenantId, (tx) => tx.selectFrom('tenants').select('name').where('id', '=', auth.tenantId).executeTakeFirstOrThrow());
      const def = npsDefinition(tenant.name);
      return { score: def.questions[0]!.text, why: def.questions[1]!.text, subject: def.invitation.subject, body: def.invitation.body };
    });

    app.get('/api/v1/surveys', {
      config: { access: { permission: Permission.SURVEYS_READ } },
      schema: { tags: ['surveys'], summary: 'List surveys', response: { 200: z.object({ surveys: z.array(survey) }) } },
    }, async (request) => {
      const auth = await requireUser(ctx, request, Permission.SURVEYS_READ);
      const rows = await ctx.db.tenant(auth.tenantId, (tx) =>
        tx.selectFrom('surveys').select(['id', 'name', 'kind', 'status', 'default_language', 'definition', 'created_at']).orderBy('created_at', 'desc').execute(),
      );
      return { surveys: (rows as SurveyRow[]).map(toDto) };
    });

    app.get('/api/v1/surveys/:id', {
      config: { access: { permission: Permission.SURVEYS_READ } },
      schema: { tags: ['surveys'], summary: 'One survey', params: z.object({ id: z.string() }), response: { 200: survey } },
    }, async (request) => {
      const auth = await requireUser(ctx, request, Permission.SURVEYS_READ);
      return toDto(await ctx.db.tenant(auth.tenantId, (tx) => loadSurvey(tx, request.params.id)));
    });
  };
}
