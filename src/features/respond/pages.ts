import { html, raw, type Html } from '../../lib/html.js';
import type { Lang } from '../../lib/db/schema.js';
import { translate, translator } from '../../lib/i18n.js';
import { pagesOf, scaleOf, type AnswerError, type Question, type SurveyDefinition } from '../surveys/definition.js';

/**
 * Respondent pages: server-rendered, no JavaScript needed, built for a phone first and for WCAG 2.1
 * AA (labels, a fieldset with legend for every group, errors next to the field and tied to it with
 * aria-describedby, an error summary with links, visible focus, 44px targets, contrast ≥ 4.5:1).
 */
const scaleCols = Array.from({ length: 10 }, (_, i) => i + 2)
  .map((n) => `.scale.c${n}{grid-template-columns:repeat(${n},minmax(0,1fr))}`)
  .join('');
const css = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f6f7f9}
main{max-width:40rem;margin:0 auto;padding:1.25rem}h1{font-size:1.35rem;line-height:1.3}
.card{background:#fff;border-radius:12px;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}
fieldset{border:0;margin:0 0 1.5rem;padding:0;min-width:0}legend{font-weight:600;margin-bottom:.75rem;font-size:1.1rem;padding:0}
.q{margin:0 0 1.5rem}
.scale{display:grid;gap:4px}${scaleCols}
.scale label{position:relative;display:flex;align-items:center;justify-content:center;min-height:44px;min-width:44px;border:2px solid #56606b;border-radius:8px;cursor:pointer;font-weight:600}
.scale input,.opts input{position:absolute;top:0;left:0;opacity:0;width:1px;height:1px;margin:0;pointer-events:none}
.scale label:has(input:checked){background:#0b5cad;border-color:#0b5cad;color:#fff}
.scale input:focus-visible+span,.opts input:focus-visible+span{outline:3px solid #0b5cad;outline-offset:6px}
.opts label{position:relative;display:flex;align-items:center;gap:.75rem;min-height:44px;padding:.5rem .75rem;margin-bottom:6px;border:2px solid #56606b;border-radius:8px;cursor:pointer}
.opts label::before{content:"";flex:none;width:1.25rem;height:1.25rem;border:2px solid #56606b;background:#fff}
.opts.radio label::before{border-radius:50%}.opts.check label::before{border-radius:4px}
.opts label:has(input:checked){border-color:#0b5cad;background:#e8f0fa}.opts label:has(input:checked)::before{background:#0b5cad;border-color:#0b5cad;box-shadow:inset 0 0 0 3px #fff}
.ends{display:flex;justify-content:space-between;gap:1rem;font-size:.875rem;color:#4a525a;margin-top:.25rem}
@media (max-width:420px){.scale.c11{grid-template-columns:repeat(6,minmax(0,1fr))}.scale.c7{grid-template-columns:repeat(4,minmax(0,1fr))}.scale.c10,.scale.c9,.scale.c8{grid-template-columns:repeat(5,minmax(0,1fr))}}
label.block{display:block;font-weight:600;margin-bottom:.5rem}.help{color:#4a525a;margin:-.5rem 0 .75rem}
textarea,input.field{width:100%;font:inherit;padding:.5rem;border:2px solid #56606b;border-radius:8px;min-height:44px;background:#fff;color:#1a1a1a}
textarea{min-height:7rem}
[aria-invalid="true"]{border-color:#a4161a}
button{font:inherit;font-weight:600;border-radius:8px;padding:.75rem 1.5rem;min-height:44px;min-width:44px;cursor:pointer}
button.primary{background:#0b5cad;color:#fff;border:2px solid #0b5cad}button.secondary{background:#fff;color:#0b5cad;border:2px solid #0b5cad}
.nav{display:flex;flex-direction:row-reverse;justify-content:space-between;gap:.75rem;flex-wrap:wrap}
button:focus-visible,textarea:focus-visible,input:focus-visible,a:focus-visible{outline:3px solid #0b5cad;outline-offset:2px}
.error{color:#a4161a;font-weight:600;margin:0 0 .5rem}.lang{text-align:right;font-size:.875rem;margin:0 0 .5rem}a{color:#0b5cad}
.summary{border:2px solid #a4161a;border-radius:8px;padding:.75rem 1rem;margin-bottom:1.25rem}.summary h2{font-size:1.05rem;margin:0 0 .5rem;color:#a4161a}
.progress{font-size:.95rem;color:#4a525a;margin:0 0 .5rem}.bar{height:8px;background:#dfe3e8;border-radius:4px;margin-bottom:1rem;overflow:hidden}.bar span{display:block;height:100%;background:#0b5cad}
.preview{background:#fff3cd;border:2px solid #8a6d00;color:#4d3d00;border-radius:8px;padding:.5rem .75rem;margin-bottom:1rem}
footer{font-size:.8rem;color:#4a525a;margin-top:1.5rem}
.switch{margin-top:1rem;text-align:right}.switch button{padding:.5rem 1rem}
`;

/** The respondent pages' texts: the `respondent` namespace of the shared catalogues (/locales, issue 14). */
/** The message shown next to a question for an answer error, in the page's language. */
export function errorText(q: Question, e: AnswerError, lang: Lang): string {
  const t = translator(lang);
  const scale = scaleOf(q);
  if (scale && (e === 'required' || e === 'scale'))
    return q.type === 'nps' || q.type === 'enps'
      ? t('respondent:errors.npsRequired')
      : t('respondent:errors.scale', { min: String(scale.min), max: String(scale.max) });
  if (q.type === 'text' && e === 'tooLong')
    return t(q.id === 'why' ? 'respondent:errors.whyTooLong' : 'respondent:errors.tooLong');
  if (q.type === 'number' && e === 'range') {
    const min = q.min === undefined ? '' : String(q.min);
    const max = q.max === undefined ? '' : String(q.max);
    const bounds = min && max ? 'both' : min ? 'min' : max ? 'max' : 'none';
    return t('respondent:errors.range', { bounds, min, max });
  }
  return t(ERROR_KEYS[e] ?? 'respondent:errors.required');
}

const ERROR_KEYS: Partial<Record<AnswerError, string>> = {
  required: 'respondent:errors.required',
  option: 'respondent:errors.option',
  tooLong: 'respondent:errors.tooLong',
  number: 'respondent:errors.number',
  date: 'respondent:errors.date',
};

/** The texts of the link-state pages (unknown link, answered, closed, stored), for routes.ts. */
export function statusText(lang: Lang, key: StatusKey, org = ''): string {
  return translate(lang, { key: `respondent:status.${key}`, params: { org } });
}
type StatusKey =
  | 'notFoundTitle'
  | 'notFound'
  | 'doneTitle'
  | 'done'
  | 'closedTitle'
  | 'closed'
  | 'closedNotStored'
  | 'stored'
  | 'onceTitle'
  | 'once';

/** The footer: who processes the data, and (DSR-1) the respondent's request page in the page's language. */
// prettier-ignore
function layout(lang: Lang, title: string, body: Html, requestLink?: string): string {
  const t = translator(lang);
  return html`<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${title}</title><style>${raw(css)}</style></head>
<body><main>${body}<footer>${t('respondent:survey.processor')}${requestLink ? html` <a href="${requestLink}?lang=${lang}">${t('respondent:requestLink')}</a>` : ''}</footer></main></body></html>`.value;
}

/** Raw form values as posted (a multiple-choice question has a list). */
export type FormValues = Record<string, string | string[] | undefined>;

export interface PageOptions {
  /** Where the form goes: /s/<token>, /s/o/<token> or the preview. */
  action: string;
  method: 'post' | 'get';
  lang: Lang;
  orgName: string;
  def: SurveyDefinition;
  /** Index into pagesOf(def). */
  page: number;
  /** The pages shown (indexes), given the answers so far: for "Step i of n". */
  visiblePages: number[];
  /** The questions shown (ids). */
  visible: Set<string>;
  /** Whether a page may follow (the button says Next instead of Submit). */
  hasNext: boolean;
  values: FormValues;
  errors: Record<string, string>;
  preview?: boolean;
  /** Extra hidden fields (the open link's response id, the draft's id). */
  hidden?: Record<string, string>;
  /**
   * Whether the other pages' answers travel along as hidden fields: only in the preview, whose form
   * goes back with GET and stores nothing. Respondents' answers wait in a draft on the server (issue 14).
   */
  carry?: boolean;
  /** A link to the other language (first page only; later pages switch with a button that keeps the answers). */
  langLink?: string;
  /** OBLIGATIONS DSR-1: the request page (path), shown in the footer. */
  requestLink?: string;
}

const list = (v: string | string[] | undefined): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

function endLabels(q: Question, lang: Lang): [string, string] | null {
  const t = translator(lang);
  switch (q.type) {
    case 'nps':
    case 'enps':
      return [`0 = ${t('respondent:scale.notLikely')}`, `10 = ${t('respondent:scale.likely')}`];
    case 'csat':
      return [`1 = ${t('respondent:scale.dissatisfied')}`, `5 = ${t('respondent:scale.satisfied')}`];
    case 'ces':
      return [`1 = ${t('respondent:scale.lowEffort')}`, `7 = ${t('respondent:scale.highEffort')}`];
    case 'rating':
      return q.minLabel || q.maxLabel
        ? [q.minLabel ? `${q.min} = ${q.minLabel[lang]}` : '', q.maxLabel ? `${q.max} = ${q.maxLabel[lang]}` : '']
        : null;
    default:
      return null;
  }
}

// prettier-ignore
function questionHtml(q: Question, o: PageOptions): Html {
  const { lang } = o;
  const t = translator(lang);
  const err = o.errors[q.id];
  const errId = `${q.id}-error`;
  const helpId = `${q.id}-help`;
  const described = [q.help ? helpId : '', err ? errId : ''].filter(Boolean).join(' ');
  const describedAttr = raw(described ? ` aria-describedby="${described}"` : '');
  const invalid = raw(err ? ' aria-invalid="true"' : '');
  const title = html`${q.text[lang]}${q.required ? '' : html` <span class="opt">${t('respondent:survey.optional')}</span>`}`;
  const help = q.help ? html`<p class="help" id="${helpId}">${q.help[lang]}</p>` : '';
  const errP = err ? html`<p class="error" id="${errId}">${err}</p>` : '';
  const values = list(o.values[q.id]);
  const req = raw(q.required ? ' required' : '');
  const scale = scaleOf(q);
  if (scale) {
    const n = scale.max - scale.min + 1;
    const ends = endLabels(q, lang);
    return html`<fieldset class="q" id="q-${q.id}"${describedAttr}>
  <legend>${title}</legend>${help}${errP}
  <div class="scale c${n}">${Array.from({ length: n }, (_, i) => {
    const v = String(scale.min + i);
    return html`<label><input type="radio" name="${q.id}" value="${v}"${raw(values.includes(v) ? ' checked' : '')}${req}${invalid}><span>${v}</span></label>`;
  })}</div>
  ${ends ? html`<div class="ends" aria-hidden="true"><span>${ends[0]}</span><span>${ends[1]}</span></div>` : ''}
</fieldset>`;
  }
  if (q.type === 'single' || q.type === 'multiple') {
    const type = q.type === 'single' ? 'radio' : 'checkbox';
    return html`<fieldset class="q" id="q-${q.id}"${describedAttr}>
  <legend>${title}</legend>${help}${errP}
  <div class="opts ${type === 'radio' ? 'radio' : 'check'}">${q.options.map(
    (opt) => html`<label><input type="${type}" name="${q.id}" value="${opt.value}"${raw(values.includes(opt.value) ? ' checked' : '')}${q.type === 'single' ? req : ''}${invalid}><span>${opt.label[lang]}</span></label>`,
  )}</div>
</fieldset>`;
  }
  const value = values[0] ?? '';
  const field =
    q.type === 'text'
      ? html`<textarea id="q-${q.id}" name="${q.id}" maxlength="${q.maxLength}"${describedAttr}${invalid}>${value}</textarea>`
      : q.type === 'number'
        ? html`<input class="field" id="q-${q.id}" name="${q.id}" type="text" inputmode="decimal" autocomplete="off" value="${value}"${describedAttr}${invalid}${req}>`
        : html`<input class="field" id="q-${q.id}" name="${q.id}" type="date" value="${value}"${describedAttr}${invalid}${req}>`;
  return html`<div class="q"><label class="block" for="q-${q.id}">${title}</label>${help}${errP}${field}</div>`;
}

// prettier-ignore
export function surveyPage(o: PageOptions): string {
  const { lang, def } = o;
  const t = translator(lang);
  const other: Lang = lang === 'nl' ? 'en' : 'nl';
  const pages = pagesOf(def);
  const current = pages[o.page] ?? [];
  const onPage = new Set(current.map((q) => q.id));
  const stepIndex = Math.max(0, o.visiblePages.indexOf(o.page));
  const steps = o.visiblePages.length;
  const last = !o.hasNext;
  const errorEntries = current.filter((q) => o.errors[q.id]);
  // In the preview the answers of the other pages travel along as hidden fields; all are checked again on the final submit.
  const carried = o.carry === false ? [] : def.questions
    .filter((q) => !onPage.has(q.id))
    .flatMap((q) => list(o.values[q.id]).map((v) => html`<input type="hidden" name="${q.id}" value="${v}">`));
  const extra = Object.entries(o.hidden ?? {}).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`);
  const body = html`${o.langLink ? html`<p class="lang"><a href="${o.langLink}" lang="${other}">${t('respondent:survey.switchTo')}</a></p>` : ''}
<div class="card">${o.preview ? html`<p class="preview">${t('respondent:survey.preview')}</p>` : ''}<h1>${o.orgName}</h1>
${steps > 1 ? html`<p class="progress" id="progress">${t('respondent:survey.step', { step: stepIndex + 1, steps })}</p><div class="bar" aria-hidden="true"><span style="width:${Math.round(((stepIndex + 1) / steps) * 100)}%"></span></div>` : ''}
${errorEntries.length ? html`<div class="summary" role="alert"><h2>${t('respondent:survey.errorsTitle')}</h2><ul>${errorEntries.map((q) => html`<li><a href="#q-${q.id}">${q.text[lang]}: ${o.errors[q.id]!}</a></li>`)}</ul></div>` : ''}
<form method="${o.method}" action="${o.action}" accept-charset="utf-8" novalidate>
<input type="hidden" name="lang" value="${lang}"><input type="hidden" name="page" value="${o.page}">${extra}${carried}
${current.filter((q) => o.visible.has(q.id)).map((q) => questionHtml(q, o))}
<div class="nav">${last ? html`<button class="primary" type="submit" name="nav" value="submit">${t('respondent:survey.submit')}</button>` : html`<button class="primary" type="submit" name="nav" value="next">${t('respondent:survey.next')}</button>`}${stepIndex > 0 ? html`<button class="secondary" type="submit" name="nav" value="back">${t('respondent:survey.back')}</button>` : ''}</div>
${o.langLink ? '' : html`<p class="switch"><button class="secondary" type="submit" name="nav" value="lang-${other}" lang="${other}">${t('respondent:survey.switchTo')}</button></p>`}
</form></div>`;
  return layout(lang, o.orgName, body, o.requestLink);
};

// prettier-ignore
export function messagePage(lang: Lang, title: string, message: string, opts: { preview?: boolean; requestLink?: string } = {}): string {
  return layout(lang, title, html`<div class="card">${opts.preview ? html`<p class="preview">${translator(lang)('respondent:survey.previewDone')}</p>` : ''}<h1>${title}</h1><p>${message}</p></div>`, opts.requestLink);
};

/**
 * OBLIGATIONS SEC-2: the respondent's page while the database is away (503, with Retry-After), in
 * Dutch with English beside it: the language of the link is not known without the database.
 */
export function unavailablePage(retryAfterSeconds: number): string {
  const [nl, en] = [translator('nl'), translator('en')];
  const body = html`<div class="card">
    <h1>${nl('respondent:unavailable.title')}</h1>
    <p>${nl('respondent:unavailable.text', { seconds: retryAfterSeconds })}</p>
    <div lang="en">
      <h2>${en('respondent:unavailable.title')}</h2>
      <p>${en('respondent:unavailable.text', { seconds: retryAfterSeconds })}</p>
    </div>
  </div>`;
  return layout('nl', `${nl('respondent:unavailable.title')} – ${en('respondent:unavailable.title')}`, body);
}

/**
 * Issue 14: any other error on a respondent's page (a bare English "Payload too large" was all a
 * respondent saw), in Dutch with English beside it, saying whether the answer was stored and what to do.
 */
export function respondentErrorPage(status: number, limitBytes: number): string {
  const [nl, en] = [translator('nl'), translator('en')];
  const tooLarge = status === 413;
  const mb = (limitBytes / (1024 * 1024)).toFixed(0);
  const [titleKey, textKey] = tooLarge
    ? ['respondent:failed.tooLargeTitle', 'respondent:failed.tooLarge']
    : ['respondent:failed.title', 'respondent:failed.text'];
  const body = html`<div class="card">
    <h1>${nl(titleKey)}</h1>
    <p>${nl(textKey, { mb })}</p>
    <div lang="en">
      <h2>${en(titleKey)}</h2>
      <p>${en(textKey, { mb })}</p>
    </div>
  </div>`;
  return layout('nl', `${nl(titleKey)} – ${en(titleKey)}`, body);
}
