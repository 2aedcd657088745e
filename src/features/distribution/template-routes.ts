import { surveySize } from '../surveys/definition.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction } from '../../lib/audit.js';
import { isUuid, type Tx } from '../../lib/db/db.js';
import type { Lang } from '../../lib/db/schema.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, callerOf, requirePermission } from '../auth/guard.js';
import { loadSurvey } from '../surveys/store.js';
import {
  assertPlaceholders,
  composeMail,
  PLACEHOLDERS,
  recipientOf,
  templateInput,
  templateTexts,
  type MailTexts,
  type Recipient,
  type TemplateInput,
} from './mail.js';

const template = z.object({
  id: z.string(),
  kind: z.enum(['invitation', 'reminder']),
  name: z.string(),
  subject: z.object({ nl: z.string(), en: z.string() }),
  body: z.object({ nl: z.string(), en: z.string() }),
  isDefault: z.boolean(),
  updatedAt: z.string(),
});

type Row = {
  id: string;
  kind: 'invitation' | 'reminder';
  name: string;
  subject: unknown;
  body: unknown;
  is_default: boolean;
  updated_at: Date;
};
const toDto = (r: Row) => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  subject: r.subject as Record<Lang, string>,
  body: r.body as Record<Lang, string>,
  isDefault: r.is_default,
  updatedAt: new Date(r.updated_at).toISOString(),
});

const renderInput = z
  .object({
    surveyId: z.string().describe('the survey whose name and texts are used'),
    kind: z.enum(['invitation', 'reminder']).default('invitation'),
    templateId: z
      .uuid()
      .optional()
      .describe('a saved template; default: the default template of the kind, else the survey texts'),
    subject: z
      .object({ nl: z.string().max(300), en: z.string().max(300) })
      .optional()
      .describe('unsaved texts to preview instead (with body)'),
    body: z.object({ nl: z.string().max(10_000), en: z.string().max(10_000) }).optional(),
    contactId: z.uuid().optional().describe('render for this contact (needs contacts:read); default: a sample contact'),
    language: z.enum(['nl', 'en']).optional().describe("default: the contact's language, else the survey's"),
  })
  .meta({ examples: [{ surveyId: '0b7c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d', kind: 'invitation', language: 'nl' }] });
const rendered = z.object({
  to: z.string(),
  language: z.enum(['nl', 'en']),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  headers: z.record(z.string(), z.string()),
});

const SAMPLE: Recipient = { email: 'jan.jansen@example.nl', firstName: 'Jan', infix: null, lastName: 'Jansen' };

async function saveDefault(tx: Tx, kind: 'invitation' | 'reminder', id: string, isDefault: boolean): Promise<void> {
  // At most one default per kind: making this one the default clears the previous one.
  if (isDefault)
    await tx
      .updateTable('email_templates')
      .set({ is_default: false })
      .where('kind', '=', kind)
      .where('is_default', '=', true)
      .where('id', '<>', id)
      .execute();
}

