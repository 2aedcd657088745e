import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction } from '../../lib/audit.js';
import { openRowToken, type TenantKeys } from '../../lib/crypto/keyring.js';
import type { Lang } from '../../lib/db/schema.js';
import { html, raw } from '../../lib/html.js';
import { translate } from '../../lib/i18n.js';
import { suppressEmail } from '../contacts/suppression.js';
import { unsubscribeMac } from './mail.js';
import { sendUnavailable, unavailability } from '../suspension/suspension.js';
import { emitEvent } from '../integrations/events.js';

/**
 * DSR-3: one-click unsubscribe (RFC 8058). Every invitation and reminder carries
 * `List-Unsubscribe: <…/u/<token>>` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`.
 *  - POST /u/<token> (what a mail client sends, body `List-Unsubscribe=One-Click`; also the button
 *    on the page) puts the address on the customer's suppression list: no session, no CSRF token,
 *    200 with a short confirmation page.
 *  - GET /u/<token> only shows a page with a button, so that link scanners that follow every link in
 *    a mail unsubscribe nobody.
 * The token is tenant + invitation + a MAC over a domain of its own (see mail.ts).
 */
const css = `body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f6f7f9}
main{max-width:36rem;margin:0 auto;padding:1.25rem}.card{background:#fff;border-radius:12px;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}
h1{font-size:1.35rem}button{font:inherit;font-weight:600;background:#0b5cad;color:#fff;border:0;border-radius:8px;padding:.75rem 1.5rem;min-height:44px;cursor:pointer}
button:focus-visible{outline:3px solid #0b5cad;outline-offset:2px}footer{font-size:.8rem;color:#4a525a;margin-top:1.5rem}`;

/** The pages' texts: `respondent:unsubscribe.*` in the shared catalogues (issue 14). */
const text = (lang: Lang, key: string, org = ''): string =>
  translate(lang, { key: `respondent:unsubscribe.${key}`, params: { org } });

