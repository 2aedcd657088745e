import { z } from 'zod';
import type { Message } from '../../lib/i18n.js';

/** Text in each language the survey offers. */
export const localized = z.object({ nl: z.string().trim().min(1).max(2000), en: z.string().trim().min(1).max(2000) });
export type Localized = z.infer<typeof localized>;

/**
 * A survey's questions (OBLIGATIONS SVC-2). A question id is also its form field name on the
 * respondent page, so a few names are reserved. Pages: a question with `newPage: true` starts a new
 * page. Conditions (`showIf`) refer to an EARLIER question; a question whose condition does not hold
 * is not shown and its answer is not stored.
 */
const RESERVED = new Set(['lang', 'nav', 'page', 'rid', 'draft']);

const questionId = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _ (at most 40), starting with a letter')
  .describe('Stable id of the question; also its form field name');
const optionValue = z
  .string()
  .regex(/^[a-z0-9_]{1,40}$/, 'lower-case letters, digits and _')
  .describe('Stored value of the option');

export const condition = z
  .object({
    question: questionId.describe('An earlier question'),
    op: z
      .enum(['equals', 'oneOf', 'gte', 'lte'])
      .describe('equals / is one of (choices or scale values) / ≥ / ≤ (scales and numbers)'),
    value: z.union([z.number(), z.string(), z.array(z.union([z.number(), z.string()])).min(1)]),
  })
  .describe('Show this question only when the earlier answer matches')
  .meta({ examples: [{ question: 'score', op: 'lte', value: 6 }] });
export type Condition = z.infer<typeof condition>;

const common = {
  id: questionId,
  required: z.boolean().default(false),
  text: localized,
  help: localized.optional().describe('A short explanation under the question'),
  newPage: z.boolean().optional().describe('This question starts a new page'),
  showIf: condition.optional(),
  category: z
    .string()
    .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/)
    .max(80)
    .optional()
    .describe(
      'OBLIGATIONS REG-2: the register category of its answers (default from the type: answers.score, answers.choice, answers.free_text, answers.number, answers.date); e.g. special.health for a question that asks for a special category (refused unless the agreement allows them)',
    ),
};
const option = z.object({ value: optionValue, label: localized });

export const question = z.discriminatedUnion('type', [
  z.object({ ...common, type: z.literal('nps') }).describe('0–10, "how likely are you to recommend"'),
  z.object({ ...common, type: z.literal('enps') }).describe('0–10, employee wording'),
  z.object({ ...common, type: z.literal('csat') }).describe('1–5 satisfaction'),
  z.object({ ...common, type: z.literal('ces') }).describe('1–7 effort'),
  z
    .object({
      ...common,
      type: z.literal('rating'),
      min: z.number().int().min(0).max(10),
      max: z.number().int().min(1).max(10),
      minLabel: localized.optional(),
      maxLabel: localized.optional(),
    })
    .describe('A scale min..max (within 0..10) with end labels'),
  z.object({ ...common, type: z.literal('single'), options: z.array(option).min(2).max(30) }),
  z.object({ ...common, type: z.literal('multiple'), options: z.array(option).min(2).max(30) }),
  z.object({ ...common, type: z.literal('text'), maxLength: z.number().int().min(1).max(5000).default(5000) }),
  z.object({
    ...common,
    type: z.literal('number'),
    min: z.number().optional(),
    max: z.number().optional(),
    integer: z.boolean().optional(),
  }),
  z.object({ ...common, type: z.literal('date') }),
]);
export type Question = z.infer<typeof question>;

const definitionShape = z.object({
  questions: z.array(question).min(1).max(200),
  invitation: z.object({ subject: localized, body: localized }),
  thanks: localized,
});
/** A definition as it is saved (create, update): every check of checkDefinition. */
export const definition = definitionShape.superRefine((def, zctx) =>
  checkDefinition(def, (path, message, text) => zctx.addIssue({ code: 'custom', path, message, params: { text } })),
);
/**
 * A definition as it was stored, for answers that show it: the checks that held when it was saved.
 * Surveys saved before the same-page rule (issue 12) keep loading, and run as they always did.
 */
