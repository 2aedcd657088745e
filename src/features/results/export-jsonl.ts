import type { Question, SurveyDefinition } from '../surveys/definition.js';
import type { ExportRow, Lang } from './export-rows.js';
import { categoryOf, scoreKindOf } from './scores.js';
import { keyQuestion } from '../surveys/definition.js';

/**
 * The responses as JSON lines (application/x-ndjson): one object per response, keys as in the CSV
 * (`response_id`, `submitted_at` (ISO 8601, UTC), `language`), `answers` per question id as stored
 * (scales and numbers as numbers, choices as option values, multiple choice as a list, dates as
 * `YYYY-MM-DD`), `labels` per choice question in the chosen language (a list for multiple choice),
 * `categories` the key score's group by its question id, and `contact` when asked for. Anonymous
 * surveys: no `submitted_at`, no `language`.
 */
export async function* jsonlExport(
  def: SurveyDefinition,
  rows: AsyncIterable<ExportRow>,
  o: { lang: Lang; anonymous: boolean },
): AsyncGenerator<string> {
  const key = keyQuestion(def);
  const kind = key ? scoreKindOf(key) : null;
  const choices = def.questions.filter(
    (q): q is Extract<Question, { type: 'single' | 'multiple' }> => q.type === 'single' || q.type === 'multiple',
  );
  const labelOf = new Map(choices.map((q) => [q.id, new Map(q.options.map((opt) => [opt.value, opt.label[o.lang]]))]));
  let chunk = '';
  for await (const r of rows) {
    const labels: Record<string, string | string[]> = {};
    for (const q of choices) {
      const v = r.answers[q.id];
      const m = labelOf.get(q.id)!;
      if (typeof v === 'string') labels[q.id] = m.get(v) ?? v;
      else if (Array.isArray(v)) labels[q.id] = v.map((x) => m.get(x) ?? x);
    }
    const categories: Record<string, string> = {};
    const score = key ? r.answers[key.id] : undefined;
    if (key && kind && typeof score === 'number') {
      const c = categoryOf(kind, score);
      if (c) categories[key.id] = c;
    }
    const answers: Record<string, unknown> = {};
    for (const q of def.questions) if (r.answers[q.id] !== undefined) answers[q.id] = r.answers[q.id];
    const line = {
      response_id: r.id,
      ...(o.anonymous ? {} : { submitted_at: r.submittedAt?.toISOString() ?? null, language: r.language }),
      answers,
      labels,
      categories,
      ...(r.contact
        ? {
            contact: {
              email: r.contact.email,
              first_name: r.contact.firstName,
              infix: r.contact.infix,
              last_name: r.contact.lastName,
            },
          }
        : {}),
    };
    chunk += JSON.stringify(line) + '\n';
    if (chunk.length >= 64 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
