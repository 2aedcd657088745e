import { startTick, yieldToEventLoop } from '../../lib/tick.js';
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import type { TenantKeys } from '../../lib/crypto/keyring.js';
import type { Lang } from '../../lib/db/schema.js';
import type { Tx } from '../../lib/db/db.js';
import type { SendResult } from '../../lib/mail/mailer.js';
import { scrubAddresses } from '../../lib/scrub.js';
import { signedRowToken } from '../../lib/tokens.js';
import type { SurveyDefinition } from '../surveys/definition.js';
import { customerRequestPath, invitationRequestPath } from '../requests/links.js';
import { composeMail, recipientOf, templateTexts, unsubscribeLink, type MailTexts, type TemplateKind } from './mail.js';
import { emitEvent } from '../integrations/events.js';

export const SEND_QUEUE = 'invitations-send';
/** Invitations read, decrypted and handed to the pooled transport at once (measured in bench/invitations.ts). */
const CHUNK = 1000;
const MAX_ATTEMPTS = 3;
/** How often scheduled distributions are released and reminders are sent. */
export const TICK_MS = 60_000;

export interface SendJob {
  tenantId: string;
  distributionId: string;
}

/** The respondent's link: it names the invitation and its survey, so answering needs no look-up. */
export function invitationLink(
  baseUrl: string,
  tenantId: string,
  invitationId: string,
  mac: (b: Buffer) => Buffer,
  surveyId?: string,
): string {
  return `${baseUrl}/s/${signedRowToken(tenantId, invitationId, mac, surveyId)}`;
}

interface JobSetup {
  surveyId: string;
  texts: MailTexts;
  organisation: string;
  survey: string;
  surveyOpen: boolean;
  /** DSR-1: an anonymous survey's mails link to the customer's request page (see requests/links.ts). */
  anonymous: boolean;
  /** Issue 15: bounces of reminders give webhook events for identified surveys only (SVC-4). */
  identified: boolean;
  status: string;
  /** OBLIGATIONS AGR-6: a suspended customer's jobs send nothing (the invitations stay queued). */
  tenantActive: boolean;
}

async function loadSetup(tx: Tx, distributionId: string, kind: TemplateKind): Promise<JobSetup | null> {
  const d = await tx
    .selectFrom('distributions as d')
    .innerJoin('surveys as s', (j) => j.onRef('s.tenant_id', '=', 'd.tenant_id').onRef('s.id', '=', 'd.survey_id'))
    .innerJoin('tenants as t', 't.id', 'd.tenant_id')
    .select([
      'd.status',
      'd.template_id',
      'd.reminder_template_id',
      'd.survey_id',
      's.definition',
      's.name as survey',
      's.status as survey_status',
      's.anonymity',
      't.name as organisation',
      't.status as tenant_status',
    ])
    .where('d.id', '=', distributionId)
    .executeTakeFirst();
  if (!d) return null;
  const def = d.definition as SurveyDefinition;
  const texts = await templateTexts(tx, kind, kind === 'invitation' ? d.template_id : d.reminder_template_id, def);
  return {
    surveyId: d.survey_id,
    texts,
    organisation: d.organisation,
    survey: d.survey,
    surveyOpen: d.survey_status === 'open',
    anonymous: d.anonymity === 'anonymous',
    identified: d.anonymity === 'identified',
    status: d.status,
    tenantActive: d.tenant_status === 'active',
  };
}

interface MailRow {
  id: string;
  language: Lang;
  attempts: number;
  email_hmac: Buffer;
  email_enc: Buffer;
  first_name_enc: Buffer | null;
  infix_enc: Buffer | null;
  last_name_enc: Buffer | null;
  suppressed: boolean;
}

interface Outcome {
  id: string;
  /** 'sent' | 'failed' | 'retry' | 'suppressed' */
  result: 'sent' | 'failed' | 'retry' | 'suppressed';
  error: string | null;
  attempts: number;
  hmac: Buffer;
  email: string | null;
}