export function templateRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/email-templates',
      {
        config: { access: { permission: Permission.INVITATIONS_SEND } },
        schema: {
          tags: ['distribution'],
          summary: 'Email templates (invitation and reminder) and the placeholders they may use',
          response: { 200: z.object({ templates: z.array(template), placeholders: z.array(z.string()) }) },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          const rows = await tx
            .selectFrom('email_templates')
            .select(['id', 'kind', 'name', 'subject', 'body', 'is_default', 'updated_at'])
            .orderBy('kind')
            .orderBy('name')
            .execute();
          return { templates: rows.map(toDto), placeholders: Object.keys(PLACEHOLDERS).map((k) => `{${k}}`) };
        });
      },
    );

    const save = async (auth: { tenantId: string }, tx: Tx, id: string, body: TemplateInput, create: boolean) => {
      assertPlaceholders(body);
      await saveDefault(tx, body.kind, id, body.isDefault);
      const values = {
        kind: body.kind,
        name: body.name,
        subject: JSON.stringify(body.subject),
        body: JSON.stringify(body.body),
        is_default: body.isDefault,
      };
      if (create)
        await tx
          .insertInto('email_templates')
          .values({ tenant_id: auth.tenantId, id, ...values })
          .execute();
      else {
        const res = await tx
          .updateTable('email_templates')
          .set({ ...values, updated_at: new Date() })
          .where('id', '=', id)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) throw AppError.notFound('template');
      }
      return toDto(
        (await tx
          .selectFrom('email_templates')
          .select(['id', 'kind', 'name', 'subject', 'body', 'is_default', 'updated_at'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow()) as Row,
      );
    };

    app.post(
      '/api/v1/email-templates',
      {
        config: { access: { permission: Permission.INVITATIONS_SEND } },
        schema: {
          tags: ['distribution'],
          summary: 'Create a template; unknown placeholders are refused with a pointer to the text',
          body: templateInput,
          response: { 201: template },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        const id = randomUUID();
        const dto = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const out = await save(auth, tx, id, request.body, true);
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.EMAIL_TEMPLATE_SAVED,
            subject: { kind: 'email_template', id },
            details: { created: true, kind: out.kind, name: out.name },
          });
          return out;
        });
        return reply.code(201).send(dto);
      },
    );

    app.put(
      '/api/v1/email-templates/:id',
      {
        config: { access: { permission: Permission.INVITATIONS_SEND } },
        schema: {
          tags: ['distribution'],
          summary: 'Change a template',
          params: z.object({ id: z.string() }),
          body: templateInput,
          response: { 200: template },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        if (!isUuid(request.params.id)) throw AppError.notFound('template');
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          const out = await save(auth, tx, request.params.id, request.body, false);
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.EMAIL_TEMPLATE_SAVED,
            subject: { kind: 'email_template', id: out.id },
            details: { created: false, kind: out.kind, name: out.name },
          });
          return out;
        });
      },
    );

    app.delete(
      '/api/v1/email-templates/:id',
      {
        config: { access: { permission: Permission.INVITATIONS_SEND } },
        schema: {
          tags: ['distribution'],
          summary: 'Delete a template; distributions that chose it fall back to the default',
          params: z.object({ id: z.string() }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        if (!isUuid(request.params.id)) throw AppError.notFound('template');
        await ctx.db.tenant(auth.tenantId, async (tx) => {
          const row = await tx
            .deleteFrom('email_templates')
            .where('id', '=', request.params.id)
            .returning(['kind', 'name'])
            .executeTakeFirst();
          if (!row) throw AppError.notFound('template');
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.EMAIL_TEMPLATE_DELETED,
            subject: { kind: 'email_template', id: request.params.id },
            details: row,
          });
        });
        return reply.code(204).send(null);
      },
    );

    /** Renders for preview and test-send; links are examples that open no invitation. */
    const render = async (
      request: { body: z.infer<typeof renderInput> } & Parameters<typeof actorOf>[0],
      auth: ReturnType<typeof callerOf>,
    ) => {
      const b = request.body;
      if (b.contactId) await requirePermission(request, Permission.CONTACTS_READ);
      const keys = await ctx.keyring.forTenant(auth.tenantId);
      return ctx.db.tenant(auth.tenantId, async (tx) => {
        const survey = await loadSurvey(tx, b.surveyId);
        let texts: MailTexts;
        if (b.subject && b.body) {
          texts = { subject: b.subject, body: b.body, size: surveySize(survey.definition) };
          assertPlaceholders(texts);
        } else {
          if (
            b.templateId &&
            !(await tx.selectFrom('email_templates').select('id').where('id', '=', b.templateId).executeTakeFirst())
          )
            throw AppError.notFound('template');
          texts = await templateTexts(tx, b.kind, b.templateId ?? null, survey.definition);
        }
        let recipient = SAMPLE;
        let lang: Lang = b.language ?? survey.default_language;
        if (b.contactId) {
          const c = await tx
            .selectFrom('contacts')
            .select(['email_enc', 'first_name_enc', 'infix_enc', 'last_name_enc', 'language'])
            .where('id', '=', b.contactId)
            .executeTakeFirst();
          if (!c) throw AppError.notFound('contact');
          recipient = recipientOf(keys, c);
          lang = b.language ?? c.language ?? lang;
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.CONTACT_READ,
            subject: { kind: 'contact', id: b.contactId },
            details: { via: 'template-preview' },
          });
        }
        const org = (
          await tx.selectFrom('tenants').select('name').where('id', '=', auth.tenantId).executeTakeFirstOrThrow()
        ).name;
        const msg = composeMail(texts, recipient, {
          lang,
          organisation: org,
          survey: survey.name,
          link: `${ctx.env.baseUrl}/s/voorbeeld`,
          unsubscribeLink: `${ctx.env.baseUrl}/u/voorbeeld`,
          requestLink: `${ctx.env.baseUrl}/r/voorbeeld`,
        });
        return { msg, lang, surveyId: survey.id };
      });
    };

    app.post(
      '/api/v1/email-templates/preview',
      {
        config: { access: { permission: Permission.INVITATIONS_SEND } },
        schema: {
          tags: ['distribution'],
          summary: 'The rendered mail (subject, text, HTML, headers) for a sample contact or a chosen contact',
          body: renderInput,
          response: { 200: rendered },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const { msg, lang } = await render(request, auth);
        return {
          to: msg.to,
          language: lang,
          subject: msg.subject,
          text: msg.text,
          html: msg.html ?? '',
          headers: msg.headers ?? {},
        };
      },
    );

    app.post(
      '/api/v1/email-templates/test-send',
      {
        config: { access: { permission: Permission.INVITATIONS_SEND } },
        schema: {
          tags: ['distribution'],
          summary:
            "Send the rendered mail to the signed-in user's own address (through the normal mailer: SMTP or the outbox)",
          body: renderInput,
          response: { 200: z.object({ to: z.string(), ok: z.boolean(), response: z.string().nullable() }) },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        if (auth.kind !== 'user' || !auth.email)
          throw new AppError(
            ErrorCode.CONFLICT,
            'A test mail goes to the signed-in user’s own address; this caller has none.',
          );
        const { msg } = await render(request, auth);
        // Only ever to the caller's own address: the suppression list does not apply to it.
        const res = await ctx.mailer.send(auth.tenantId, 'test', {
          ...msg,
          to: auth.email,
          subject: `[Test] ${msg.subject}`,
        });
        await ctx.db.tenant(auth.tenantId, (tx) =>
          audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.TEST_MAIL_SENT,
            details: { surveyId: request.body.surveyId, kind: request.body.kind, ok: res.ok },
          }),
        );
        return { to: auth.email, ok: res.ok, response: res.response ?? null };
      },
    );
  };
}