function page(lang: Lang, title: string, body: ReturnType<typeof html>): string {
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title}</title>
        <style>
          ${raw(css)}
        </style>
      </head>
      <body>
        <main>
          <div class="card">${body}</div>
          <footer>${text(lang, 'processor')}</footer>
        </main>
      </body>
    </html>`.value;
}

const send = (reply: FastifyReply, status: number, body: string) =>
  reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);

interface Resolved {
  tenantId: string;
  invitationId: string;
  keys: TenantKeys;
}

async function resolve(ctx: AppContext, token: string): Promise<Resolved | null> {
  const t = await openRowToken(ctx.keyring, token, unsubscribeMac);
  return t && { tenantId: t.tenantId, invitationId: t.rowId, keys: t.keys };
}

async function invitationOf(ctx: AppContext, r: Resolved) {
  return ctx.db.tenant(r.tenantId, (tx) =>
    tx
      .selectFrom('invitations as i')
      .innerJoin('contacts as c', (j) => j.onRef('c.tenant_id', '=', 'i.tenant_id').onRef('c.id', '=', 'i.contact_id'))
      .innerJoin('tenants as t', 't.id', 'i.tenant_id')
      .select(['i.id', 'i.language', 'c.email_enc', 't.name', 't.status'])
      .where('i.id', '=', r.invitationId)
      .executeTakeFirst(),
  );
}

const langOf = (q: unknown, fallback: Lang): Lang => (q === 'nl' || q === 'en' ? q : fallback);

export function unsubscribeRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const params = z.object({ token: z.string().max(200) });
    const query = z.object({ lang: z.string().optional() });

    app.get(
      '/u/:token',
      {
        config: { access: 'respondent' },
        schema: {
          tags: ['respondent'],
          summary: 'DSR-3: the unsubscribe page of an invitation (HTML, with a confirmation button)',
          params,
          querystring: query,
        },
      },
      async (request, reply) => {
        const lang0 = langOf(request.query.lang, 'nl');
        const r = await resolve(ctx, request.params.token);
        const inv = r ? await invitationOf(ctx, r) : undefined;
        // OBLIGATIONS AGR-6, END-2: a suspended customer's links show the neutral "temporarily unavailable"
        // page, an ended customer's the closed page.
        const unavailable = unavailability(inv?.status);
        if (unavailable) return sendUnavailable(reply, { state: unavailable });
        if (!r || !inv || inv.status !== 'active')
          return send(
            reply,
            404,
            page(
              lang0,
              text(lang0, 'notFoundTitle'),
              html`<h1>${text(lang0, 'notFoundTitle')}</h1>
                <p>${text(lang0, 'notFound')}</p>`,
            ),
          );
        const lang = langOf(request.query.lang, inv.language);
        return send(
          reply,
          200,
          page(
            lang,
            text(lang, 'title'),
            html`<h1>${text(lang, 'title')}</h1>
              <p>${text(lang, 'ask', inv.name)}</p>
              <form method="post" action="/u/${request.params.token}">
                <input type="hidden" name="List-Unsubscribe" value="One-Click" /><button type="submit">
                  ${text(lang, 'button')}
                </button>
              </form>`,
          ),
        );
      },
    );

    app.post(
      '/u/:token',
      {
        config: { access: 'respondent' },
        schema: {
          tags: ['respondent'],
          summary:
            'DSR-3: one-click unsubscribe (RFC 8058): suppresses the address for this customer; no session or CSRF token needed',
          description:
            'Mail clients POST `List-Unsubscribe=One-Click` here; the confirmation page posts the same. Answers 200 with a short HTML page.',
          params,
          querystring: query,
        },
      },
      async (request, reply) => {
        const lang0 = langOf(request.query.lang, 'nl');
        const r = await resolve(ctx, request.params.token);
        const inv = r ? await invitationOf(ctx, r) : undefined;
        // AGR-6: nothing is recorded while suspended (no mail goes out then either); the page says so.
        const unavailable = unavailability(inv?.status);
        if (unavailable) return sendUnavailable(reply, { notStored: true, state: unavailable });
        if (!r || !inv || inv.status !== 'active')
          return send(
            reply,
            404,
            page(
              lang0,
              text(lang0, 'notFoundTitle'),
              html`<h1>${text(lang0, 'notFoundTitle')}</h1>
                <p>${text(lang0, 'notFound')}</p>`,
            ),
          );
        const email = r.keys.open(inv.email_enc);
        const oneClick =
          typeof request.body === 'object' &&
          request.body !== null &&
          (request.body as Record<string, unknown>)['List-Unsubscribe'] === 'One-Click';
        await ctx.db.tenant(r.tenantId, async (tx) => {
          const added = await suppressEmail(tx, r.tenantId, r.keys, email, 'unsubscribed', 'one-click', {
            invitationId: inv.id,
          });
          if (added) {
            await audit(
              tx,
              r.tenantId,
              { kind: 'respondent', id: null, ip: request.ip, requestId: request.id },
              {
                action: AuditAction.SUPPRESSION_ADDED,
                subject: { kind: 'invitation', id: inv.id },
                details: { reason: 'unsubscribed', source: oneClick ? 'one-click' : 'link' },
              },
            );
            // Issue 15: the `contact.unsubscribed` webhook event, committed with the suppression. For a
            // confidential or anonymous survey (SVC-4) it names the contact only, not the survey or invitation.
            const of = await tx
              .selectFrom('invitations as i')
              .innerJoin('surveys as s', (j) =>
                j.onRef('s.tenant_id', '=', 'i.tenant_id').onRef('s.id', '=', 'i.survey_id'),
              )
              .select(['i.contact_id', 'i.survey_id', 's.anonymity'])
              .where('i.id', '=', inv.id)
              .executeTakeFirst();
            const identified = of?.anonymity === 'identified';
            await emitEvent(tx, r.tenantId, r.keys, 'contact.unsubscribed', {
              contactId: of?.contact_id ?? null,
              surveyId: identified ? of!.survey_id : null,
              invitationId: identified ? inv.id : null,
              source: oneClick ? 'one-click' : 'link',
            });
          }
        });
        const lang = langOf(request.query.lang, inv.language);
        return send(
          reply,
          200,
          page(
            lang,
            text(lang, 'doneTitle'),
            html`<h1>${text(lang, 'doneTitle')}</h1>
              <p>${text(lang, 'done', inv.name)}</p>`,
          ),
        );
      },
    );
  };
}