/** Sends the mails of one chunk through the (pooled) transport, a bounded number at a time; suppressed rows are not mailed. */
async function mailChunk(
  ctx: AppContext,
  keys: TenantKeys,
  tenantId: string,
  setup: JobSetup,
  rows: MailRow[],
  kind: TemplateKind,
): Promise<Outcome[]> {
  // On PGlite the outbox is the one connection: mails queued for it run back to back without a turn for
  // anything else, so only a few wait there at a time (SEC-2; 64 cost 0.7 s of event loop per turn).
  const limit =
    ctx.db.kind === 'pglite' && ctx.mailer.kind === 'outbox'
      ? OUTBOX_IN_FLIGHT_PGLITE
      : Math.max(IN_FLIGHT, ctx.env.SMTP_POOL_SIZE * 4);
  return inFlight(rows, limit, async (row): Promise<Outcome> => {
    if (row.suppressed)
      return {
        id: row.id,
        result: 'suppressed',
        error: null,
        attempts: row.attempts,
        hmac: row.email_hmac,
        email: null,
      };
    const r = recipientOf(keys, row);
    const link = invitationLink(ctx.env.baseUrl, tenantId, row.id, (b) => keys.tokenMac(b), setup.surveyId);
    const msg = composeMail(setup.texts, r, {
      lang: row.language,
      organisation: setup.organisation,
      survey: setup.survey,
      link,
      unsubscribeLink: unsubscribeLink(ctx.env.baseUrl, tenantId, row.id, keys),
      requestLink: `${ctx.env.baseUrl}${setup.anonymous ? customerRequestPath(keys, tenantId) : invitationRequestPath(keys, tenantId, row.id)}`,
    });
    let res: SendResult;
    try {
      res = await ctx.mailer.send(tenantId, kind, msg);
    } catch (err) {
      res = { ok: false, response: (err as Error).message };
    }
    // A permanent refusal (SMTP 5xx) is final at once; anything else is tried again, up to MAX_ATTEMPTS.
    const attempts = res.ok || !res.permanent ? row.attempts + 1 : MAX_ATTEMPTS;
    const result = res.ok ? 'sent' : attempts >= MAX_ATTEMPTS ? 'failed' : 'retry';
    // OBLIGATIONS LOG-1, SEC-1: the reply is stored in clear (invitations.last_error, and a bounce's
    // suppressions.details) and often quotes the recipient; the address is removed before it is kept.
    const error = res.ok ? null : scrubAddresses(res.response ?? 'unknown error').slice(0, 500);
    return {
      id: row.id,
      result,
      error,
      attempts,
      hmac: row.email_hmac,
      email: res.ok || !res.permanent ? null : r.email,
    };
  });
}

/**
 * Mails handed to the transport at a time (at least 4 per pooled connection). Enough to keep every
 * connection busy; more only builds messages that then wait in memory (a whole chunk of 1,000 at once
 * cost more in garbage collection than it saved, measured in bench/invitations.ts).
 */
const IN_FLIGHT = 64;
/** Mails written into the outbox at a time on PGlite (see mailChunk). */
const OUTBOX_IN_FLIGHT_PGLITE = 2;

/** fn over items with at most `limit` running at once; results in the items' order. Yields after every item. */
async function inFlight<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
      await yieldToEventLoop();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * A permanent refusal by the receiving server (SMTP 5xx) puts the address on the suppression list with
 * reason 'bounced': mailing it again harms the sender's reputation. The list shows it, and it can be lifted.
 */
async function recordBounces(
  tx: Tx,
  tenantId: string,
  keys: TenantKeys,
  outcomes: Outcome[],
  setup: JobSetup,
  mail: 'invitation' | 'reminder',
): Promise<void> {
  const bounced = outcomes.filter((o) => o.email !== null);
  if (!bounced.length) return;
  await sql`
    INSERT INTO suppressions (tenant_id, email_hmac, email_enc, reason, source, details)
    SELECT ${tenantId}::uuid, u.h, u.e, 'bounced', 'smtp', jsonb_build_object('response', u.r)
      FROM unnest(${bounced.map((o) => o.hmac)}::bytea[], ${bounced.map((o) => keys.seal(o.email!))}::bytea[], ${bounced.map((o) => o.error)}::text[]) AS u(h, e, r)
    ON CONFLICT (tenant_id, email_hmac) DO NOTHING`.execute(tx);
  // Issue 15: an `invitation.bounced` webhook event per bounce, committed with it (no SMTP reply: it
  // quotes addresses). OBLIGATIONS SVC-4: a reminder goes only to who has not answered yet, so the time
  // of a reminder's bounce says something about answering; for confidential and anonymous surveys only
  // bounces of the first invitation (whose time the customer knows from its distribution) give events.
  if (mail === 'reminder' && !setup.identified) return;
  const contacts = await tx
    .selectFrom('invitations')
    .select(['id', 'contact_id'])
    .where(
      'id',
      'in',
      bounced.map((o) => o.id),
    )
    .execute();
  for (const c of contacts)
    await emitEvent(tx, tenantId, keys, 'invitation.bounced', {
      invitationId: c.id,
      surveyId: setup.surveyId,
      contactId: c.contact_id,
      mail,
    });
}

