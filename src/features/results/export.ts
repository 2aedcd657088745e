import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction } from '../../lib/audit.js';
import { csvRow } from '../../lib/csv/write.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, requireUser } from '../auth/guard.js';
import { loadSurvey } from '../surveys/routes.js';
import { displayComment } from '../labelling/results.js';
import { categoryOf } from './nps.js';
import { commentQuestion, keyQuestion } from '../surveys/definition.js';
import { inRelease, loadRelease } from './release.js';

interface Answers {
  score?: number | null;
  why?: string | null;
  answers?: Record<string, number | string | string[]>;
}

/** Exports of a survey's responses (OBLIGATIONS SVC-4, ACC-2). */
export function exportRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/v1/surveys/:id/responses.csv', {
      config: { access: { permission: Permission.RESPONSES_EXPORT } },
      schema: {
        tags: ['results'],
        summary: 'Export the responses as CSV (streamed). Contact columns only with contacts=true and the right to see them; confidential surveys: refused (403); anonymous surveys: the released responses, without time or language, in random order.',
        params: z.object({ id: z.string() }),
        querystring: z.object({ contacts: z.enum(['true', 'false']).default('false'), delimiter: z.enum(['semicolon', 'comma']).default('semicolon') }),
      },
    }, async (request, reply) => {
      const auth = await requireUser(ctx, request, Permission.RESPONSES_EXPORT);
      const withContacts = request.query.contacts === 'true';
      // OBLIGATIONS ACC-2: analysts and viewers cannot export contact details.
      if (withContacts && !auth.permissions.has(Permission.RESPONSES_EXPORT_CONTACTS)) {
        throw new AppError(ErrorCode.FORBIDDEN, `Your role (${auth.role}) cannot export contact details.`);
      }
      const sep = request.query.delimiter === 'comma' ? ',' : ';';
      const keys = await ctx.keyring.forTenant(auth.tenantId);
      const { survey, release } = await ctx.db.tenant(auth.tenantId, async (tx) => {
        const s = await loadSurvey(tx, request.params.id);
        // OBLIGATIONS SVC-4: a confidential survey has no per-response rows anywhere; an anonymous one
        // has no contacts to export, and exports only its release (release.ts), without times or
        // languages, in the order of the random response ids.
        if (s.anonymity === 'confidential') throw new AppError(ErrorCode.FORBIDDEN, 'This survey is confidential: individual answers are never exported, only the grouped results (GET /api/v1/surveys/{id}/results).', { extra: { anonymity: s.anonymity } });
        if (withContacts && s.anonymity !== 'identified') throw new AppError(ErrorCode.FORBIDDEN, `This survey is ${s.anonymity}: responses cannot be exported with contact details.`);
        const rel = s.anonymity === 'anonymous' ? await loadRelease(tx, s.id, s.min_group_size, ctx.env.RESULTS_SETTLE_SECONDS, s.release_base ?? s.min_group_size) : null;
        await audit(tx, auth.tenantId, actorOf(request, auth), { action: AuditAction.RESPONSES_EXPORTED, subject: { kind: 'survey', id: s.id }, details: { withContacts, format: 'csv', ...(rel ? { released: rel.released } : {}) } });
        return { survey: s, release: rel };
      });

      // Every question beyond the key score and the comment gets its own column.
      const key = keyQuestion(survey.definition);
      const comment = commentQuestion(survey.definition);
      const extra = survey.definition.questions.filter((q) => q.id !== key?.id && q.id !== comment?.id);
      const shielded = release !== null;
      const header = [...(shielded ? ['response_id'] : ['response_id', 'submitted_at', 'language']), 'score', 'category', 'comment', ...extra.map((q) => q.id), ...(withContacts ? ['email', 'first_name', 'infix', 'last_name'] : [])];
      const PAGE = 1000;
      async function* rows(): AsyncGenerator<string> {
        yield '\uFEFF' + csvRow(header, sep);
        let cursor: { at: string; id: string } | null = null;
        for (;;) {
          const c = cursor;
          // Each page is its own short transaction, so a slow download never holds the database.
          const page = await ctx.db.tenant(auth.tenantId, (tx) => {
            let q = tx
              .selectFrom('responses as r')
              .leftJoin('contacts as c', (j) => j.onRef('c.tenant_id', '=', 'r.tenant_id').onRef('c.id', '=', 'r.contact_id'))
              .select(['r.id', 'r.submitted_at', sql<string>`r.submitted_at::text`.as('at_text'), 'r.language', 'r.score', 'r.answers_enc', 'c.email_enc', 'c.first_name_enc', 'c.infix_enc', 'c.last_name_enc'])
              .where('r.survey_id', '=', survey.id);
            if (release) {
              // The release, paged by id (random: it says nothing about time).
              q = q.where(inRelease(release.cutoff));
              if (c) q = q.where('r.id', '>', c.id);
              return q.orderBy('r.id').limit(PAGE).execute();
            }
            // The cursor keeps PostgreSQL's microseconds (a JS Date would round them and skip rows).
            if (c) q = q.where(sql<boolean>`(r.submitted_at, r.id) > (${c.at}::timestamptz, ${c.id}::uuid)`);
            return q.orderBy('r.submitted_at').orderBy('r.id').limit(PAGE).execute();
          });
          let chunk = '';
          for (const r of page) {
            const a = keys.openJson<Answers>(r.answers_enc);
            const cells = extra.map((q) => {
              const v = a.answers?.[q.id];
              return v === undefined ? '' : Array.isArray(v) ? v.join('|') : shielded && q.type === 'text' ? displayComment(String(v), { anonymous: true }) : v;
            });
            const base = [...(shielded ? [r.id] : [r.id, new Date(r.submitted_at).toISOString(), r.language]), r.score, r.score === null ? '' : categoryOf(r.score), a.why ? (shielded ? displayComment(a.why, { anonymous: true }) : a.why) : '', ...cells];
            const contact = withContacts ? [keys.open(r.email_enc), keys.open(r.first_name_enc), keys.open(r.infix_enc), keys.open(r.last_name_enc)] : [];
            chunk += csvRow([...base, ...contact], sep);
          }
          if (chunk) yield chunk;
          if (page.length < PAGE) return;
          const last = page[page.length - 1]!;
          cursor = { at: last.at_text, id: last.id };
        }
      }
      const filename = `peil-${survey.name.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 60) || 'survey'}-responses.csv`;
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(rows()));
    });
  };
}
