import type { FastifyReply } from 'fastify';
import type { AppContext } from '../../context.js';
import { html, raw } from '../../lib/html.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { translate, translator, type Message } from '../../lib/i18n.js';

/**
 * OBLIGATIONS AGR-6: a suspended customer. `tenants.status` is the truth ('active' | 'suspended' |
 * 'ended'); the places that already read it when they resolve a session, an API key, a respondent
 * link or the send tick tell 'suspended' apart from "unknown" and answer with the texts below.
 * Nothing is deleted: a suspension only refuses and pauses.
 */
export const SUSPENDED = 'suspended';
/** OBLIGATIONS END-2: a customer whose agreement has ended (features/ending). */
export const ENDED = 'ended';

/**
 * The one check every path makes (sessions, API keys, respondent links, unsubscribe links, the send
 * job and tick, webhooks): a customer is available when its status is 'active'. Otherwise it is
 * 'suspended' (AGR-6: paused, nothing deleted) or 'ended' (END-2: closed for good); an unknown
 * customer is null, like a wrong token.
 */
export type Unavailability = typeof SUSPENDED | typeof ENDED;
export function unavailability(status: string | null | undefined): Unavailability | null {
  return status === SUSPENDED || status === ENDED ? status : null;
}
export const isUnavailable = (v: unknown): v is Unavailability => v === SUSPENDED || v === ENDED;

const SUSPENDED_DETAIL: Message = { key: 'problems:suspension.suspended' };

/**
 * The refusal of a sign-in, a session and an API key of a suspended customer: 403 problem+json,
 * `detail` in the client's language (Accept-Language, Dutch by default), both languages also apart
 * (`detailNl`, `detailEn`: the admin app's boot screen picks one), and `suspended: true` for a client
 * to act on.
 */
export function suspendedError(): AppError {
  return new AppError(ErrorCode.FORBIDDEN, SUSPENDED_DETAIL, {
    extra: {
      suspended: true,
      reason: SUSPENDED,
      detailNl: translate('nl', SUSPENDED_DETAIL),
      detailEn: translate('en', SUSPENDED_DETAIL),
    },
  });
}

/** Seconds a respondent is asked to wait before trying again (Retry-After). */
export const RETRY_AFTER_SECONDS = 3600;

const css = `body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f6f7f9}
main{max-width:36rem;margin:0 auto;padding:1.25rem}.card{background:#fff;border-radius:12px;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.08);margin-bottom:1rem}
h1{font-size:1.35rem;line-height:1.3}.warn{border-left:4px solid #a4161a;padding-left:.75rem;font-weight:600}`;

/**
 * The neutral page a respondent sees on a suspended customer's links (/s/…, /u/…): 503 with
 * Retry-After, Dutch first and English beside it (the texts: respondent.json, `suspended`; an ended
 * customer's closed page, END-2, for good and without "try again later": `closed`), saying nothing
 * about why. When a posted answer was refused, the page says so (never a silent loss).
 */
export function unavailablePage(opts: { notStored?: boolean; state?: Unavailability } = {}): string {
  const section = opts.state === ENDED ? 'respondent:closed' : 'respondent:suspended';
  const [nl, en] = [translator('nl'), translator('en')];
  const t = (lang: 'nl' | 'en', key: 'title' | 'body' | 'notStored') => (lang === 'nl' ? nl : en)(`${section}.${key}`);
  const part = (lang: 'nl' | 'en') =>
    html`<div class="card" lang="${lang}">
      <h1>${t(lang, 'title')}</h1>
      <p>${t(lang, 'body')}</p>
      ${opts.notStored ? html`<p class="warn">${t(lang, 'notStored')}</p>` : ''}
    </div>`;
  return html`<!doctype html>
    <html lang="nl">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${t('nl', 'title')} / ${t('en', 'title')}</title>
        <style>
          ${raw(css)}
        </style>
      </head>
      <body>
        <main>${part('nl')}${part('en')}</main>
      </body>
    </html>`.value;
}

/** 503 with Retry-After for a suspended customer; 410 (gone for good) for an ended one (END-2). */
export function sendUnavailable(
  reply: FastifyReply,
  opts: { notStored?: boolean; state?: Unavailability } = {},
): FastifyReply {
  if (opts.state === ENDED) reply.code(410);
  else reply.code(503).header('retry-after', String(RETRY_AFTER_SECONDS));
  return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(unavailablePage(opts));
}

/**
 * Whether a customer is suspended, read when a cheaper path already refused (an unknown link, a
 * look-up that found no active customer), so the common path pays nothing. tenants is readable by
 * peil_app (grants.sql).
 */
export async function tenantUnavailability(ctx: AppContext, tenantId: string): Promise<Unavailability | null> {
  const row = await ctx.db.tenant(tenantId, (tx) =>
    tx.selectFrom('tenants').select('status').where('id', '=', tenantId).executeTakeFirst(),
  );
  return unavailability(row?.status);
}

const ENDED_DETAIL: Message = { key: 'problems:suspension.ended' };

/**
 * OBLIGATIONS END-2: the refusal of a sign-in, a session or an API key of an ended customer (403,
 * `ended: true`). An owner's session is not refused but restricted to the end's own routes (requireUser's `ending` option, features/auth/guard.ts).
 */
export function endedError(): AppError {
  return new AppError(ErrorCode.FORBIDDEN, ENDED_DETAIL, {
    extra: {
      ended: true,
      reason: ENDED,
      detailNl: translate('nl', ENDED_DETAIL),
      detailEn: translate('en', ENDED_DETAIL),
    },
  });
}

/** The refusal that goes with a customer's unavailability. */
export const unavailableError = (u: Unavailability): AppError => (u === ENDED ? endedError() : suspendedError());
