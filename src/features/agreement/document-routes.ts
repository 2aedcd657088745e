import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { isUuid } from '../../lib/db/db.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, callerOf, operatorOf } from '../auth/guard.js';
import { composeDocument } from './document.js';
import type { AgreementDocument, Lang } from './document-model.js';
import { documentHash, toHtml, toMarkdown, toPdf } from './render.js';
import { termsSchema } from './terms.js';
import { contractValues } from './service.js';
import {
  acceptAgreement,
  acceptedText,
  listVersions,
  objectTo,
  operatorAnnouncements,
  publishVersion,
  resolveProposal,
} from './versions.js';

const docQuery = z.object({
  lang: z.enum(['nl', 'en']).default('nl').describe('nl (default) or en'),
  format: z
    .enum(['html', 'md', 'pdf', 'json'])
    .default('html')
    .describe(
      'html: a self-contained page; md: Markdown (the text an acceptance hashes); pdf; json: the document model with its hash (the admin app)',
    ),
});

const blockOut = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('paragraph'), text: z.string() }),
  z.object({ kind: z.literal('list'), items: z.array(z.string()) }),
  z.object({ kind: z.literal('table'), head: z.array(z.string()), rows: z.array(z.array(z.string())) }),
  z.object({ kind: z.literal('subheading'), text: z.string() }),
]);
const sectionOut = z.object({ id: z.string(), title: z.string(), blocks: z.array(blockOut) });
const documentOut = z.object({
  lang: z.enum(['nl', 'en']),
  title: z.string(),
  subtitle: z.string(),
  sections: z.array(sectionOut),
  annexes: z.array(sectionOut),
  version: z.string(),
  sha256: z
    .string()
    .describe('SHA-256 (hex) of the Markdown rendering of this document: what POST /api/v1/agreement/accept names'),
});

const documentResponses = {
  200: {
    description:
      'The agreement with its annexes, generated from live state. Header X-Peil-Document-SHA256: the hash of its Markdown rendering.',
    content: {
      'text/html': { schema: z.string().describe('a self-contained HTML page') },
      'text/markdown': { schema: z.string().describe('Markdown; its SHA-256 is what an acceptance names') },
      'application/pdf': { schema: z.string().describe('PDF (binary)') },
      'application/json': { schema: documentOut },
    },
  },
};

const valueText = z.object({ nl: z.string(), en: z.string() });
const proposalOut = z.object({
  id: z.string(),
  releaseId: z.string(),
  previousId: z.string().nullable(),
  origin: z
    .enum(['release', 'terms'])
    .describe('release: published by the operator; terms: a change of this customer’s terms after its acceptance'),
  fromVersion: z.string(),
  toVersion: z.string(),
  summary: valueText,
  changes: z.array(z.object({ term: z.string(), label: valueText, from: valueText, to: valueText })),
  proposedAt: z.string(),
  announcedAt: z.string().nullable(),
  notified: z.enum(['privacy_contact', 'owners']).nullable(),
  workingDays: z.number(),
  deadline: z.string().nullable().describe('the last day to object (Europe/Amsterdam); deemed accepted after it'),
  state: z.enum(['pending', 'objected', 'accepted', 'withdrawn', 'reannounced']),
  stateText: valueText,
  settledAt: z.string().nullable(),
  objection: z.object({ at: z.string(), by: z.string().nullable(), reason: z.string() }).nullable(),
  resolvedAt: z.string().nullable(),
});
const versionsOut = z.object({
  version: z.string().describe('the version in force'),
  accepted: z.boolean().describe('whether an owner accepted the version in force digitally'),
  deemedAccepted: z
    .boolean()
    .describe(
      'whether the version in force was deemed accepted: announced, and not objected to within the agreed Dutch working days',
    ),
  acceptances: z.array(
    z.object({
      id: z.string(),
      version: z.string(),
      lang: z.enum(['nl', 'en']),
      sha256: z.string(),
      acceptedAt: z.string(),
      acceptedBy: z.object({ id: z.string(), name: z.string() }),
    }),
  ),
  announcements: z.array(proposalOut),
});

const fileName = (slug: string, version: string, lang: Lang, ext: string) =>
  `verwerkersovereenkomst-${slug}-${version.replace(/[^A-Za-z0-9._-]/g, '_')}-${lang}.${ext}`;

