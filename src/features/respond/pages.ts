import { html, raw, type Html } from '../../lib/html.js';
import type { Lang } from '../../lib/db/schema.js';
import type { SurveyDefinition } from '../surveys/definition.js';

/**
 * Respondent pages: server-rendered, no JavaScript needed, built for a phone first and for WCAG 2.1
 * AA (labels, a fieldset with legend for the scale, visible focus, 44px targets, contrast ≥ 4.5:1).
 */
const css = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f6f7f9}
main{max-width:40rem;margin:0 auto;padding:1.25rem}h1{font-size:1.35rem;line-height:1.3}
.card{background:#fff;border-radius:12px;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}
fieldset{border:0;margin:0 0 1.5rem;padding:0}legend{font-weight:600;margin-bottom:.75rem;font-size:1.1rem}
.scale{display:grid;grid-template-columns:repeat(11,minmax(0,1fr));gap:4px}
.scale label{display:flex;align-items:center;justify-content:center;min-height:44px;border:2px solid #56606b;border-radius:8px;cursor:pointer;font-weight:600}
.scale input{position:absolute;opacity:0;width:1px;height:1px}
.scale input:checked+span{color:#fff}.scale label:has(input:checked){background:#0b5cad;border-color:#0b5cad;color:#fff}
.scale input:focus-visible+span{outline:3px solid #0b5cad;outline-offset:6px}
.ends{display:flex;justify-content:space-between;font-size:.875rem;color:#4a525a;margin-top:.25rem}
@media (max-width:420px){.scale{grid-template-columns:repeat(6,minmax(0,1fr))}}
label.block{display:block;font-weight:600;margin-bottom:.5rem}
textarea{width:100%;min-height:7rem;font:inherit;padding:.5rem;border:2px solid #56606b;border-radius:8px}
button{font:inherit;font-weight:600;background:#0b5cad;color:#fff;border:0;border-radius:8px;padding:.75rem 1.5rem;min-height:44px;cursor:pointer}
button:focus-visible,textarea:focus-visible,a:focus-visible{outline:3px solid #0b5cad;outline-offset:2px}
.error{color:#a4161a;font-weight:600}.lang{text-align:right;font-size:.875rem}a{color:#0b5cad}
footer{font-size:.8rem;color:#4a525a;margin-top:1.5rem}
`;

const t = {
  nl: { submit: 'Versturen', notLikely: 'Zeer onwaarschijnlijk', likely: 'Zeer waarschijnlijk', switchTo: 'English', optional: '(optioneel)', required: 'Kies een cijfer van 0 tot 10.', tooLong: 'Je toelichting is te lang.', notFoundTitle: 'Deze link werkt niet', notFound: 'Deze link is onbekend of niet meer geldig. Controleer of je de hele link uit de e-mail hebt gebruikt.', doneTitle: 'Je hebt al geantwoord', done: 'Je antwoord is al ontvangen. Dank je wel!', processor: 'Deze vragenlijst wordt verwerkt door Peil namens de organisatie die je uitnodigde.' },
  en: { submit: 'Submit', notLikely: 'Not at all likely', likely: 'Extremely likely', switchTo: 'Nederlands', optional: '(optional)', required: 'Choose a number from 0 to 10.', tooLong: 'Your explanation is too long.', notFoundTitle: 'This link does not work', notFound: 'This link is unknown or no longer valid. Check that you used the whole link from the email.', doneTitle: 'You have already answered', done: 'We already received your answer. Thank you!', processor: 'This survey is processed by Peil on behalf of the organisation that invited you.' },
} as const;

export const uiText = t;

function layout(lang: Lang, title: string, body: Html): string {
  return html`<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${title}</title><style>${raw(css)}</style></head>
<body><main>${body}<footer>${t[lang].processor}</footer></main></body></html>`.value;
}

export interface FormState {
  score?: number | undefined;
  why?: string | undefined;
  errors?: { score?: string | undefined; why?: string | undefined } | undefined;
}

export function surveyPage(opts: { token: string; lang: Lang; orgName: string; def: SurveyDefinition; state?: FormState }): string {
  const { token, lang, def } = opts;
  const tr = t[lang];
  const state = opts.state ?? {};
  const other: Lang = lang === 'nl' ? 'en' : 'nl';
  const parts = def.questions.map((q) => {
    if (q.type === 'nps') {
      const err = state.errors?.score;
      return html`<fieldset${raw(err ? ' aria-describedby="score-error"' : '')}>
  <legend id="score-legend">${q.text[lang]}</legend>
  ${err ? html`<p class="error" id="score-error">${err}</p>` : ''}
  <div class="scale">${Array.from({ length: 11 }, (_, n) =>
    html`<label><input type="radio" name="score" value="${n}"${raw(state.score === n ? ' checked' : '')}${raw(q.required && n === 0 ? ' required' : '')}><span>${n}</span></label>`,
  )}</div>
  <div class="ends" aria-hidden="true"><span>0 = ${tr.notLikely}</span><span>10 = ${tr.likely}</span></div>
</fieldset>`;
    }
    const err = state.errors?.why;
    return html`<div>
  <label class="block" for="why">${q.text[lang]} ${q.required ? '' : tr.optional}</label>
  ${err ? html`<p class="error" id="why-error">${err}</p>` : ''}
  <textarea id="why" name="why" maxlength="${q.maxLength}"${raw(err ? ' aria-describedby="why-error"' : '')}>${state.why ?? ''}</textarea>
</div>`;
  });
  const body = html`<p class="lang"><a href="?lang=${other}" lang="${other}">${tr.switchTo}</a></p>
<div class="card"><h1>${opts.orgName}</h1>
<form method="post" action="/s/${token}" accept-charset="utf-8">
<input type="hidden" name="lang" value="${lang}">
${parts}
<p><button type="submit">${tr.submit}</button></p>
</form></div>`;
  return layout(lang, opts.orgName, body);
}

export function messagePage(lang: Lang, title: string, message: string): string {
  return layout(lang, title, html`<div class="card"><h1>${title}</h1><p>${message}</p></div>`);
}
