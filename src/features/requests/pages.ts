import { html, raw, type Html } from '../../lib/html.js';
import type { Lang, RequestKind } from '../../lib/db/schema.js';
import { longDate } from '../agreement/document.js';
import { KIND_TEXT, REQUEST_KINDS } from './service.js';

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

export const pageText = {
  nl: {
    title: (org: string) => `Een verzoek over je gegevens bij ${org}`,
    intro: (org: string) =>
      `${org} verwerkt je gegevens voor vragenlijsten; Peil doet dat in opdracht van ${org}. Met dit formulier dien je een verzoek in bij ${org}. ${org} beslist erover, niet Peil.`,
    kind: 'Wat wil je vragen?',
    email: 'Je e-mailadres',
    emailHelp: 'We sturen een link naar dit adres om je verzoek te bevestigen.',
    emailFromInvitation: 'We sturen een bevestigingslink naar het adres waarop je de uitnodiging ontving.',
    message: 'Toelichting (optioneel)',
    submit: 'Verzoek versturen',
    switchTo: 'English',
    errors: {
      kind: 'Kies wat je wilt vragen.',
      email: 'Vul een geldig e-mailadres in.',
      message: 'Je toelichting is te lang.',
    },
    sentTitle: 'Kijk in je e-mail',
    sent: (hours: number) =>
      `Als het adres klopt, ontvang je binnen enkele minuten een e-mail met een link om je verzoek te bevestigen. De link is ${hours} uur geldig. Pas na je bevestiging wordt het verzoek doorgestuurd.`,
    confirmTitle: 'Bevestig je verzoek',
    confirmAsk: (org: string, kind: RequestKind) => `Wil je dit verzoek indienen bij ${org}: ${KIND_TEXT[kind].nl}?`,
    confirmButton: 'Ja, bevestig mijn verzoek',
    confirmedTitle: 'Je verzoek is doorgestuurd',
    confirmed: (org: string, kind: RequestKind, dueOn: string) =>
      `Je verzoek (${KIND_TEXT[kind].nl}) is doorgestuurd naar ${org}. ${org} beslist erover, niet Peil. ${org} moet je uiterlijk ${longDate(dueOn, 'nl')} antwoorden; die termijn kan met twee maanden worden verlengd, dan hoor je dat met de reden. Je ontvangt ook een bevestiging per e-mail.`,
    invalidTitle: 'Deze link werkt niet',
    invalid: 'Deze link is onbekend, al gebruikt of verlopen. Dien je verzoek zo nodig opnieuw in.',
    processor: 'Peil verwerkt deze gegevens namens de organisatie die je uitnodigde.',
  },
  en: {
    title: (org: string) => `A request about your data at ${org}`,
    intro: (org: string) =>
      `${org} processes your data for surveys; Peil does so on behalf of ${org}. With this form you file a request with ${org}. ${org} decides on it, not Peil.`,
    kind: 'What would you like to ask?',
    email: 'Your email address',
    emailHelp: 'We send a link to this address to confirm your request.',
    emailFromInvitation: 'We send a confirmation link to the address your invitation was sent to.',
    message: 'Explanation (optional)',
    submit: 'Send request',
    switchTo: 'Nederlands',
    errors: {
      kind: 'Choose what you would like to ask.',
      email: 'Enter a valid email address.',
      message: 'Your explanation is too long.',
    },
    sentTitle: 'Check your email',
    sent: (hours: number) =>
      `If the address is right, you will receive an email within minutes with a link to confirm your request. The link is valid for ${hours} hours. Only after you confirm is the request forwarded.`,
    confirmTitle: 'Confirm your request',
    confirmAsk: (org: string, kind: RequestKind) =>
      `Do you want to file this request with ${org}: ${KIND_TEXT[kind].en}?`,
    confirmButton: 'Yes, confirm my request',
    confirmedTitle: 'Your request was forwarded',
    confirmed: (org: string, kind: RequestKind, dueOn: string) =>
      `Your request (${KIND_TEXT[kind].en}) was forwarded to ${org}. ${org} decides on it, not Peil. ${org} must answer you by ${longDate(dueOn, 'en')}; this can be extended by two months, in which case you are told why. You will also receive a confirmation by email.`,
    invalidTitle: 'This link does not work',
    invalid: 'This link is unknown, already used or expired. File your request again if needed.',
    processor: 'Peil processes this data on behalf of the organisation that invited you.',
  },
} as const;

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
          ${langLink ? html`<p class="lang"><a href="${langLink}" lang="${other}">${pageText[lang].switchTo}</a></p>` : ''}
          <div class="card">${body}</div>
          <footer>${pageText[lang].processor}</footer>
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
  const t = pageText[lang];
  const e = state.errors;
  const body = html`<h1>${t.title(org)}</h1>
    <p>${t.intro(org)}</p>
    <form method="post" action="${action}" accept-charset="utf-8" novalidate>
      <input type="hidden" name="lang" value="${lang}" />
      <fieldset class="q" ${raw(e.kind ? ' aria-describedby="kind-error"' : '')}>
        <legend>${t.kind}</legend>
        ${e.kind ? html`<p class="error" id="kind-error">${e.kind}</p>` : ''}
        <div class="opts">
          ${REQUEST_KINDS.map((k) => html`<label><input type="radio" name="kind" value="${k}" ${raw(state.kind === k ? ' checked' : '')} /><span>${KIND_TEXT[k][lang]}</span></label>`)}
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
  const t = pageText[lang];
  return layout(
    lang,
    t.confirmTitle,
    html`<h1>${t.confirmTitle}</h1>
      <p>${t.confirmAsk(org, kind)}</p>
      <form method="post" action="${action}"><button type="submit">${t.confirmButton}</button></form>`,
  );
}