/** OBLIGATIONS AGR-3 (acceptance, versions) and AGR-4 (the document) for customers and the operator. */
export function agreementDocumentRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    // The HTML document is a page of its own, with its style inline: this plugin's pages get a policy
    // that allows that style and nothing else (no script, no resource, no framing by other sites).
    app.addHook('onSend', async (request, reply, payload) => {
      if (
        request.url.includes('/agreement/document') &&
        String(reply.getHeader('content-type') ?? '').startsWith('text/html')
      ) {
        reply.header(
          'content-security-policy',
          "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
        );
        reply.header('x-frame-options', 'SAMEORIGIN');
      }
      return payload;
    });

    async function send(reply: FastifyReply, tenantId: string, lang: Lang, format: 'html' | 'md' | 'pdf' | 'json') {
      const { doc, slug, version } = await ctx.db.tenant(tenantId, async (tx) => {
        const t = await tx.selectFrom('tenants').select('slug').where('id', '=', tenantId).executeTakeFirst();
        if (!t) throw AppError.notFound('customer');
        const d: AgreementDocument = await composeDocument(ctx, tx, tenantId, lang);
        const v = await tx.selectFrom('agreements').select('version').executeTakeFirst();
        return { doc: d, slug: t.slug, version: v?.version ?? '' };
      });
      const sha256 = documentHash(doc);
      reply
        .header('x-peil-document-sha256', sha256)
        .header('x-peil-agreement-version', version)
        .header('cache-control', 'no-store');
      switch (format) {
        case 'html':
          return reply.type('text/html; charset=utf-8').send(toHtml(doc));
        case 'md':
          return reply
            .type('text/markdown; charset=utf-8')
            .header('content-disposition', `attachment; filename="${fileName(slug, version, lang, 'md')}"`)
            .send(toMarkdown(doc));
        case 'pdf':
          return reply
            .type('application/pdf')
            .header('content-disposition', `attachment; filename="${fileName(slug, version, lang, 'pdf')}"`)
            .send(await toPdf(doc));
        case 'json':
          return reply.type('application/json; charset=utf-8').send({ ...doc, version, sha256 });
      }
    }

    // ---------------------------------------------------------------- the document (AGR-4)

    app.get(
      '/api/v1/agreement/document',
      {
        config: { access: { permission: Permission.AGREEMENT_READ } },
        schema: {
          tags: ['agreement'],
          summary:
            'The processing agreement with its annexes as a document (Dutch or English; HTML, Markdown, PDF or the model as JSON), generated from live state',
          querystring: docQuery,
          response: documentResponses,
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        return send(reply, auth.tenantId, request.query.lang, request.query.format);
      },
    );

    app.get(
      '/api/v1/operator/tenants/:id/agreement/document',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator', 'agreement'],
          summary: "A customer's processing agreement as a document (as the customer sees it)",
          params: z.object({ id: z.string() }),
          querystring: docQuery,
          response: documentResponses,
        },
      },
      async (request, reply) => {
        if (!isUuid(request.params.id)) throw AppError.notFound('customer');
        return send(reply, request.params.id, request.query.lang, request.query.format);
      },
    );

    // ---------------------------------------------------------------- acceptance and versions (AGR-3)

    app.get(
      '/api/v1/agreement/versions',
      {
        config: { access: { permission: Permission.AGREEMENT_READ } },
        schema: {
          tags: ['agreement'],
          summary: 'Acceptances of the agreement and announced versions with their objection deadline and state',
          response: { 200: versionsOut },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        return ctx.db.tenant(auth.tenantId, (tx) => listVersions(ctx, tx, auth.tenantId));
      },
    );

    app.post(
      '/api/v1/agreement/accept',
      {
        config: { access: { permission: Permission.AGREEMENT_MANAGE } },
        schema: {
          tags: ['agreement'],
          summary:
            'Accept the version in force (owner). sha256 is the hash of the Markdown text shown (X-Peil-Document-SHA256 of GET /api/v1/agreement/document); 409 when the text or the version has changed since.',
          body: z.object({
            version: z.string().min(1).max(40),
            lang: z.enum(['nl', 'en']),
            sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'a SHA-256 in hex'),
          }),
          response: { 201: versionsOut },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        if (auth.kind !== 'user') throw new AppError(ErrorCode.FORBIDDEN, { key: 'problems:agreement.ownerAccepts' });
        const out = await ctx.db.tenant(auth.tenantId, async (tx) => {
          await acceptAgreement(
            ctx,
            tx,
            auth.tenantId,
            request.body,
            { id: auth.userId, name: auth.name },
            actorOf(request, auth),
          );
          return listVersions(ctx, tx, auth.tenantId);
        });
        return reply.code(201).header('location', '/api/v1/agreement/versions').send(out);
      },
    );

    app.get(
      '/api/v1/agreement/acceptances/:id/text',
      {
        config: { access: { permission: Permission.AGREEMENT_READ } },
        schema: {
          tags: ['agreement'],
          summary: 'The exact text an owner accepted (Markdown), kept as evidence',
          params: z.object({ id: z.string() }),
          response: { 200: { description: 'Markdown', content: { 'text/markdown': { schema: z.string() } } } },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        const a = await ctx.db.tenant(auth.tenantId, (tx) => acceptedText(ctx, tx, auth.tenantId, request.params.id));
        return reply
          .type('text/markdown; charset=utf-8')
          .header('x-peil-document-sha256', a.sha256)
          .header(
            'content-disposition',
            `attachment; filename="accepted-${a.version.replace(/[^A-Za-z0-9._-]/g, '_')}-${a.lang}.md"`,
          )
          .send(a.text);
      },
    );

    app.post(
      '/api/v1/agreement/versions/:id/objection',
      {
        config: { access: { permission: Permission.AGREEMENT_MANAGE } },
        schema: {
          tags: ['agreement'],
          summary:
            'Object to an announced version (owner), before its deadline: the version in force stays until the operator resolves it',
          params: z.object({ id: z.string() }),
          body: z.object({ reason: z.string().trim().min(1).max(2000) }),
          response: { 201: versionsOut },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        if (auth.kind !== 'user') throw new AppError(ErrorCode.FORBIDDEN, { key: 'problems:agreement.ownerObjects' });
        const out = await ctx.db.tenant(auth.tenantId, async (tx) => {
          await objectTo(
            ctx,
            tx,
            auth.tenantId,
            request.params.id,
            request.body.reason,
            auth.userId,
            actorOf(request, auth),
          );
          return listVersions(ctx, tx, auth.tenantId);
        });
        return reply.code(201).header('location', '/api/v1/agreement/versions').send(out);
      },
    );

    // ---------------------------------------------------------------- operator

    app.post(
      '/api/v1/operator/agreement/versions',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator', 'agreement'],
          summary:
            'Publish a new agreement version for all or chosen customers: announced by mail and deemed accepted after each customer’s agreed Dutch working days (applied at once for a customer that has not accepted any version yet)',
          body: z.object({
            version: z.string().trim().min(1).max(40),
            summary: z.object({ nl: z.string().trim().min(1).max(4000), en: z.string().trim().min(1).max(4000) }),
            tenants: z.union([z.literal('all'), z.array(z.string()).min(1).max(10_000)]).default('all'),
            terms: termsSchema.partial().optional().describe('new terms that come with the version (optional)'),
          }),
          response: {
            201: z.object({
              releaseId: z.string(),
              customers: z.array(
                z.object({
                  tenantId: z.string(),
                  slug: z.string(),
                  outcome: z.enum(['announced', 'applied', 'unchanged']),
                  proposal: z.string().nullable(),
                }),
              ),
            }),
          },
        },
      },
      async (request, reply) => {
        const op = operatorOf(request);
        const b = request.body;
        const out = await publishVersion(
          ctx,
          {
            version: b.version,
            summary: b.summary,
            tenants: b.tenants,
            values: b.terms ? contractValues(b.terms) : {},
          },
          actorOf(request, op),
        );
        return reply.code(201).header('location', '/api/v1/operator/agreement/versions').send(out);
      },
    );

    app.get(
      '/api/v1/operator/agreement/versions',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator', 'agreement'],
          summary: 'Announced agreement versions across customers, with their deadline and state',
          response: {
            200: z.object({
              announcements: z.array(
                proposalOut.extend({ tenant: z.object({ id: z.string(), name: z.string(), slug: z.string() }) }),
              ),
            }),
          },
        },
      },
      async () => {
        return { announcements: await operatorAnnouncements(ctx) };
      },
    );

    app.get(
      '/api/v1/operator/tenants/:id/agreement/versions',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator', 'agreement'],
          summary: "A customer's acceptances and announced versions",
          params: z.object({ id: z.string() }),
          response: { 200: versionsOut },
        },
      },
      async (request) => {
        const { id } = request.params;
        if (!isUuid(id)) throw AppError.notFound('customer');
        return ctx.db.tenant(id, async (tx) => {
          if (!(await tx.selectFrom('tenants').select('id').where('id', '=', id).executeTakeFirst()))
            throw AppError.notFound('customer');
          return listVersions(ctx, tx, id);
        });
      },
    );

    app.post(
      '/api/v1/operator/tenants/:id/agreement/versions/:proposal/resolve',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator', 'agreement'],
          summary:
            'Resolve an objection: withdraw the version for this customer, or announce it again (a new objection window)',
          params: z.object({ id: z.string(), proposal: z.string() }),
          body: z.object({ action: z.enum(['withdraw', 'reannounce']) }),
          response: {
            200: z.object({
              proposal: z.string().nullable().describe('the new announcement (reannounce)'),
              versions: versionsOut,
            }),
          },
        },
      },
      async (request) => {
        const op = operatorOf(request);
        const { id } = request.params;
        if (!isUuid(id)) throw AppError.notFound('customer');
        const proposal = await resolveProposal(
          ctx,
          id,
          request.params.proposal,
          request.body.action,
          actorOf(request, op),
        );
        return { proposal, versions: await ctx.db.tenant(id, (tx) => listVersions(ctx, tx, id)) };
      },
    );
  };
}
