import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction } from '../../lib/audit.js';
import type { TenantKeys } from '../../lib/crypto/keyring.js';
import { isUuid, type Tx } from '../../lib/db/db.js';
import type { Lang } from '../../lib/db/schema.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, callerOf } from '../auth/guard.js';
import { publishableQuestion } from '../results/public.js';
import { acceptLanguage } from '../respond/flow.js';
import {
  contentHash,
  KINDS,
  loadPublishableSurvey,
  publicationContent,
  publicationOptions,
  publicContent,
  type PublicationKind,
  type PublicationOptions,
  type PublicContent,
} from './content.js';
import { notAvailableBadge, notAvailablePage, renderBadge, renderPage, renderWidget } from './render.js';
import { openPublicationToken, publicationToken } from './token.js';

/**
 * OBLIGATIONS BEN-2: publications of results. The owner previews, publishes (approving the preview's
 * hash), refreshes and withdraws; the world reads /p/<token>, /p/<token>/widget and
 * /p/<token>/badge.svg without an account, cookie or script.
 *
 * Caching: every public answer carries a strong ETag and `Cache-Control: public, no-cache`: a browser
 * or proxy may keep the bytes but must ask again before every use (a 304 without a body when nothing
 * changed). A withdrawal, a suspension or the end of the agreement therefore shows on the very next
 * view, with no max-age window in which a stale score is still served. The neutral "not available"
 * answer is 404 with `no-store`, the same bytes for every reason and for a token that never existed.
 */
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const localized = z.object({ nl: z.string(), en: z.string() });
const idParams = z.object({ id: z.string() });

const rendered = z.object({ page: z.string(), widget: z.string(), badge: z.string() });
const preview = z.object({
  content: publicContent,
  sha256: z
    .string()
    .describe(
      'what the owner approves: send it with the create or refresh request (409 when the results changed since)',
    ),
  rendered: z
    .object({ nl: rendered, en: rendered })
    .describe('the page, widget and badge exactly as the public routes will send them'),
});

const publication = z.object({
  id: z.string(),
  surveyId: z.string(),
  status: z.enum(['published', 'withdrawn']),
  kinds: z.array(z.enum(KINDS)),
  showResponses: z.boolean(),
  showTrend: z.boolean(),
  questions: z.array(z.string()),
  title: localized.nullable(),
  sha256: z.string(),
  content: publicContent,
  publishedAt: z.string().describe('when the snapshot shown was taken (creation or the last refresh)'),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
  withdrawnBy: z.string().nullable(),
  urls: z
    .object({ page: z.string().nullable(), widget: z.string().nullable(), badge: z.string().nullable() })
    .describe('null for a form that is not published'),
  embed: z
    .object({ iframe: z.string().nullable(), img: z.string().nullable() })
    .describe('HTML to paste into a website'),
});

type Row = {
  id: string;
  survey_id: string;
  kinds: PublicationKind[];
  show_responses: boolean;
  show_trend: boolean;
  question_ids: string[];
  title: unknown;
  content: unknown;
  content_sha256: string;
  published_at: Date;
  created_at: Date;
  created_by: string | null;
  withdrawn_at: Date | null;
  withdrawn_by: string | null;
};

function optionsOf(r: Row): PublicationOptions {
  return {
    kinds: r.kinds,
    showResponses: r.show_responses,
    showTrend: r.show_trend,
    questions: r.question_ids,
    title: (r.title as PublicationOptions['title']) ?? null,
  };
}

function toDto(ctx: AppContext, keys: TenantKeys, tenantId: string, r: Row): z.infer<typeof publication> {
  const base = `${ctx.env.baseUrl}/p/${publicationToken(keys, tenantId, r.id)}`;
  const has = (k: PublicationKind) => r.kinds.includes(k);
  const content = r.content as PublicContent;
  const alt = `${content.title.nl} – ${content.org}`;
  return {
    id: r.id,
    surveyId: r.survey_id,
    status: r.withdrawn_at ? 'withdrawn' : 'published',
    kinds: r.kinds,
    showResponses: r.show_responses,
    showTrend: r.show_trend,
    questions: r.question_ids,
    title: (r.title as z.infer<typeof localized> | null) ?? null,
    sha256: r.content_sha256,
    content,
    publishedAt: iso(r.published_at)!,
    createdAt: iso(r.created_at)!,
    createdBy: r.created_by,
    withdrawnAt: iso(r.withdrawn_at),
    withdrawnBy: r.withdrawn_by,
    urls: {
      page: has('page') ? base : null,
      widget: has('widget') ? `${base}/widget` : null,
      badge: has('badge') ? `${base}/badge.svg` : null,
    },
    embed: {
      iframe: has('widget')
        ? `<iframe src="${base}/widget" title="${escapeAttr(alt)}" width="320" height="200" style="border:0" loading="lazy"></iframe>`
        : null,
      img: has('badge')
        ? `<img src="${base}/badge.svg" alt="${escapeAttr(`${content.keyScore?.name.nl ?? content.title.nl} – ${content.org}`)}">`
        : null,
    },
  };
}

