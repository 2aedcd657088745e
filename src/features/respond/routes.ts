import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { openRowToken, type TenantKeys } from '../../lib/crypto/keyring.js';
import type { Lang } from '../../lib/db/schema.js';
import { isUuid } from '../../lib/db/db.js';
import { Permission } from '../../lib/permissions.js';
import { callerOf } from '../auth/guard.js';
import { splitForStorage, type Answers, type SurveyDefinition } from '../surveys/definition.js';
import { openLinkMac } from '../surveys/open-link.js';
import { loadSurvey } from '../surveys/store.js';
import { acceptLanguage, firstPage, langOf, mergeAnswers, pageView, step, type Step } from './flow.js';
import { deleteDraft, loadDraft, saveDraft } from './drafts.js';
import { messagePage, statusText, surveyPage, type FormValues } from './pages.js';
import type { ResponseWriter } from './writer.js';
import type { DocResponse } from '../../lib/http/openapi.js';
import { InvitationLookup } from './lookup.js';
import {
  isUnavailable,
  sendUnavailable,
  tenantUnavailability,
  unavailability,
  type Unavailability,
} from '../suspension/suspension.js';
import { customerRequestPath, invitationRequestPath } from '../requests/links.js';

interface Resolved {
  tenantId: string;
  invitationId: string;
  /** The invitation's survey, when the link names it (links sent since they carry it). */
  surveyId?: string;
  keys: TenantKeys;
}

/**
 * Checks a respondent token without touching the database: its MAC is made with a key derived from
 * the tenant's data key. Any failure is the same "not found" to the outside, so a probe learns nothing.
 */
async function resolveToken(ctx: AppContext, token: string): Promise<Resolved | null> {
  const t = await openRowToken(ctx.keyring, token, (keys) => (body) => keys.tokenMac(body));
  return (
    t && { tenantId: t.tenantId, invitationId: t.rowId, ...(t.parentId ? { surveyId: t.parentId } : {}), keys: t.keys }
  );
}

interface InvitationView {
  surveyId: string;
  language: Lang;
  responded: boolean;
  orgName: string;
  def: SurveyDefinition;
  surveyOpen: boolean;
  anonymous: boolean;
}

/** The invitation; 'suspended' or 'ended' when its customer is (AGR-6, END-2: nothing is marked opened then). */
async function loadInvitation(
  ctx: AppContext,
  r: Resolved,
  markOpened: boolean,
): Promise<InvitationView | Unavailability | null> {
  return ctx.db.tenant(r.tenantId, async (tx) => {
    const row = await tx
      .selectFrom('invitations as i')
      .innerJoin('surveys as s', (j) => j.onRef('s.tenant_id', '=', 'i.tenant_id').onRef('s.id', '=', 'i.survey_id'))
      .innerJoin('tenants as t', 't.id', 'i.tenant_id')
      .select([
        'i.survey_id',
        'i.language',
        'i.responded_at',
        'i.opened_at',
        's.definition',
        's.status as survey_status',
        's.anonymity',
        't.name',
        't.status as tenant_status',
      ])
      .where('i.id', '=', r.invitationId)
      .executeTakeFirst();
    const unavailable = unavailability(row?.tenant_status);
    if (unavailable) return unavailable;
    if (!row || row.tenant_status !== 'active') return null;
    if (markOpened && !row.opened_at) {
      // OBLIGATIONS SVC-4: an anonymous survey keeps no time of opening at all (a respondent opens
      // just before answering, so even the day would link the response): opened_at takes the
      // invitation's own created_at, a marker that only says "opened" (the opened count).
      await tx
        .updateTable('invitations')
        .set({ opened_at: row.anonymity === 'anonymous' ? sql<Date>`created_at` : new Date() })
        .where('id', '=', r.invitationId)
        .execute();
    }
    return {
      surveyId: row.survey_id,
      language: row.language,
      responded: row.responded_at !== null,
      orgName: row.name,
      def: row.definition as SurveyDefinition,
      surveyOpen: row.survey_status === 'open',
      anonymous: row.anonymity === 'anonymous',
    };
  });
}

