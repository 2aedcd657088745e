import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { TenantKeys } from '../../lib/crypto/keyring.js';
import type { Lang } from '../../lib/db/schema.js';
import { parseRowToken } from '../../lib/tokens.js';
import type { SurveyDefinition } from '../surveys/definition.js';
import { messagePage, surveyPage, uiText, type FormState } from './pages.js';
import type { ResponseWriter } from './writer.js';

interface Resolved {
  tenantId: string;
  invitationId: string;
  keys: TenantKeys;
}

/**
 * Checks a respondent token without touching the database: its MAC is made with a key derived from
 * the tenant's data key. Any failure is the same "not found" to the outside, so a probe learns nothing.
 */
async function resolveToken(ctx: AppContext, token: string): Promise<Resolved | null> {
  const parsed = parseRowToken(token);
  if (!parsed) return null;
  let keys: TenantKeys;
  try {
    keys = await ctx.keyring.forTenant(parsed.tenantId);
  } catch {
    return null;
  }
  if (!timingSafeEqual(keys.tokenMac(parsed.body), parsed.mac)) return null;
  return { tenantId: parsed.tenantId, invitationId: parsed.rowId, keys };
}

interface InvitationView {
  language: Lang;
  responded: boolean;
  orgName: string;
  def: SurveyDefinition;
  surveyOpen: boolean;
}

async function loadInvitation(ctx: AppContext, r: Resolved, markOpened: boolean): Promise<InvitationView | null> {
  return ctx.db.tenant(r.tenantId, async (tx) => {
    const row = await tx
      .selectFrom('invitations as i')
      .innerJoin('surveys as s', (j) => j.onRef('s.tenant_id', '=', 'i.tenant_id').onRef('s.id', '=', 'i.survey_id'))
      .innerJoin('tenants as t', 't.id', 'i.tenant_id')
      .select(['i.language', 'i.responded_at', 'i.opened_at', 's.definition', 's.status as survey_status', 't.name', 't.status as tenant_status'])
      .where('i.id', '=', r.invitationId)
      .executeTakeFirst();
    if (!row || row.tenant_status !== 'active') return null;
    if (markOpened && !row.opened_at) {
      await tx.updateTable('invitations').set({ opened_at: new Date() }).where('id', '=', r.invitationId).execute();
    }
    return { language: row.language, responded: row.responded_at !== null, orgName: row.name, def: row.definition as SurveyDefinition, surveyOpen: row.survey_status === 'open' };
  });
}

const langOf = (q: unknown, fallback: Lang): Lang => (q === 'nl' || q === 'en' ? q : fallback);

const send = (reply: FastifyReply, status: number, page: string) =>
  reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page);

const notFound = (reply: FastifyReply, lang: Lang) => send(reply, 404, messagePage(lang, uiText[lang].notFoundTitle, uiText[lang].notFound));
const answered = (reply: FastifyReply, lang: Lang, status = 200) => send(reply, status, messagePage(lang, uiText[lang].doneTitle, uiText[lang].done));

const formBody = z.object({
  score: z.string().optional(),
  why: z.string().optional(),
  lang: z.string().optional(),
});

export function respondRoutes(ctx: AppContext, writer: ResponseWriter): FastifyPluginAsyncZod {
  return async (app) => {
    const params = z.object({ token: z.string().max(200) });
    const query = z.object({ lang: z.string().optional() });

    app.get('/s/:token', { config: { access: 'respondent' }, schema: { tags: ['respondent'], summary: 'The survey page of a personal invitation (HTML)', params, querystring: query } }, async (request, reply) => {
      const r = await resolveToken(ctx, request.params.token);
      const lang0 = langOf(request.query.lang, 'nl');
      if (!r) return notFound(reply, lang0);
      const inv = await loadInvitation(ctx, r, true);
      if (!inv || !inv.surveyOpen) return notFound(reply, lang0);
      const lang = langOf(request.query.lang, inv.language);
      if (inv.responded) return answered(reply, lang);
      return send(reply, 200, surveyPage({ token: request.params.token, lang, orgName: inv.orgName, def: inv.def }));
    });

    app.post('/s/:token', { config: { access: 'respondent' }, schema: { tags: ['respondent'], summary: 'Submit the answers (form post); redirects to the thank-you page', params, body: formBody } }, async (request, reply) => {
      const { token } = request.params;
      const lang = langOf(request.body.lang, 'nl');
      const r = await resolveToken(ctx, token);
      if (!r) return notFound(reply, lang);

      // Checked without the database; the survey is loaded only to show the form again on an error.
      const scoreText = (request.body.score ?? '').trim();
      const score = /^(10|[0-9])$/.test(scoreText) ? Number(scoreText) : undefined;
      const why = (request.body.why ?? '').replace(/\r\n/g, '\n').trim();
      const errors: FormState['errors'] = {};
      if (score === undefined) errors.score = uiText[lang].required;
      if (why.length > 5000) errors.why = uiText[lang].tooLong;
      if (errors.score || errors.why) {
        const inv = await loadInvitation(ctx, r, false);
        if (!inv || !inv.surveyOpen) return notFound(reply, lang);
        if (inv.responded) return answered(reply, lang, 409);
        return send(reply, 422, surveyPage({ token, lang, orgName: inv.orgName, def: inv.def, state: { score, why, errors } }));
      }

      const result = await writer.submit({
        tenantId: r.tenantId,
        invitationId: r.invitationId,
        language: lang,
        score: score!,
        answersEnc: r.keys.sealJson({ score, why: why || null }),
      });
      if (result === 'duplicate') {
        // Either already answered, or not an invitation of an open survey: tell which, without storing anything.
        const inv = await loadInvitation(ctx, r, false);
        if (!inv || !inv.surveyOpen) return notFound(reply, lang);
        return answered(reply, lang, 409);
      }
      return reply.code(303).header('location', `/s/${token}/thanks?lang=${lang}`).send();
    });

    app.get('/s/:token/thanks', { config: { access: 'respondent' }, schema: { tags: ['respondent'], summary: 'Thank-you page (HTML)', params, querystring: query } }, async (request, reply) => {
      const r = await resolveToken(ctx, request.params.token);
      const lang0 = langOf(request.query.lang, 'nl');
      if (!r) return notFound(reply, lang0);
      const inv = await loadInvitation(ctx, r, false);
      if (!inv) return notFound(reply, lang0);
      const lang = langOf(request.query.lang, inv.language);
      return send(reply, 200, messagePage(lang, inv.def.thanks[lang], inv.def.thanks[lang]));
    });
  };
}