const mailColumns = sql`i.id, i.language, i.attempts, c.email_hmac, c.email_enc, c.first_name_enc, c.infix_enc, c.last_name_enc,
  EXISTS (SELECT 1 FROM suppressions x WHERE x.tenant_id = c.tenant_id AND x.email_hmac = c.email_hmac) AS suppressed`;

/**
 * Sends the queued invitations of one distribution, a chunk at a time: read and decrypt a chunk,
 * hand every mail to the (pooled) transport at once, then record each result in one statement.
 * The suppression list is checked again here (an address may have unsubscribed since the invitation
 * was created): such invitations become 'suppressed' and are not mailed.
 * The invitation rows are the durable state: after a crash the job runs again and picks up what is
 * still queued, so nothing is lost; a mail whose result was not recorded may go out twice.
 * A distribution that is still scheduled or was cancelled sends nothing.
 */
export async function runSendJob(
  ctx: AppContext,
  job: SendJob,
): Promise<{ sent: number; failed: number; suppressed: number }> {
  const keys = await ctx.keyring.forTenant(job.tenantId);
  const setup = await ctx.db.tenant(job.tenantId, (tx) => loadSetup(tx, job.distributionId, 'invitation'));
  let sent = 0;
  let failed = 0;
  let suppressed = 0;
  // A suspended customer (AGR-6) sends nothing: the invitations stay queued and the resume hands
  // the distribution to this job again.
  if (!setup || setup.status !== 'sending' || !setup.tenantActive) return { sent, failed, suppressed };
  let after = '00000000-0000-0000-0000-000000000000';
  let retryLater = false;
  for (;;) {
    const chunk = await ctx.db.tenant(
      job.tenantId,
      async (tx) =>
        (
          await sql<MailRow>`
        SELECT ${mailColumns}
          FROM invitations i JOIN contacts c ON c.tenant_id = i.tenant_id AND c.id = i.contact_id
         WHERE i.tenant_id = ${job.tenantId}::uuid AND i.distribution_id = ${job.distributionId}::uuid AND i.status = 'queued' AND i.id > ${after}::uuid
           -- Checked per chunk: a distribution cancelled meanwhile (by a user, or by erase-key, SEC-1,
           -- while this process still holds the key) sends nothing more.
           AND (SELECT d.status FROM distributions d WHERE d.tenant_id = i.tenant_id AND d.id = i.distribution_id) = 'sending'
           -- and a customer suspended meanwhile (AGR-6) sends nothing more until it is resumed.
           AND (SELECT t.status FROM tenants t WHERE t.id = i.tenant_id) = 'active'
         ORDER BY i.id LIMIT ${CHUNK}`.execute(tx)
        ).rows,
    );
    if (chunk.length === 0) break;
    after = chunk[chunk.length - 1]!.id;

    const outcomes = await mailChunk(ctx, keys, job.tenantId, setup, chunk, 'invitation');

    await ctx.db.tenant(job.tenantId, async (tx) => {
      const status = outcomes.map((o) => (o.result === 'retry' ? 'queued' : o.result));
      await sql`
        UPDATE invitations i SET status = u.status, attempts = u.attempts, last_error = u.error,
               sent_at = CASE WHEN u.status = 'sent' THEN now() ELSE i.sent_at END
          FROM unnest(${outcomes.map((o) => o.id)}::uuid[], ${status}::text[], ${outcomes.map((o) => o.error)}::text[], ${outcomes.map((o) => o.attempts)}::int[]) AS u(id, status, error, attempts)
         WHERE i.tenant_id = ${job.tenantId}::uuid AND i.id = u.id`.execute(tx);
      await recordBounces(tx, job.tenantId, keys, outcomes, setup, 'invitation');
    });
    for (const o of outcomes) {
      if (o.result === 'sent') sent++;
      else if (o.result === 'failed') failed++;
      else if (o.result === 'suppressed') suppressed++;
      else retryLater = true;
    }
    await yieldToEventLoop();
  }
  // Transient failures stay queued; failing the job makes pg-boss run it again with back-off.
  if (retryLater) throw new Error('some invitations could not be sent yet; retrying later');
  return { sent, failed, suppressed };
}