interface OpenSurvey {
  tenantId: string;
  surveyId: string;
  keys: TenantKeys;
  orgName: string;
  def: SurveyDefinition;
  defaultLanguage: Lang;
  oncePerBrowser: boolean;
}

/** An open link's survey, when the token's MAC is right and the survey is open with its open link on. */
async function resolveOpenLink(ctx: AppContext, token: string): Promise<OpenSurvey | Unavailability | null> {
  const v = await openRowToken(ctx.keyring, token, openLinkMac);
  if (!v) return null;
  const keys = v.keys;
  const row = await ctx.db.tenant(v.tenantId, (tx) =>
    tx
      .selectFrom('surveys as s')
      .innerJoin('tenants as t', 't.id', 's.tenant_id')
      .select([
        's.definition',
        's.status',
        's.open_link_enabled',
        's.open_link_once_per_browser',
        's.default_language',
        't.name',
        't.status as tenant_status',
      ])
      .where('s.id', '=', v.rowId)
      .executeTakeFirst(),
  );
  const unavailable = unavailability(row?.tenant_status);
  if (unavailable) return unavailable;
  if (!row || row.tenant_status !== 'active' || row.status !== 'open' || !row.open_link_enabled) return null;
  return {
    tenantId: v.tenantId,
    surveyId: v.rowId,
    keys,
    orgName: row.name,
    def: row.definition as SurveyDefinition,
    defaultLanguage: row.default_language,
    oncePerBrowser: row.open_link_once_per_browser,
  };
}

/**
 * Never a respondent's answer refused because of a limit: the largest form a survey can post (200
 * questions, open ones up to 5,000 characters, each URL-encoded to at most 9 bytes, carried along on
 * every page) fits under this, while the API keeps its own 1 MB (app.ts).
 */
export const RESPONDENT_BODY_LIMIT = 200 * 5000 * 9 + 256 * 1024;

const send = (reply: FastifyReply, status: number, page: string) =>
  reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page);

const notFound = (reply: FastifyReply, lang: Lang) =>
  send(reply, 404, messagePage(lang, statusText(lang, 'notFoundTitle'), statusText(lang, 'notFound')));
const answered = (reply: FastifyReply, lang: Lang, status = 200, requestLink?: string) =>
  send(
    reply,
    status,
    messagePage(lang, statusText(lang, 'doneTitle'), statusText(lang, 'done'), requestLink ? { requestLink } : {}),
  );
// Issue 14: the respondent of a closed survey was told that the link was broken. The link is genuine
// (its MAC was checked), so its holder may know that the survey closed: 410 Gone, with the organisation.
const closedSurvey = (reply: FastifyReply, lang: Lang, orgName: string, notStored: boolean, requestLink?: string) =>
  send(
    reply,
    410,
    messagePage(
      lang,
      statusText(lang, 'closedTitle'),
      notStored ? statusText(lang, 'closedNotStored', orgName) : statusText(lang, 'closed', orgName),
      requestLink ? { requestLink } : {},
    ),
  );
const answeredHere = (reply: FastifyReply, lang: Lang, status = 200, requestLink?: string) =>
  send(
    reply,
    status,
    messagePage(lang, statusText(lang, 'onceTitle'), statusText(lang, 'once'), requestLink ? { requestLink } : {}),
  );

/**
 * OBLIGATIONS DSR-1: the request page linked from every survey page. A personal invitation's pages link
 * to the invitation's request page; an anonymous survey's pages (and the open link) to the customer's.
 */
const requestPathOf = (r: { tenantId: string; invitationId: string; keys: TenantKeys }, anonymous: boolean) =>
  anonymous ? customerRequestPath(r.keys, r.tenantId) : invitationRequestPath(r.keys, r.tenantId, r.invitationId);

