import { z } from 'zod';
import { answersById } from '../surveys/answers.js';
import { PING_EVENT, WEBHOOK_EVENTS } from './events.js';

/**
 * The bodies of the webhook events, as zod schemas: the OpenAPI document's `webhooks` section is
 * generated from them (app.ts), and the tests check what a receiver gets against them.
 */
const envelope = <T extends string, D extends z.ZodType>(type: T, data: D, summary: string) =>
  z
    .strictObject({
      id: z.string().describe('the event id; also the `webhook-id` header, the same on every retry'),
      type: z.literal(type),
      createdAt: z.string().describe('when the event was created (ISO 8601)'),
      data,
    })
    .describe(summary);

export const EVENT_SCHEMAS = {
  'response.completed': envelope(
    'response.completed',
    z.strictObject({
      responseId: z.string(),
      surveyId: z.string(),
      submittedAt: z.string(),
      language: z.string(),
      score: z.number().nullable().describe('the key score (first NPS/eNPS/CSAT/CES question)'),
      anonymity: z.literal('identified').describe('only identified surveys send this event'),
      answers: answersById,
      contactId: z.string().nullable(),
    }),
    'An answer to an identified survey (confidential and anonymous surveys send none)',
  ),
  'invitation.bounced': envelope(
    'invitation.bounced',
    z.strictObject({
      invitationId: z.string(),
      surveyId: z.string(),
      contactId: z.string().nullable(),
      mail: z.enum(['invitation', 'reminder']),
    }),
    'A mail was refused for good (SMTP 5xx); the address is now on the suppression list. For confidential and anonymous surveys only bounces of the first invitation',
  ),
  'contact.unsubscribed': envelope(
    'contact.unsubscribed',
    z.strictObject({
      contactId: z.string().nullable(),
      surveyId: z.string().nullable().describe('null for confidential and anonymous surveys'),
      invitationId: z.string().nullable().describe('null for confidential and anonymous surveys'),
      source: z.enum(['one-click', 'link']),
    }),
    'A contact used the unsubscribe link of a mail',
  ),
  'survey.closed': envelope(
    'survey.closed',
    z.strictObject({
      surveyId: z.string(),
      name: z.string(),
      anonymity: z.enum(['identified', 'confidential', 'anonymous']),
      closedAt: z.string(),
    }),
    'A survey was closed',
  ),
  'followup.created': envelope(
    'followup.created',
    z.record(z.string(), z.unknown()),
    'The closed loop created a follow-up (ids, key score, its group, owner, due time and a link; not the answers)',
  ),
  [PING_EVENT]: envelope(
    PING_EVENT,
    z.strictObject({ webhookId: z.string(), message: z.string() }),
    'A test event (POST /api/v1/webhooks/{id}/ping)',
  ),
} satisfies Record<(typeof WEBHOOK_EVENTS)[number] | typeof PING_EVENT, z.ZodType>;

const SIGNATURE_HEADERS = [
  { name: 'webhook-id', in: 'header', required: true, schema: { type: 'string' }, description: 'the event id' },
  {
    name: 'webhook-timestamp',
    in: 'header',
    required: true,
    schema: { type: 'string' },
    description: 'unix seconds of this attempt',
  },
  {
    name: 'webhook-signature',
    in: 'header',
    required: true,
    schema: { type: 'string' },
    description:
      '`v1,<base64 HMAC-SHA256>` over `<webhook-id>.<webhook-timestamp>.<body>`; two, separated by a space, during a secret rotation overlap (Standard Webhooks)',
  },
];

function withoutDialect(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

/** The OpenAPI 3.1 `webhooks` object: one entry per event type. */
export function webhooksDocument(): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(EVENT_SCHEMAS).map(([type, schema]) => [
      type,
      {
        post: {
          operationId: `webhook_${type.replace('.', '_')}`,
          summary: schema.description,
          tags: ['integrations'],
          parameters: SIGNATURE_HEADERS,
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: withoutDialect(z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any' })),
              },
            },
          },
          responses: {
            '200': {
              description:
                'Any 2xx answer counts as delivered; anything else (or no answer within the time-out) is retried with back-off',
            },
          },
        },
      },
    ]),
  );
}
