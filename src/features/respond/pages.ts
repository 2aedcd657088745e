import { html, raw, type Html } from '../../lib/html.js';
import type { Lang } from '../../lib/db/schema.js';
import { requestLinkText } from '../requests/links.js';
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

const t = {
  nl: {
    submit: 'Versturen',
    next: 'Volgende',
    back: 'Vorige',
    notLikely: 'Zeer onwaarschijnlijk',
    likely: 'Zeer waarschijnlijk',
    switchTo: 'English',
    optional: '(optioneel)',
    required: 'Kies een cijfer van 0 tot 10.',
    tooLong: 'Je toelichting is te lang.',
    notFoundTitle: 'Deze link werkt niet',
    notFound: 'Deze link is onbekend of niet meer geldig. Controleer of je de hele link uit de e-mail hebt gebruikt.',
    doneTitle: 'Je hebt al geantwoord',
    done: 'Je antwoord is al ontvangen. Dank je wel!',
    closedTitle: 'Deze vragenlijst is gesloten',
    closed: (org: string) => `${org} ontvangt geen antwoorden meer op deze vragenlijst. Dank je wel voor je tijd.`,
    closedNotStored: (org: string) =>
      `${org} heeft deze vragenlijst intussen gesloten, daarom is je antwoord niet opgeslagen. Dank je wel voor je tijd.`,
    stored: 'Je antwoord is opgeslagen. Je kunt dit venster nu sluiten.',
    onceTitle: 'Je hebt al geantwoord',
    once: 'Vanaf deze browser is deze vragenlijst al ingevuld. Dank je wel!',
    processor: 'Deze vragenlijst wordt verwerkt door Peil namens de organisatie die je uitnodigde.',
    step: (i: number, n: number) => `Stap ${i} van ${n}`,
    errorsTitle: 'Controleer je antwoorden',
    preview: 'Voorbeeld: antwoorden worden niet opgeslagen.',
    previewDone: 'Voorbeeld: zo eindigt de vragenlijst. Er is niets opgeslagen.',
    dissatisfied: 'Zeer ontevreden',
    satisfied: 'Zeer tevreden',
    lowEffort: 'Heel weinig moeite',
    highEffort: 'Heel veel moeite',
    errors: {
      required: 'Beantwoord deze vraag.',
      scale: (a: number, b: number) => `Kies een cijfer van ${a} tot ${b}.`,
      option: 'Kies een van de opties.',
      tooLong: 'Je antwoord is te lang.',
      number: 'Vul een getal in.',
      range: (a?: number, b?: number) =>
        `Vul een getal ${a !== undefined ? `vanaf ${a} ` : ''}${b !== undefined ? `tot en met ${b}` : ''} in.`,
      date: 'Vul een datum in, bijvoorbeeld 2026-03-31.',
    },
  },
  en: {
    submit: 'Submit',
    next: 'Next',
    back: 'Back',
    notLikely: 'Not at all likely',
    likely: 'Extremely likely',
    switchTo: 'Nederlands',
    optional: '(optional)',
    required: 'Choose a number from 0 to 10.',
    tooLong: 'Your explanation is too long.',
    notFoundTitle: 'This link does not work',
    notFound: 'This link is unknown or no longer valid. Check that you used the whole link from the email.',
    doneTitle: 'You have already answered',
    done: 'We already received your answer. Thank you!',
    closedTitle: 'This survey is closed',
    closed: (org: string) => `${org} no longer takes answers to this survey. Thank you for your time.`,
    closedNotStored: (org: string) =>
      `${org} has closed this survey in the meantime, so your answer was not stored. Thank you for your time.`,
    stored: 'Your answer has been stored. You can close this window now.',
    onceTitle: 'You have already answered',
    once: 'This survey has already been answered from this browser. Thank you!',
    processor: 'This survey is processed by Peil on behalf of the organisation that invited you.',
    step: (i: number, n: number) => `Step ${i} of ${n}`,
    errorsTitle: 'Please check your answers',
    preview: 'Preview: answers are not stored.',
    previewDone: 'Preview: this is how the survey ends. Nothing was stored.',
    dissatisfied: 'Very dissatisfied',
    satisfied: 'Very satisfied',
    lowEffort: 'Very little effort',
    highEffort: 'A lot of effort',
    errors: {
      required: 'Please answer this question.',
      scale: (a: number, b: number) => `Choose a number from ${a} to ${b}.`,
      option: 'Choose one of the options.',
      tooLong: 'Your answer is too long.',
      number: 'Enter a number.',
      range: (a?: number, b?: number) =>
        `Enter a number${a !== undefined ? ` from ${a}` : ''}${b !== undefined ? ` up to ${b}` : ''}.`,
      date: 'Enter a date, for example 2026-03-31.',
    },
  },
} as const;

