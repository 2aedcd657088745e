import { startTick } from '../../lib/tick.js';
import { randomUUID } from 'node:crypto';
import { log as appLog, type Logger } from '../../lib/log.js';
import { webhookDeliveries } from '../../lib/metrics.js';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import type { Tx } from '../../lib/db/db.js';
import { checkOutboundUrl, UnsafeUrlError, type UrlPolicy } from '../../lib/http/ssrf.js';
import { scrubAddresses } from '../../lib/scrub.js';
import { pruneIdempotencyKeys } from './idempotency.js';
import { answersByQuestion, type AnswersById } from '../surveys/answers.js';
import type { SurveyDefinition } from '../surveys/definition.js';
import { PING_EVENT } from './events.js';
import { signatureHeaders, type SigningSecret } from './signing.js';

/**
 * OBLIGATIONS SVC-5: webhooks (issue 15: to the Standard Webhooks specification, signing.ts).
 *
 * `response.completed` is durable without touching the response writer: each webhook has a cursor
 * (submitted_at, id) over the tenant's responses. The dispatcher (a sweep every WEBHOOK_SWEEP_MS, in
 * every process; rows are claimed with locks, so several processes do not collide) reads the
 * responses past the cursor (from 60 s before it, because a writer batch that started earlier can
 * commit later), creates one delivery per response and webhook (UNIQUE, so a re-read creates nothing
 * twice), and moves the cursor, in one transaction. The other events are delivery rows written by
 * their feature in the transaction of the change (events.ts emitEvent: the outbox). Then it sends the
 * due deliveries: a POST with the `webhook-id`, `webhook-timestamp` and `webhook-signature` headers
 * (one signature per valid secret: two during a rotation's overlap), retried with exponential back-off
 * on non-2xx answers, time-outs and network errors, up to WEBHOOK_MAX_ATTEMPTS. Every attempt is
 * kept, with the status and at most 500 characters of the answer, and every failed one is logged
 * (pino, ids and status only).
 *
 * SSRF (SEC-3): the URL is checked when the webhook is registered and again at every delivery (DNS
 * may have changed); the connection goes to the address that was checked, redirects are not
 * followed, and every attempt has a time-out.
 *
 * Anonymity (OBLIGATIONS SVC-4): only identified surveys send `response.completed` (with the contact
 * id and the answers per question id, surveys/answers.ts). Confidential and anonymous surveys send
 * none, and nothing instead: customer staff never see an individual answer of a confidential survey,
 * and an event per anonymous answer, sent as it arrives with its exact time, language and unredacted
 * text, would be linked by its time to the invitation just marked answered. An integrator reads such
 * surveys through the results (and the released export). Their other events carry no answer, no
 * response id and no answer time (see the callers of emitEvent).
 */
const EXCERPT = 500;
const LATE_COMMIT_SECONDS = 60;
const BATCH = 200;

/** Where delivery failures are logged: the app's pino logger (never a payload, a secret or an answer). */
export type WebhookLog = Pick<Logger, 'warn'>;

export function urlPolicy(ctx: AppContext): UrlPolicy {
  return ctx.env.PEIL_WEBHOOK_ALLOW_PRIVATE ? { allowHttp: true, allowPrivate: true } : {};
}

export interface WebhookPayload {
  id: string;
  type: 'response.completed';
  createdAt: string;
  data: {
    responseId: string;
    surveyId: string;
    submittedAt: string;
    language: string;
    score: number | null;
    /** Always 'identified': other surveys send no events. */
    anonymity: 'identified';
    answers: AnswersById;
    contactId: string | null;
  };
}

interface PostResult {
  status: number | null;
  error: string | null;
  excerpt: string | null;
  durationMs: number;
}

