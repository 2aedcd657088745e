import { escapeHtml, html, raw, type Html } from '../../lib/html.js';
import type { Lang } from '../../lib/db/schema.js';
import type { PublicContent } from './content.js';

/**
 * OBLIGATIONS BEN-2: the public forms of a publication, rendered from its content alone (so the
 * owner's preview renders the same bytes): a page, a widget for an iframe and an SVG badge. No
 * script, no external resource, a few hundred bytes of inline CSS; Dutch or English (one language per
 * answer, chosen by ?lang= or Accept-Language, Dutch by default). The "not available" answer is one
 * neutral text in both languages, the same for a withdrawn publication, a suspended or ended customer
 * and a token that never existed.
 */
const T = {
  nl: {
    basedOn: (n: string) => `Gebaseerd op ${n} antwoorden`,
    asOf: 'Stand',
    tooFew: 'Nog te weinig antwoorden om resultaten te tonen.',
    trend: 'Verloop',
    period: 'Periode',
    score: 'Score',
    answers: 'Antwoorden',
    answer: 'Antwoord',
    share: 'Aandeel',
    hidden: 'Te weinig antwoorden om te tonen.',
    more: 'Alle resultaten',
    margin: 'foutmarge',
    by: 'Gepubliceerd door',
    lower: 'lager is beter',
    step: 'stap',
  },
  en: {
    basedOn: (n: string) => `Based on ${n} answers`,
    asOf: 'As of',
    tooFew: 'Not enough answers yet to show results.',
    trend: 'Over time',
    period: 'Period',
    score: 'Score',
    answers: 'Answers',
    answer: 'Answer',
    share: 'Share',
    hidden: 'Too few answers to show.',
    more: 'All results',
    margin: 'margin',
    by: 'Published by',
    lower: 'lower is better',
    step: 'step',
  },
} as const;

const MONTHS = {
  nl: [
    'januari',
    'februari',
    'maart',
    'april',
    'mei',
    'juni',
    'juli',
    'augustus',
    'september',
    'oktober',
    'november',
    'december',
  ],
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
};

function num(x: number, lang: Lang, digits = 1): string {
  return new Intl.NumberFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { maximumFractionDigits: digits }).format(x);
}

function date(iso: string, lang: Lang): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return lang === 'nl' ? `${d} ${MONTHS.nl[m - 1]} ${y}` : `${d} ${MONTHS.en[m - 1]} ${y}`;
}

/** The headline as text: NPS "+41", CSAT "82%", means "4,2" (nl) / "4.2" (en). */
export function headline(c: PublicContent, lang: Lang): string {
  const k = c.keyScore;
  if (!k || k.value === null) return '–';
  if (k.unit === 'nps') return `${k.value > 0 ? '+' : ''}${num(k.value, lang, 0)}`;
  if (k.unit === 'percent') return `${num(k.value, lang)}%`;
  return num(k.value, lang, 2);
}

function period(p: { period: string; from: string; to: string }, lang: Lang): string {
  const step = /^step (\d+)$/.exec(p.period);
  if (step) return `${T[lang].step} ${step[1]} (${date(p.from, lang)} – ${date(p.to, lang)})`;
  const q = /^(\d{4})-Q(\d)$/.exec(p.period);
  if (q) return lang === 'nl' ? `${q[2]}e kwartaal ${q[1]}` : `Q${q[2]} ${q[1]}`;
  return p.period;
}

const CSS =
  'body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}' +
  'main{max-width:40rem;margin:0 auto;padding:1rem}h1{font-size:1.3rem;margin:.2rem 0}h2{font-size:1.05rem;margin:1.2rem 0 .4rem}' +
  '.v{font-size:2.6rem;font-weight:700;line-height:1.1}.m,.o{color:#555;font-size:.9rem}table{border-collapse:collapse;width:100%}' +
  'th,td{text-align:left;padding:.25rem .4rem;border-bottom:1px solid #e3e3e3}td.n{text-align:right;white-space:nowrap}' +
  '.b{background:#1f5fa8;height:.6rem;display:block;min-width:1px}a{color:#1f5fa8}';