export const storedDefinition = definitionShape.superRefine((def, zctx) =>
  checkDefinition(def, (path, message, text) => zctx.addIssue({ code: 'custom', path, message, params: { text } }), {
    stored: true,
  }),
);
export type SurveyDefinition = z.infer<typeof definition>;

export const COMMENT_MAX = 5000;

/** The scale of a scale question: NPS/eNPS 0–10, CSAT 1–5, CES 1–7, a rating scale its own. */
export function scaleOf(q: Question): { min: number; max: number } | null {
  switch (q.type) {
    case 'nps':
    case 'enps':
      return { min: 0, max: 10 };
    case 'csat':
      return { min: 1, max: 5 };
    case 'ces':
      return { min: 1, max: 7 };
    case 'rating':
      return { min: q.min, max: q.max };
    default:
      return null;
  }
}

/** The survey's key score (stored in clear in responses.score): its first NPS, eNPS, CSAT or CES question. */
export function keyQuestion(def: SurveyDefinition): Question | undefined {
  return def.questions.find((q) => q.type === 'nps' || q.type === 'enps' || q.type === 'csat' || q.type === 'ces');
}

/** The free-text question whose answer is "the comment" (results, labelling): the first open text question. */
export function commentQuestion(def: SurveyDefinition): Question | undefined {
  return def.questions.find((q) => q.type === 'text');
}

/** The reason given when a condition refers to a question on its own page (issue 12). */
export const SAME_PAGE_REASON =
  'is on the same page as this question: conditions are checked when a page is sent, so this question would never be shown; start a new page at this question (newPage: true) / staat op dezelfde pagina als deze vraag: begin bij deze vraag een nieuwe pagina';

/**
 * Checks what zod cannot: unique ids, reserved names, scale bounds, and conditions that refer to an
 * earlier question with a value that question can have. Problems name the JSON path.
 *
 * A condition on a question of the SAME page is refused (issue 12): conditions are evaluated on the
 * server when a page is sent (respond/flow.ts), so such a question was never shown to anyone. Saving
 * it is refused; `stored: true` (reading a definition saved before this rule) leaves it out, so those
 * surveys still load and run as before.
 */
export function checkDefinition(
  def: { questions: Question[] },
  report: (path: (string | number)[], message: string, text: Message) => void,
  opts: { stored?: boolean } = {},
): void {
  // Issue 14: each problem in English (logs, `message`) and as a catalogue message, sent in the client's language.
  const issue = (path: (string | number)[], message: string, key: string, params?: Message['params']) =>
    report(path, message, { key: `problems:validation.definition.${key}`, ...(params ? { params } : {}) });
  const seen = new Map<string, Question>();
  const pageOf = new Map<string, number>();
  let page = -1;
  def.questions.forEach((q, i) => {
    if (i === 0 || q.newPage) page++;
    const at = ['questions', i];
    if (RESERVED.has(q.id)) issue([...at, 'id'], `"${q.id}" is a reserved name`, 'reserved', { id: q.id });
    if (seen.has(q.id)) issue([...at, 'id'], `duplicate question id "${q.id}"`, 'duplicate', { id: q.id });
    if (q.type === 'rating' && q.min >= q.max) issue([...at, 'max'], 'max must be greater than min', 'maxAboveMin');
    if (q.type === 'number' && q.min !== undefined && q.max !== undefined && q.min > q.max)
      issue([...at, 'max'], 'max must not be less than min', 'maxNotBelowMin');
    if (
      (q.type === 'single' || q.type === 'multiple') &&
      new Set(q.options.map((o) => o.value)).size !== q.options.length
    )
      issue([...at, 'options'], 'option values must be unique', 'optionsUnique');
    if (q.showIf) {
      const c = q.showIf;
      const ref = seen.get(c.question);
      if (!ref) {
        if (c.question === q.id || !def.questions.some((o) => o.id === c.question))
          issue([...at, 'showIf', 'question'], `"${c.question}" is not an earlier question`, 'notEarlier', {
            question: c.question,
          });
        else
          issue(
            [...at, 'showIf', 'question'],
            `"${c.question}" comes after this question; a condition can only refer to an earlier question`,
            'comesAfter',
            { question: c.question },
          );
      } else {
        const problem = conditionProblem(ref, c);
        if (problem) issue([...at, 'showIf', 'value'], problem.message, problem.key, problem.params);
        if (!opts.stored && pageOf.get(ref.id) === page)
          issue([...at, 'showIf', 'question'], `"${ref.id}" ${SAME_PAGE_REASON}`, 'samePage', { question: ref.id });
      }
    }
    seen.set(q.id, q);
    if (!pageOf.has(q.id)) pageOf.set(q.id, page);
  });
}

