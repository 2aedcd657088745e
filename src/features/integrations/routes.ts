import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction } from '../../lib/audit.js';
import { isUuid } from '../../lib/db/db.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { checkOutboundUrl, UnsafeUrlError } from '../../lib/http/ssrf.js';
import { translate } from '../../lib/i18n.js';
import { apiKeyScopes, Permission } from '../../lib/permissions.js';
import { actorOf, callerOf } from '../auth/guard.js';
import { loadSurvey } from '../surveys/store.js';
import { answersById, answersByQuestion } from '../surveys/answers.js';
import { forgetKey, newApiKey } from '../auth/api-keys.js';
import { PING_EVENT, WEBHOOK_EVENTS } from './events.js';
import { newWebhookSecret } from './signing.js';
import { claimForRedelivery, sendClaimed, urlPolicy } from './webhooks.js';
import { assertFeature } from '../plans/limits.js';

/**
 * OBLIGATIONS SVC-5: the integration routes. API keys and webhooks are managed by owners and admins
 * (integrations:manage); responses are read with responses:export, by a user or by a key.
 */
const EXAMPLE_ID = '5f0c6e2a-3b1d-4c8e-9a7f-2d4e6b8c0a12';
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

const scope = z.enum(apiKeyScopes).describe('a permission the key holds');
const apiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().describe('the first characters of the key, to tell keys apart'),
    scopes: z.array(scope),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable().describe('updated at most once a minute'),
    lastUsedIp: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({
    examples: [
      {
        id: EXAMPLE_ID,
        name: 'CRM koppeling',
        prefix: 'peil_Xq3vB9aa',
        scopes: ['contacts:write', 'invitations:send'],
        createdBy: '0b7d2c8e-1f3a-4e5b-8c6d-9a0b1c2d3e4f',
        createdAt: '2026-11-20T09:00:00.000Z',
        expiresAt: null,
        lastUsedAt: '2026-11-21T08:15:00.000Z',
        lastUsedIp: '203.0.113.7',
        revokedAt: null,
      },
    ],
  });

const createKeyInput = z
  .object({
    name: z.string().trim().min(1).max(100).describe('what the key is for, e.g. the system that uses it'),
    scopes: z.array(scope).min(1).describe('the permissions of the key; never user, key or customer management'),
    expiresAt: z.iso.datetime().optional().describe('optional end of validity'),
  })
  .meta({ examples: [{ name: 'CRM koppeling', scopes: ['contacts:write', 'invitations:send', 'results:read'] }] });

const createdKey = apiKey
  .extend({ key: z.string().describe('the key itself: shown only in this answer, never again') })
  .meta({
    examples: [
      {
        id: EXAMPLE_ID,
        name: 'CRM koppeling',
        prefix: 'peil_Xq3vB9aa',
        key: 'peil_Xq3vB9aaAbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdEfGhIjKlMnOpQr',
        scopes: ['contacts:write', 'invitations:send'],
        createdBy: '0b7d2c8e-1f3a-4e5b-8c6d-9a0b1c2d3e4f',
        createdAt: '2026-11-20T09:00:00.000Z',
        expiresAt: null,
        lastUsedAt: null,
        lastUsedIp: null,
        revokedAt: null,
      },
    ],
  });

const eventType = z
  .enum(WEBHOOK_EVENTS)
  .describe(
    'response.completed: an answer to an identified survey; invitation.bounced: a mail refused for good (SMTP 5xx); contact.unsubscribed: a contact used an unsubscribe link; survey.closed: a survey was closed; followup.created: the closed loop made a follow-up',
  );