/**
 * Reminders of one distribution: to invitations that were sent, not answered, not failed and not
 * suppressed, fewer than `reminders_max` times so far, and at least `reminder_interval_days` after
 * the previous mail (the invitation or the last reminder). `now` is injectable for tests.
 */
export async function runReminderJob(
  ctx: AppContext,
  job: SendJob,
  now = new Date(),
): Promise<{ sent: number; failed: number; suppressed: number }> {
  const keys = await ctx.keyring.forTenant(job.tenantId);
  const setup = await ctx.db.tenant(job.tenantId, (tx) => loadSetup(tx, job.distributionId, 'reminder'));
  let sent = 0;
  let failed = 0;
  let suppressed = 0;
  if (!setup || setup.status !== 'sending' || !setup.surveyOpen || !setup.tenantActive)
    return { sent, failed, suppressed };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const chunk = await ctx.db.tenant(
      job.tenantId,
      async (tx) =>
        (
          await sql<MailRow>`
        SELECT ${mailColumns}
          FROM invitations i
          JOIN distributions d ON d.tenant_id = i.tenant_id AND d.id = i.distribution_id
          JOIN contacts c ON c.tenant_id = i.tenant_id AND c.id = i.contact_id
         WHERE i.tenant_id = ${job.tenantId}::uuid AND i.distribution_id = ${job.distributionId}::uuid
           AND i.status = 'sent' AND i.responded_at IS NULL AND i.reminders_sent < d.reminders_max
           AND coalesce(i.last_reminded_at, i.sent_at) <= ${now.toISOString()}::timestamptz - make_interval(days => d.reminder_interval_days)
           AND i.id > ${after}::uuid
         ORDER BY i.id LIMIT ${CHUNK}`.execute(tx)
        ).rows,
    );
    if (chunk.length === 0) break;
    after = chunk[chunk.length - 1]!.id;
    const outcomes = await mailChunk(
      ctx,
      keys,
      job.tenantId,
      setup,
      chunk.map((r) => ({ ...r, attempts: 0 })),
      'reminder',
    );
    await ctx.db.tenant(job.tenantId, async (tx) => {
      // sent: one more reminder; permanent refusal: the invitation failed; transient: next tick tries again.
      const status = outcomes.map((o) =>
        o.result === 'suppressed' ? 'suppressed' : o.result === 'failed' && o.email !== null ? 'failed' : 'sent',
      );
      await sql`
        UPDATE invitations i SET status = u.status,
               reminders_sent = i.reminders_sent + CASE WHEN u.ok THEN 1 ELSE 0 END,
               last_reminded_at = CASE WHEN u.ok THEN ${now.toISOString()}::timestamptz ELSE i.last_reminded_at END,
               last_error = CASE WHEN u.ok THEN i.last_error ELSE coalesce('reminder: ' || u.error, i.last_error) END
          FROM unnest(${outcomes.map((o) => o.id)}::uuid[], ${status}::text[], ${outcomes.map((o) => o.error)}::text[], ${outcomes.map((o) => o.result === 'sent')}::boolean[]) AS u(id, status, error, ok)
         WHERE i.tenant_id = ${job.tenantId}::uuid AND i.id = u.id`.execute(tx);
      await recordBounces(tx, job.tenantId, keys, outcomes, setup, 'reminder');
    });
    for (const o of outcomes) {
      if (o.result === 'sent') sent++;
      else if (o.result === 'suppressed') suppressed++;
      else failed++;
    }
    await yieldToEventLoop();
  }
  return { sent, failed, suppressed };
}