/**
 * Issue 14: the draft of this link in this browser, so that Back to the link's first GET (which names
 * no draft) shows the answers given too. Scoped to the link's own path; only the browser holds it.
 */
const DRAFT_COOKIE = 'peil_draft';
const draftCookie = (ctx: AppContext, reply: FastifyReply, path: string, id: string | null) =>
  id
    ? reply.setCookie(DRAFT_COOKIE, id, {
        path,
        httpOnly: true,
        sameSite: 'lax',
        secure: ctx.env.PEIL_ENV === 'production',
        maxAge: ctx.env.RESPONSE_DRAFT_HOURS * 3600,
      })
    : reply.clearCookie(DRAFT_COOKIE, { path });

/** The cookie that says "this browser answered this survey's open link". */
const onceCookie = (surveyId: string) => `peil_answered_${surveyId.replace(/-/g, '').slice(0, 16)}`;

const formBody = z
  .record(z.string(), z.union([z.string(), z.array(z.string())]))
  .describe(
    'The answers by question id (a multiple-choice question repeats its field), `lang`, `page` (the page posted from) and `nav` (next, back, submit, lang-nl, lang-en)',
  );

/** The preview's form comes back as a GET: the same fields in the query, answers by question id beside these. */
const previewQuery = z
  .object({
    lang: z.string().optional().describe('nl or en'),
    page: z.string().optional().describe('the page the form was sent from'),
    nav: z.string().optional().describe('next, back, submit, lang-nl or lang-en'),
  })
  .catchall(z.union([z.string(), z.array(z.string())]))
  .describe('Also the answers by question id (a multiple-choice question repeats its field)');

/** What the survey pages' forms send. */
const FORM_TYPES = ['application/x-www-form-urlencoded'];

/** The answers of a page post, for the document (they are HTML pages and a redirect, not JSON). */
const formPostAnswers: Record<string, DocResponse> = {
  200: {
    description: 'The next (or the same, with its problems marked) page of the survey',
    content: { 'text/html': { schema: { type: 'string' } } },
  },
  303: { description: 'Stored: go to the thank-you page (`Location`)', type: 'null' },
  409: { description: 'Already answered (nothing stored)', content: { 'text/html': { schema: { type: 'string' } } } },
  422: {
    description: 'The page has problems: the same page with them marked',
    content: { 'text/html': { schema: { type: 'string' } } },
  },
};

const navOf = (v: FormValues): string | undefined => (typeof v.nav === 'string' ? v.nav : undefined);
const pageOf = (v: FormValues): number | undefined =>
  typeof v.page === 'string' && /^\d{1,3}$/.test(v.page) ? Number(v.page) : undefined;
const str = (v: FormValues[string]): string | undefined => (typeof v === 'string' ? v : undefined);

function render(o: {
  reply: FastifyReply;
  s: Step & { kind: 'page' };
  action: string;
  method: 'post' | 'get';
  orgName: string;
  def: SurveyDefinition;
  values: FormValues;
  preview?: boolean;
  hidden?: Record<string, string>;
  langLink?: string;
  requestLink?: string;
}) {
  return send(
    o.reply,
    o.s.status,
    surveyPage({
      action: o.action,
      method: o.method,
      lang: o.s.lang,
      orgName: o.orgName,
      def: o.def,
      page: o.s.page,
      visiblePages: o.s.visiblePages,
      visible: o.s.visible,
      hasNext: o.s.hasNext,
      values: o.values,
      errors: o.s.errors,
      preview: o.preview ?? false,
      carry: o.preview ?? false,
      hidden: o.hidden ?? {},
      ...(o.langLink ? { langLink: o.langLink } : {}),
      ...(o.requestLink ? { requestLink: o.requestLink } : {}),
    }),
  );
}