const lastAttempt = z.object({
  deliveryId: z.string(),
  eventType: z.string(),
  attempt: z.number(),
  at: z.string(),
  statusCode: z
    .number()
    .nullable()
    .describe("the receiver's HTTP status; null: no answer (refused address, time-out, network error)"),
  ok: z.boolean(),
  error: z.string().nullable(),
});
const webhook = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(eventType),
    active: z.boolean(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    deliveries: z.object({ pending: z.number(), delivered: z.number(), failed: z.number() }),
    secretScheme: z
      .enum(['standard', 'legacy'])
      .describe(
        'standard: a Standard Webhooks secret (whsec_<base64>); legacy: issued before Standard Webhooks, also signs the old Peil-Signature header until it is rotated',
      ),
    rotatedAt: z.string().nullable(),
    previousSecretUntil: z
      .string()
      .nullable()
      .describe('during an overlap after a rotation: until when the previous secret signs too'),
    lastAttempts: z.array(lastAttempt).describe('the 5 most recent delivery attempts, newest first'),
  })
  .meta({
    examples: [
      {
        id: EXAMPLE_ID,
        url: 'https://crm.example.nl/hooks/peil',
        events: ['response.completed'],
        active: true,
        createdBy: '0b7d2c8e-1f3a-4e5b-8c6d-9a0b1c2d3e4f',
        createdAt: '2026-11-20T09:00:00.000Z',
        deliveries: { pending: 0, delivered: 41, failed: 1 },
        secretScheme: 'standard',
        rotatedAt: null,
        previousSecretUntil: null,
        lastAttempts: [
          {
            deliveryId: '9c1e5a7b-2d3f-4a6b-8c0d-1e2f3a4b5c6d',
            eventType: 'response.completed',
            attempt: 1,
            at: '2026-11-21T08:15:01.000Z',
            statusCode: 200,
            ok: true,
            error: null,
          },
        ],
      },
    ],
  });

const createWebhookInput = z
  .object({
    url: z.string().max(2000).describe('an https URL on the public internet'),
    events: z.array(eventType).min(1).default(['response.completed']).describe('the event types this webhook receives'),
  })
  .meta({ examples: [{ url: 'https://crm.example.nl/hooks/peil', events: ['response.completed'] }] });

const attempt = z.object({
  attempt: z.number(),
  at: z.string(),
  statusCode: z.number().nullable(),
  error: z.string().nullable(),
  durationMs: z.number(),
  excerpt: z.string().nullable().describe('at most 500 characters of the answer'),
});
const delivery = z
  .object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number(),
    nextAttemptAt: z.string().nullable(),
    lastStatusCode: z.number().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    createdAt: z.string(),
    log: z.array(attempt),
  })
  .meta({
    examples: [
      {
        id: EXAMPLE_ID,
        eventId: '9c1e5a7b-2d3f-4a6b-8c0d-1e2f3a4b5c6d',
        eventType: 'response.completed',
        status: 'delivered',
        attempts: 2,
        nextAttemptAt: null,
        lastStatusCode: 200,
        lastError: null,
        deliveredAt: '2026-11-21T08:16:02.000Z',
        createdAt: '2026-11-21T08:15:00.000Z',
        log: [
          {
            attempt: 1,
            at: '2026-11-21T08:15:01.000Z',
            statusCode: 500,
            error: null,
            durationMs: 42,
            excerpt: 'Internal Server Error',
          },
          { attempt: 2, at: '2026-11-21T08:16:02.000Z', statusCode: 200, error: null, durationMs: 35, excerpt: 'ok' },
        ],
      },
    ],
  });

const responseItem = z.object({
  id: z.string(),
  surveyId: z.string(),
  submittedAt: z.string(),
  language: z.enum(['nl', 'en']),
  score: z.number().nullable(),
  answers: answersById,
  contactId: z
    .string()
    .nullable()
    .describe('the contact who answered; null when the contact was deleted or the answer came through the open link'),
});
const responsePage = z
  .object({
    anonymity: z.literal('identified').describe('only identified surveys have individual responses here'),
    responses: z.array(responseItem),
    next: z.string().nullable().describe('pass as `after` for the next page; null on the last page'),
  })
  .meta({
    examples: [
      {
        anonymity: 'identified',
        responses: [
          {
            id: '9c1e5a7b-2d3f-4a6b-8c0d-1e2f3a4b5c6d',
            surveyId: EXAMPLE_ID,
            submittedAt: '2026-11-21T08:15:00.000Z',
            language: 'nl',
            score: 9,
            answers: { score: 9, why: 'Snel geholpen', channel: 'phone' },
            contactId: '3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d',
          },
        ],
        next: 'WyIyMDI2LTExLTIxIDA4OjE1OjAwKzAwIiwiOWMxZTVhN2IiXQ',
      },
    ],
  });

function encodeCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}
function decodeCursor(raw: string): { at: string; id: string } {
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && typeof v[0] === 'string' && v[0].length < 64 && isUuid(v[1])) return { at: v[0], id: v[1] };
  } catch {
    // fall through
  }
  throw new AppError(
    ErrorCode.VALIDATION,
    { key: 'problems:integrations.badCursor' },
    {
      errors: [{ pointer: '/query/after', reason: 'invalid cursor' }],
    },
  );
}

