import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction } from '../../lib/audit.js';
import { isUuid, type Tx } from '../../lib/db/db.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import type { OutboxMail } from '../../lib/mail/mailer.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, callerOf, requirePermission, type TenantAuth } from '../auth/guard.js';
import { contactFields, upsertContact } from '../contacts/upsert-contact.js';
import { loadSurvey, type SurveyRow } from '../surveys/store.js';
import { inviteContacts, throttleDays, type InviteCounts } from './invite.js';
import { audienceCondition, selectionSchema, type Audience } from './selection.js';
import { SEND_QUEUE, type SendJob } from './send.js';
import { templateRoutes } from './template-routes.js';
import { unsubscribeRoutes } from './unsubscribe.js';

const counts = z.object({
  total: z.number(),
  queued: z.number(),
  sent: z.number(),
  failed: z.number(),
  suppressed: z.number(),
  opened: z.number(),
  responded: z.number(),
  reminded: z.number().describe('invitations that got at least one reminder'),
});
const distribution = z.object({
  id: z.string(),
  surveyId: z.string(),
  createdAt: z.string(),
  kind: z.enum(['selection', 'api']),
  status: z.enum(['scheduled', 'sending', 'cancelled']),
  sendAt: z.string().nullable(),
  selection: z.unknown().nullable(),
  templateId: z.string().nullable(),
  reminderTemplateId: z.string().nullable(),
  reminders: z.object({ max: z.number(), intervalDays: z.number() }),
  counts,
});

const skippedBy = z.object({
  alreadyInvited: z.number().describe('already invited to this survey'),
  suppressed: z.number().describe('on the suppression list (unsubscribed, erased, bounced, manual)'),
  throttled: z.number().describe('invited to a survey of this customer within the throttle period'),
  notFound: z.number().describe('contact ids that are not (any more) contacts'),
});

const audience = z
  .object({
    all: z.literal(true).optional().describe('every contact'),
    contactIds: z.array(z.uuid()).min(1).max(100_000).optional(),
    selection: selectionSchema.optional(),
  })
  .superRefine((b, c) => {
    const n = Number(b.all !== undefined) + Number(b.contactIds !== undefined) + Number(b.selection !== undefined);
    if (n !== 1) c.addIssue({ code: 'custom', path: [], message: 'give exactly one of all, contactIds or selection' });
  });

const distributionInput = audience
  .and(
    z.object({
      sendAt: z.iso.datetime({ offset: true }).optional().describe('send later (ISO 8601); omitted or past: now'),
      reminders: z
        .object({ max: z.number().int().min(0).max(5), intervalDays: z.number().int().min(1).max(90) })
        .optional()
        .describe('at most max reminders, at least intervalDays apart, only to non-responders'),
      templateId: z
        .uuid()
        .optional()
        .describe('invitation template; default: the default template, else the survey texts'),
      reminderTemplateId: z
        .uuid()
        .optional()
        .describe('reminder template; default: the default reminder template, else the survey texts'),
    }),
  )
  .meta({
    examples: [
      {
        selection: { match: 'all', filters: [{ field: 'profile.regio', op: 'eq', value: 'Noord' }] },
        sendAt: '2026-12-01T08:00:00+01:00',
        reminders: { max: 2, intervalDays: 3 },
      },
      { all: true },
    ],
  });

type AudienceBody = {
  all?: true | undefined;
  contactIds?: string[] | undefined;
  selection?: z.infer<typeof selectionSchema> | undefined;
};
const audienceOf = (b: AudienceBody): Audience =>
  b.all ? { all: true } : b.contactIds ? { contactIds: [...new Set(b.contactIds)] } : { selection: b.selection! };

async function checkTemplate(
  tx: Tx,
  id: string | undefined,
  kind: 'invitation' | 'reminder',
  pointer: string,
): Promise<void> {
  if (!id) return;
  const row = await tx.selectFrom('email_templates').select('kind').where('id', '=', id).executeTakeFirst();
  if (!row || row.kind !== kind)
    throw new AppError(ErrorCode.VALIDATION, `No ${kind} template with this id.`, {
      errors: [{ pointer, reason: `not a ${kind} template of this organisation` }],
    });
}