const escapeAttr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const COLUMNS = [
  'id',
  'survey_id',
  'kinds',
  'show_responses',
  'show_trend',
  'question_ids',
  'title',
  'content',
  'content_sha256',
  'published_at',
  'created_at',
  'created_by',
  'withdrawn_at',
  'withdrawn_by',
] as const;

async function loadPublication(tx: Tx, id: string): Promise<Row> {
  if (!isUuid(id)) throw AppError.notFound('publication');
  const r = await tx.selectFrom('publications').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  if (!r) throw AppError.notFound('publication');
  return r as Row;
}

/** The options checked against the survey: chosen questions must exist and be closed (422 with a pointer). */
async function checkedOptions(tx: Tx, surveyId: string, opts: PublicationOptions): Promise<PublicationOptions> {
  const survey = await loadPublishableSurvey(tx, surveyId);
  const errors = opts.questions.flatMap((id, i) => {
    const q = survey.definition.questions.find((x) => x.id === id);
    if (!q) return [{ pointer: `/body/questions/${i}`, reason: 'no such question in this survey', value: id }];
    if (!publishableQuestion(q))
      return [
        {
          pointer: `/body/questions/${i}`,
          reason: 'only closed questions (choices and scales) can be published',
          value: id,
        },
      ];
    return [];
  });
  if (errors.length)
    throw new AppError(ErrorCode.VALIDATION, { key: 'problems:publications.questionsRefused' }, { errors });
  return { ...opts, kinds: [...new Set(opts.kinds)], questions: [...new Set(opts.questions)] };
}

function renderAll(c: PublicContent, pageUrl: string | null) {
  const one = (lang: Lang) => ({
    page: renderPage(c, lang),
    widget: renderWidget(c, lang, pageUrl),
    badge: renderBadge(c, lang),
  });
  return { nl: one('nl'), en: one('en') };
}

const stale = () =>
  new AppError(
    ErrorCode.CONFLICT,
    { key: 'problems:publications.previewStale' },
    { errors: [{ pointer: '/body/sha256', reason: 'does not match the current preview' }] },
  );

