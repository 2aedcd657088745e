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

const DETAIL_NL =
  'De toegang van uw organisatie tot Peil is tijdelijk opgeschort door de beheerder van Peil. Er is niets verwijderd. Neem contact op met uw contactpersoon bij Peil.';
const DETAIL_EN =
  "Your organisation's access to Peil has been suspended for now by Peil's operator. Nothing has been deleted. Please contact your account manager at Peil.";

/**
 * The refusal of a sign-in, a session and an API key of a suspended customer: 403 problem+json,
 * Dutch first with English beside it (`detail`), both also apart (`detailNl`, `detailEn`), and
 * `suspended: true` for a client to act on.
 */
export function suspendedError(): AppError {
  return new AppError(ErrorCode.FORBIDDEN, `${DETAIL_NL} / ${DETAIL_EN}`, {
    extra: { suspended: true, reason: SUSPENDED, detailNl: DETAIL_NL, detailEn: DETAIL_EN },
  });
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

/** OBLIGATIONS END-2: the closed page of an ended customer's links (for good: no "try again later"). */
const closedTexts = {
  nl: {
    title: 'Gesloten',
    body: 'Deze enquête is gesloten. De organisatie die u uitnodigde, verzamelt via deze link geen antwoorden meer.',
    notStored: 'Je antwoord is niet opgeslagen.',
  },
  en: {
    title: 'Closed',
    body: 'This survey is closed. The organisation that invited you no longer collects answers through this link.',
    notStored: 'Your answer has not been saved.',
  },
} as const;

/**
 * The neutral page a respondent sees on a suspended customer's links (/s/…, /u/…): 503 with
 * Retry-After, Dutch first and English beside it, saying nothing about why. When a posted answer
 * was refused, the page says so (never a silent loss).
 */
export function unavailablePage(opts: { notStored?: boolean; state?: Unavailability } = {}): string {
  const t = opts.state === ENDED ? closedTexts : texts;
  const part = (lang: 'nl' | 'en') =>
    html`<div class="card" lang="${lang}">
      <h1>${t[lang].title}</h1>
      <p>${t[lang].body}</p>
      ${opts.notStored ? html`<p class="warn">${t[lang].notStored}</p>` : ''}
    </div>`;
  return html`<!doctype html>
    <html lang="nl">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${t.nl.title} / ${t.en.title}</title>
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

const ENDED_NL =
  'De overeenkomst van uw organisatie met Peil is beëindigd; aanmelden is niet meer mogelijk. Eigenaren kunnen tot de uiterste keuzedatum nog de volledige export downloaden en kiezen tussen teruggave en verwijdering.';
const ENDED_EN =
  "Your organisation's agreement with Peil has ended; signing in is no longer possible. Owners can still download the full export and choose between return and deletion until the choice deadline.";

/**
 * OBLIGATIONS END-2: the refusal of a sign-in, a session or an API key of an ended customer (403,
 * `ended: true`). An owner's session is not refused but restricted to the end's own routes (requireUser's `ending` option, features/auth/guard.ts).
 */
export function endedError(): AppError {
  return new AppError(ErrorCode.FORBIDDEN, `${ENDED_NL} / ${ENDED_EN}`, {
    extra: { ended: true, reason: ENDED, detailNl: ENDED_NL, detailEn: ENDED_EN },
  });
}

/** The refusal that goes with a customer's unavailability. */
export const unavailableError = (u: Unavailability): AppError => (u === ENDED ? endedError() : suspendedError());
