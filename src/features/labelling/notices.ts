// OBLIGATIONS AI-4: when the operator restricts or switches off the module, or the month's quota is
// reached, the customer is told: by email to its owners (through the mailer, so the outbox when
// there is no SMTP server) and by the status in GET /api/v1/labelling. The mail goes out from a job,
// after the change has committed (the outbox writes in a transaction of its own).

import type { AppContext } from '../../context.js';
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

function texts(job: NoticeJob): { subject: string; nl: string; en: string } {
  const because = (lang: 'nl' | 'en') =>
    job.reason ? (lang === 'nl' ? ` Reden: ${job.reason}` : ` Reason: ${job.reason}`) : '';
  switch (job.kind) {
    case 'blocked':
      return {
        subject: 'Peil: AI-labelmodule uitgezet door Peil / AI labelling switched off by Peil',
        nl: `Peil heeft de AI-labelmodule voor uw organisatie uitgezet. Nieuwe antwoorden krijgen geen labels meer; bestaande labels blijven zichtbaar.${because('nl')}`,
        en: `Peil has switched off the AI labelling module for your organisation. New answers get no labels; existing labels stay visible.${because('en')}`,
      };
    case 'unblocked':
      return {
        subject: 'Peil: AI-labelmodule weer beschikbaar / AI labelling available again',
        nl: 'Peil heeft de AI-labelmodule voor uw organisatie weer beschikbaar gemaakt. Staat de module bij u aan, dan worden nieuwe antwoorden weer gelabeld.',
        en: 'Peil has made the AI labelling module available again for your organisation. If you have it switched on, new answers are labelled again.',
      };
    case 'switched_off_for_all':
      return {
        subject: 'Peil: AI-labelmodule tijdelijk uitgezet / AI labelling temporarily switched off',
        nl: `Peil heeft de AI-labelmodule voor alle klanten uitgezet. Nieuwe antwoorden krijgen voorlopig geen labels; bestaande labels blijven zichtbaar.${because('nl')}`,
        en: `Peil has switched off the AI labelling module for all customers. New answers get no labels for now; existing labels stay visible.${because('en')}`,
      };
    case 'switched_on_for_all':
      return {
        subject: 'Peil: AI-labelmodule weer aan / AI labelling switched on again',
        nl: 'Peil heeft de AI-labelmodule weer aangezet. Staat de module bij u aan, dan worden nieuwe antwoorden weer gelabeld.',
        en: 'Peil has switched the AI labelling module on again. If you have it switched on, new answers are labelled again.',
      };
    case 'quota_set':
      return {
        subject: 'Peil: nieuw maandlimiet voor AI-labels / new monthly limit for AI labelling',
        nl: `Peil heeft het maximum aantal gelabelde antwoorden per maand voor uw organisatie ingesteld op ${job.quota ?? 'de standaard van uw abonnement'}.${because('nl')}`,
        en: `Peil has set the maximum number of labelled answers per month for your organisation to ${job.quota ?? 'the default of your plan'}.${because('en')}`,
      };
    case 'quota_reached':
      return {
        subject: 'Peil: maandlimiet AI-labels bereikt / monthly AI labelling limit reached',
        nl: `Uw organisatie heeft het maximum aantal gelabelde antwoorden voor ${job.month} bereikt (${job.quota}). Nieuwe antwoorden worden volgende maand gelabeld, of eerder als Peil het maximum verhoogt.`,
        en: `Your organisation has reached the maximum number of labelled answers for ${job.month} (${job.quota}). New answers are labelled next month, or earlier if Peil raises the limit.`,
      };
  }
}

export function composeNotice(job: NoticeJob, to: string, baseUrl: string): MailMessage {
  const t = texts(job);
  const link = `${baseUrl}/app/labelling`;
  return { to, subject: t.subject, text: `${t.nl}\n\n${link}\n\n---\n\n${t.en}\n\n${link}\n` };
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
