import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction } from '../../lib/audit.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, callerOf, requirePermission } from '../auth/guard.js';
import { loadSurvey } from '../surveys/store.js';
import { loadRelease } from './release.js';
import { exportColumns, rowSource, type Lang } from './export-rows.js';
import { csvExport } from './export-csv.js';
import { xlsxExport } from './export-xlsx.js';
import { jsonlExport } from './export-jsonl.js';
import { savExport } from './export-sav.js';

/**
 * Exports of a survey's responses (OBLIGATIONS SVC-4, ACC-2): CSV for Dutch Excel, XLSX, JSON lines
 * and SPSS .sav, all streamed from one row source (export-rows.ts) with one writer per format.
 * Every format keeps the same rules: contact columns only with contacts=true and the right to see
 * them; confidential surveys: no per-response rows (403); anonymous surveys: only the release,
 * without time or language, in the order of the random response ids, open answers redacted.
 * Each download writes one audit row (RESPONSES_EXPORTED, with its format).
 */

type Format = 'csv' | 'xlsx' | 'jsonl' | 'sav';

const FORMATS: Record<Format, { type: string; summary: string }> = {
  csv: {
    type: 'text/csv; charset=utf-8',
    summary:
      'Export the responses as CSV for Dutch Excel (streamed): UTF-8 with BOM, CRLF, `;` and a decimal comma (delimiter=comma: `,` and a decimal point), times in Europe/Amsterdam local time (column submitted_at_amsterdam), choices by label in `lang` (codes=true: stored values), multiple choice as one 0/1 column per option (multiple=joined: the labels joined by " | "), header=texts adds the question texts as a second header row; formula cells neutralised, numbers left numbers.',
  },
  xlsx: {
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    summary:
      'Export the responses as an Excel workbook (streamed): typed cells (numbers, dates in Europe/Amsterdam local time, text that is never a formula), a sheet of responses and a sheet of questions with their options and labels.',
  },
  jsonl: {
    type: 'application/x-ndjson',
    summary:
      "Export the responses as JSON lines (streamed): one object per response with `answers` per question id as stored, `labels` of choice answers in `lang`, `categories` (the key score's group) and, with contacts=true, `contact`.",
  },
  sav: {
    type: 'application/x-spss-sav',
    summary:
      "Export the responses as an SPSS system file (.sav, streamed) for researchers: a variable per question (multiple choice: one 0/1 variable per option), variable labels (question texts in `lang`), value labels (choice labels, scale end labels, the key score's groups), dates as SPSS dates. PSPP and SPSS read it.",
  },
};

const RULES =
  ' Contact columns only with contacts=true and the right to see them (ACC-2); confidential surveys: refused (403); anonymous surveys: the released responses, without time or language, in random order.';

const query = z.object({
  contacts: z
    .enum(['true', 'false'])
    .default('false')
    .describe('add the contact details (identified surveys, for roles that may see them)'),
  lang: z.enum(['nl', 'en']).default('nl').describe('language of labels and question texts'),
  codes: z
    .enum(['true', 'false'])
    .default('false')
    .describe('CSV, XLSX: stored values (option ids, group codes) instead of labels'),
  header: z
    .enum(['names', 'texts'])
    .default('names')
    .describe('CSV, XLSX: texts adds a second header row with the question texts'),
  multiple: z
    .enum(['columns', 'joined'])
    .default('columns')
    .describe('CSV, XLSX: multiple choice as one 0/1 column per option, or the labels joined by " | "'),
  delimiter: z
    .enum(['semicolon', 'comma'])
    .default('semicolon')
    .describe('CSV: semicolon (decimal comma, as Dutch Excel reads it) or comma (decimal point)'),
});