/**
 * The periodic work (every TICK_MS, and callable from tests): per active customer, in its own tenant
 * transaction, scheduled distributions whose send time has come are released to the send job, then
 * due reminders are sent. The distribution rows are the truth, so a restart loses nothing.
 */
export function runDistributionTick(
  ctx: AppContext,
  now = new Date(),
): Promise<{ released: number; reminded: number }> {
  // One tick at a time per process (the timer and a test's call wait for each other), so a reminder
  // is never sent twice by overlapping ticks.
  const prev = ticks.get(ctx) ?? Promise.resolve();
  const next = prev.catch(() => undefined).then(() => tickOnce(ctx, now));
  ticks.set(ctx, next);
  return next;
}
const ticks = new WeakMap<AppContext, Promise<unknown>>();

async function tickOnce(ctx: AppContext, now: Date): Promise<{ released: number; reminded: number }> {
  const at = now.toISOString();
  const tenants = await ctx.db.global((tx) =>
    tx.selectFrom('tenants').select('id').where('status', '=', 'active').execute(),
  );
  let released = 0;
  let reminded = 0;
  for (const { id: tenantId } of tenants) {
    // In the tenant's own transaction (row-level security holds): release due scheduled sends, and
    // find the distributions with reminders due.
    const { due, withReminders } = await ctx.db.tenant(tenantId, async (tx) => ({
      due: (
        await sql<{ id: string }>`
        UPDATE distributions SET status = 'sending' WHERE tenant_id = ${tenantId}::uuid AND status = 'scheduled' AND send_at <= ${at}::timestamptz
        RETURNING id`.execute(tx)
      ).rows,
      withReminders: (
        await sql<{ distribution_id: string }>`
        SELECT DISTINCT i.distribution_id
          FROM distributions d JOIN invitations i ON i.tenant_id = d.tenant_id AND i.distribution_id = d.id
         WHERE d.tenant_id = ${tenantId}::uuid AND d.reminders_max > 0 AND d.status = 'sending'
           AND i.status = 'sent' AND i.responded_at IS NULL AND i.reminders_sent < d.reminders_max
           AND coalesce(i.last_reminded_at, i.sent_at) <= ${at}::timestamptz - make_interval(days => d.reminder_interval_days)`.execute(
          tx,
        )
      ).rows,
    }));
    for (const d of due) await ctx.jobs.send<SendJob>(SEND_QUEUE, { tenantId, distributionId: d.id });
    released += due.length;
    for (const r of withReminders)
      reminded += (await runReminderJob(ctx, { tenantId, distributionId: r.distribution_id }, now)).sent;
  }
  return { released, reminded };
}

export function startDistributionTicker(ctx: AppContext, everyMs = TICK_MS): () => Promise<void> {
  return startTick('[distribution] tick', everyMs / 1000, () => runDistributionTick(ctx), {
    atStart: false,
    db: ctx.db,
  });
}

export async function registerSendWorker(ctx: AppContext): Promise<void> {
  await ctx.jobs.work<SendJob>(SEND_QUEUE, async (data) => {
    await runSendJob(ctx, data);
  });
}

/**
 * Maintenance at start: distributions that still have queued invitations get their job again
 * (a crash between committing invitations and enqueueing the job must not lose a send). This reads
 * across tenants, so it runs on the owner connection and touches ids only.
 */
export async function requeuePendingSends(ctx: AppContext): Promise<number> {
  const rows = await ctx.db.handle.kysely
    .selectFrom('invitations as i')
    .innerJoin('distributions as d', (j) =>
      j.onRef('d.tenant_id', '=', 'i.tenant_id').onRef('d.id', '=', 'i.distribution_id'),
    )
    .select(['i.tenant_id', 'i.distribution_id'])
    .where('i.status', '=', 'queued')
    .where('d.status', '=', 'sending')
    .groupBy(['i.tenant_id', 'i.distribution_id'])
    .execute();
  for (const r of rows)
    await ctx.jobs.send<SendJob>(
      SEND_QUEUE,
      { tenantId: r.tenant_id, distributionId: r.distribution_id },
      { singletonKey: r.distribution_id },
    );
  return rows.length;
}
