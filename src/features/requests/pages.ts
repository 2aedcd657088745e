import { html, raw, type Html } from '../../lib/html.js';
import type { Lang, RequestKind } from '../../lib/db/schema.js';
import { longDate } from '../agreement/document.js';
import { translator } from '../../lib/i18n.js';
import { kindText, REQUEST_KINDS } from './service.js';

/**
 * OBLIGATIONS DSR-1: the respondent's request pages, server-rendered without JavaScript (like the
 * survey pages), in the respondent's language with a link to the other one.
 */
const css = `*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f6f7f9}
main{max-width:38rem;margin:0 auto;padding:1.25rem}.card{background:#fff;border-radius:12px;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}
h1{font-size:1.35rem;line-height:1.3}fieldset{border:0;margin:0 0 1.25rem;padding:0}legend{font-weight:600;margin-bottom:.5rem}
.opts label{display:flex;align-items:center;gap:.75rem;min-height:44px;padding:.5rem .75rem;margin-bottom:6px;border:2px solid #56606b;border-radius:8px;cursor:pointer}
.opts label:has(input:checked){border-color:#0b5cad;background:#e8f0fa}
label.block{display:block;font-weight:600;margin-bottom:.5rem}.help{color:#4a525a;margin:-.25rem 0 .75rem}
input.field,textarea{width:100%;font:inherit;padding:.5rem;border:2px solid #56606b;border-radius:8px;min-height:44px;background:#fff;color:#1a1a1a}textarea{min-height:6rem}
.q{margin:0 0 1.25rem}[aria-invalid="true"]{border-color:#a4161a}.error{color:#a4161a;font-weight:600;margin:0 0 .5rem}
button{font:inherit;font-weight:600;background:#0b5cad;color:#fff;border:2px solid #0b5cad;border-radius:8px;padding:.75rem 1.5rem;min-height:44px;cursor:pointer}
button:focus-visible,input:focus-visible,textarea:focus-visible,a:focus-visible{outline:3px solid #0b5cad;outline-offset:2px}
.lang{text-align:right;font-size:.875rem;margin:0 0 .5rem}a{color:#0b5cad}footer{font-size:.8rem;color:#4a525a;margin-top:1.5rem}`;

/** The request pages' texts: `respondent:requests.*` in the shared catalogues (issue 14). */
export function pageText(lang: Lang) {
  const t = translator(lang);
  const r = (key: string, params?: Record<string, string | number>) => t(`respondent:requests.${key}`, params);
  return {
    title: (org: string) => r('title', { org }),
    intro: (org: string) => r('intro', { org }),
    kind: r('kind'),
    email: r('email'),
    emailHelp: r('emailHelp'),
    emailFromInvitation: r('emailFromInvitation'),
    message: r('message'),
    submit: r('submit'),
    switchTo: r('switchTo'),
    errors: { kind: r('errors.kind'), email: r('errors.email'), message: r('errors.message') },
    sentTitle: r('sentTitle'),
    sent: (hours: number) => r('sent', { hours }),
    confirmTitle: r('confirmTitle'),
    confirmAsk: (org: string, kind: RequestKind) => r('confirmAsk', { org, kind: kindText(kind, lang) }),
    confirmButton: r('confirmButton'),
    confirmedTitle: r('confirmedTitle'),
    confirmed: (org: string, kind: RequestKind, dueOn: string) =>
      r('confirmed', { org, kind: kindText(kind, lang), due: longDate(dueOn, lang) }),
    invalidTitle: r('invalidTitle'),
    invalid: r('invalid'),
    processor: r('processor'),
  };
}

function layout(lang: Lang, title: string, body: Html, langLink?: string): string {
  const other = lang === 'nl' ? 'en' : 'nl';
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
          ${langLink ? html`<p class="lang"><a href="${langLink}" lang="${other}">${pageText(lang).switchTo}</a></p>` : ''}
          <div class="card">${body}</div>
          <footer>${pageText(lang).processor}</footer>
        </main>
      </body>
    </html>`.value;
}

export interface FormState {
  kind?: string;
  email?: string;
  message?: string;
  errors: Partial<Record<'kind' | 'email' | 'message', string>>;
}

export function requestForm(lang: Lang, org: string, action: string, askEmail: boolean, state: FormState): string {
  const t = pageText(lang);
  const e = state.errors;
  const body = html`<h1>${t.title(org)}</h1>
    <p>${t.intro(org)}</p>
    <form method="post" action="${action}" accept-charset="utf-8" novalidate>
      <input type="hidden" name="lang" value="${lang}" />
      <fieldset class="q" ${raw(e.kind ? ' aria-describedby="kind-error"' : '')}>
        <legend>${t.kind}</legend>
        ${e.kind ? html`<p class="error" id="kind-error">${e.kind}</p>` : ''}
        <div class="opts">
          ${REQUEST_KINDS.map((k) => html`<label><input type="radio" name="kind" value="${k}" ${raw(state.kind === k ? ' checked' : '')} /><span>${kindText(k, lang)}</span></label>`)}
        </div>
      </fieldset>
      ${
        askEmail
          ? html`<div class="q">
              <label class="block" for="email">${t.email}</label>
              <p class="help" id="email-help">${t.emailHelp}</p>
              ${e.email ? html`<p class="error" id="email-error">${e.email}</p>` : ''}<input
                class="field"
                id="email"
                name="email"
                type="email"
                autocomplete="email"
                value="${state.email ?? ''}"
                aria-describedby="email-help${e.email ? ' email-error' : ''}"
                ${raw(e.email ? ' aria-invalid="true"' : '')}
              />
            </div>`
          : html`<p class="help">${t.emailFromInvitation}</p>`
      }
      <div class="q">
        <label class="block" for="message">${t.message}</label
        >${e.message ? html`<p class="error" id="message-error">${e.message}</p>` : ''}<textarea
          id="message"
          name="message"
          maxlength="2000"
          ${raw(e.message ? ' aria-invalid="true" aria-describedby="message-error"' : '')}
        >
${state.message ?? ''}</textarea>
      </div>
      <button type="submit">${t.submit}</button>
    </form>`;
  return layout(lang, t.title(org), body, `?lang=${lang === 'nl' ? 'en' : 'nl'}`);
}

export function messagePage(lang: Lang, title: string, message: string): string {
  return layout(
    lang,
    title,
    html`<h1>${title}</h1>
      <p>${message}</p>`,
  );
}

export function confirmPage(lang: Lang, org: string, kind: RequestKind, action: string): string {
  const t = pageText(lang);
  return layout(
    lang,
    t.confirmTitle,
    html`<h1>${t.confirmTitle}</h1>
      <p>${t.confirmAsk(org, kind)}</p>
      <form method="post" action="${action}"><button type="submit">${t.confirmButton}</button></form>`,
  );
}