/**
 * The same-page check alone (see checkDefinition), for an edit: a condition that the stored
 * definition already had, on the same page, is left alone (a survey saved before the rule, whose
 * pages can no longer change once it has responses, can still have its texts edited).
 */
export function samePageProblems(
  def: SurveyDefinition,
  before?: SurveyDefinition,
): Array<{ index: number; reason: string; text: Message }> {
  const found = (d: SurveyDefinition) => {
    const out: Array<{ index: number; reason: string; text: Message }> = [];
    checkDefinition(d, (path, message, text) => {
      if (message.endsWith(SAME_PAGE_REASON)) out.push({ index: path[1] as number, reason: message, text });
    });
    return out;
  };
  // Field by field: a stored (jsonb) definition has its keys in another order.
  const key = (q: Question) => `${q.id}|${q.showIf?.question}|${q.showIf?.op}|${JSON.stringify(q.showIf?.value)}`;
  const had = new Set(before ? found(before).map((p) => key(before.questions[p.index]!)) : []);
  return found(def).filter((p) => !had.has(key(def.questions[p.index]!)));
}

interface ConditionProblem {
  message: string;
  key: string;
  params?: Record<string, string | number>;
}

function conditionProblem(ref: Question, c: Condition): ConditionProblem | null {
  const values = Array.isArray(c.value) ? c.value : [c.value];
  if (c.op === 'oneOf' && !Array.isArray(c.value))
    return { message: '"oneOf" needs a list of values', key: 'oneOfList' };
  if (c.op !== 'oneOf' && Array.isArray(c.value))
    return { message: `"${c.op}" needs one value`, key: 'oneValue', params: { op: c.op } };
  const scale = scaleOf(ref);
  if (scale) {
    for (const v of values)
      if (typeof v !== 'number' || !Number.isInteger(v) || v < scale.min || v > scale.max)
        return {
          message: `"${ref.id}" is answered with a whole number from ${scale.min} to ${scale.max}`,
          key: 'scale',
          params: { question: ref.id, min: scale.min, max: scale.max },
        };
    return null;
  }
  if (ref.type === 'single' || ref.type === 'multiple') {
    if (c.op === 'gte' || c.op === 'lte')
      return { message: `"${c.op}" does not apply to a choice question`, key: 'notForChoice', params: { op: c.op } };
    const known = new Set(ref.options.map((o) => o.value));
    for (const v of values)
      if (typeof v !== 'string' || !known.has(v))
        return {
          message: `${JSON.stringify(v)} is not an option of "${ref.id}"`,
          key: 'notAnOption',
          params: { value: JSON.stringify(v), question: ref.id },
        };
    return null;
  }
  if (ref.type === 'number') {
    for (const v of values)
      if (typeof v !== 'number')
        return { message: `"${ref.id}" is answered with a number`, key: 'number', params: { question: ref.id } };
    return null;
  }
  return {
    message: `a condition cannot refer to a ${ref.type} question`,
    key: 'type',
    params: { type: ref.type },
  };
}

// ------------------------------------------------------------------ answers

/** An answer as stored: a scale or number is a number, a single choice and a date a string, multiple choice a list. */
export type AnswerValue = number | string | string[];
export type Answers = Record<string, AnswerValue>;