export const uiText = t;

/** The message shown next to a question for an answer error, in the page's language. */
export function errorText(q: Question, e: AnswerError, lang: Lang): string {
  const tr = t[lang];
  const scale = scaleOf(q);
  if (scale && (e === 'required' || e === 'scale'))
    return q.type === 'nps' || q.type === 'enps' ? tr.required : tr.errors.scale(scale.min, scale.max);
  if (q.type === 'text' && e === 'tooLong') return q.id === 'why' ? tr.tooLong : tr.errors.tooLong;
  if (q.type === 'number' && e === 'range') return tr.errors.range(q.min, q.max);
  const m = tr.errors[e];
  return typeof m === 'string' ? m : tr.errors.required;
}

/** The footer: who processes the data, and (DSR-1) the respondent's request page in the page's language. */
function layout(lang: Lang, title: string, body: Html, requestLink?: string): string {
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title}</title>
        <style>
          ${raw(css)}
        </style>
      </head>
      <body>
        <main>
          ${body}
          <footer>
            ${t[lang].processor}${requestLink ? html` <a href="${requestLink}?lang=${lang}">${requestLinkText[lang]}</a>` : ''}
          </footer>
        </main>
      </body>
    </html>`.value;
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
  const tr = t[lang];
  switch (q.type) {
    case 'nps':
    case 'enps':
      return [`0 = ${tr.notLikely}`, `10 = ${tr.likely}`];
    case 'csat':
      return [`1 = ${tr.dissatisfied}`, `5 = ${tr.satisfied}`];
    case 'ces':
      return [`1 = ${tr.lowEffort}`, `7 = ${tr.highEffort}`];
    case 'rating':
      return q.minLabel || q.maxLabel
        ? [q.minLabel ? `${q.min} = ${q.minLabel[lang]}` : '', q.maxLabel ? `${q.max} = ${q.maxLabel[lang]}` : '']
        : null;
    default:
      return null;
  }
}

function questionHtml(q: Question, o: PageOptions): Html {
  const { lang } = o;
  const tr = t[lang];
  const err = o.errors[q.id];
  const errId = `${q.id}-error`;
  const helpId = `${q.id}-help`;
  const described = [q.help ? helpId : '', err ? errId : ''].filter(Boolean).join(' ');
  const describedAttr = raw(described ? ` aria-describedby="${described}"` : '');
  const invalid = raw(err ? ' aria-invalid="true"' : '');
  const title = html`${q.text[lang]}${q.required ? '' : html` <span class="opt">${tr.optional}</span>`}`;
  const help = q.help ? html`<p class="help" id="${helpId}">${q.help[lang]}</p>` : '';
  const errP = err ? html`<p class="error" id="${errId}">${err}</p>` : '';
  const values = list(o.values[q.id]);
  const req = raw(q.required ? ' required' : '');
  const scale = scaleOf(q);
  if (scale) {
    const n = scale.max - scale.min + 1;
    const ends = endLabels(q, lang);
    return html`<fieldset class="q" id="q-${q.id}" ${describedAttr}>
      <legend>${title}</legend>
      ${help}${errP}
      <div class="scale c${n}">
        ${Array.from({ length: n }, (_, i) => {
          const v = String(scale.min + i);
          return html`<label
            ><input
              type="radio"
              name="${q.id}"
              value="${v}"
              ${raw(values.includes(v) ? ' checked' : '')}${req}${invalid}
            /><span>${v}</span></label
          >`;
        })}
      </div>
      ${ends ? html`<div class="ends" aria-hidden="true"><span>${ends[0]}</span><span>${ends[1]}</span></div>` : ''}
    </fieldset>`;
  }
  if (q.type === 'single' || q.type === 'multiple') {
    const type = q.type === 'single' ? 'radio' : 'checkbox';
    return html`<fieldset class="q" id="q-${q.id}" ${describedAttr}>
      <legend>${title}</legend>
      ${help}${errP}
      <div class="opts ${type === 'radio' ? 'radio' : 'check'}">
        ${q.options.map(
          (opt) =>
            html`<label
              ><input
                type="${type}"
                name="${q.id}"
                value="${opt.value}"
                ${raw(values.includes(opt.value) ? ' checked' : '')}${q.type === 'single' ? req : ''}${invalid}
              /><span>${opt.label[lang]}</span></label
            >`,
        )}
      </div>
    </fieldset>`;
  }
  const value = values[0] ?? '';
  const field =
    q.type === 'text'
      ? html`<textarea id="q-${q.id}" name="${q.id}" maxlength="${q.maxLength}" ${describedAttr}${invalid}>
