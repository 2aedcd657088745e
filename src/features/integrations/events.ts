import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Tx } from '../../lib/db/db.js';

/**
 * THE public door of integrations for other features (issue 15): the webhook event types and
 * `emitEvent`, which another feature calls in the transaction of its change. It writes one delivery
 * row per active webhook subscribed to the type (the outbox: the dispatcher in webhooks.ts signs,
 * sends, retries and logs it), so the event exists exactly when the change commits.
 *
 * What an event may carry is decided by its caller, under OBLIGATIONS SVC-4: nothing from a
 * confidential or anonymous survey that links a person to an answer (no answers, no response ids,
 * no answer times). See the callers: surveys (survey.closed), distribution/send.ts
 * (invitation.bounced), distribution/unsubscribe.ts (contact.unsubscribed), followups.
 */
export const WEBHOOK_EVENTS = [
  'response.completed',
  'invitation.bounced',
  'contact.unsubscribed',
  'survey.closed',
  'followup.created',
] as const;
/** The test event of POST /api/v1/webhooks/{id}/ping: sent to the one webhook, whatever it subscribed to. */
export const PING_EVENT = 'webhook.ping';

/** Data of each event type other features emit (the `data` member of the body). */
export interface EventData {
  'invitation.bounced': {
    invitationId: string;
    surveyId: string;
    contactId: string | null;
    mail: 'invitation' | 'reminder';
  };
  'contact.unsubscribed': {
    contactId: string | null;
    surveyId: string | null;
    invitationId: string | null;
    source: 'one-click' | 'link';
  };
  'survey.closed': {
    surveyId: string;
    name: string;
    anonymity: 'identified' | 'confidential' | 'anonymous';
    closedAt: string;
  };
  'followup.created': Record<string, unknown>;
}

/**
 * One delivery per active webhook of the tenant that subscribed to `type`, in the caller's
 * transaction. `eventId` is unique per event (a re-run with the same id creates nothing twice).
 * Returns how many deliveries were created. Seals only when some webhook wants the event.
 */
export async function emitEvent<T extends keyof EventData>(
  tx: Tx,
  tenantId: string,
  keys: { sealJson(v: unknown): Buffer },
  type: T,
  data: EventData[T],
  eventId: string = randomUUID(),
): Promise<number> {
  const hooks = await tx
    .selectFrom('webhooks')
    .select('id')
    .where('active', '=', true)
    .where(sql<boolean>`${type} = ANY (events)`)
    .execute();
  if (!hooks.length) return 0;
  const payload = keys.sealJson({ id: eventId, type, createdAt: new Date().toISOString(), data });
  let created = 0;
  for (const h of hooks) {
    const ins = await sql`
      INSERT INTO webhook_deliveries (tenant_id, id, webhook_id, event_id, event_type, payload_enc)
      VALUES (${tenantId}::uuid, ${randomUUID()}::uuid, ${h.id}::uuid, ${eventId}::uuid, ${type}, ${payload})
      ON CONFLICT (tenant_id, webhook_id, event_id) DO NOTHING`.execute(tx);
    created += Number(ins.numAffectedRows ?? 0);
  }
  return created;
}