export function conditionHolds(c: Condition, answers: Answers): boolean {
  const a = answers[c.question];
  if (a === undefined) return false;
  const list = Array.isArray(a) ? a : [a];
  switch (c.op) {
    case 'equals':
      return list.some((v) => v === c.value);
    case 'oneOf':
      return list.some((v) => (c.value as Array<string | number>).includes(v));
    case 'gte':
      return typeof a === 'number' && a >= (c.value as number);
    case 'lte':
      return typeof a === 'number' && a <= (c.value as number);
  }
}

/** Pages as lists of question indexes. */
export function pagesOf(def: SurveyDefinition): Question[][] {
  const pages: Question[][] = [];
  for (const q of def.questions) {
    if (pages.length === 0 || q.newPage) pages.push([]);
    pages[pages.length - 1]!.push(q);
  }
  return pages;
}

/** The questions shown, given the answers so far (in order: a condition sees only answers of shown questions). */
export function visibleQuestions(def: SurveyDefinition, answers: Answers): Set<string> {
  const shown = new Set<string>();
  const kept: Answers = {};
  for (const q of def.questions) {
    if (q.showIf && !conditionHolds(q.showIf, kept)) continue;
    shown.add(q.id);
    if (answers[q.id] !== undefined) kept[q.id] = answers[q.id]!;
  }
  return shown;
}

export type AnswerError = 'required' | 'scale' | 'option' | 'tooLong' | 'number' | 'range' | 'date';

/**
 * Reads one question's answer from form values (strings). Returns the value, nothing (not answered)
 * or an error code. Everything a respondent sends is checked here, on every page and again on the
 * final submit.
 */
export function readAnswer(
  q: Question,
  raw: string | string[] | undefined,
): { value?: AnswerValue; error?: AnswerError } {
  const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
    .map((s) => s.replace(/\r\n/g, '\n').trim())
    .filter((s) => s !== '');
  const missing = (): { error?: AnswerError } => (q.required ? { error: 'required' } : {});
  if (list.length === 0) return missing();
  const scale = scaleOf(q);
  if (scale) {
    const n = /^\d{1,2}$/.test(list[0]!) ? Number(list[0]) : NaN;
    return Number.isInteger(n) && n >= scale.min && n <= scale.max ? { value: n } : { error: 'scale' };
  }
  switch (q.type) {
    case 'single':
      return q.options.some((o) => o.value === list[0]) ? { value: list[0]! } : { error: 'option' };
    case 'multiple': {
      const known = new Set(q.options.map((o) => o.value));
      if (!list.every((v) => known.has(v))) return { error: 'option' };
      return { value: q.options.map((o) => o.value).filter((v) => list.includes(v)) };
    }
    case 'text':
      return list[0]!.length > q.maxLength ? { value: list[0]!, error: 'tooLong' } : { value: list[0]! };
    case 'number': {
      const text = list[0]!.replace(',', '.');
      const n = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
      if (!Number.isFinite(n) || (q.integer && !Number.isInteger(n))) return { error: 'number' };
      if ((q.min !== undefined && n < q.min) || (q.max !== undefined && n > q.max)) return { error: 'range' };
      return { value: n };
    }
    case 'date': {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(list[0]!);
      const d = m ? new Date(`${list[0]}T00:00:00Z`) : null;
      return d && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === list[0]
        ? { value: list[0]! }
        : { error: 'date' };
    }
    default:
      return { error: 'option' };
  }
}