export function integrationRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    // ------------------------------------------------------------------ API keys

    app.get(
      '/api/v1/api-keys',
      {
        config: { access: { permission: Permission.INTEGRATIONS_MANAGE } },
        schema: {
          tags: ['integrations'],
          summary: 'API keys of this customer, with their last use (never the keys themselves)',
          response: {
            200: z.object({ keys: z.array(apiKey), scopes: z.array(scope).describe('the scopes a key may hold') }),
          },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const rows = await ctx.db.tenant(auth.tenantId, (tx) =>
          tx.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc').execute(),
        );
        return {
          keys: rows.map((r) => ({
            id: r.id,
            name: r.name,
            prefix: r.prefix,
            scopes: r.scopes as (typeof apiKeyScopes)[number][],
            createdBy: r.created_by,
            createdAt: iso(r.created_at)!,
            expiresAt: iso(r.expires_at),
            lastUsedAt: iso(r.last_used_at),
            lastUsedIp: r.last_used_ip,
            revokedAt: iso(r.revoked_at),
          })),
          scopes: [...apiKeyScopes],
        };
      },
    );

    app.post(
      '/api/v1/api-keys',
      {
        config: { access: { permission: Permission.INTEGRATIONS_MANAGE } },
        schema: {
          tags: ['integrations'],
          summary: 'Create an API key; the answer holds the key, shown this once',
          description: 'Send the key as `Authorization: Bearer <key>`. Only its SHA-256 is stored.',
          body: createKeyInput,
          response: { 201: createdKey },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        const { name, scopes, expiresAt } = request.body;
        if (expiresAt && new Date(expiresAt).getTime() <= Date.now())
          throw new AppError(
            ErrorCode.VALIDATION,
            { key: 'problems:integrations.expiryInPast' },
            {
              errors: [{ pointer: '/expiresAt', reason: 'in the past' }],
            },
          );
        const k = newApiKey(auth.tenantId);
        const id = randomUUID();
        const unique = [...new Set(scopes)];
        const row = await ctx.db.tenant(auth.tenantId, async (tx) => {
          // OBLIGATIONS SVC-6: only a plan with API access makes keys.
          await assertFeature(tx, auth.tenantId, 'api');
          const r = await tx
            .insertInto('api_keys')
            .values({
              tenant_id: auth.tenantId,
              id,
              name,
              prefix: k.prefix,
              secret_hash: k.hash,
              scopes: unique,
              created_by: auth.userId,
              expires_at: expiresAt ? new Date(expiresAt) : null,
              last_used_at: null,
              last_used_ip: null,
              revoked_at: null,
              revoked_by: null,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.API_KEY_CREATED,
            subject: { kind: 'api_key', id },
            details: { name, prefix: k.prefix, scopes: unique, expiresAt: expiresAt ?? null },
          });
          return r;
        });
        return reply.code(201).send({
          id,
          name,
          prefix: k.prefix,
          key: k.key,
          scopes: unique,
          createdBy: row.created_by,
          createdAt: iso(row.created_at)!,
          expiresAt: iso(row.expires_at),
          lastUsedAt: null,
          lastUsedIp: null,
          revokedAt: null,
        });
      },
    );

    app.delete(
      '/api/v1/api-keys/:id',
      {
        config: { access: { permission: Permission.INTEGRATIONS_MANAGE } },
        schema: {
          tags: ['integrations'],
          summary: 'Revoke an API key: it stops working at once',
          params: z.object({ id: z.string() }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        const { id } = request.params;
        if (!isUuid(id)) throw AppError.notFound('API key');
        await ctx.db.tenant(auth.tenantId, async (tx) => {
          const r = await tx
            .updateTable('api_keys')
            .set({ revoked_at: new Date(), revoked_by: auth.userId })
            .where('id', '=', id)
            .where('revoked_at', 'is', null)
            .returning(['name', 'prefix'])
            .executeTakeFirst();
          if (!r) {
            const exists = await tx.selectFrom('api_keys').select('id').where('id', '=', id).executeTakeFirst();
            if (!exists) throw AppError.notFound('API key');
            return;
          }
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.API_KEY_REVOKED,
            subject: { kind: 'api_key', id },
            details: { name: r.name, prefix: r.prefix },
          });
        });
        forgetKey(id);
        return reply.code(204).send(null);
      },
    );

    // ------------------------------------------------------------------ webhooks

    const listWebhooks = async (tenantId: string, only?: string) =>
      ctx.db.tenant(tenantId, async (tx) => {
        let q = tx
          .selectFrom('webhooks')
          .select([
            'id',
            'url',
            'events',
            'active',
            'created_by',
            'created_at',
            'secret_scheme',
            'rotated_at',
            'previous_until',
          ])
          .orderBy('created_at', 'desc');
        if (only) q = q.where('id', '=', only);
        const hooks = await q.execute();
        const counts = await tx
          .selectFrom('webhook_deliveries')
          .select(['webhook_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
          .groupBy(['webhook_id', 'status'])
          .execute();
        // The last attempts of each webhook (issue 15: failures visible to the customer).
        const recent = hooks.length
          ? await sql<{
              webhook_id: string;
              delivery_id: string;
              event_type: string;
              attempt: number;
              at: Date;
              status_code: number | null;
              error: string | null;
            }>`
              SELECT x.webhook_id, x.delivery_id, x.event_type, x.attempt, x.at, x.status_code, x.error FROM (
                SELECT d.webhook_id, a.delivery_id, d.event_type, a.attempt, a.at, a.status_code, a.error,
                       row_number() OVER (PARTITION BY d.webhook_id ORDER BY a.at DESC, a.attempt DESC) AS n
                  FROM webhook_attempts a JOIN webhook_deliveries d ON d.tenant_id = a.tenant_id AND d.id = a.delivery_id
                 WHERE d.webhook_id = ANY (${hooks.map((h) => h.id)}::uuid[])) x
               WHERE x.n <= 5 ORDER BY x.at DESC, x.attempt DESC`.execute(tx)
          : { rows: [] };
        const now = Date.now();
        return hooks.map((h) => {
          const n = (s: string) => Number(counts.find((c) => c.webhook_id === h.id && c.status === s)?.n ?? 0);
          return {
            id: h.id,
            url: h.url,
            events: h.events as (typeof WEBHOOK_EVENTS)[number][],
            active: h.active,
            createdBy: h.created_by,
            createdAt: iso(h.created_at)!,
            deliveries: { pending: n('pending'), delivered: n('delivered'), failed: n('failed') },
            secretScheme: h.secret_scheme,
            rotatedAt: iso(h.rotated_at),
            previousSecretUntil:
              h.previous_until && new Date(h.previous_until).getTime() > now ? iso(h.previous_until) : null,
            lastAttempts: recent.rows
              .filter((r) => r.webhook_id === h.id)
              .map((r) => ({
                deliveryId: r.delivery_id,
                eventType: r.event_type,
                attempt: r.attempt,
                at: iso(r.at)!,
                statusCode: r.status_code,
                ok: r.status_code !== null && r.status_code >= 200 && r.status_code < 300,
                error: r.error,
              })),
          };
        });
      });

    app.get(
      '/api/v1/webhooks',
      {
        config: { access: { permission: Permission.INTEGRATIONS_MANAGE } },
        schema: {
          tags: ['integrations'],
          summary: 'Webhooks of this customer, with delivery counts and the last attempts',
          response: { 200: z.object({ webhooks: z.array(webhook) }) },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        return { webhooks: await listWebhooks(auth.tenantId) };
      },
    );

    app.post(
      '/api/v1/webhooks',
      {
        config: { access: { permission: Permission.INTEGRATIONS_MANAGE } },
        schema: {
          tags: ['integrations'],
          summary: 'Register a webhook; the answer holds its signing secret, shown this once',
          description:
            'Events are POSTed as JSON `{id, type, createdAt, data}` and signed to the Standard Webhooks specification (https://www.standardwebhooks.com): headers `webhook-id` (the event id, the same on every retry), `webhook-timestamp` (unix seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`, with the key the base64 after `whsec_` in the secret; after a rotation, for the overlap, a second signature with the previous secret, separated by a space). Verify with any Standard Webhooks library, e.g. `new Webhook(secret).verify(body, headers)`. The URL must be https and resolve to public addresses only (checked now and at every delivery). ' +
            '`response.completed` is sent for responses to identified surveys only (with the contact id and `answers` per question id, as in the responses API); confidential and anonymous surveys send no events for their answers at all, since an answer sent the moment it arrives can be traced to the invitation just answered: read their grouped results instead. ' +
            '`invitation.bounced` (ids of the invitation, survey and contact; for confidential and anonymous surveys only bounces of the first invitation, not of reminders), `contact.unsubscribed` (the contact id; the survey and invitation only for identified surveys), `survey.closed` (id, name, anonymity, time) and `followup.created` (issue 12, closed loop: ids, key score, its group, owner, due time and a link; not the answers).',
          body: createWebhookInput,
          response: {
            201: webhook
              .extend({
                secret: z.string().describe('the signing secret (`whsec_<base64>`): shown only in this answer'),
              })
              .meta({
                examples: [
                  {
                    id: EXAMPLE_ID,
                    url: 'https://crm.example.nl/hooks/peil',
                    events: ['response.completed'],
                    active: true,
                    createdBy: '0b7d2c8e-1f3a-4e5b-8c6d-9a0b1c2d3e4f',
                    createdAt: '2026-11-20T09:00:00.000Z',
                    deliveries: { pending: 0, delivered: 0, failed: 0 },
                    secretScheme: 'standard',
                    rotatedAt: null,
                    previousSecretUntil: null,
                    lastAttempts: [],
                    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
                  },
                ],
              }),
          },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        const { url, events } = request.body;
        try {
          await checkOutboundUrl(url, urlPolicy(ctx));
        } catch (err) {
          if (err instanceof UnsafeUrlError)
            throw new AppError(
              ErrorCode.VALIDATION,
              { key: 'problems:integrations.webhookUrlRefused', params: { reason: (lng) => translate(lng, err.text) } },
              {
                errors: [{ pointer: '/body/url', code: err.code, reason: err.message, message: err.text }],
              },
            );
          throw err;
        }
        const secret = newWebhookSecret();
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        const id = randomUUID();
        const unique = [...new Set(events)];
        await ctx.db.tenant(auth.tenantId, async (tx) => {
          await tx
            .insertInto('webhooks')
            .values({
              tenant_id: auth.tenantId,
              id,
              url,
              events: unique,
              secret_enc: keys.seal(secret),
              secret_scheme: 'standard',
              created_by: auth.userId,
            })
            .execute();
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.WEBHOOK_CREATED,
            subject: { kind: 'webhook', id },
            details: { url, events: unique },
          });
        });
        const [row] = await listWebhooks(auth.tenantId, id);
        return reply.code(201).send({ ...row!, secret });
      },
    );

    app.patch(
      '/api/v1/webhooks/:id',
      {
        config: { access: { permission: Permission.INTEGRATIONS_MANAGE } },
        schema: {
          tags: ['integrations'],
          summary: 'Deactivate or reactivate a webhook, or change the event types it receives',
          params: z.object({ id: z.string() }),
          body: z
            .object({ active: z.boolean().optional(), events: z.array(eventType).min(1).optional() })
            .refine((b) => b.active !== undefined || b.events !== undefined, { message: 'give active or events' })
            .meta({ examples: [{ active: false }, { events: ['response.completed', 'survey.closed'] }] }),
          response: { 200: webhook },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const { id } = request.params;
        if (!isUuid(id)) throw AppError.notFound('webhook');
        const events = request.body.events ? [...new Set(request.body.events)] : undefined;
        await ctx.db.tenant(auth.tenantId, async (tx) => {
          // Reactivated, it starts from now: responses that came in while it was off are not sent.
          const before = await tx
            .selectFrom('webhooks')
            .select(['active', 'events'])
            .where('id', '=', id)
            .executeTakeFirst();
          if (!before) throw AppError.notFound('webhook');
          const active = request.body.active ?? before.active;
          const turnedOn = active && !before.active;
          // Subscribed to response.completed only now: it starts from now too.
          const startsResponses =
            events?.includes('response.completed') && !before.events.includes('response.completed');
          const from =
            turnedOn || startsResponses ? { events_from: sql<Date>`now()`, cursor_at: sql<Date>`now()` } : {};
          await tx
            .updateTable('webhooks')
            .set({ active, ...(events ? { events } : {}), ...from })
            .where('id', '=', id)
            .execute();
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.WEBHOOK_CHANGED,
            subject: { kind: 'webhook', id },
            details: { ...(request.body.active !== undefined ? { active } : {}), ...(events ? { events } : {}) },
          });
        });
        const [row] = await listWebhooks(auth.tenantId, id);
        return row!;
      },
    );

    app.delete(
      '/api/v1/webhooks/:id',
      {
        config: { access: { permission: Permission.INTEGRATIONS_MANAGE } },
        schema: {
          tags: ['integrations'],
          summary: 'Delete a webhook with its delivery log; nothing more is sent to it',
          params: z.object({ id: z.string() }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        const { id } = request.params;
        if (!isUuid(id)) throw AppError.notFound('webhook');
        await ctx.db.tenant(auth.tenantId, async (tx) => {
          const r = await tx
            .deleteFrom('webhooks')
            .where('id', '=', id)
            .returning(['url', 'events'])
            .executeTakeFirst();
          if (!r) throw AppError.notFound('webhook');
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.WEBHOOK_DELETED,
            subject: { kind: 'webhook', id },
            details: { url: r.url, events: r.events },
          });
        });
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/v1/webhooks/:id/rotate-secret',
      {
        config: { access: { permission: Permission.INTEGRATIONS_MANAGE } },
        schema: {
          tags: ['integrations'],
          summary: 'Issue a new signing secret; the old one keeps signing beside it for the overlap',
          description: `Answers the new secret, shown this once. Until \`previousSecretUntil\` (default ${'WEBHOOK_SECRET_OVERLAP_HOURS'} hours, 24 unless configured) every delivery carries two signatures in \`webhook-signature\`: one with the new secret and one with the old, so the receiver can switch at any moment; after it, only the new one. Rotating again during an overlap ends the older secret at once. A legacy secret (from before Standard Webhooks) stops signing the old Peil-Signature header when its overlap ends.`,
          params: z.object({ id: z.string() }),
          body: z
            .object({
              overlapHours: z
                .number()
                .min(0)
                .max(720)
                .optional()
                .describe('how long the old secret still signs; 0: not at all'),
            })
            .default({})
            .meta({ examples: [{ overlapHours: 24 }] }),
          response: {
            200: z.object({
              id: z.string(),
              secret: z.string().describe('the new secret: shown only in this answer'),
              rotatedAt: z.string(),
              previousSecretUntil: z.string().nullable(),
            }),
          },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const { id } = request.params;
        if (!isUuid(id)) throw AppError.notFound('webhook');
        const hours = request.body.overlapHours ?? ctx.env.WEBHOOK_SECRET_OVERLAP_HOURS;
        const secret = newWebhookSecret();
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        const now = new Date();
        const until = hours > 0 ? new Date(now.getTime() + hours * 3_600_000) : null;
        await ctx.db.tenant(auth.tenantId, async (tx) => {
          const before = await tx
            .selectFrom('webhooks')
            .select(['secret_enc', 'secret_scheme'])
            .where('id', '=', id)
            .forUpdate()
            .executeTakeFirst();
          if (!before) throw AppError.notFound('webhook');
          await tx
            .updateTable('webhooks')
            .set({
              secret_enc: keys.seal(secret),
              secret_scheme: 'standard',
              previous_secret_enc: until ? before.secret_enc : null,
              previous_secret_scheme: until ? before.secret_scheme : null,
              previous_until: until,
              rotated_at: now,
            })
            .where('id', '=', id)
            .execute();
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.WEBHOOK_SECRET_ROTATED,
            subject: { kind: 'webhook', id },
            details: { overlapHours: hours, previousScheme: before.secret_scheme },
          });
        });
        return { id, secret, rotatedAt: now.toISOString(), previousSecretUntil: iso(until) };
      },
    );

    app.post(
      '/api/v1/webhooks/:id/ping',
      {
        config: { access: { permission: Permission.INTEGRATIONS_MANAGE } },
        schema: {
          tags: ['integrations'],
          summary: "Send a signed test event (`webhook.ping`) now and report the receiver's answer",
          description:
            'Sent once, also to an inactive webhook, whatever event types it receives; not retried. The attempt is in the delivery log.',
          params: z.object({ id: z.string() }),
          response: {
            200: z
              .object({
                deliveryId: z.string(),
                eventId: z.string(),
                ok: z.boolean(),
                statusCode: z.number().nullable(),
                error: z.string().nullable(),
                durationMs: z.number(),
                excerpt: z.string().nullable().describe('at most 500 characters of the answer'),
              })
              .meta({
                examples: [
                  {
                    deliveryId: EXAMPLE_ID,
                    eventId: '9c1e5a7b-2d3f-4a6b-8c0d-1e2f3a4b5c6d',
                    ok: true,
                    statusCode: 200,
                    error: null,
                    durationMs: 38,
                    excerpt: 'ok',
                  },
                ],
              }),
          },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const { id } = request.params;
        if (!isUuid(id)) throw AppError.notFound('webhook');
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        const deliveryId = randomUUID();
        const eventId = randomUUID();
        const claimed = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const hook = await tx.selectFrom('webhooks').select('id').where('id', '=', id).executeTakeFirst();
          if (!hook) throw AppError.notFound('webhook');
          const payload = {
            id: eventId,
            type: PING_EVENT,
            createdAt: new Date().toISOString(),
            data: { webhookId: id, message: 'Testbericht van Peil / Test event from Peil' },
          };
          await sql`
          INSERT INTO webhook_deliveries (tenant_id, id, webhook_id, event_id, event_type, payload_enc)
          VALUES (${auth.tenantId}::uuid, ${deliveryId}::uuid, ${id}::uuid, ${eventId}::uuid, ${PING_EVENT}, ${keys.sealJson(payload)})`.execute(
            tx,
          );
          // Claimed at once (under a lease), so the dispatcher does not send it as well.
          const d = await claimForRedelivery(ctx, tx, deliveryId);
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.WEBHOOK_PINGED,
            subject: { kind: 'webhook', id },
            details: { delivery: deliveryId },
          });
          return d!;
        });
        const [r] = await sendClaimed(ctx, auth.tenantId, [claimed], request.log);
        return {
          deliveryId,
          eventId,
          ok: r!.status !== null && r!.status >= 200 && r!.status < 300,
          statusCode: r!.status,
          error: r!.error,
          durationMs: r!.durationMs,
          excerpt: r!.excerpt,
        };
      },
    );

    app.get(
      '/api/v1/webhooks/:id/deliveries',
      {
        config: { access: { permission: Permission.INTEGRATIONS_MANAGE } },
        schema: {
          tags: ['integrations'],
          summary: 'The delivery log of a webhook: every event with each attempt, newest first',
          params: z.object({ id: z.string() }),
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
          response: { 200: z.object({ deliveries: z.array(delivery) }) },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const { id } = request.params;
        if (!isUuid(id)) throw AppError.notFound('webhook');
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          const hook = await tx.selectFrom('webhooks').select('id').where('id', '=', id).executeTakeFirst();
          if (!hook) throw AppError.notFound('webhook');
          const ds = await tx
            .selectFrom('webhook_deliveries')
            .selectAll()
            .where('webhook_id', '=', id)
            .orderBy('created_at', 'desc')
            .orderBy('id', 'desc')
            .limit(request.query.limit)
            .execute();
          const attempts = ds.length
            ? await tx
                .selectFrom('webhook_attempts')
                .selectAll()
                .where(
                  'delivery_id',
                  'in',
                  ds.map((d) => d.id),
                )
                .orderBy('attempt')
                .execute()
            : [];
          return {
            deliveries: ds.map((d) => ({
              id: d.id,
              eventId: d.event_id,
              eventType: d.event_type,
              status: d.status,
              attempts: d.attempts,
              nextAttemptAt: d.status === 'pending' ? iso(d.next_attempt_at) : null,
              lastStatusCode: d.last_status_code,
              lastError: d.last_error,
              deliveredAt: iso(d.delivered_at),
              createdAt: iso(d.created_at)!,
              log: attempts
                .filter((a) => a.delivery_id === d.id)
                .map((a) => ({
                  attempt: a.attempt,
                  at: iso(a.at)!,
                  statusCode: a.status_code,
                  error: a.error,
                  durationMs: a.duration_ms,
                  excerpt: a.excerpt,
                })),
            })),
          };
        });
      },
    );

    app.post(
      '/api/v1/webhook-deliveries/:id/redeliver',
      {
        config: { access: { permission: Permission.INTEGRATIONS_MANAGE } },
        schema: {
          tags: ['integrations'],
          summary:
            'Send a delivery again now (same event id and body, a new signature); the attempt is added to its log',
          params: z.object({ id: z.string() }),
          response: {
            202: z.object({ id: z.string(), status: z.enum(['pending', 'delivered', 'failed']), attempts: z.number() }),
          },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        const { id } = request.params;
        if (!isUuid(id)) throw AppError.notFound('delivery');
        const claimed = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const d = await claimForRedelivery(ctx, tx, id);
          if (!d) throw AppError.notFound('delivery');
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.WEBHOOK_REDELIVERED,
            subject: { kind: 'webhook_delivery', id },
            details: { webhookId: d.webhook_id },
          });
          return d;
        });
        await sendClaimed(ctx, auth.tenantId, [claimed], request.log);
        const d = await ctx.db.tenant(auth.tenantId, (tx) =>
          tx
            .selectFrom('webhook_deliveries')
            .select(['id', 'status', 'attempts'])
            .where('id', '=', id)
            .executeTakeFirstOrThrow(),
        );
        return reply.code(202).send(d);
      },
    );

    // ------------------------------------------------------------------ responses

    app.get(
      '/api/v1/surveys/:id/responses',
      {
        config: { access: { permission: Permission.RESPONSES_EXPORT } },
        schema: {
          tags: ['results'],
          summary: 'Responses of a survey as JSON, oldest first, with cursor pagination',
          description:
            'Identified surveys only, with the contact id. Confidential and anonymous surveys are refused (403, problem+json): their individual answers are never given out one by one with their time, language and text; read the grouped results (GET /api/v1/surveys/{id}/results), or the released export.',
          params: z.object({ id: z.string() }),
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(500).default(100),
            after: z.string().max(200).optional().describe('the `next` value of the previous page'),
          }),
          response: { 200: responsePage },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const { limit, after } = request.query;
        const cursor = after ? decodeCursor(after) : null;
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          const survey = await loadSurvey(tx, request.params.id);
          const mode = await sql<{
            anonymity: string | null;
          }>`SELECT (to_jsonb(s) ->> 'anonymity') AS anonymity FROM surveys s WHERE s.id = ${survey.id}::uuid`.execute(
            tx,
          );
          const anonymity = mode.rows[0]?.anonymity ?? 'identified';
          // OBLIGATIONS SVC-4: individual responses of a shielded survey are not given out here. For a
          // confidential survey they are never shown; for an anonymous one, each response's exact time,
          // language and text, in time order, would link it to the invitation answered at that moment.
          if (anonymity === 'confidential') {
            throw new AppError(
              ErrorCode.FORBIDDEN,
              { key: 'problems:integrations.confidentialNoResponses' },
              { extra: { anonymity } },
            );
          }
          if (anonymity !== 'identified') {
            throw new AppError(
              ErrorCode.FORBIDDEN,
              { key: 'problems:integrations.anonymousNoResponses' },
              { extra: { anonymity } },
            );
          }
          const rows = await sql<{
            id: string;
            submitted_at: Date;
            at_text: string;
            language: 'nl' | 'en';
            score: number | null;
            answers_enc: Buffer;
            contact_id: string | null;
          }>`
          SELECT id, submitted_at, submitted_at::text AS at_text, language, score, answers_enc, contact_id FROM responses
           WHERE survey_id = ${survey.id}::uuid
             ${cursor ? sql`AND (submitted_at, id) > (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : sql``}
           ORDER BY submitted_at, id LIMIT ${limit + 1}`
            .execute(tx)
            .catch((err: Error) => {
              if (cursor)
                throw new AppError(
                  ErrorCode.VALIDATION,
                  { key: 'problems:integrations.badCursor' },
                  {
                    errors: [{ pointer: '/query/after', reason: 'invalid cursor' }],
                  },
                );
              throw err;
            });
          const page = rows.rows.slice(0, limit);
          const last = page[page.length - 1];
          if (page.length)
            await audit(tx, auth.tenantId, actorOf(request, auth), {
              action: AuditAction.RESPONSES_READ,
              subject: { kind: 'survey', id: survey.id },
              details: { responses: page.length, format: 'json' },
            });
          return {
            anonymity: 'identified' as const,
            responses: page.map((r) => ({
              id: r.id,
              surveyId: survey.id,
              submittedAt: new Date(r.submitted_at).toISOString(),
              language: r.language,
              score: r.score,
              answers: answersByQuestion(survey.definition, keys.openJson(r.answers_enc)),
              contactId: r.contact_id,
            })),
            next: rows.rows.length > limit && last ? encodeCursor(last.at_text, last.id) : null,
          };
        });
      },
    );
  };
}