/** One POST to a checked address; never follows redirects, reads at most a short excerpt. */
export async function postSigned(
  ctx: AppContext,
  rawUrl: string,
  secrets: SigningSecret[],
  body: string,
  eventId: string,
): Promise<PostResult> {
  const started = Date.now();
  let checked: { url: URL; addresses: string[] };
  try {
    checked = await checkOutboundUrl(rawUrl, urlPolicy(ctx));
  } catch (err) {
    return {
      status: null,
      error: err instanceof UnsafeUrlError ? `refused: ${err.message}` : String(err),
      excerpt: null,
      durationMs: Date.now() - started,
    };
  }
  const { url, addresses } = checked;
  const address = addresses[0]!;
  const family = isIP(address) === 6 ? 6 : 4;
  // Connect to the address that was checked, not to whatever the name resolves to a moment later.
  const lookup: LookupFunction = (_host, opts, cb) => {
    if ((opts as { all?: boolean }).all)
      (cb as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else cb(null, address, family);
  };
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const done = (r: Omit<PostResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...r, durationMs: Date.now() - started });
    };
    const req = lib.request(
      url,
      {
        method: 'POST',
        lookup,
        timeout: ctx.env.WEBHOOK_TIMEOUT_MS,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Peil-Webhooks/1',
          'peil-event-id': eventId,
          ...signatureHeaders(secrets, eventId, body),
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < EXCERPT) text += chunk;
          if (text.length >= EXCERPT) res.destroy();
        });
        const finish = () =>
          done({ status: res.statusCode ?? null, error: null, excerpt: text.slice(0, EXCERPT) || null });
        res.on('end', finish);
        res.on('close', finish);
      },
    );
    const timer = setTimeout(
      () => req.destroy(new Error(`timed out after ${ctx.env.WEBHOOK_TIMEOUT_MS} ms`)),
      ctx.env.WEBHOOK_TIMEOUT_MS,
    );
    req.on('timeout', () => req.destroy(new Error(`timed out after ${ctx.env.WEBHOOK_TIMEOUT_MS} ms`)));
    req.on('error', (err) => done({ status: null, error: err.message.slice(0, EXCERPT), excerpt: null }));
    req.on('close', () => clearTimeout(timer));
    req.end(body);
  });
}

/** The anonymity mode of a survey, read so that it works whether or not the column exists yet. */
const anonymityExpr = sql<string | null>`(to_jsonb(s) ->> 'anonymity')`;

/** Creates deliveries for the responses past each active webhook's cursor, and moves the cursors. */
export async function collectEvents(ctx: AppContext, tenantId: string): Promise<number> {
  const keys = await ctx.keyring.forTenant(tenantId);
  return ctx.db.tenant(tenantId, async (tx) => {
    const hooks = await sql<{ id: string; cursor_at: string; cursor_id: string }>`
      SELECT id, cursor_at::text AS cursor_at, cursor_id FROM webhooks
       WHERE active AND 'response.completed' = ANY (events) FOR UPDATE SKIP LOCKED`.execute(tx);
    let created = 0;
    for (const h of hooks.rows) {
      // Only identified surveys give events (see above), and responses from before the webhook existed
      // none; everything else past (cursor − 60 s) without a delivery yet gets one.
      const rows = await sql<{
        id: string;
        survey_id: string;
        contact_id: string | null;
        submitted_at: Date;
        at_text: string;
        language: string;
        score: number | null;
        answers_enc: Buffer;
        definition: SurveyDefinition;
      }>`
        SELECT r.id, r.survey_id, r.contact_id, r.submitted_at, r.submitted_at::text AS at_text, r.language, r.score, r.answers_enc, s.definition
          FROM responses r
          JOIN surveys s ON s.tenant_id = r.tenant_id AND s.id = r.survey_id
          JOIN webhooks w ON w.tenant_id = r.tenant_id AND w.id = ${h.id}::uuid
         WHERE r.submitted_at >= ${h.cursor_at}::timestamptz - make_interval(secs => ${LATE_COMMIT_SECONDS})
           AND r.submitted_at >= w.events_from
           AND coalesce(${anonymityExpr}, 'identified') = 'identified'
           AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.tenant_id = r.tenant_id AND d.webhook_id = w.id AND d.event_id = r.id)
         ORDER BY r.submitted_at, r.id
         LIMIT ${BATCH}`.execute(tx);
      let last: { at: string; id: string } | null = null;
      for (const r of rows.rows) {
        last = { at: r.at_text, id: r.id };
        const payload: WebhookPayload = {
          id: r.id,
          type: 'response.completed',
          createdAt: new Date().toISOString(),
          data: {
            responseId: r.id,
            surveyId: r.survey_id,
            submittedAt: new Date(r.submitted_at).toISOString(),
            language: r.language,
            score: r.score,
            anonymity: 'identified',
            answers: answersByQuestion(r.definition, keys.openJson(r.answers_enc)),
            contactId: r.contact_id,
          },
        };
        const ins = await sql`
          INSERT INTO webhook_deliveries (tenant_id, id, webhook_id, event_id, event_type, payload_enc)
          VALUES (${tenantId}::uuid, ${randomUUID()}::uuid, ${h.id}::uuid, ${r.id}::uuid, 'response.completed', ${keys.sealJson(payload)})
          ON CONFLICT (tenant_id, webhook_id, event_id) DO NOTHING`.execute(tx);
        created += Number(ins.numAffectedRows ?? 0);
      }
      if (last) {
        await sql`UPDATE webhooks SET cursor_at = ${last.at}::timestamptz, cursor_id = ${last.id}::uuid
                   WHERE id = ${h.id}::uuid AND (cursor_at, cursor_id) < (${last.at}::timestamptz, ${last.id}::uuid)`.execute(
          tx,
        );
      }
    }
    return created;
  });
}

