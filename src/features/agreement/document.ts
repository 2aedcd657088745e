import type { AppContext } from '../../context.js';
import type { Tx } from '../../lib/db/db.js';
import { insideEea } from '../subprocessors/eea.js';
import { DEFAULT_ANNEXES } from './annexes.js';
import type { AgreementDocument, AnnexProvider, DocBlock, DocSection, Lang } from './document-model.js';
import { readAgreement, type Agreement } from './service.js';
import { TERMS, type NumericTerm } from './terms.js';

/**
 * OBLIGATIONS AGR-4: the agreement as a document, composed from the live record (AGR-1/2/5) and the
 * annex providers. Every number in the text comes from the record; the text has no date of
 * generation and no counters, so the same state gives the same text (the Markdown is hashed on
 * acceptance, AGR-3).
 */

const L = <T>(lang: Lang, nl: T, en: T): T => (lang === 'nl' ? nl : en);

/** 2027-04-30 → "30 april 2027" / "30 April 2027". */
export function longDate(iso: string, lang: Lang, weekday = false): string {
  return new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    ...(weekday ? { weekday: 'long' } : {}),
  }).format(new Date(`${iso}T12:00:00Z`));
}

/** The label and unit of each term, Dutch and English; also used in announcements of a change. */
export const TERM_TEXT: Record<
  | NumericTerm
  | 'processingLocation'
  | 'specialCategoriesAllowed'
  | 'version'
  | 'startDate'
  | 'termMonths'
  | 'renewalMonths'
  | 'noticeMonths',
  { nl: string; en: string; unit?: { nl: string; en: string } }
> = {
  breachNoticeHours: {
    nl: 'Melding van een datalek binnen',
    en: 'Notice of a personal data breach within',
    unit: { nl: 'uur', en: 'hours' },
  },
  subprocessorObjectionDays: {
    nl: 'Bezwaartermijn nieuwe sub-verwerker',
    en: 'Objection period for a new sub-processor',
    unit: { nl: 'dagen', en: 'days' },
  },
  dpaChangeObjectionWorkingDays: {
    nl: 'Bezwaartermijn wijziging van deze overeenkomst',
    en: 'Objection period for a change of this agreement',
    unit: { nl: 'werkdagen', en: 'working days' },
  },
  auditsPerYear: { nl: 'Audits per kalenderjaar (hoogstens)', en: 'Audits per calendar year (at most)' },
  auditNoticeDays: {
    nl: 'Aankondiging van een audit (minstens)',
    en: 'Notice of an audit (at least)',
    unit: { nl: 'dagen', en: 'days' },
  },
  returnWindowDays: {
    nl: 'Teruggave van gegevens na het einde',
    en: 'Return of data after the end',
    unit: { nl: 'dagen', en: 'days' },
  },
  choiceDeadlineDays: {
    nl: 'Termijn om te kiezen tussen teruggave en verwijdering',
    en: 'Deadline to choose between return and deletion',
    unit: { nl: 'dagen', en: 'days' },
  },
  logRetentionMonths: { nl: 'Bewaartermijn logboek', en: 'Log retention', unit: { nl: 'maanden', en: 'months' } },
  processingLocation: { nl: 'Plaats van verwerking', en: 'Place of processing' },
  specialCategoriesAllowed: {
    nl: 'Bijzondere persoonsgegevens toegestaan',
    en: 'Special categories of personal data allowed',
  },
  version: { nl: 'Versie', en: 'Version' },
  startDate: { nl: 'Ingangsdatum', en: 'Start date' },
  termMonths: { nl: 'Looptijd', en: 'Term', unit: { nl: 'maanden', en: 'months' } },
  renewalMonths: { nl: 'Stilzwijgende verlenging', en: 'Automatic renewal', unit: { nl: 'maanden', en: 'months' } },
  noticeMonths: { nl: 'Opzegtermijn', en: 'Notice period', unit: { nl: 'maanden', en: 'months' } },
};
export type TermKey = keyof typeof TERM_TEXT;

/** A value of a term as the document writes it. */
export function termValue(key: TermKey, value: unknown, lang: Lang): string {
  if (value === null || value === undefined) return key === 'renewalMonths' ? L(lang, 'geen', 'none') : '–';
  if (typeof value === 'boolean') return value ? L(lang, 'ja', 'yes') : L(lang, 'nee', 'no');
  if (key === 'processingLocation')
    return value === 'NL' ? L(lang, 'Nederland', 'the Netherlands') : L(lang, 'Europese Unie', 'European Union');
  if (key === 'startDate') return longDate(String(value), lang);
  const unit = TERM_TEXT[key].unit;
  return unit ? `${value} ${unit[lang]}` : String(value);
}

