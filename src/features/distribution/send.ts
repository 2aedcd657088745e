import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { html } from '../../lib/html.js';
import type { Lang } from '../../lib/db/schema.js';
import type { MailMessage } from '../../lib/mail/mailer.js';
import { signedRowToken } from '../../lib/tokens.js';
import type { SurveyDefinition } from '../surveys/definition.js';

export const SEND_QUEUE = 'invitations-send';
const CHUNK = 500;
const MAX_ATTEMPTS = 3;

export interface SendJob {
  tenantId: string;
  distributionId: string;
}

export function invitationLink(baseUrl: string, tenantId: string, invitationId: string, mac: (b: Buffer) => Buffer): string {
  return `${baseUrl}/s/${signedRowToken(tenantId, invitationId, mac)}`;
}

export function composeInvitation(def: SurveyDefinition, lang: Lang, to: string, firstName: string | null, link: string): MailMessage {
  const greetingName = firstName ?? (lang === 'nl' ? 'heer/mevrouw' : 'Sir or Madam');
  const body = def.invitation.body[lang].replace(/\{(naam|name)\}/g, greetingName);
  const cta = lang === 'nl' ? 'Beantwoord de vraag' : 'Answer the question';
  const text = `${body}\n\n${cta}:\n${link}\n`;
  const paragraphs = body.split(/\n{2,}/).map((p) => html`<p>${p}</p>`);
  const markup = html`<!doctype html><html lang="${lang}"><body style="font-family:system-ui,sans-serif;line-height:1.5">${paragraphs}<p><a href="${link}" style="display:inline-block;background:#0b5cad;color:#fff;padding:12px 20px;border-radius:8px;text-decoration:none">${cta}</a></p><p style="font-size:12px;color:#555">${link}</p></body></html>`;
  return { to, subject: def.invitation.subject[lang], text, html: markup.value };
}

/**
 * Sends the queued invitations of one distribution, a chunk at a time: read and decrypt a chunk,
 * hand every mail to the (pooled) transport at once, then record each result in one statement.
 * The invitation rows are the durable state: after a crash the job runs again and picks up what is
 * still queued, so nothing is lost; a mail whose result was not recorded may go out twice.
 */
export async function runSendJob(ctx: AppContext, job: SendJob): Promise<{ sent: number; failed: number }> {
  const keys = await ctx.keyring.forTenant(job.tenantId);
  let sent = 0;
  let failed = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  let retryLater = false;
  for (;;) {
    const chunk = await ctx.db.tenant(job.tenantId, async (tx) => {
      const rows = await tx
        .selectFrom('invitations as i')
        .innerJoin('contacts as c', (j) => j.onRef('c.tenant_id', '=', 'i.tenant_id').onRef('c.id', '=', 'i.contact_id'))
        .innerJoin('surveys as s', (j) => j.onRef('s.tenant_id', '=', 'i.tenant_id').onRef('s.id', '=', 'i.survey_id'))
        .select(['i.id', 'i.language', 'i.attempts', 'c.email_enc', 'c.first_name_enc', 's.definition'])
        .where('i.distribution_id', '=', job.distributionId)
        .where('i.status', '=', 'queued')
        .where('i.id', '>', after)
        .orderBy('i.id')
        .limit(CHUNK)
        .execute();
      return rows;
    });
    if (chunk.length === 0) break;
    after = chunk[chunk.length - 1]!.id;

    const outcomes = await Promise.all(
      chunk.map(async (row) => {
        const email = keys.open(row.email_enc);
        const link = invitationLink(ctx.env.baseUrl, job.tenantId, row.id, (b) => keys.tokenMac(b));
        const msg = composeInvitation(row.definition as SurveyDefinition, row.language, email, keys.open(row.first_name_enc), link);
        const res = await ctx.mailer.send(job.tenantId, 'invitation', msg);
        // A permanent refusal (SMTP 5xx) is final at once; anything else is tried again, up to MAX_ATTEMPTS.
        const attempts = res.ok || !res.permanent ? row.attempts + 1 : MAX_ATTEMPTS;
        return { id: row.id, ok: res.ok, error: res.ok ? null : (res.response ?? 'unknown error').slice(0, 500), attempts };
      }),
    );

    await ctx.db.tenant(job.tenantId, async (tx) => {
      const status = outcomes.map((o) => (o.ok ? 'sent' : o.attempts >= MAX_ATTEMPTS ? 'failed' : 'queued'));
      await sql`
        UPDATE invitations i SET status = u.status, attempts = u.attempts, last_error = u.error,
               sent_at = CASE WHEN u.status = 'sent' THEN now() ELSE i.sent_at END
          FROM unnest(${outcomes.map((o) => o.id)}::uuid[], ${status}::text[], ${outcomes.map((o) => o.error)}::text[], ${outcomes.map((o) => o.attempts)}::int[]) AS u(id, status, error, attempts)
         WHERE i.tenant_id = ${job.tenantId}::uuid AND i.id = u.id`.execute(tx);
    });
    for (const o of outcomes) {
      if (o.ok) sent++;
      else if (o.attempts >= MAX_ATTEMPTS) failed++;
    }
    if (outcomes.some((o) => !o.ok && o.attempts < MAX_ATTEMPTS)) retryLater = true;
  }
  // Transient failures stay queued; failing the job makes pg-boss run it again with back-off.
  if (retryLater) throw new Error('some invitations could not be sent yet; retrying later');
  return { sent, failed };
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
    .selectFrom('invitations')
    .select(['tenant_id', 'distribution_id'])
    .where('status', '=', 'queued')
    .groupBy(['tenant_id', 'distribution_id'])
    .execute();
  for (const r of rows) await ctx.jobs.send<SendJob>(SEND_QUEUE, { tenantId: r.tenant_id, distributionId: r.distribution_id }, { singletonKey: r.distribution_id });
  return rows.length;
}