export interface Due {
  id: string;
  webhook_id: string;
  event_id: string;
  attempts: number;
  payload_enc: Buffer;
  event_type: string;
  url: string;
  secret_enc: Buffer;
  secret_scheme: 'legacy' | 'standard';
  previous_secret_enc: Buffer | null;
  previous_secret_scheme: 'legacy' | 'standard' | null;
  /** the previous secret still signs (its overlap has not ended) */
  overlapping: boolean;
  active: boolean;
}

const DUE_COLUMNS = sql`d.id, d.webhook_id, d.event_id, d.attempts, d.payload_enc, d.event_type, w.url, w.secret_enc, w.secret_scheme, w.previous_secret_enc, w.previous_secret_scheme, coalesce(w.previous_until > now(), false) AS overlapping, w.active`;

/** The secrets a delivery is signed with now: the current one, and the previous one during its overlap. */
function secretsOf(
  keys: { open(b: Buffer): string },
  d: Pick<Due, 'secret_enc' | 'secret_scheme' | 'previous_secret_enc' | 'previous_secret_scheme' | 'overlapping'>,
): SigningSecret[] {
  const out: SigningSecret[] = [{ secret: keys.open(d.secret_enc), scheme: d.secret_scheme }];
  if (d.overlapping && d.previous_secret_enc && d.previous_secret_scheme)
    out.push({ secret: keys.open(d.previous_secret_enc), scheme: d.previous_secret_scheme });
  return out;
}

/** Claims the tenant's due deliveries (a lease longer than one attempt), sends them, records each attempt. */
export async function deliverDue(ctx: AppContext, tenantId: string, log: WebhookLog = appLog): Promise<number> {
  const due = await ctx.db.tenant(tenantId, async (tx) => {
    const r = await sql<Due>`
      UPDATE webhook_deliveries d SET next_attempt_at = now() + make_interval(secs => ${leaseSeconds(ctx)})
        FROM webhooks w
       WHERE w.tenant_id = d.tenant_id AND w.id = d.webhook_id
         AND d.id IN (SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= now()
                      ORDER BY next_attempt_at LIMIT 50 FOR UPDATE SKIP LOCKED)
      RETURNING ${DUE_COLUMNS}`.execute(tx);
    return r.rows;
  });
  await sendClaimed(ctx, tenantId, due, log);
  return due.length;
}

const leaseSeconds = (ctx: AppContext) => (ctx.env.WEBHOOK_TIMEOUT_MS + 30_000) / 1000;

/** Manual redeliver: the delivery is claimed in the caller's transaction (pending, under a lease). */
export async function claimForRedelivery(ctx: AppContext, tx: Tx, deliveryId: string): Promise<Due | undefined> {
  const r = await sql<Due>`
    UPDATE webhook_deliveries d SET status = 'pending', next_attempt_at = now() + make_interval(secs => ${leaseSeconds(ctx)})
      FROM webhooks w
     WHERE w.tenant_id = d.tenant_id AND w.id = d.webhook_id AND d.id = ${deliveryId}::uuid
    RETURNING ${DUE_COLUMNS}`.execute(tx);
  return r.rows[0];
}

export async function sendClaimed(
  ctx: AppContext,
  tenantId: string,
  due: Due[],
  log: WebhookLog = appLog,
): Promise<PostResult[]> {
  if (!due.length) return [];
  const keys = await ctx.keyring.forTenant(tenantId);
  const results: PostResult[] = [];
  for (const d of due) {
    // A ping goes out once (the answer is the point), even to an inactive webhook; events wait for none.
    const ping = d.event_type === PING_EVENT;
    if (!d.active && !ping) {
      const r = { status: null, error: 'the webhook is inactive', excerpt: null, durationMs: 0 };
      await record(ctx, tenantId, d, r, true, log);
      results.push(r);
      continue;
    }
    const payload = keys.openJson<WebhookPayload>(d.payload_enc);
    const body = JSON.stringify(payload);
    const result = await postSigned(ctx, d.url, secretsOf(keys, d), body, d.event_id);
    await record(ctx, tenantId, d, result, ping, log);
    results.push(result);
  }
  return results;
}