/** Invites (or counts, when dryRun) the audience, with the not-found contact ids counted as skipped. */
async function classify(
  tx: Tx,
  tenantId: string,
  survey: SurveyRow,
  a: Audience,
  distributionId: string | null,
  at: Date,
  dryRun: boolean,
): Promise<InviteCounts & { skippedBy: z.infer<typeof skippedBy> }> {
  const res = await inviteContacts(tx, {
    tenantId,
    surveyId: survey.id,
    defaultLanguage: survey.default_language,
    distributionId,
    where: audienceCondition(a),
    at,
    throttleDays: await throttleDays(tx),
    dryRun,
  });
  const found = res.invited + res.skipped;
  const notFound = 'contactIds' in a ? Math.max(0, a.contactIds.length - found) : 0;
  return { invited: res.invited, skipped: res.skipped + notFound, skippedBy: { ...res.skippedBy, notFound } };
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function distributionRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(templateRoutes(ctx));
    await app.register(unsubscribeRoutes(ctx));

    app.post(
      '/api/v1/surveys/:id/distributions',
      {
        config: { access: { permission: Permission.INVITATIONS_SEND } },
        schema: {
          tags: ['distribution'],
          summary:
            'Send personal invitations to all contacts, a list, or a selection by profile filters; now or at sendAt, with reminders',
          description:
            'Contacts already invited to this survey, on the suppression list, or invited to any survey within the throttle period are skipped and counted by reason. Sending runs in the background; a scheduled distribution can be cancelled until it starts.',
          params: z.object({ id: z.string() }),
          body: distributionInput,
          response: {
            202: z
              .object({
                id: z.string(),
                status: z.enum(['scheduled', 'sending']),
                sendAt: z.string().nullable(),
                invited: z.number(),
                skipped: z.number(),
                skippedBy,
              })
              .meta({
                examples: [
                  {
                    id: '6e7f8a9b-0c1d-4e2f-8a3b-4c5d6e7f8a9b',
                    status: 'scheduled',
                    sendAt: '2026-12-01T07:00:00.000Z',
                    invited: 412,
                    skipped: 19,
                    skippedBy: { alreadyInvited: 0, suppressed: 6, throttled: 13, notFound: 0 },
                  },
                ],
              }),
          },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        const body = request.body;
        const sendAt = body.sendAt ? new Date(body.sendAt) : null;
        const scheduled = sendAt !== null && sendAt.getTime() > Date.now();
        const result = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const survey = await loadSurvey(tx, request.params.id);
          if (survey.status !== 'open') throw new AppError(ErrorCode.CONFLICT, 'The survey is not open.');
          await checkTemplate(tx, body.templateId, 'invitation', '/templateId');
          await checkTemplate(tx, body.reminderTemplateId, 'reminder', '/reminderTemplateId');
          const id = randomUUID();
          const a = audienceOf(body);
          await tx
            .insertInto('distributions')
            .values({
              tenant_id: auth.tenantId,
              id,
              survey_id: survey.id,
              created_by: auth.userId,
              total: 0,
              status: scheduled ? 'scheduled' : 'sending',
              send_at: scheduled ? sendAt : null,
              selection: JSON.stringify('contactIds' in a ? { contactIds: a.contactIds.length } : a),
              template_id: body.templateId ?? null,
              reminder_template_id: body.reminderTemplateId ?? null,
              reminders_max: body.reminders?.max ?? 0,
              reminder_interval_days: body.reminders?.intervalDays ?? 7,
            })
            .execute();
          // The selection is evaluated now: the invitations wait (queued) until the send time.
          const res = await classify(tx, auth.tenantId, survey, a, id, scheduled ? sendAt : new Date(), false);
          await tx.updateTable('distributions').set({ total: res.invited }).where('id', '=', id).execute();
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.DISTRIBUTION_CREATED,
            subject: { kind: 'distribution', id },
            details: {
              surveyId: survey.id,
              invited: res.invited,
              skippedBy: res.skippedBy,
              sendAt: scheduled ? sendAt!.toISOString() : null,
            },
          });
          return {
            id,
            status: scheduled ? ('scheduled' as const) : ('sending' as const),
            sendAt: scheduled ? sendAt!.toISOString() : null,
            ...res,
          };
        });
        // Enqueued after the commit (PGlite has one connection); requeuePendingSends covers a crash in between.
        if (result.invited > 0 && result.status === 'sending')
          await ctx.jobs.send<SendJob>(SEND_QUEUE, { tenantId: auth.tenantId, distributionId: result.id });
        return reply.code(202).send(result);
      },
    );

    app.post(
      '/api/v1/surveys/:id/distributions/preview',
      {
        config: { access: { permission: Permission.INVITATIONS_SEND } },
        schema: {
          tags: ['distribution'],
          summary:
            'How many contacts a distribution would invite, and how many it would skip and why (nothing is stored)',
          params: z.object({ id: z.string() }),
          body: distributionInput,
          response: {
            200: z.object({ invited: z.number(), skipped: z.number(), skippedBy }).meta({
              examples: [
                {
                  invited: 412,
                  skipped: 19,
                  skippedBy: { alreadyInvited: 0, suppressed: 6, throttled: 13, notFound: 0 },
                },
              ],
            }),
          },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const sendAt = request.body.sendAt ? new Date(request.body.sendAt) : new Date();
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          const survey = await loadSurvey(tx, request.params.id);
          const res = await classify(
            tx,
            auth.tenantId,
            survey,
            audienceOf(request.body),
            null,
            sendAt.getTime() > Date.now() ? sendAt : new Date(),
            true,
          );
          return { invited: res.invited, skipped: res.skipped, skippedBy: res.skippedBy };
        });
      },
    );

    app.post(
      '/api/v1/distributions/:id/cancel',
      {
        config: { access: { permission: Permission.INVITATIONS_SEND } },
        schema: {
          tags: ['distribution'],
          summary: 'Cancel a scheduled distribution before it starts; its waiting invitations are removed',
          params: z.object({ id: z.string() }),
          response: { 200: z.object({ id: z.string(), status: z.literal('cancelled'), removed: z.number() }) },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const distributionId = request.params.id;
        if (!isUuid(distributionId)) throw AppError.notFound('distribution');
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          const d = await tx
            .selectFrom('distributions')
            .select(['status', 'survey_id'])
            .where('id', '=', distributionId)
            .forUpdate()
            .executeTakeFirst();
          if (!d) throw AppError.notFound('distribution');
          if (d.status !== 'scheduled')
            throw new AppError(
              ErrorCode.CONFLICT,
              'Only a scheduled distribution that has not started can be cancelled.',
            );
          await tx
            .updateTable('distributions')
            .set({ status: 'cancelled', cancelled_at: new Date() })
            .where('id', '=', distributionId)
            .execute();
          const del = await tx
            .deleteFrom('invitations')
            .where('distribution_id', '=', distributionId)
            .where('status', '=', 'queued')
            .executeTakeFirst();
          const removed = Number(del.numDeletedRows);
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.DISTRIBUTION_CANCELLED,
            subject: { kind: 'distribution', id: distributionId },
            details: { surveyId: d.survey_id, removed },
          });
          return { id: distributionId, status: 'cancelled' as const, removed };
        });
      },
    );

    app.get(
      '/api/v1/surveys/:id/distributions',
      {
        config: { access: { permission: Permission.SURVEYS_READ } },
        schema: {
          tags: ['distribution'],
          summary: 'Distributions of a survey with their schedule, reminders and progress',
          params: z.object({ id: z.string() }),
          response: { 200: z.object({ distributions: z.array(distribution) }) },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          const survey = await loadSurvey(tx, request.params.id);
          const rows = await tx
            .selectFrom('distributions as d')
            .leftJoin('invitations as i', (j) =>
              j.onRef('i.tenant_id', '=', 'd.tenant_id').onRef('i.distribution_id', '=', 'd.id'),
            )
            .select((eb) => [
              'd.id',
              'd.created_at',
              'd.kind',
              'd.status',
              'd.send_at',
              'd.selection',
              'd.template_id',
              'd.reminder_template_id',
              'd.reminders_max',
              'd.reminder_interval_days',
              eb.fn.count<number>('i.id').as('total'),
              eb.fn.count<number>('i.id').filterWhere('i.status', '=', 'queued').as('queued'),
              eb.fn.count<number>('i.id').filterWhere('i.status', '=', 'sent').as('sent'),
              eb.fn.count<number>('i.id').filterWhere('i.status', '=', 'failed').as('failed'),
              eb.fn.count<number>('i.id').filterWhere('i.status', '=', 'suppressed').as('suppressed'),
              eb.fn.count<number>('i.opened_at').as('opened'),
              eb.fn.count<number>('i.responded_at').as('responded'),
              eb.fn.count<number>('i.last_reminded_at').as('reminded'),
            ])
            .where('d.survey_id', '=', survey.id)
            .groupBy(['d.tenant_id', 'd.id'])
            .orderBy('d.created_at', 'desc')
            .execute();
          return {
            distributions: rows.map((r) => ({
              id: r.id,
              surveyId: survey.id,
              createdAt: new Date(r.created_at).toISOString(),
              kind: r.kind,
              status: r.status,
              sendAt: iso(r.send_at),
              selection: r.selection ?? null,
              templateId: r.template_id,
              reminderTemplateId: r.reminder_template_id,
              reminders: { max: r.reminders_max, intervalDays: r.reminder_interval_days },
              counts: {
                total: Number(r.total),
                queued: Number(r.queued),
                sent: Number(r.sent),
                failed: Number(r.failed),
                suppressed: Number(r.suppressed),
                opened: Number(r.opened),
                responded: Number(r.responded),
                reminded: Number(r.reminded),
              },
            })),
          };
        });
      },
    );

    app.get(
      '/api/v1/surveys/:id/invitations',
      {
        config: { access: { permission: Permission.INVITATIONS_SEND } },
        schema: {
          tags: ['distribution'],
          summary: 'The result of each send (status, attempts, last error, reminders) and whether the contact answered',
          description:
            'The address is included for those who may read contact details. For confidential and anonymous surveys participation is answered yes/no only: `respondedAt` is null, and an answered invitation shows no reminder history (`remindersSent` and `lastRemindedAt` null), since a time next to a name could be matched with a response.',
          params: z.object({ id: z.string() }),
          querystring: z.object({
            status: z.enum(['queued', 'sent', 'failed', 'suppressed']).optional(),
            limit: z.coerce.number().int().min(1).max(1000).default(100),
          }),
          response: {
            200: z.object({
              invitations: z.array(
                z.object({
                  id: z.string(),
                  contactId: z.string(),
                  email: z.string().optional(),
                  status: z.enum(['queued', 'sent', 'failed', 'suppressed']),
                  attempts: z.number(),
                  lastError: z.string().nullable(),
                  sentAt: z.string().nullable(),
                  responded: z.boolean().describe('the contact answered'),
                  respondedAt: z
                    .string()
                    .nullable()
                    .describe('when the contact answered; always null for confidential and anonymous surveys'),
                  remindersSent: z
                    .number()
                    .nullable()
                    .describe('reminders sent; null for an answered invitation of a confidential or anonymous survey'),
                  lastRemindedAt: z
                    .string()
                    .nullable()
                    .describe(
                      'the last reminder; null for an answered invitation of a confidential or anonymous survey',
                    ),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        // The address is shown to those who may read contact details, and that read is logged.
        const withEmail = auth.permissions.has(Permission.CONTACTS_READ);
        const keys = withEmail ? await ctx.keyring.forTenant(auth.tenantId) : undefined;
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          const survey = await loadSurvey(tx, request.params.id);
          let q = tx
            .selectFrom('invitations as i')
            .innerJoin('contacts as c', (j) =>
              j.onRef('c.tenant_id', '=', 'i.tenant_id').onRef('c.id', '=', 'i.contact_id'),
            )
            .select([
              'i.id',
              'i.contact_id',
              'i.status',
              'i.attempts',
              'i.last_error',
              'i.sent_at',
              'i.responded_at',
              'i.reminders_sent',
              'i.last_reminded_at',
              'c.email_enc',
            ])
            .where('i.survey_id', '=', survey.id);
          if (request.query.status) q = q.where('i.status', '=', request.query.status);
          const rows = await q.orderBy('i.created_at').limit(request.query.limit).execute();
          if (keys && rows.length)
            await audit(tx, auth.tenantId, actorOf(request, auth), {
              action: AuditAction.CONTACTS_LISTED,
              subject: { kind: 'survey', id: survey.id },
              details: { count: rows.length, via: 'invitations' },
            });
          // OBLIGATIONS SVC-4: a shielded survey shows participation per contact without times. The
          // moment (or day) a contact answered, or the reminders it got before answering, could be matched
          // with a response's time or a trend point; whether it answered is what reminders need.
          const shielded = survey.anonymity !== 'identified';
          return {
            invitations: rows.map((r) => {
              const responded = r.responded_at !== null;
              const hide = shielded && responded;
              return {
                id: r.id,
                contactId: r.contact_id,
                ...(keys ? { email: keys.open(r.email_enc) } : {}),
                status: r.status,
                attempts: r.attempts,
                lastError: r.last_error,
                sentAt: iso(r.sent_at),
                responded,
                respondedAt: shielded ? null : iso(r.responded_at),
                remindersSent: hide ? null : r.reminders_sent,
                lastRemindedAt: hide ? null : iso(r.last_reminded_at),
              };
            }),
          };
        });
      },
    );

    app.post(
      '/api/v1/surveys/:id/invitations',
      {
        config: { access: { permission: Permission.INVITATIONS_SEND } },
        schema: {
          tags: ['distribution'],
          summary:
            'Invite one contact (e.g. after a service event), by contactId or by email (the contact is created or updated); suppression and throttling apply',
          description:
            'Answers what happened: `invited` (with the invitation id) or `skipped` with the reason (alreadyInvited, suppressed, throttled). Inviting by email creates or updates the contact and needs contacts:write too.',
          params: z.object({ id: z.string() }),
          body: z
            .object({
              contactId: z.uuid().optional(),
              // The contact's fields exactly as POST /api/v1/contacts takes them (one door: upsert-contact.ts).
              ...contactFields,
              email: contactFields.email.optional(),
              sendAt: z.iso.datetime({ offset: true }).optional(),
            })
            .strict()
            .refine((b) => (b.contactId === undefined) !== (b.email === undefined), {
              message: 'give either contactId or email',
            })
            .meta({
              examples: [
                { email: 'klant@example.nl', firstName: 'Sanne', language: 'nl', profile: { vestiging: 'Utrecht' } },
                { contactId: '0b7c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d' },
              ],
            }),
          response: {
            200: z
              .object({
                result: z.enum(['invited', 'skipped']),
                reason: z.enum(['alreadyInvited', 'suppressed', 'throttled']).optional(),
                invitationId: z.string().optional(),
                contactId: z.string(),
                sendAt: z.string().nullable(),
              })
              .meta({
                examples: [
                  {
                    result: 'invited',
                    invitationId: '90bbd2be-d445-4d97-a486-4687cd61babe',
                    contactId: '0b7c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d',
                    sendAt: null,
                  },
                  {
                    result: 'skipped',
                    reason: 'throttled',
                    contactId: '0b7c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d',
                    sendAt: null,
                  },
                ],
              }),
          },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const { contactId: givenId, sendAt: givenSendAt, ...contact } = request.body;
        const byEmail = contact.email !== undefined;
        if (byEmail) await requirePermission(request, Permission.CONTACTS_WRITE);
        const sendAt = givenSendAt ? new Date(givenSendAt) : null;
        const scheduled = sendAt !== null && sendAt.getTime() > Date.now();
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        const out = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const survey = await loadSurvey(tx, request.params.id);
          if (survey.status !== 'open') throw new AppError(ErrorCode.CONFLICT, 'The survey is not open.');
          let contactId = givenId;
          if (byEmail) {
            contactId = (
              await upsertContact(tx, auth.tenantId, keys, actorOf(request, auth), {
                ...contact,
                email: contact.email!,
              })
            ).id;
          } else if (!(await tx.selectFrom('contacts').select('id').where('id', '=', contactId!).executeTakeFirst())) {
            throw AppError.notFound('contact');
          }
          const distributionId = await apiDistribution(tx, auth, survey.id, scheduled ? sendAt : null);
          const res = await inviteContacts(tx, {
            tenantId: auth.tenantId,
            surveyId: survey.id,
            defaultLanguage: survey.default_language,
            distributionId,
            where: sql`c.id = ${contactId!}::uuid`,
            at: scheduled ? sendAt! : new Date(),
            throttleDays: await throttleDays(tx),
            dryRun: false,
          });
          const reason = (Object.keys(res.skippedBy) as (keyof typeof res.skippedBy)[]).find(
            (k) => res.skippedBy[k] > 0,
          );
          if (res.invited)
            await tx
              .updateTable('distributions')
              .set((eb) => ({ total: eb('total', '+', 1) }))
              .where('id', '=', distributionId)
              .execute();
          const result = res.invited
            ? { result: 'invited' as const, invitationId: res.invitationIds[0]! }
            : { result: 'skipped' as const, reason: reason ?? 'alreadyInvited' };
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.INVITATION_CREATED,
            subject: { kind: 'contact', id: contactId! },
            details: { surveyId: survey.id, distributionId, ...result, byEmail },
          });
          return { ...result, contactId: contactId!, sendAt: scheduled ? sendAt!.toISOString() : null, distributionId };
        });
        if (out.result === 'invited' && !scheduled)
          await ctx.jobs.send<SendJob>(SEND_QUEUE, { tenantId: auth.tenantId, distributionId: out.distributionId });
        const { distributionId: _d, ...answer } = out;
        return answer;
      },
    );

    app.get(
      '/api/v1/distribution-settings',
      {
        config: { access: { permission: Permission.INVITATIONS_SEND } },
        schema: {
          tags: ['distribution'],
          summary:
            'Sending settings of this organisation: throttleDays (0 = off): a contact is invited at most once per so many days across all surveys',
          response: { 200: z.object({ throttleDays: z.number() }) },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        return ctx.db.tenant(auth.tenantId, async (tx) => ({ throttleDays: await throttleDays(tx) }));
      },
    );

    app.put(
      '/api/v1/distribution-settings',
      {
        config: { access: { permission: Permission.TENANT_MANAGE } },
        schema: {
          tags: ['distribution'],
          summary:
            'Change the throttle (owner only: it is a promise of the organisation to its contacts, binding every survey)',
          body: z.object({ throttleDays: z.number().int().min(0).max(365) }).meta({ examples: [{ throttleDays: 30 }] }),
          response: { 200: z.object({ throttleDays: z.number() }) },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const { throttleDays: days } = request.body;
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          const before = await throttleDays(tx);
          await tx
            .insertInto('distribution_settings')
            .values({ tenant_id: auth.tenantId, throttle_days: days })
            .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ throttle_days: days, updated_at: new Date() }))
            .execute();
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.TENANT_SETTINGS_CHANGED,
            details: { throttleDays: { before, after: days } },
          });
          return { throttleDays: days };
        });
      },
    );

    // Issue 14: the admin app showed a mail's HTML in a srcdoc frame, which inherits the app's policy
    // (no inline style): the mail looked unstyled. It is a document of its own here, with a policy
    // that allows its inline style and nothing else: no script, no resource from elsewhere, no form,
    // framed only by Peil's own pages, and sandboxed (a unique origin, so it can read no cookie).
    app.addHook('onSend', async (request, reply, payload) => {
      if (
        /^\/api\/v1\/outbox\/[^/]+\/html/.test(request.url) &&
        String(reply.getHeader('content-type') ?? '').startsWith('text/html')
      ) {
        reply.header(
          'content-security-policy',
          "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox",
        );
        reply.header('x-frame-options', 'SAMEORIGIN');
      }
      return payload;
    });

    app.get(
      '/api/v1/outbox/:id/html',
      {
        config: { access: { permission: Permission.OUTBOX_READ } },
        schema: {
          tags: ['distribution'],
          summary: "One outbox mail's HTML version, as a document of its own (for the outbox's preview frame)",
          params: z.object({ id: z.string() }),
          response: {
            200: {
              description: 'The mail as HTML, with a policy that allows its inline style and nothing else',
              content: { 'text/html': { schema: z.string() } },
            },
          },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        const html = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const row = isUuid(request.params.id)
            ? await tx
                .selectFrom('outbox')
                .select(['message_enc'])
                .where('id', '=', request.params.id)
                .executeTakeFirst()
            : undefined;
          const mail = row ? keys.openJson<OutboxMail>(row.message_enc) : undefined;
          if (!mail?.html)
            throw new AppError(
              ErrorCode.NOT_FOUND,
              'No such mail with an HTML version in the outbox. / Deze mail staat niet in de outbox of heeft geen HTML-versie.',
            );
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.OUTBOX_READ,
            details: { count: 1 },
          });
          return mail.html;
        });
        return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
      },
    );

    app.get(
      '/api/v1/outbox',
      {
        config: { access: { permission: Permission.OUTBOX_READ } },
        schema: {
          tags: ['distribution'],
          summary: 'The built-in outbox: mail kept here when no SMTP server is configured (newest first)',
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
          response: {
            200: z.object({
              mode: z.enum(['smtp', 'outbox']),
              messages: z.array(
                z.object({
                  id: z.string(),
                  createdAt: z.string(),
                  kind: z.string(),
                  from: z.string(),
                  to: z.string(),
                  subject: z.string(),
                  text: z.string(),
                  html: z.string().optional(),
                  headers: z.record(z.string(), z.string()).optional(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          const rows = await tx
            .selectFrom('outbox')
            .selectAll()
            .orderBy('created_at', 'desc')
            .limit(request.query.limit)
            .execute();
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.OUTBOX_READ,
            details: { count: rows.length },
          });
          return {
            mode: ctx.mailer.kind,
            messages: rows.map((r) => {
              const m = keys.openJson<OutboxMail>(r.message_enc);
              return {
                id: r.id,
                createdAt: new Date(r.created_at).toISOString(),
                kind: r.kind,
                from: m.from,
                to: m.to,
                subject: m.subject,
                text: m.text,
                ...(m.html ? { html: m.html } : {}),
                ...(m.headers ? { headers: m.headers } : {}),
              };
            }),
          };
        });
      },
    );
  };
}

/**
 * Single invites of one survey share one distribution per send time ('api' kind), so the list of
 * distributions does not grow with every service event.
 */
async function apiDistribution(tx: Tx, auth: TenantAuth, surveyId: string, sendAt: Date | null): Promise<string> {
  let q = tx.selectFrom('distributions').select('id').where('survey_id', '=', surveyId).where('kind', '=', 'api');
  q = sendAt ? q.where('status', '=', 'scheduled').where('send_at', '=', sendAt) : q.where('status', '=', 'sending');
  const found = await q.executeTakeFirst();
  if (found) return found.id;
  const id = randomUUID();
  await tx
    .insertInto('distributions')
    .values({
      tenant_id: auth.tenantId,
      id,
      survey_id: surveyId,
      created_by: auth.userId,
      total: 0,
      kind: 'api',
      status: sendAt ? 'scheduled' : 'sending',
      send_at: sendAt,
      selection: JSON.stringify({ api: true }),
    })
    .execute();
  return id;
}