/** Agreement columns (as in a proposal's changes) → the term they hold. */
export const COLUMN_TERM: Record<string, TermKey> = {
  ...Object.fromEntries(Object.entries(TERMS).map(([k, d]) => [d.column, k as NumericTerm])),
  processing_location: 'processingLocation',
  special_categories_allowed: 'specialCategoriesAllowed',
  version: 'version',
  start_date: 'startDate',
  term_months: 'termMonths',
  renewal_months: 'renewalMonths',
  notice_months: 'noticeMonths',
};

function termsTable(a: Agreement, lang: Lang): DocBlock {
  const keys: TermKey[] = [
    'version',
    'startDate',
    'termMonths',
    'renewalMonths',
    'noticeMonths',
    ...(Object.keys(TERMS) as NumericTerm[]),
    'processingLocation',
    'specialCategoriesAllowed',
  ];
  const value = (k: TermKey): unknown =>
    k in a.terms
      ? a.terms[k as keyof Agreement['terms']]
      : a[k as 'version' | 'startDate' | 'termMonths' | 'renewalMonths' | 'noticeMonths'];
  return {
    kind: 'table',
    head: L(lang, ['Afspraak', 'Waarde'], ['Term', 'Value']),
    rows: keys.map((k) => [TERM_TEXT[k][lang], termValue(k, value(k), lang)]),
  };
}

function contactLine(c: { name: string | null; email: string | null }, lang: Lang): string {
  const parts = [c.name, c.email].filter((x): x is string => !!x);
  return parts.length ? parts.join(', ') : L(lang, '(nog niet opgegeven)', '(not given yet)');
}

/** Whether the configured hosting country keeps the agreed place of processing (EU: a member state; NL: the Netherlands). */
export function hostingKeepsLocation(location: 'EU' | 'NL', country: string): boolean {
  const c = country.toUpperCase();
  return location === 'NL' ? c === 'NL' : insideEea(c) && !['IS', 'LI', 'NO'].includes(c);
}

