import type { Lang } from '../../lib/db/schema.js';
import { pagesOf, readAnswer, visibleQuestions, type Answers, type SurveyDefinition } from '../surveys/definition.js';
import { errorText, type FormValues } from './pages.js';

/**
 * One step of a multi-page survey without JavaScript. Every post carries all answers so far (the
 * current page's fields and the other pages' answers as hidden fields), the page it came from and the
 * button pressed. Conditions are evaluated here, on the server: questions and pages not shown are
 * skipped, and their answers are dropped before storing.
 */
export type Step =
  | {
      kind: 'page';
      page: number;
      lang: Lang;
      errors: Record<string, string>;
      visible: Set<string>;
      visiblePages: number[];
      hasNext: boolean;
      status: 200 | 422;
    }
  | { kind: 'done'; lang: Lang; answers: Answers };

export const langOf = (q: unknown, fallback: Lang): Lang => (q === 'nl' || q === 'en' ? q : fallback);

/** The preferred of nl/en in an Accept-Language header, or null. */
export function acceptLanguage(header: string | undefined): Lang | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)/.exec(p)?.[1]).find(Boolean);
      return { tag: tag!.split('-')[0]!, q: q === undefined ? 1 : Number(q) };
    })
    .filter((x) => x.tag === 'nl' || x.tag === 'en')
    .sort((a, b) => b.q - a.q);
  return (ranked[0]?.tag as Lang | undefined) ?? null;
}

export function parseAnswers(
  def: SurveyDefinition,
  values: FormValues,
  lang: Lang,
): { answers: Answers; errors: Record<string, string> } {
  const answers: Answers = {};
  const errors: Record<string, string> = {};
  for (const q of def.questions) {
    const r = readAnswer(q, values[q.id]);
    if (r.value !== undefined && !r.error) answers[q.id] = r.value;
    if (r.error) errors[q.id] = errorText(q, r.error, lang);
  }
  return { answers, errors };
}

export function firstPage(def: SurveyDefinition, lang: Lang): Step {
  return step(def, {}, lang, 'start', 0);
}

/**
 * Issue 14: the page `page0` as a GET shows it after a redirect, with the answers of the draft; with
 * `check`, the problems of that page (a validation error redirects here). A page that is not shown
 * with these answers gives way to the nearest earlier one that is.
 */
export function pageView(
  def: SurveyDefinition,
  values: FormValues,
  lang: Lang,
  page0: number | undefined,
  check: boolean,
): Step & { kind: 'page' } {
  const pages = pagesOf(def);
  const { answers, errors } = parseAnswers(def, values, lang);
  const visible = visibleQuestions(def, answers);
  const visiblePages = pages.map((p, i) => (p.some((q) => visible.has(q.id)) ? i : -1)).filter((i) => i >= 0);
  const wanted = Math.min(Math.max(0, Number.isInteger(page0) ? page0! : 0), pages.length - 1);
  const page = visiblePages.includes(wanted)
    ? wanted
    : ([...visiblePages].reverse().find((p) => p < wanted) ?? visiblePages[0] ?? 0);
  const hasNext =
    visiblePages.some((x) => x > page) ||
    pages
      .slice(page + 1)
      .some((pg) => pg.some((q) => q.showIf && pages[page]!.some((c) => c.id === q.showIf!.question)));
  const errs = check
    ? Object.fromEntries(
        Object.entries(errors).filter(([id]) => visible.has(id) && pages[page]!.some((q) => q.id === id)),
      )
    : {};
  return {
    kind: 'page',
    page,
    lang,
    errors: errs,
    visible,
    visiblePages,
    hasNext,
    status: Object.keys(errs).length ? 422 : 200,
  };
}

/**
 * Issue 14: the answers after a post of page `page`: the draft's, with that page's questions replaced
 * by what was posted (an unticked box or an emptied field is gone). A post that carries other pages'
 * answers too (as the hidden fields once did, and API clients may) sets those as well.
 */
export function mergeAnswers(
  def: SurveyDefinition,
  draft: FormValues,
  posted: FormValues,
  page: number | undefined,
): FormValues {
  const out: FormValues = {};
  const pages = pagesOf(def);
  const onPage = new Set((pages[Math.min(Math.max(0, page ?? 0), pages.length - 1)] ?? []).map((q) => q.id));
  for (const q of def.questions) {
    const v = posted[q.id] !== undefined ? posted[q.id] : onPage.has(q.id) ? undefined : draft[q.id];
    if (v !== undefined) out[q.id] = v;
  }
  return out;
}

/** What to show (or store) after the respondent pressed `nav` on page `page`. */
export function step(
  def: SurveyDefinition,
  values: FormValues,
  lang0: Lang,
  nav: string | undefined,
  page0: number | undefined,
): Step {
  let lang = lang0;
  if (nav === 'lang-nl' || nav === 'lang-en') lang = nav.slice(5) as Lang;
  const pages = pagesOf(def);
  const { answers, errors } = parseAnswers(def, values, lang);
  const visible = visibleQuestions(def, answers);
  const visiblePages = pages.map((p, i) => (p.some((q) => visible.has(q.id)) ? i : -1)).filter((i) => i >= 0);
  const page = Math.min(Math.max(0, Number.isInteger(page0) ? page0! : 0), pages.length - 1);
  // A later page counts as "next" when it is shown, or when a condition on it depends on an answer
  // that can still change on this page (the button then says Next, not Submit).
  const hasNext = (p: number) =>
    visiblePages.some((x) => x > p) ||
    pages.slice(p + 1).some((pg) => pg.some((q) => q.showIf && pages[p]!.some((c) => c.id === q.showIf!.question)));
  const show = (p: number, errs: Record<string, string>, status: 200 | 422): Step => ({
    kind: 'page',
    page: p,
    lang,
    errors: errs,
    visible,
    visiblePages,
    hasNext: hasNext(p),
    status,
  });
  const errorsOn = (p: number) =>
    Object.fromEntries(Object.entries(errors).filter(([id]) => visible.has(id) && pages[p]!.some((q) => q.id === id)));

  if (nav === 'start') return show(visiblePages[0] ?? 0, {}, 200);
  if (nav === 'lang-nl' || nav === 'lang-en') return show(page, {}, 200);
  if (nav === 'back') return show([...visiblePages].reverse().find((p) => p < page) ?? visiblePages[0] ?? 0, {}, 200);
  if (nav === 'next' || nav === 'submit') {
    const errs = errorsOn(page);
    if (Object.keys(errs).length) return show(page, errs, 422);
    // A page that became visible through this page's answers is shown before anything is stored.
    const next = visiblePages.find((p) => p > page);
    if (next !== undefined) return show(next, {}, 200);
  }
  // The final submit (also a post without `nav`, as the one-page form always was): everything again.
  for (const p of visiblePages) {
    const errs = errorsOn(p);
    if (Object.keys(errs).length) return show(p, errs, 422);
  }
  const kept: Answers = {};
  for (const [id, v] of Object.entries(answers)) if (visible.has(id)) kept[id] = v;
  return { kind: 'done', lang, answers: kept };
}