/**
 * Issue 14: where a step's POST sends the browser (303): the GET of page `page` of draft `draft`, with
 * `check=1` after a validation error (the page then shows the problems next to the answers given).
 */
const stepLocation = (path: string, draft: string, s: Step & { kind: 'page' }) =>
  `${path}?d=${draft}&p=${s.page}&lang=${s.lang}${s.status === 422 ? '&check=1' : ''}`;
const stepQuery = z.object({
  lang: z.string().optional(),
  d: z.string().max(64).optional().describe('the draft holding the answers so far'),
  p: z.string().max(4).optional().describe('the page to show'),
  check: z.string().max(1).optional().describe('1: show the problems of the page'),
});

function storable(def: SurveyDefinition, keys: TenantKeys, answers: Answers) {
  const parts = splitForStorage(def, answers);
  return {
    score: parts.score,
    answers: parts.clear ? JSON.stringify(parts.clear) : null,
    answersEnc: keys.sealJson(parts.sealed),
  };
}

export function respondRoutes(ctx: AppContext, writer: ResponseWriter): FastifyPluginAsyncZod {
  return async (app) => {
    const params = z.object({ token: z.string().max(200) });
    const query = z.object({ lang: z.string().optional() });
    const lookup = new InvitationLookup(ctx, Math.max(1, ctx.env.RESPONSE_BATCH_WINDOW_MS));

    app.get(
      '/s/:token',
      {
        config: { access: 'respondent' },
        schema: {
          tags: ['respondent'],
          summary: 'The survey page of a personal invitation (HTML); with d and p, a later page of the answers so far',
          operationId: 'getRespondentPage',
          params,
          querystring: stepQuery,
        },
      },
      async (request, reply) => {
        const r = await resolveToken(ctx, request.params.token);
        const lang0 = langOf(request.query.lang, 'nl');
        if (!r) return notFound(reply, lang0);
        const inv = await loadInvitation(ctx, r, true);
        if (isUnavailable(inv)) return sendUnavailable(reply, { state: inv });
        if (!inv) return notFound(reply, lang0);
        const lang = langOf(request.query.lang, inv.language);
        const requestLink = requestPathOf(r, inv.anonymous);
        if (inv.responded) return answered(reply, lang, 200, requestLink);
        if (!inv.surveyOpen) return closedSurvey(reply, lang, inv.orgName, false, requestLink);
        const other = lang === 'nl' ? 'en' : 'nl';
        const ref = request.query.d ?? request.cookies[DRAFT_COOKIE];
        const draft = ref ? await loadDraft(ctx, r.tenantId, r.keys, r.surveyId ?? inv.surveyId, ref) : null;
        if (draft) {
          const s = pageView(
            inv.def,
            draft.values,
            lang,
            request.query.d ? pageOf({ page: request.query.p }) : 0,
            request.query.d !== undefined && request.query.check === '1',
          );
          return render({
            reply,
            s,
            action: `/s/${request.params.token}`,
            method: 'post',
            orgName: inv.orgName,
            def: inv.def,
            values: draft.values,
            hidden: { draft: draft.id },
            requestLink,
          });
        }
        const s = firstPage(inv.def, lang) as Step & { kind: 'page' };
        return render({
          reply,
          s,
          action: `/s/${request.params.token}`,
          method: 'post',
          orgName: inv.orgName,
          def: inv.def,
          values: {},
          langLink: `?lang=${other}`,
          requestLink,
        });
      },
    );

    app.post(
      '/s/:token',
      {
        bodyLimit: RESPONDENT_BODY_LIMIT,
        config: { access: 'respondent', openapi: { responses: formPostAnswers } },
        schema: {
          tags: ['respondent'],
          summary:
            'Post a page of answers (form post): the next page, or on the last page store and redirect to the thank-you page',
          operationId: 'postRespondentPage',
          params,
          body: formBody,
          consumes: FORM_TYPES,
        },
      },
      async (request, reply) => {
        const { token } = request.params;
        const values = request.body as FormValues;
        const lang = langOf(values.lang, 'nl');
        const r = await resolveToken(ctx, token);
        if (!r) return notFound(reply, lang);
        // Batched with the other posts of these milliseconds: the hot path pays no transaction of its own.
        const inv = await lookup.load(r.tenantId, r.invitationId, r.surveyId);
        // OBLIGATIONS AGR-6, END-2: the look-up finds nothing for a customer that is not active; only then
        // is the status read, to tell a suspended or ended customer's respondent that the answer was not stored.
        if (!inv) {
          const state = await tenantUnavailability(ctx, r.tenantId);
          if (state) return sendUnavailable(reply, { notStored: true, state });
        }
        if (!inv) return notFound(reply, lang);
        const requestLink = requestPathOf(r, inv.anonymous);
        if (inv.responded) return answered(reply, lang, 409, requestLink);
        if (!inv.surveyOpen) return closedSurvey(reply, lang, inv.orgName, true, requestLink);
        const surveyId = r.surveyId ?? inv.surveyId;
        // Issue 14: the answers so far wait in a draft; this post changes the page it came from.
        const draft = await loadDraft(ctx, r.tenantId, r.keys, surveyId, values.draft);
        const answers = mergeAnswers(inv.def, draft?.values ?? {}, values, pageOf(values));
        const s = step(inv.def, answers, lang, navOf(values), pageOf(values));
        if (s.kind === 'page') {
          const id = await saveDraft(ctx, r.tenantId, r.keys, surveyId, draft?.id ?? null, answers);
          draftCookie(ctx, reply, `/s/${token}`, id);
          return reply
            .code(303)
            .header('cache-control', 'no-store')
            .header('location', stepLocation(`/s/${token}`, id, s))
            .send();
        }

        const result = await writer.submit({
          tenantId: r.tenantId,
          surveyId,
          invitationId: r.invitationId,
          language: s.lang,
          ...storable(inv.def, r.keys, s.answers),
        });
        await deleteDraft(ctx, r.tenantId, draft?.id ?? null);
        if (draft) draftCookie(ctx, reply, `/s/${token}`, null);
        if (result === 'duplicate') {
          // Either already answered, or the survey closed meanwhile: tell which, without storing anything.
          const again = await loadInvitation(ctx, r, false);
          if (isUnavailable(again)) return sendUnavailable(reply, { notStored: true, state: again });
          if (!again) return notFound(reply, s.lang);
          if (!again.surveyOpen && !again.responded)
            return closedSurvey(reply, s.lang, again.orgName, true, requestLink);
          return answered(reply, s.lang, 409, requestLink);
        }
        return reply.code(303).header('location', `/s/${token}/thanks?lang=${s.lang}`).send();
      },
    );

    app.get(
      '/s/:token/thanks',
      {
        config: { access: 'respondent' },
        schema: {
          tags: ['respondent'],
          summary: 'Thank-you page (HTML)',
          operationId: 'getRespondentThanks',
          params,
          querystring: query,
        },
      },
      async (request, reply) => {
        const r = await resolveToken(ctx, request.params.token);
        const lang0 = langOf(request.query.lang, 'nl');
        if (!r) return notFound(reply, lang0);
        const inv = await loadInvitation(ctx, r, false);
        if (isUnavailable(inv)) return sendUnavailable(reply, { state: inv });
        if (!inv) return notFound(reply, lang0);
        const lang = langOf(request.query.lang, inv.language);
        // The survey's own thanks as the title, and what happened as the text (not the thanks twice).
        return send(
          reply,
          200,
          messagePage(lang, inv.def.thanks[lang], statusText(lang, 'stored'), {
            requestLink: requestPathOf(r, inv.anonymous),
          }),
        );
      },
    );

    // ---------------------------------------------------------------- the open link (SVC-3)

    const openLimit = { max: ctx.env.OPEN_LINK_RATE_PER_MINUTE, timeWindow: 60_000 };
    const browserLang = (q: unknown, header: string | undefined, fallback: Lang) =>
      langOf(q, acceptLanguage(header) ?? fallback);

    app.get(
      '/s/o/:token',
      {
        config: { access: 'respondent', rateLimit: { ...openLimit, max: openLimit.max * 4 } },
        schema: {
          tags: ['respondent'],
          summary: 'The open link of a survey: its first page (HTML); with d and p, a later page of the answers so far',
          operationId: 'getOpenLinkPage',
          params,
          querystring: stepQuery,
        },
      },
      async (request, reply) => {
        const o = await resolveOpenLink(ctx, request.params.token);
        const lang0 = browserLang(request.query.lang, request.headers['accept-language'], 'nl');
        if (isUnavailable(o)) return sendUnavailable(reply, { state: o });
        if (!o) return notFound(reply, lang0);
        const lang = browserLang(request.query.lang, request.headers['accept-language'], o.defaultLanguage);
        const requestLink = customerRequestPath(o.keys, o.tenantId);
        if (o.oncePerBrowser && request.cookies[onceCookie(o.surveyId)])
          return answeredHere(reply, lang, 200, requestLink);
        const ref = request.query.d ?? request.cookies[DRAFT_COOKIE];
        const draft = ref ? await loadDraft(ctx, o.tenantId, o.keys, o.surveyId, ref) : null;
        const rid = str(draft?.values.rid);
        if (draft && rid) {
          const s = pageView(
            o.def,
            draft.values,
            lang,
            request.query.d ? pageOf({ page: request.query.p }) : 0,
            request.query.d !== undefined && request.query.check === '1',
          );
          return render({
            reply,
            s,
            action: `/s/o/${request.params.token}`,
            method: 'post',
            orgName: o.orgName,
            def: o.def,
            values: draft.values,
            hidden: { rid, draft: draft.id },
            requestLink,
          });
        }
        const s = firstPage(o.def, lang) as Step & { kind: 'page' };
        return render({
          reply,
          s,
          action: `/s/o/${request.params.token}`,
          method: 'post',
          orgName: o.orgName,
          def: o.def,
          values: {},
          hidden: { rid: randomUUID() },
          langLink: `?lang=${lang === 'nl' ? 'en' : 'nl'}`,
          requestLink,
        });
      },
    );

    app.post(
      '/s/o/:token',
      {
        bodyLimit: RESPONDENT_BODY_LIMIT,
        config: { access: 'respondent', rateLimit: openLimit, openapi: { responses: formPostAnswers } },
        schema: {
          tags: ['respondent'],
          summary: 'Post a page of answers through the open link; rate-limited per address',
          operationId: 'postOpenLinkPage',
          params,
          body: formBody,
          consumes: FORM_TYPES,
        },
      },
      async (request, reply) => {
        const { token } = request.params;
        const values = request.body as FormValues;
        const lang = langOf(values.lang, 'nl');
        const o = await resolveOpenLink(ctx, token);
        if (isUnavailable(o)) return sendUnavailable(reply, { notStored: true, state: o });
        if (!o) return notFound(reply, lang);
        const requestLink = customerRequestPath(o.keys, o.tenantId);
        if (o.oncePerBrowser && request.cookies[onceCookie(o.surveyId)])
          return answeredHere(reply, lang, 409, requestLink);
        // The form's response id: issued with the first page, so that a replay stores nothing.
        const rid = isUuid(str(values.rid) ?? '') ? str(values.rid)! : randomUUID();
        // Issue 14: as for a personal invitation, the answers so far wait in a draft (with the response id).
        const draft = await loadDraft(ctx, o.tenantId, o.keys, o.surveyId, values.draft);
        const answers = mergeAnswers(o.def, draft?.values ?? {}, values, pageOf(values));
        const s = step(o.def, answers, lang, navOf(values), pageOf(values));
        if (s.kind === 'page') {
          const id = await saveDraft(ctx, o.tenantId, o.keys, o.surveyId, draft?.id ?? null, { ...answers, rid });
          draftCookie(ctx, reply, `/s/o/${token}`, id);
          return reply
            .code(303)
            .header('cache-control', 'no-store')
            .header('location', stepLocation(`/s/o/${token}`, id, s))
            .send();
        }
        const result = await writer.submit({
          tenantId: o.tenantId,
          surveyId: o.surveyId,
          invitationId: null,
          open: { surveyId: o.surveyId, responseId: rid },
          language: s.lang,
          ...storable(o.def, o.keys, s.answers),
        });
        await deleteDraft(ctx, o.tenantId, draft?.id ?? null);
        if (draft) draftCookie(ctx, reply, `/s/o/${token}`, null);
        if (result === 'duplicate') return answered(reply, s.lang, 409, requestLink);
        if (o.oncePerBrowser) {
          reply.setCookie(onceCookie(o.surveyId), '1', {
            path: '/s/o/',
            httpOnly: true,
            sameSite: 'lax',
            secure: ctx.env.PEIL_ENV === 'production',
            maxAge: 400 * 24 * 3600,
          });
        }
        return reply.code(303).header('location', `/s/o/${token}/thanks?lang=${s.lang}`).send();
      },
    );

    app.get(
      '/s/o/:token/thanks',
      {
        config: { access: 'respondent' },
        schema: {
          tags: ['respondent'],
          summary: 'Thank-you page of the open link (HTML)',
          operationId: 'getOpenLinkThanks',
          params,
          querystring: query,
        },
      },
      async (request, reply) => {
        const o0 = await resolveOpenLink(ctx, request.params.token);
        if (isUnavailable(o0)) return sendUnavailable(reply, { state: o0 });
        const o = o0;
        const lang = browserLang(request.query.lang, request.headers['accept-language'], o?.defaultLanguage ?? 'nl');
        if (!o) return notFound(reply, lang);
        return send(
          reply,
          200,
          messagePage(lang, o.def.thanks[lang], statusText(lang, 'stored'), {
            requestLink: customerRequestPath(o.keys, o.tenantId),
          }),
        );
      },
    );

    // ---------------------------------------------------------------- preview (customer staff)

    app.get(
      '/s/preview/:id',
      {
        config: { access: { permission: Permission.SURVEYS_READ } },
        schema: {
          tags: ['surveys'],
          summary: 'Preview of the respondent pages (HTML), in either language; nothing is stored',
          description:
            'The same pages respondents see; the form goes back here with GET, so previewing stores nothing.',
          operationId: 'previewSurvey',
          params: z.object({ id: z.string() }),
          querystring: previewQuery,
          produces: ['text/html'],
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        const values = request.query as FormValues;
        const survey = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const sv = await loadSurvey(tx, request.params.id);
          const tenant = await tx
            .selectFrom('tenants')
            .select('name')
            .where('id', '=', auth.tenantId)
            .executeTakeFirstOrThrow();
          return { ...sv, orgName: tenant.name };
        });
        const lang = langOf(values.lang, survey.default_language);
        const nav = navOf(values);
        const s =
          nav === undefined
            ? firstPage(survey.definition, lang)
            : step(survey.definition, values, lang, nav, pageOf(values));
        if (s.kind === 'done')
          return send(
            reply,
            200,
            messagePage(s.lang, survey.definition.thanks[s.lang], survey.definition.thanks[s.lang], { preview: true }),
          );
        return render({
          reply,
          s,
          action: `/s/preview/${survey.id}`,
          method: 'get',
          orgName: survey.orgName,
          def: survey.definition,
          values: nav === undefined ? {} : values,
          preview: true,
        });
      },
    );
  };
}