function articles(a: Agreement, lang: Lang, hosting: { location: string; country: string }): DocSection[] {
  const t = a.terms;
  const P = a.parties.processor.name;
  const C = a.parties.controller.name;
  const p = (text: string): DocBlock => ({ kind: 'paragraph', text });
  const d = (iso: string) => longDate(iso, lang);
  const art = (n: number, nl: string, en: string, blocks: DocBlock[]): DocSection => ({
    id: `art-${n}`,
    title: L(lang, `Artikel ${n}. ${nl}`, `Article ${n}. ${en}`),
    blocks,
  });
  const renewal =
    a.renewalMonths === null
      ? L(
          lang,
          `De overeenkomst wordt niet stilzwijgend verlengd en eindigt op ${d(a.currentTermEnd)}.`,
          `The agreement is not renewed automatically and ends on ${d(a.currentTermEnd)}.`,
        )
      : L(
          lang,
          `Daarna wordt zij steeds stilzwijgend verlengd met ${a.renewalMonths} maanden, tenzij zij uiterlijk ${a.noticeMonths} maanden vóór het einde van de lopende termijn wordt opgezegd. De lopende termijn loopt van ${d(a.currentTermStart)} tot ${d(a.currentTermEnd)}; de laatste dag om op te zeggen is ${d(a.noticeDeadline)}. Een latere opzegging geldt voor het einde van de volgende termijn.`,
          `It is then renewed automatically by ${a.renewalMonths} months at a time, unless notice is given at least ${a.noticeMonths} months before the end of the current term. The current term runs from ${d(a.currentTermStart)} to ${d(a.currentTermEnd)}; the last day to give notice is ${d(a.noticeDeadline)}. Later notice takes effect at the end of the next term.`,
        );
  const notice = a.notice
    ? [
        p(
          L(
            lang,
            `Opzegging is gegeven op ${d(a.notice.givenAt.slice(0, 10))}${a.notice.late ? ' (na de uiterste datum)' : ''}; de overeenkomst eindigt op ${d(a.notice.endsOn)}.`,
            `Notice was given on ${d(a.notice.givenAt.slice(0, 10))}${a.notice.late ? ' (after the deadline)' : ''}; the agreement ends on ${d(a.notice.endsOn)}.`,
          ),
        ),
      ]
    : [];
  return [
    art(1, 'Onderwerp', 'Subject', [
      p(
        L(
          lang,
          `${P} (Verwerker) verwerkt persoonsgegevens in opdracht van ${C} (Verwerkingsverantwoordelijke) bij het leveren van de feedbackdienst Peil, uitsluitend voor de doeleinden in Bijlage 1 en volgens de afspraken in deze overeenkomst.`,
          `${P} (processor) processes personal data on behalf of ${C} (controller) in providing the feedback service Peil, only for the purposes in Annex 1 and under the terms of this agreement.`,
        ),
      ),
    ]),
    art(2, 'Duur en opzegging', 'Term and notice', [
      p(
        L(
          lang,
          `De overeenkomst gaat in op ${d(a.startDate)} en heeft een looptijd van ${a.termMonths} maanden.`,
          `The agreement starts on ${d(a.startDate)} and runs for ${a.termMonths} months.`,
        ),
      ),
      p(renewal),
      ...notice,
    ]),
    art(3, 'Plaats van verwerking', 'Place of processing', [
      p(
        L(
          lang,
          `Persoonsgegevens worden uitsluitend verwerkt in ${termValue('processingLocation', t.processingLocation, lang)}. De dienst wordt gehost in ${hosting.location} (${hosting.country}); Bijlage 2 noemt de sub-verwerkers.`,
          `Personal data is processed only in ${termValue('processingLocation', t.processingLocation, lang)}. The service is hosted in ${hosting.location} (${hosting.country}); Annex 2 lists the sub-processors.`,
        ),
      ),
      ...(hostingKeepsLocation(t.processingLocation, hosting.country)
        ? []
        : [
            p(
              L(
                lang,
                'Let op: de ingestelde hosting ligt op dit moment buiten de afgesproken plaats van verwerking.',
                'Note: the configured hosting lies outside the agreed place of processing at this moment.',
              ),
            ),
          ]),
      p(
        t.specialCategoriesAllowed
          ? L(
              lang,
              'Verwerkingsverantwoordelijke mag bijzondere persoonsgegevens laten verwerken.',
              'The controller may have special categories of personal data processed.',
            )
          : L(
              lang,
              'De dienst is niet bestemd voor bijzondere persoonsgegevens; Verwerkingsverantwoordelijke laat die niet verwerken.',
              'The service is not meant for special categories of personal data; the controller does not have them processed.',
            ),
      ),
    ]),
    art(4, 'Beveiliging', 'Security', [
      p(
        L(
          lang,
          'Verwerker neemt de technische en organisatorische maatregelen van Bijlage 3. Die bijlage geeft weer wat op het moment van opstellen in het systeem is ingesteld.',
          'The processor takes the technical and organisational measures of Annex 3. That annex states what is configured in the system when it is drawn up.',
        ),
      ),
    ]),
    art(5, 'Datalekken', 'Personal data breaches', [
      p(
        L(
          lang,
          `Verwerker meldt een datalek aan Verwerkingsverantwoordelijke binnen ${t.breachNoticeHours} uur nadat het is ontdekt, met de aard, de getroffen gegevens en betrokkenen, de vermoedelijke gevolgen en de genomen en voorgestelde maatregelen.`,
          `The processor notifies the controller of a personal data breach within ${t.breachNoticeHours} hours of its discovery, with its nature, the data and data subjects affected, the likely consequences and the measures taken and proposed.`,
        ),
      ),
    ]),
    art(6, 'Sub-verwerkers', 'Sub-processors', [
      p(
        L(
          lang,
          `Bijlage 2 noemt de sub-verwerkers. Een nieuwe of gewijzigde sub-verwerker wordt per e-mail aangekondigd; Verwerkingsverantwoordelijke kan binnen ${t.subprocessorObjectionDays} dagen bezwaar maken. Een sub-verwerker buiten de Europese Economische Ruimte wordt pas ingeschakeld na voorafgaande uitdrukkelijke toestemming van Verwerkingsverantwoordelijke.`,
          `Annex 2 lists the sub-processors. A new or changed sub-processor is announced by email; the controller may object within ${t.subprocessorObjectionDays} days. A sub-processor outside the European Economic Area is engaged only after the controller's explicit prior consent.`,
        ),
      ),
    ]),
    art(7, 'Audits', 'Audits', [
      p(
        t.auditsPerYear === 0
          ? L(lang, 'Er zijn geen audits afgesproken.', 'No audits are agreed.')
          : L(
              lang,
              `Verwerkingsverantwoordelijke kan hoogstens ${t.auditsPerYear} keer per kalenderjaar een audit laten uitvoeren, aangekondigd ten minste ${t.auditNoticeDays} dagen vooraf.`,
              `The controller may have an audit carried out at most ${t.auditsPerYear} time(s) per calendar year, announced at least ${t.auditNoticeDays} days in advance.`,
            ),
      ),
    ]),
    art(8, 'Logboek', 'Log', [
      p(
        L(
          lang,
          `Verwerker houdt een logboek bij van handelingen met persoonsgegevens en bewaart het ${t.logRetentionMonths} maanden.`,
          `The processor keeps a log of actions on personal data and keeps it for ${t.logRetentionMonths} months.`,
        ),
      ),
    ]),
    art(9, 'Einde: teruggave en verwijdering', 'End: return and deletion', [
      p(
        L(
          lang,
          `Na het einde kiest Verwerkingsverantwoordelijke binnen ${t.choiceDeadlineDays} dagen tussen teruggave en verwijdering van de persoonsgegevens; teruggave gebeurt binnen ${t.returnWindowDays} dagen na het verzoek. Daarna worden de gegevens verwijderd.`,
          `After the end, the controller chooses within ${t.choiceDeadlineDays} days between return and deletion of the personal data; data is returned within ${t.returnWindowDays} days of the request. Afterwards the data is deleted.`,
        ),
      ),
    ]),
    art(10, 'Wijzigingen', 'Changes', [
      p(
        L(
          lang,
          `Een nieuwe versie van deze overeenkomst wordt per e-mail aangekondigd aan de privacycontactpersoon van Verwerkingsverantwoordelijke (of, zonder die, aan de eigenaren). Zij geldt als aanvaard als Verwerkingsverantwoordelijke niet binnen ${t.dpaChangeObjectionWorkingDays} Nederlandse werkdagen (weekenden en Nederlandse feestdagen niet meegeteld) bezwaar maakt. Na een bezwaar blijft de geldende versie van kracht totdat partijen het eens zijn.`,
          `A new version of this agreement is announced by email to the controller's privacy contact (or, without one, to its owners). It is deemed accepted unless the controller objects within ${t.dpaChangeObjectionWorkingDays} Dutch working days (weekends and Dutch public holidays not counted). After an objection the current version stays in force until the parties agree.`,
        ),
      ),
    ]),
  ];
}