export function exportRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    for (const format of Object.keys(FORMATS) as Format[]) {
      app.get(
        `/api/v1/surveys/:id/responses.${format}`,
        {
          config: { access: { permission: Permission.RESPONSES_EXPORT } },
          schema: {
            tags: ['results'],
            summary: FORMATS[format].summary + RULES,
            params: z.object({ id: z.string() }),
            querystring: query,
            produces: [FORMATS[format].type.split(';')[0]!],
          },
        },
        async (request, reply) => {
          const q = request.query;
          const withContacts = q.contacts === 'true';
          // OBLIGATIONS ACC-2: analysts and viewers cannot export contact details; ACC-4: trying is logged.
          const auth = withContacts
            ? await requirePermission(request, Permission.RESPONSES_EXPORT_CONTACTS)
            : callerOf(request);
          const keys = await ctx.keyring.forTenant(auth.tenantId);
          const { survey, release } = await ctx.db.tenant(auth.tenantId, async (tx) => {
            const s = await loadSurvey(tx, request.params.id);
            // OBLIGATIONS SVC-4: a confidential survey has no per-response rows anywhere; an anonymous one
            // has no contacts to export, and exports only its release (release.ts), without times or
            // languages, in the order of the random response ids.
            if (s.anonymity === 'confidential')
              throw new AppError(
                ErrorCode.FORBIDDEN,
                { key: 'problems:results.confidentialNoExport' },
                { extra: { anonymity: s.anonymity } },
              );
            if (withContacts && s.anonymity !== 'identified')
              throw new AppError(ErrorCode.FORBIDDEN, {
                key: 'problems:results.shieldedNoContactExport',
                params: { anonymity: s.anonymity },
              });
            const rel =
              s.anonymity === 'anonymous'
                ? await loadRelease(
                    tx,
                    s.id,
                    s.min_group_size,
                    ctx.env.RESULTS_SETTLE_SECONDS,
                    s.release_base ?? s.min_group_size,
                  )
                : null;
            await audit(tx, auth.tenantId, actorOf(request, auth), {
              action: AuditAction.RESPONSES_EXPORTED,
              subject: { kind: 'survey', id: s.id },
              details: { withContacts, format, ...(rel ? { released: rel.released } : {}) },
            });
            return { survey: s, release: rel };
          });
          const lang: Lang = q.lang;
          const anonymous = release !== null;
          const columns = exportColumns(survey.definition, {
            lang,
            codes: q.codes === 'true',
            multiple: q.multiple,
            numericCodes: format === 'sav',
            anonymous,
            withContacts,
          });
          const source = () =>
            rowSource(ctx, keys, {
              tenantId: auth.tenantId,
              surveyId: survey.id,
              definition: survey.definition,
              release,
              withContacts,
            });
          const now = new Date();
          let body: AsyncGenerator<string | Uint8Array>;
          switch (format) {
            case 'csv':
              body = csvExport(columns, source().rows, {
                delimiter: q.delimiter === 'comma' ? ',' : ';',
                texts: q.header === 'texts',
              });
              break;
            case 'xlsx':
              body = xlsxExport(survey.definition, columns, source().rows, { lang, texts: q.header === 'texts', now });
              break;
            case 'jsonl':
              body = jsonlExport(survey.definition, source().rows, { lang, anonymous });
              break;
            case 'sav': {
              // Two passes (string widths, then the cases); the second reads exactly what the first read.
              let first: ReturnType<typeof source> | null = null;
              const pass = () => {
                if (!first) return (first = source()).rows;
                return rowSource(ctx, keys, {
                  tenantId: auth.tenantId,
                  surveyId: survey.id,
                  definition: survey.definition,
                  release,
                  withContacts,
                  until: anonymous
                    ? undefined
                    : (first.last() ?? { at: '-infinity', id: '00000000-0000-0000-0000-000000000000' }),
                }).rows;
              };
              body = savExport(columns, pass, { now, label: `Peil: ${survey.name}` });
              break;
            }
          }
          const filename = `peil-${survey.name.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 60) || 'survey'}-responses.${format}`;
          return reply
            .header('content-type', FORMATS[format].type)
            .header('content-disposition', `attachment; filename="${filename}"`)
            .header('cache-control', 'no-store')
            .header('x-content-type-options', 'nosniff')
            .send(Readable.from(body));
        },
      );
    }
  };
}
