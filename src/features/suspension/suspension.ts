import type { FastifyReply } from 'fastify';
import type { AppContext } from '../../context.js';
import { html, raw } from '../../lib/html.js';
import { AppError, ErrorCode } from '../../lib/errors.js';

/**
 * OBLIGATIONS AGR-6: a suspended customer. `tenants.status` is the truth ('active' | 'suspended' |
 * 'ended'); the places that already read it when they resolve a session, an API key, a respondent
 * link or the send tick tell 'suspended' apart from "unknown" and answer with the texts below.
 * Nothing is deleted: a suspension only refuses and pauses.
 */
export const SUSPENDED = 'suspended';

const DETAIL_NL = 'De toegang van uw organisatie tot Peil is tijdelijk opgeschort door de beheerder van Peil. Er is niets verwijderd. Neem contact op met uw contactpersoon bij Peil.';
const DETAIL_EN = "Your organisation's access to Peil has been suspended for now by Peil's operator. Nothing has been deleted. Please contact your account manager at Peil.";

/**
 * The refusal of a sign-in, a session and an API key of a suspended customer: 403 problem+json,
 * Dutch first with English beside it (`detail`), both also apart (`detailNl`, `detailEn`), and
 * `suspended: true` for a client to act on.
 */
export function suspendedError(): AppError {
  return new AppError(ErrorCode.FORBIDDEN, `${DETAIL_NL} / ${DETAIL_EN}`, { extra: { suspended: true, reason: SUSPENDED, detailNl: DETAIL_NL, detailEn: DETAIL_EN } });
}

/** Seconds a respondent is asked to wait before trying again (Retry-After). */
export const RETRY_AFTER_SECONDS = 3600;

const css = `body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f6f7f9}
main{max-width:36rem;margin:0 auto;padding:1.25rem}.card{background:#fff;border-radius:12px;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.08);margin-bottom:1rem}
h1{font-size:1.35rem;line-height:1.3}.warn{border-left:4px solid #a4161a;padding-left:.75rem;font-weight:600}`;

const texts = {
  nl: {
    title: 'Tijdelijk niet beschikbaar',
    body: 'Deze pagina is op dit moment tijdelijk niet beschikbaar. Probeer het later opnieuw.',
    notStored: 'Je antwoord is niet opgeslagen. Gebruik de link later opnieuw om te antwoorden.',
  },
  en: {
    title: 'Temporarily unavailable',
    body: 'This page is temporarily unavailable. Please try again later.',
    notStored: 'Your answer has not been saved. Please use the link again later to answer.',
  },
} as const;

/**
 * The neutral page a respondent sees on a suspended customer's links (/s/…, /u/…): 503 with
 * Retry-After, Dutch first and English beside it, saying nothing about why. When a posted answer
 * was refused, the page says so (never a silent loss).
 */
export function unavailablePage(opts: { notStored?: boolean } = {}): string {
  const part = (lang: 'nl' | 'en') =>
    html`<div class="card" lang="${lang}"><h1>${texts[lang].title}</h1><p>${texts[lang].body}</p>${opts.notStored ? html`<p class="warn">${texts[lang].notStored}</p>` : ''}</div>`;
  return html`<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${texts.nl.title} / ${texts.en.title}</title><style>${raw(css)}</style></head>
<body><main>${part('nl')}${part('en')}</main></body></html>`.value;
}

export function sendUnavailable(reply: FastifyReply, opts: { notStored?: boolean } = {}): FastifyReply {
  return reply
    .code(503)
    .header('retry-after', String(RETRY_AFTER_SECONDS))
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(unavailablePage(opts));
}

/**
 * Whether a customer is suspended, read when a cheaper path already refused (an unknown link, a
 * look-up that found no active customer), so the common path pays nothing. tenants is readable by
 * peil_app (grants.sql).
 */
export async function isSuspended(ctx: AppContext, tenantId: string): Promise<boolean> {
  const row = await ctx.db.tenant(tenantId, (tx) => tx.selectFrom('tenants').select('status').where('id', '=', tenantId).executeTakeFirst());
  return row?.status === SUSPENDED;
}