async function record(
  ctx: AppContext,
  tenantId: string,
  d: Due,
  r: PostResult,
  giveUp: boolean,
  log: WebhookLog,
): Promise<void> {
  const attempt = d.attempts + 1;
  const ok = r.status !== null && r.status >= 200 && r.status < 300;
  const final = ok || giveUp || attempt >= ctx.env.WEBHOOK_MAX_ATTEMPTS;
  const waitMs = ctx.env.WEBHOOK_RETRY_BASE_MS * 2 ** (attempt - 1);
  const error = scrubAddresses(r.error);
  if (!ok) {
    // Issue 15: every failed attempt is logged for the operator: ids, the status and whether it is
    // retried; never the URL (it may hold a token), the payload, the secret or the receiver's answer.
    log.warn(
      {
        event: 'webhook.delivery_failed',
        tenantId,
        webhookId: d.webhook_id,
        deliveryId: d.id,
        eventId: d.event_id,
        eventType: d.event_type,
        attempt,
        statusCode: r.status,
        durationMs: r.durationMs,
        retryInMs: final ? null : waitMs,
        final,
      },
      r.status === null
        ? 'webhook delivery failed: no answer'
        : `webhook delivery failed: the receiver answered ${r.status}`,
    );
  }
  await ctx.db.tenant(tenantId, async (tx: Tx) => {
    // OBLIGATIONS LOG-1: the receiver's answer is kept for the customer to read; an address it quotes is not.
    await tx
      .insertInto('webhook_attempts')
      .values({
        tenant_id: tenantId,
        id: randomUUID(),
        delivery_id: d.id,
        attempt,
        status_code: r.status,
        error,
        duration_ms: r.durationMs,
        excerpt: scrubAddresses(r.excerpt),
      })
      .execute();
    await tx
      .updateTable('webhook_deliveries')
      .set({
        attempts: attempt,
        status: ok ? 'delivered' : final ? 'failed' : 'pending',
        last_status_code: r.status,
        last_error: ok ? null : (error ?? `the receiver answered ${r.status}`),
        delivered_at: ok ? new Date() : null,
        next_attempt_at: new Date(Date.now() + (final ? 0 : waitMs)),
      })
      .where('id', '=', d.id)
      .execute();
  });
  webhookDeliveries.inc({ outcome: ok ? 'delivered' : final ? 'failed' : 'retrying' });
}

/** One round: every tenant with an active webhook or a due delivery. */
export async function dispatchOnce(ctx: AppContext, log: WebhookLog = appLog): Promise<void> {
  const tenants = await ctx.db.crossTenant('integrations', async (tx) => {
    const a = await tx.selectFrom('webhooks').select('tenant_id').where('active', '=', true).distinct().execute();
    const b = await tx
      .selectFrom('webhook_deliveries')
      .select('tenant_id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', new Date())
      .distinct()
      .execute();
    // OBLIGATIONS AGR-6: a suspended customer's webhooks wait (the cursor and pending deliveries stay,
    // so after the resume every event is collected and delivered).
    const paused = new Set(
      (await tx.selectFrom('tenants').select('id').where('status', '<>', 'active').execute()).map((r) => r.id),
    );
    return [...new Set([...a, ...b].map((r) => r.tenant_id))].filter((id) => !paused.has(id));
  });
  for (const tenantId of tenants) {
    try {
      await collectEvents(ctx, tenantId);
      await deliverDue(ctx, tenantId, log);
    } catch (err) {
      log.warn({ event: 'webhook.dispatch_failed', tenantId, err: (err as Error).message }, 'webhook dispatch failed');
    }
  }
}

/**
 * The delivery log is kept for 30 days: its sealed payloads hold answers and contact ids, which
 * should not outlive their use (policy integrations_prune; attempts go with their delivery).
 */
export async function pruneDeliveryLog(ctx: AppContext): Promise<number> {
  const r = await ctx.db.crossTenant('integrations', (tx) =>
    tx
      .deleteFrom('webhook_deliveries')
      .where('status', '<>', 'pending')
      .where('created_at', '<', sql<Date>`now() - interval '30 days'`)
      .executeTakeFirst(),
  );
  return Number(r.numDeletedRows);
}

/** The sweep: webhooks every WEBHOOK_SWEEP_MS, the idempotency prune every 10 minutes. */
export function startDispatcher(ctx: AppContext, log: WebhookLog = appLog): () => Promise<void> {
  let lastPrune = 0;
  return startTick(
    '[webhooks] sweep',
    ctx.env.WEBHOOK_SWEEP_MS / 1000,
    async () => {
      await dispatchOnce(ctx, log);
      if (Date.now() - lastPrune > 10 * 60_000) {
        await pruneIdempotencyKeys(ctx);
        await pruneDeliveryLog(ctx);
        lastPrune = Date.now();
      }
    },
    { atStart: false, db: ctx.db },
  );
}