/** Composes the document of one customer in one language, inside a transaction of that customer. */
export async function composeDocument(
  ctx: AppContext,
  tx: Tx,
  tenantId: string,
  lang: Lang,
  opts: { annexes?: AnnexProvider[]; now?: Date } = {},
): Promise<AgreementDocument> {
  const a = await readAgreement(tx, tenantId, ctx.env.PEIL_OPERATOR_ORGANISATION, opts.now);
  const annexes: DocSection[] = [];
  for (const provider of opts.annexes ?? DEFAULT_ANNEXES) annexes.push(await provider(tx, tenantId, lang, ctx));
  const parties: DocSection = {
    id: 'parties',
    title: L(lang, 'Partijen', 'Parties'),
    blocks: [
      {
        kind: 'table',
        head: L(lang, ['Rol', 'Naam', 'Contactpersoon'], ['Role', 'Name', 'Contact person']),
        rows: [
          [L(lang, 'Verwerker', 'Processor'), a.parties.processor.name, contactLine(a.contacts.processor, lang)],
          [
            L(lang, 'Verwerkingsverantwoordelijke', 'Controller'),
            a.parties.controller.name,
            contactLine(a.contacts.customer, lang),
          ],
          [
            L(lang, 'Privacycontact', 'Privacy contact'),
            a.parties.controller.name,
            a.contacts.privacyEmail ?? L(lang, '(nog niet opgegeven)', '(not given yet)'),
          ],
        ],
      },
    ],
  };
  const terms: DocSection = { id: 'terms', title: L(lang, 'Afspraken', 'Terms'), blocks: [termsTable(a, lang)] };
  return {
    lang,
    title: L(
      lang,
      `Verwerkersovereenkomst ${a.parties.controller.name} – ${a.parties.processor.name}`,
      `Data processing agreement ${a.parties.controller.name} – ${a.parties.processor.name}`,
    ),
    subtitle: L(lang, `Versie ${a.version}`, `Version ${a.version}`),
    sections: [
      parties,
      terms,
      ...articles(a, lang, { location: ctx.env.PEIL_HOSTING_LOCATION, country: ctx.env.PEIL_HOSTING_COUNTRY }),
    ],
    annexes,
  };
}