/**
 * How answers are stored (the decision asked for in issue 4):
 * - the key score (first NPS/eNPS/CSAT/CES question) in clear in responses.score, as before;
 * - closed answers (scales and choices) in clear in responses.answers: they are the customer's own
 *   categories, needed for aggregation in SQL, and say nothing a respondent typed;
 * - numbers and dates in clear in responses.answers too (issue 12): they are measurements within the
 *   question's declared bounds, needed for aggregation in SQL (mean, median, bins, months). This keeps
 *   the promises: erase-key clears responses.answers (keys/scrub.ts) and migration 0012 refuses clear
 *   values after it; backups seal each customer's sections under its key; retention removes them with
 *   the other typed answers (register/retention.ts); shielded surveys show them only as aggregates
 *   over the release (results/questions.ts: n, mean, median, bins; never a minimum, maximum or single
 *   value). Older responses are copied once per survey (results/typed.ts);
 * - open text only in answers_enc, encrypted with the tenant key; responses.answers holds `true` for
 *   an open question that was answered (issue 17: the results count each open question's comments
 *   from the rollup instead of decrypting them). That says no more than the length of answers_enc
 *   already does (encryption hides the text, not its length); retention removes it with the text.
 *   answers_enc keeps `score` and `why` (the first open text answer) as before, so the export and
 *   labelling read every survey the same way, and holds all answers under `answers`.
 */
/** An open answer that counts as a comment: text that is not only white space. */
export function isAnsweredText(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}

/**
 * An open question's answer in a response's sealed blob. Older responses hold the survey's first open
 * question ({@link commentQuestion}) only as `why`; `first` says whether `questionId` is that question.
 */
export function sealedText(
  sealed: { why?: string | null; answers?: Record<string, unknown> },
  questionId: string,
  first: boolean,
): string | null {
  const v = sealed.answers?.[questionId];
  if (typeof v === 'string') return v;
  return first && v == null ? (sealed.why ?? null) : null;
}

export function splitForStorage(
  def: SurveyDefinition,
  answers: Answers,
): {
  score: number | null;
  clear: Record<string, AnswerValue | true> | null;
  sealed: { score: number | null; why: string | null; answers: Answers };
} {
  const key = keyQuestion(def);
  const comment = commentQuestion(def);
  const score = key && typeof answers[key.id] === 'number' ? (answers[key.id] as number) : null;
  const clear: Record<string, AnswerValue | true> = {};
  for (const q of def.questions) {
    const v = answers[q.id];
    if (v === undefined) continue;
    if (scaleOf(q) || q.type === 'single' || q.type === 'multiple' || q.type === 'number' || q.type === 'date')
      clear[q.id] = v;
    // Whether an open question was answered, never what: the results count comments from it.
    else if (q.type === 'text' && isAnsweredText(v)) clear[q.id] = true;
  }
  const why = comment && typeof answers[comment.id] === 'string' ? (answers[comment.id] as string) : null;
  return { score, clear: Object.keys(clear).length ? clear : null, sealed: { score, why, answers } };
}

// ------------------------------------------------------------------ templates

export const SURVEY_KINDS = ['nps', 'enps', 'csat', 'ces', 'custom'] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];

// Issue 14: the default invitation said "one short question, less than a minute" for a
// questionnaire of seven, and two surveys' mails had the same subject. The default names the survey
// and its size through placeholders, filled when the mail is made, so it stays true after edits.
const invitationTexts = (orgName: string) => ({
  subject: {
    nl: `${orgName} hoort graag je mening over {vragenlijst}`,
    en: `${orgName} would like to hear from you about {survey}`,
  },
  body: {
    nl: `Beste {naam},\n\nWil je ons helpen met {omvang}? Het kost je {duur}.`,
    en: `Dear {name},\n\nWould you help us with {length}? It takes {duration}.`,
  },
});

export interface SurveySize {
  questions: number;
  minutes: number;
}

/**
 * A survey's size as a respondent meets it: its questions, and the minutes it takes, rounded up
 * (about 10 s for a closed question and 40 s for an open one; an NPS with its "why?" is one minute).
 */
export function surveySize(def: Pick<SurveyDefinition, 'questions'>): SurveySize {
  const open = def.questions.filter((q) => q.type === 'text').length;
  const seconds = (def.questions.length - open) * 10 + open * 40;
  return { questions: def.questions.length, minutes: Math.max(1, Math.ceil(seconds / 60)) };
}
const thanks = { nl: 'Bedankt voor je antwoord!', en: 'Thank you for your answer!' };
const why = (required = false) => ({
  id: 'why',
  type: 'text' as const,
  required,
  maxLength: COMMENT_MAX,
  text: { nl: 'Wat is de belangrijkste reden voor je score?', en: 'What is the most important reason for your score?' },
});