${value}</textarea>`
      : q.type === 'number'
        ? html`<input
            class="field"
            id="q-${q.id}"
            name="${q.id}"
            type="text"
            inputmode="decimal"
            autocomplete="off"
            value="${value}"
            ${describedAttr}${invalid}${req}
          />`
        : html`<input
            class="field"
            id="q-${q.id}"
            name="${q.id}"
            type="date"
            value="${value}"
            ${describedAttr}${invalid}${req}
          />`;
  return html`<div class="q"><label class="block" for="q-${q.id}">${title}</label>${help}${errP}${field}</div>`;
}

export function surveyPage(o: PageOptions): string {
  const { lang, def } = o;
  const tr = t[lang];
  const other: Lang = lang === 'nl' ? 'en' : 'nl';
  const pages = pagesOf(def);
  const current = pages[o.page] ?? [];
  const onPage = new Set(current.map((q) => q.id));
  const stepIndex = Math.max(0, o.visiblePages.indexOf(o.page));
  const steps = o.visiblePages.length;
  const last = !o.hasNext;
  const errorEntries = current.filter((q) => o.errors[q.id]);
  // In the preview the answers of the other pages travel along as hidden fields; all are checked again on the final submit.
  const carried =
    o.carry === false
      ? []
      : def.questions
          .filter((q) => !onPage.has(q.id))
          .flatMap((q) => list(o.values[q.id]).map((v) => html`<input type="hidden" name="${q.id}" value="${v}" />`));
  const extra = Object.entries(o.hidden ?? {}).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`);
  const body = html`${o.langLink ? html`<p class="lang"><a href="${o.langLink}" lang="${other}">${tr.switchTo}</a></p>` : ''}
    <div class="card">
      ${o.preview ? html`<p class="preview">${tr.preview}</p>` : ''}
      <h1>${o.orgName}</h1>
      ${
        steps > 1
          ? html`<p class="progress" id="progress">${tr.step(stepIndex + 1, steps)}</p>
              <div class="bar" aria-hidden="true">
                <span style="width:${Math.round(((stepIndex + 1) / steps) * 100)}%"></span>
              </div>`
          : ''
      }
      ${
        errorEntries.length
          ? html`<div class="summary" role="alert">
              <h2>${tr.errorsTitle}</h2>
              <ul>
                ${errorEntries.map((q) => html`<li><a href="#q-${q.id}">${q.text[lang]}: ${o.errors[q.id]!}</a></li>`)}
              </ul>
            </div>`
          : ''
      }
      <form method="${o.method}" action="${o.action}" accept-charset="utf-8" novalidate>
        <input type="hidden" name="lang" value="${lang}" /><input
          type="hidden"
          name="page"
          value="${o.page}"
        />${extra}${carried} ${current.filter((q) => o.visible.has(q.id)).map((q) => questionHtml(q, o))}
        <div class="nav">
          ${last ? html`<button class="primary" type="submit" name="nav" value="submit">${tr.submit}</button>` : html`<button class="primary" type="submit" name="nav" value="next">${tr.next}</button>`}${stepIndex > 0 ? html`<button class="secondary" type="submit" name="nav" value="back">${tr.back}</button>` : ''}
        </div>
        ${o.langLink ? '' : html`<p class="switch"><button class="secondary" type="submit" name="nav" value="lang-${other}" lang="${other}">${tr.switchTo}</button></p>`}
      </form>
    </div>`;
  return layout(lang, o.orgName, body, o.requestLink);
}