function shell(lang: Lang, title: string, body: Html, extraCss = ''): string {
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
        <style>
          ${raw(CSS + extraCss)}
        </style>
      </head>
      <body>
        ${body}
      </body>
    </html> `.value;
}

function bars(rows: Array<{ label: string; percent: number }>, lang: Lang, caption: string): Html {
  return html`<table>
    <caption class="o">
      ${caption}
    </caption>
    <thead>
      <tr>
        <th scope="col">${T[lang].answer}</th>
        <th scope="col">${T[lang].share}</th>
        <th scope="col"><span class="o">%</span></th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r) =>
          html`<tr>
            <th scope="row">${r.label}</th>
            <td style="width:50%">
              <span class="b" style="width:${raw(String(Math.max(0, Math.min(100, r.percent))))}%"></span>
            </td>
            <td class="n">${num(r.percent, lang)}%</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function summaryLines(c: PublicContent, lang: Lang): Html {
  const k = c.keyScore;
  return html`${k && k.margin !== null ? html`<p class="m">± ${num(k.margin, lang, k.unit === 'mean' ? 2 : 1)} (${T[lang].margin} 95%)${k.lowerIsBetter ? `, ${T[lang].lower}` : ''}</p>` : ''}${c.responses !== null ? html`<p class="m">${T[lang].basedOn(num(c.responses, lang, 0))}</p>` : ''}`;
}

/** The public page: the key score, its groups, the trend and the chosen questions. */
export function renderPage(c: PublicContent, lang: Lang): string {
  const t = T[lang];
  const k = c.keyScore;
  const main = !c.shown
    ? html`<p>${t.tooFew}</p>`
    : html`${k ? html`<p class="v" aria-label="${k.name[lang]}: ${headline(c, lang)}">${headline(c, lang)}</p>` : ''}${summaryLines(c, lang)}
      ${
        k && k.groups.length
          ? bars(
              k.groups.map((g) => ({ label: `${g.name[lang]} (${g.range})`, percent: g.percent })),
              lang,
              k.name[lang],
            )
          : ''
      }
      ${
        c.trend && c.trend.length
          ? html`<h2>${t.trend}</h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col">${t.period}</th>
                    <th scope="col">${t.score}</th>
                    ${c.responses !== null ? html`<th scope="col">${t.answers}</th>` : ''}
                  </tr>
                </thead>
                <tbody>
                  ${c.trend.map(
                    (p) =>
                      html`<tr>
                        <th scope="row">${period(p, lang)}</th>
                        <td class="n">
                          ${p.value === null ? t.hidden : headline({ ...c, keyScore: k ? { ...k, value: p.value } : null }, lang)}
                        </td>
                        ${p.n !== null ? html`<td class="n">${num(p.n, lang, 0)}</td>` : ''}
                      </tr>`,
                  )}
                </tbody>
              </table>`
          : ''
      }
      ${c.questions.map(
        (q) =>
          html`<h2>${q.text[lang]}</h2>
            ${
              q.suppressed
                ? html`<p class="o">${t.hidden}</p>`
                : bars(
                    q.distribution.map((d) => ({ label: d.label[lang], percent: d.percent })),
                    lang,
                    q.answered !== null ? t.basedOn(num(q.answered, lang, 0)) : q.text[lang],
                  )
            }`,
      )}`;
  return shell(
    lang,
    `${c.title[lang]} – ${c.org}`,
    html`<main>
      <p class="o">${c.org}</p>
      <h1>${c.title[lang]}</h1>
      ${main}
      <p class="o">${t.asOf} ${date(c.asOf, lang)} · ${t.by} ${c.org}</p>
    </main>`,
  );
}

/** The widget: a small card for an iframe (320 × 200 in the embed code), linking to the page when it is published. */
export function renderWidget(c: PublicContent, lang: Lang, pageUrl: string | null): string {
  const t = T[lang];
  const k = c.keyScore;
  return shell(
    lang,
    `${c.title[lang]} – ${c.org}`,
    html`<main>
      <h1>${c.title[lang]}</h1>
      ${
        c.shown
          ? html`${k ? html`<p class="v" aria-label="${k.name[lang]}: ${headline(c, lang)}">${headline(c, lang)}</p>` : ''}${summaryLines(c, lang)}`
          : html`<p>${t.tooFew}</p>`
      }
      <p class="o">
        ${c.org} · ${t.asOf}
        ${date(c.asOf, lang)}${pageUrl ? html` · <a href="${pageUrl}${lang === 'en' ? '?lang=en' : ''}" target="_blank" rel="noopener">${t.more}</a>` : ''}
      </p>
    </main>`,
    'body{font-size:14px}main{padding:.5rem .7rem}h1{font-size:1rem}.v{font-size:2rem;margin:.1rem 0}p{margin:.1rem 0}.m,.o{font-size:.85rem}',
  );
}

/** Approximate text width in the badge's 11px font (Verdana-like average). */
const width = (s: string) => Math.round([...s].length * 6.6 + 12);

function badgeSvg(label: string, value: string, aria: string, color: string): string {
  const lw = width(label);
  const vw = width(value);
  const w = lw + vw;
  const e = escapeHtml;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" viewBox="0 0 ${w} 20" role="img" aria-label="${e(aria)}"><title>${e(aria)}</title>` +
    `<rect width="${lw}" height="20" rx="3" fill="#444"/><rect x="${lw}" width="${vw}" height="20" rx="3" fill="${color}"/><rect x="${lw}" width="4" height="20" fill="${color}"/>` +
    `<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle"><text x="${lw / 2}" y="14">${e(label)}</text><text x="${lw + vw / 2}" y="14">${e(value)}</text></g></svg>\n`
  );
}

/** The badge: "<score name> | <value>", with <title>, role="img" and aria-label. */
export function renderBadge(c: PublicContent, lang: Lang): string {
  const k = c.keyScore;
  const short = k
    ? ({ nps: 'NPS', enps: 'eNPS', csat: 'CSAT', ces: 'CES', rating: lang === 'nl' ? 'Score' : 'Rating' } as const)[
        k.kind
      ]
    : c.title[lang];
  const value = c.shown && k ? headline(c, lang) : lang === 'nl' ? 'te weinig antwoorden' : 'too few answers';
  const aria = `${c.org}: ${k ? k.name[lang] : c.title[lang]} ${value}${c.shown && c.responses !== null ? ` (${T[lang].basedOn(num(c.responses, lang, 0)).toLowerCase()})` : ''}, ${T[lang].asOf.toLowerCase()} ${date(c.asOf, lang)}`;
  return badgeSvg(short, value, aria, '#1f5fa8');
}

/** The neutral answer: withdrawn, suspended, ended and unknown alike. */
export function notAvailablePage(): string {
  return html`<!doctype html>
    <html lang="nl">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>Niet beschikbaar / Not available</title>
        <style>
          ${raw(CSS)}
        </style>
      </head>
      <body>
        <main>
          <p lang="nl"><strong>Niet beschikbaar</strong> – deze publicatie is niet (meer) beschikbaar.</p>
          <p lang="en"><strong>Not available</strong> – this publication is not (or no longer) available.</p>
        </main>
      </body>
    </html> `.value;
}

export function notAvailableBadge(): string {
  return badgeSvg('Peil', 'niet beschikbaar / not available', 'Niet beschikbaar / Not available', '#777');
}