export function publicationRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const settle = { settleSeconds: ctx.env.RESULTS_SETTLE_SECONDS };
  return async (app) => {
    app.post(
      '/api/v1/surveys/:id/publications/preview',
      {
        config: { access: { permission: Permission.PUBLICATIONS_MANAGE } },
        schema: {
          tags: ['results'],
          summary:
            'Preview a publication: exactly the content, page, widget and badge the public routes would serve, and the hash to approve',
          description:
            "Changes nothing. Aggregates only, under the survey's anonymity mode and minimum group size: confidential and anonymous surveys show their released results (whole steps of at least minGroupSize answers); identified surveys show nothing below minGroupSize answers.",
          params: idParams,
          body: publicationOptions,
          response: { 200: preview },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          const opts = await checkedOptions(tx, request.params.id, request.body);
          const content = await publicationContent(tx, auth.tenantId, request.params.id, opts, settle);
          // The token does not exist before the publication does: the widget's link to the page carries
          // `{token}` in its place. Every other byte is what the public routes will send.
          return {
            content,
            sha256: contentHash(content),
            rendered: renderAll(content, opts.kinds.includes('page') ? `${ctx.env.baseUrl}/p/{token}` : null),
          };
        });
      },
    );

    app.get(
      '/api/v1/surveys/:id/publications',
      {
        config: { access: { permission: Permission.PUBLICATIONS_MANAGE } },
        schema: {
          tags: ['results'],
          summary: "A survey's publications, published and withdrawn, with their URLs and embed code",
          params: idParams,
          response: { 200: z.object({ publications: z.array(publication) }) },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          await loadPublishableSurvey(tx, request.params.id);
          const rows = await tx
            .selectFrom('publications')
            .select(COLUMNS)
            .where('survey_id', '=', request.params.id)
            .orderBy('created_at', 'desc')
            .execute();
          return { publications: rows.map((r) => toDto(ctx, keys, auth.tenantId, r as Row)) };
        });
      },
    );

    app.post(
      '/api/v1/surveys/:id/publications',
      {
        config: { access: { permission: Permission.PUBLICATIONS_MANAGE } },
        schema: {
          tags: ['results'],
          summary: 'Publish: the content is computed again and must match the approved preview (sha256), else 409',
          params: idParams,
          body: publicationOptions.extend({
            sha256: z
              .string()
              .regex(/^[0-9a-f]{64}$/)
              .describe("the preview's sha256"),
          }),
          response: { 201: publication },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        const { sha256, ...body } = request.body;
        const dto = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const opts = await checkedOptions(tx, request.params.id, body);
          const content = await publicationContent(tx, auth.tenantId, request.params.id, opts, settle);
          const hash = contentHash(content);
          if (hash !== sha256) throw stale();
          const id = randomUUID();
          const by = auth.kind === 'user' ? auth.userId : null;
          const row = await tx
            .insertInto('publications')
            .values({
              tenant_id: auth.tenantId,
              id,
              survey_id: request.params.id,
              kinds: opts.kinds,
              show_responses: opts.showResponses,
              show_trend: opts.showTrend,
              question_ids: opts.questions,
              title: opts.title === null ? null : JSON.stringify(opts.title),
              content: JSON.stringify(content),
              content_sha256: hash,
              created_by: by,
            })
            .returning(COLUMNS)
            .executeTakeFirstOrThrow();
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.PUBLICATION_CREATED,
            subject: { kind: 'publication', id },
            details: {
              survey: request.params.id,
              kinds: opts.kinds,
              showResponses: opts.showResponses,
              showTrend: opts.showTrend,
              questions: opts.questions,
              sha256: hash,
            },
          });
          return toDto(ctx, keys, auth.tenantId, row as Row);
        });
        return reply.code(201).header('location', `/api/v1/publications/${dto.id}`).send(dto);
      },
    );

    app.post(
      '/api/v1/publications/:id/refresh',
      {
        config: { access: { permission: Permission.PUBLICATIONS_MANAGE } },
        schema: {
          tags: ['results'],
          summary:
            "Replace a publication's snapshot by the current results (same URLs); sha256 is the hash of the preview with the publication's options",
          params: idParams,
          body: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
          response: { 200: publication },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          const r = await loadPublication(tx, request.params.id);
          if (r.withdrawn_at) throw new AppError(ErrorCode.CONFLICT, { key: 'problems:publications.withdrawn' });
          const content = await publicationContent(tx, auth.tenantId, r.survey_id, optionsOf(r), settle);
          const hash = contentHash(content);
          if (hash !== request.body.sha256) throw stale();
          const row = await tx
            .updateTable('publications')
            .set({ content: JSON.stringify(content), content_sha256: hash, published_at: new Date() })
            .where('id', '=', r.id)
            .where('withdrawn_at', 'is', null)
            .returning(COLUMNS)
            .executeTakeFirstOrThrow();
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.PUBLICATION_REFRESHED,
            subject: { kind: 'publication', id: r.id },
            details: { survey: r.survey_id, from: r.content_sha256, to: hash },
          });
          return toDto(ctx, keys, auth.tenantId, row as Row);
        });
      },
    );

    app.post(
      '/api/v1/publications/:id/withdraw',
      {
        config: { access: { permission: Permission.PUBLICATIONS_MANAGE } },
        schema: {
          tags: ['results'],
          summary: 'Withdraw a publication: its page, widget and badge answer "not available" from the next request on',
          params: idParams,
          response: { 200: publication },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          const r = await loadPublication(tx, request.params.id);
          if (r.withdrawn_at) throw new AppError(ErrorCode.CONFLICT, { key: 'problems:publications.withdrawnAlready' });
          const row = await tx
            .updateTable('publications')
            .set({ withdrawn_at: new Date(), withdrawn_by: auth.kind === 'user' ? auth.userId : null })
            .where('id', '=', r.id)
            .returning(COLUMNS)
            .executeTakeFirstOrThrow();
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.PUBLICATION_WITHDRAWN,
            subject: { kind: 'publication', id: r.id },
            details: { survey: r.survey_id },
          });
          return toDto(ctx, keys, auth.tenantId, row as Row);
        });
      },
    );

    // ---------------------------------------------------------------- the public routes

    const tokenParams = z.object({ token: z.string().max(200) });
    const langQuery = z.object({
      lang: z.string().max(16).optional().describe('nl (default) or en; else Accept-Language'),
    });

    /** The publication's content when it may be served in this form now; null otherwise (one answer for every reason). */
    async function live(
      token: string,
      kind: PublicationKind,
    ): Promise<{ content: PublicContent; pageUrl: string | null } | null> {
      const t = await openPublicationToken(ctx.keyring, token);
      if (!t) return null;
      const row = await ctx.db.tenant(t.tenantId, (tx) =>
        tx
          .selectFrom('publications as p')
          .innerJoin('tenants as t', 't.id', 'p.tenant_id')
          .select(['p.content', 'p.kinds', 'p.withdrawn_at', 't.status'])
          .where('p.id', '=', t.publicationId)
          .executeTakeFirst(),
      );
      // OBLIGATIONS BEN-2, AGR-6, END-2: withdrawn, suspended, ended: not available, at once.
      if (!row || row.withdrawn_at !== null || row.status !== 'active' || !row.kinds.includes(kind)) return null;
      return {
        content: row.content as PublicContent,
        pageUrl: row.kinds.includes('page') ? `${ctx.env.baseUrl}/p/${token}` : null,
      };
    }

    function langOf(request: FastifyRequest): Lang {
      const q = (request.query as { lang?: string }).lang;
      if (q === 'en' || q === 'nl') return q;
      return acceptLanguage(request.headers['accept-language']) ?? 'nl';
    }

    function send(request: FastifyRequest, reply: FastifyReply, type: string, body: string | null, svg: boolean) {
      if (body === null) {
        return reply
          .code(404)
          .header('cache-control', 'no-store')
          .type(svg ? 'image/svg+xml; charset=utf-8' : 'text/html; charset=utf-8')
          .send(svg ? notAvailableBadge() : notAvailablePage());
      }
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
      reply.header('cache-control', 'public, no-cache').header('etag', etag).header('vary', 'Accept-Language');
      const inm = request.headers['if-none-match'];
      if (
        inm &&
        inm
          .split(',')
          .map((s) => s.trim().replace(/^W\//, ''))
          .includes(etag)
      )
        return reply.code(304).send();
      return reply.type(type).send(body);
    }

    const publicSchema = (summary: string) => ({
      tags: ['publications'],
      summary,
      security: [],
      params: tokenParams,
      querystring: langQuery,
    });

    app.get(
      '/p/:token',
      {
        config: { access: 'public' },
        schema: publicSchema(
          'The public results page of a publication (HTML; 404 "not available" when withdrawn, suspended, ended or unknown)',
        ),
      },
      async (request, reply) => {
        const p = await live(request.params.token, 'page');
        return send(request, reply, 'text/html; charset=utf-8', p && renderPage(p.content, langOf(request)), false);
      },
    );
    app.get(
      '/p/:token/widget',
      {
        config: { access: 'public' },
        schema: publicSchema('The widget of a publication, for an iframe on any site (HTML, no script)'),
      },
      async (request, reply) => {
        const p = await live(request.params.token, 'widget');
        return send(
          request,
          reply,
          'text/html; charset=utf-8',
          p && renderWidget(p.content, langOf(request), p.pageUrl),
          false,
        );
      },
    );
    app.get(
      '/p/:token/badge.svg',
      {
        config: { access: 'public' },
        schema: publicSchema('The badge of a publication (SVG with <title>, role="img" and aria-label)'),
      },
      async (request, reply) => {
        const p = await live(request.params.token, 'badge');
        return send(request, reply, 'image/svg+xml; charset=utf-8', p && renderBadge(p.content, langOf(request)), true);
      },
    );
  };
}
