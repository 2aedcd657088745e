// OBLIGATIONS AI-4: when the operator restricts or switches off the module, or the month's quota is
// reached, the customer is told: by email to its owners (through the mailer, so the outbox when
// there is no SMTP server) and by the status in GET /api/v1/labelling. The mail goes out from a job,
// after the change has committed (the outbox writes in a transaction of its own).

import type { AppContext } from '../../context.js';
import { bilingual, bilingualSubject, bilingualText } from '../../lib/i18n.js';
import type { MailMessage } from '../../lib/mail/mailer.js';

export const NOTICE_QUEUE = 'labelling-notice';

export type NoticeKind =
  'blocked' | 'unblocked' | 'switched_off_for_all' | 'switched_on_for_all' | 'quota_set' | 'quota_reached';

export interface NoticeJob {
  tenantId: string;
  kind: NoticeKind;
  reason?: string | null;
  quota?: number | null;
  month?: string;
}

export async function sendNotice(ctx: AppContext, job: NoticeJob): Promise<void> {
  await ctx.jobs.send<NoticeJob>(NOTICE_QUEUE, job);
}

export async function sendNotices(ctx: AppContext, jobs: NoticeJob[]): Promise<void> {
  await ctx.jobs.sendMany<NoticeJob>(NOTICE_QUEUE, jobs);
}

/** The catalogue keys of each notice (`mails:labelling.*`): its subject, its sentence, and whether the operator's reason follows. */
const NOTICE_KEYS: Record<NoticeKind, { subject: string; text: string; reason: boolean }> = {
  blocked: { subject: 'mails:labelling.blockedSubject', text: 'mails:labelling.blocked', reason: true },
  unblocked: { subject: 'mails:labelling.unblockedSubject', text: 'mails:labelling.unblocked', reason: false },
  switched_off_for_all: {
    subject: 'mails:labelling.offForAllSubject',
    text: 'mails:labelling.offForAll',
    reason: true,
  },
  switched_on_for_all: { subject: 'mails:labelling.onForAllSubject', text: 'mails:labelling.onForAll', reason: false },
  quota_set: { subject: 'mails:labelling.quotaSetSubject', text: 'mails:labelling.quotaSet', reason: true },
  quota_reached: {
    subject: 'mails:labelling.quotaReachedSubject',
    text: 'mails:labelling.quotaReached',
    reason: false,
  },
};

export function composeNotice(job: NoticeJob, to: string, baseUrl: string): MailMessage {
  const keys = NOTICE_KEYS[job.kind];
  const link = `${baseUrl}/app/labelling`;
  const text = bilingual((t) => {
    const said =
      job.kind === 'quota_set' && job.quota == null
        ? t('mails:labelling.quotaDefault')
        : t(keys.text, { quota: job.quota ?? 0, month: job.month ?? '' });
    return [
      keys.reason && job.reason ? `${said} ${t('mails:labelling.reason', { reason: job.reason })}` : said,
      '',
      link,
    ];
  });
  return { to, subject: bilingualSubject(keys.subject), text: bilingualText(text) };
}

export async function runNoticeJob(ctx: AppContext, job: NoticeJob): Promise<number> {
  const owners = await ctx.db.tenant(job.tenantId, (tx) =>
    tx.selectFrom('users').select(['email']).where('role', '=', 'owner').where('status', '=', 'active').execute(),
  );
  let failed = 0;
  for (const o of owners) {
    const res = await ctx.mailer.send(job.tenantId, 'labelling-notice', composeNotice(job, o.email, ctx.env.baseUrl));
    if (!res.ok && !res.permanent) failed++;
  }
  // pg-boss retries the job; an owner who already got it may get it twice, which beats not at all.
  if (failed) throw new Error(`${failed} labelling notice(s) could not be sent yet`);
  return owners.length;
}

export async function registerNoticeWorker(ctx: AppContext): Promise<void> {
  await ctx.jobs.work<NoticeJob>(NOTICE_QUEUE, async (data) => {
    await runNoticeJob(ctx, data);
  });
}