/** The NPS survey of the walking skeleton: the 0–10 question and an open "why?", in Dutch and English. */
export function npsDefinition(
  orgName: string,
  overrides: Partial<{ score: Localized; why: Localized; subject: Localized; body: Localized }> = {},
): SurveyDefinition {
  const inv = invitationTexts(orgName);
  return {
    questions: [
      {
        id: 'score',
        type: 'nps',
        required: true,
        text: overrides.score ?? {
          nl: `Hoe waarschijnlijk is het dat je ${orgName} aanbeveelt aan vrienden of collega's?`,
          en: `How likely are you to recommend ${orgName} to a friend or colleague?`,
        },
      },
      { ...why(), text: overrides.why ?? why().text },
    ],
    invitation: { subject: overrides.subject ?? inv.subject, body: overrides.body ?? inv.body },
    thanks,
  };
}

/** A new survey's starting definition for each kind (NPS, eNPS, CSAT, CES, custom questionnaire). */
export function templateDefinition(kind: SurveyKind, orgName: string): SurveyDefinition {
  const inv = invitationTexts(orgName);
  switch (kind) {
    case 'nps':
      return npsDefinition(orgName);
    case 'enps':
      return {
        questions: [
          {
            id: 'score',
            type: 'enps',
            required: true,
            text: {
              nl: `Hoe waarschijnlijk is het dat je ${orgName} als werkgever aanbeveelt aan vrienden of bekenden?`,
              en: `How likely are you to recommend ${orgName} as an employer to friends or acquaintances?`,
            },
          },
          {
            ...why(),
            text: {
              nl: 'Wat is de belangrijkste reden voor je score?',
              en: 'What is the most important reason for your score?',
            },
          },
        ],
        invitation: inv,
        thanks,
      };
    case 'csat':
      return {
        questions: [
          {
            id: 'score',
            type: 'csat',
            required: true,
            text: { nl: `Hoe tevreden ben je over ${orgName}?`, en: `How satisfied are you with ${orgName}?` },
          },
          why(),
        ],
        invitation: inv,
        thanks,
      };
    case 'ces':
      return {
        questions: [
          {
            id: 'score',
            type: 'ces',
            required: true,
            text: {
              nl: `Hoeveel moeite kostte het om geholpen te worden door ${orgName}?`,
              en: `How much effort did it take to get help from ${orgName}?`,
            },
          },
          why(),
        ],
        invitation: inv,
        thanks,
      };
    case 'custom':
      return {
        questions: [
          {
            id: 'q1',
            type: 'text',
            required: false,
            maxLength: COMMENT_MAX,
            text: { nl: 'Wat wil je ons laten weten?', en: 'What would you like to tell us?' },
          },
        ],
        invitation: inv,
        thanks,
      };
  }
}

/**
 * Whether a new definition keeps stored responses meaningful: the same questions (ids, order and
 * types), the same scales and options, the same conditions and pages. Texts may change.
 */
export function structuralChanges(before: SurveyDefinition, after: SurveyDefinition): string[] {
  const strip = (q: Question) => {
    // The register category (REG-2) may change too: marking a question as asking for a special category later is allowed.
    const {
      text: _t,
      help: _h,
      required: _r,
      category: _c,
      ...rest
    } = q as Question & { minLabel?: unknown; maxLabel?: unknown };
    const out = { ...rest } as Record<string, unknown>;
    delete out.minLabel;
    delete out.maxLabel;
    if ('options' in q) out.options = q.options.map((o) => o.value);
    return canonical(out);
  };
  const problems: string[] = [];
  if (before.questions.length !== after.questions.length) problems.push('the number of questions');
  const n = Math.min(before.questions.length, after.questions.length);
  for (let i = 0; i < n; i++)
    if (strip(before.questions[i]!) !== strip(after.questions[i]!))
      problems.push(`question ${i + 1} (${before.questions[i]!.id})`);
  return problems;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}