export function messagePage(
  lang: Lang,
  title: string,
  message: string,
  opts: { preview?: boolean; requestLink?: string } = {},
): string {
  return layout(
    lang,
    title,
    html`<div class="card">
      ${opts.preview ? html`<p class="preview">${t[lang].previewDone}</p>` : ''}
      <h1>${title}</h1>
      <p>${message}</p>
    </div>`,
    opts.requestLink,
  );
}

/**
 * OBLIGATIONS SEC-2: the respondent's page while the database is away (503, with Retry-After), in
 * Dutch with English beside it: the language of the link is not known without the database.
 */
export function unavailablePage(retryAfterSeconds: number): string {
  const body = html`<div class="card">
    <h1>Even geduld</h1>
    <p>
      Peil is even niet bereikbaar. Je antwoord is nog niet opgeslagen: ga terug en verstuur het over een minuutje
      opnieuw (je antwoorden staan meestal nog ingevuld). Probeer het over ${retryAfterSeconds} seconden opnieuw.
    </p>
    <div lang="en">
      <h2>Please wait a moment</h2>
      <p>
        Peil cannot be reached right now. Your answer has not been stored yet: go back and send it again in a minute
        (your answers are usually still filled in). Try again in ${retryAfterSeconds} seconds.
      </p>
    </div>
  </div>`;
  return layout('nl', 'Even geduld – Please wait a moment', body);
}

/**
 * Issue 14: any other error on a respondent's page (a bare English "Payload too large" was all a
 * respondent saw), in Dutch with English beside it, saying whether the answer was stored and what to do.
 */
export function respondentErrorPage(status: number, limitBytes: number): string {
  const tooLarge = status === 413;
  const mb = (limitBytes / (1024 * 1024)).toFixed(0);
  const body = tooLarge
    ? html`<div class="card">
        <h1>Je antwoorden zijn te lang</h1>
        <p>
          Je antwoorden zijn samen groter dan ${mb} MB en zijn daarom niet opgeslagen. Ga terug (je antwoorden staan nog
          ingevuld), maak een lange toelichting korter en verstuur opnieuw.
        </p>
        <div lang="en">
          <h2>Your answers are too long</h2>
          <p>
            Together your answers are larger than ${mb} MB, so they were not stored. Go back (your answers are still
            filled in), shorten a long explanation and send again.
          </p>
        </div>
      </div>`
    : html`<div class="card">
        <h1>Er ging iets mis</h1>
        <p>
          Je antwoord is niet opgeslagen. Ga terug en probeer het opnieuw; je antwoorden staan meestal nog ingevuld.
        </p>
        <div lang="en">
          <h2>Something went wrong</h2>
          <p>Your answer was not stored. Go back and try again; your answers are usually still filled in.</p>
        </div>
      </div>`;
  return layout(
    'nl',
    tooLarge ? 'Je antwoorden zijn te lang – Your answers are too long' : 'Er ging iets mis – Something went wrong',
    body,
  );
}
