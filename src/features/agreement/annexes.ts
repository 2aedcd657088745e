import type { Tx } from '../../lib/db/db.js';
import { measureStatements, securityMeasuresIn } from '../security/measures.js';
import { applicableSubprocessors, processingLocation } from '../subprocessors/service.js';
import type { AnnexProvider, DocSection, Lang } from './document-model.js';

/**
 * OBLIGATIONS AGR-4: the annexes of the agreement, each an AnnexProvider (document-model.ts) that
 * reads live state inside the customer's transaction. Nothing here is a fixed text about what the
 * system does: each line is derived from a record or the configuration.
 */

const L = <T>(lang: Lang, nl: T, en: T): T => (lang === 'nl' ? nl : en);

const SAFEGUARD_TEXT: Record<string, { nl: string; en: string }> = {
  dpa: { nl: 'verwerkersovereenkomst', en: 'processing agreement' },
  scc: { nl: 'modelcontractbepalingen (SCC)', en: 'standard contractual clauses (SCC)' },
  bcr: { nl: 'bindende bedrijfsvoorschriften (BCR)', en: 'binding corporate rules (BCR)' },
  adequacy: { nl: 'adequaatheidsbesluit', en: 'adequacy decision' },
  dpf: { nl: 'EU-VS Data Privacy Framework', en: 'EU-US Data Privacy Framework' },
  iso27001: { nl: 'ISO 27001', en: 'ISO 27001' },
  iso27701: { nl: 'ISO 27701', en: 'ISO 27701' },
  soc2: { nl: 'SOC 2', en: 'SOC 2' },
  nen7510: { nl: 'NEN 7510', en: 'NEN 7510' },
};

/** Annex 2: the sub-processors that apply to this customer (SUB-1, SUB-3), and where data is processed (SUB-4). */
export const subprocessorsAnnex: AnnexProvider = async (tx, _tenantId, lang, ctx) => {
  const entries = await applicableSubprocessors(tx);
  const where = processingLocation(ctx.env);
  const blocks: DocSection['blocks'] = [
    {
      kind: 'paragraph',
      text: L(
        lang,
        `Opslag en verwerking vinden plaats in ${where.location} (${where.country}, ${where.insideEea ? 'binnen' : 'buiten'} de EER). Verwerker schakelt voor deze Verwerkingsverantwoordelijke de onderstaande sub-verwerkers in.`,
        `Storage and processing take place in ${where.location} (${where.country}, ${where.insideEea ? 'inside' : 'outside'} the EEA). The processor engages the sub-processors below for this controller.`,
      ),
    },
  ];
  if (entries.length === 0) {
    blocks.push({ kind: 'paragraph', text: L(lang, 'Er zijn geen sub-verwerkers ingeschakeld.', 'No sub-processors are engaged.') });
  } else {
    blocks.push({
      kind: 'table',
      head: L(lang, ['Naam', 'Dienst', 'Locatie', 'Land', 'EER', 'Waarborgen', 'Status'], ['Name', 'Service', 'Location', 'Country', 'EEA', 'Safeguards', 'Status']),
      rows: entries.map((e) => [
        e.name,
        e.service,
        e.location,
        e.country,
        e.insideEea ? L(lang, 'binnen', 'inside') : L(lang, 'buiten', 'outside'),
        e.safeguards.map((s) => SAFEGUARD_TEXT[s]?.[lang] ?? s).join(', ') || '–',
        e.status === 'applied' ? L(lang, 'ingeschakeld', 'engaged') : L(lang, 'niet gebruikt: wacht op uw toestemming', 'not used: awaiting your consent'),
      ]),
    });
  }
  return { id: 'annex-2', title: L(lang, 'Bijlage 2 – Sub-verwerkers', 'Annex 2 – Sub-processors'), blocks };
};

/** Annex 3: the security measures in force (SEC-4), as stated by measureStatements. */
export const measuresAnnex: AnnexProvider = async (tx, tenantId, lang, ctx) => {
  const m = await securityMeasuresIn(ctx, tx, tenantId);
  const blocks: DocSection['blocks'] = [
    { kind: 'paragraph', text: L(lang, 'De volgende technische en organisatorische maatregelen zijn voor deze klant van kracht, zoals ingesteld in het systeem.', 'The following technical and organisational measures are in force for this customer, as configured in the system.') },
  ];
  for (const group of measureStatements(m)) {
    blocks.push({ kind: 'subheading', text: group.heading[lang] });
    blocks.push({ kind: 'list', items: group.items.map((i) => i[lang]) });
  }
  return { id: 'annex-3', title: L(lang, 'Bijlage 3 – Beveiligingsmaatregelen', 'Annex 3 – Security measures'), blocks };
};

const CONTACT_FIELDS = [
  { column: 'email_enc', nl: 'E-mailadres', en: 'Email address' },
  { column: 'first_name_enc', nl: 'Naam', en: 'Name' },
  { column: 'phone_enc', nl: 'Telefoonnummer', en: 'Phone number' },
  { column: 'gender', nl: 'Geslacht', en: 'Gender' },
  { column: 'function', nl: 'Functie', en: 'Function' },
  { column: 'language', nl: 'Voorkeurstaal', en: 'Preferred language' },
] as const;

const QUESTION_TEXT: Record<string, { nl: string; en: string }> = {
  nps: { nl: 'NPS-score (0–10)', en: 'NPS score (0–10)' },
  enps: { nl: 'eNPS-score (0–10)', en: 'eNPS score (0–10)' },
  csat: { nl: 'tevredenheid (1–5)', en: 'satisfaction (1–5)' },
  ces: { nl: 'moeite (1–7)', en: 'effort (1–7)' },
  rating: { nl: 'beoordeling op een schaal', en: 'rating on a scale' },
  single: { nl: 'keuze uit opties', en: 'choice of options' },
  multiple: { nl: 'meerdere keuzes', en: 'multiple choices' },
  text: { nl: 'vrije tekst', en: 'free text' },
  number: { nl: 'getal', en: 'number' },
  date: { nl: 'datum', en: 'date' },
};

async function contactFieldsInUse(tx: Tx): Promise<Array<(typeof CONTACT_FIELDS)[number]>> {
  const row = await tx
    .selectFrom('contacts')
    .select((eb) => [
      eb.fn.count<number>('email_enc').as('email_enc'),
      eb.fn.count<number>(eb.fn.coalesce('first_name_enc', 'last_name_enc')).as('first_name_enc'),
      eb.fn.count<number>('phone_enc').as('phone_enc'),
      eb.fn.count<number>('gender').as('gender'),
      eb.fn.count<number>('function').as('function'),
      eb.fn.count<number>('language').as('language'),
    ])
    .executeTakeFirstOrThrow();
  return CONTACT_FIELDS.filter((f) => Number(row[f.column]) > 0);
}

/**
 * Annex 1, INTERIM: the register of processing as far as it can be read from what is stored today
 * (contact fields in use, the customer's profile fields, the question types of its surveys) and the
 * purposes the service itself has. The register (REG-1..3, features/register/) replaces this provider
 * when it lands: swap `interimRegisterAnnex` for the register's provider in DEFAULT_ANNEXES.
 */
export const interimRegisterAnnex: AnnexProvider = async (tx, _tenantId, lang) => {
  const contactFields = await contactFieldsInUse(tx);
  const profile = await tx.selectFrom('profile_fields').select(['key', 'type', 'label_nl', 'label_en']).orderBy('key').execute();
  const surveys = await tx.selectFrom('surveys').select(['definition']).execute();
  const types = new Set<string>();
  for (const s of surveys) for (const q of ((s.definition as { questions?: Array<{ type?: string }> } | null)?.questions ?? [])) if (q.type) types.add(q.type);
  const questionTypes = Object.keys(QUESTION_TEXT).filter((t) => types.has(t));
  const blocks: DocSection['blocks'] = [
    { kind: 'subheading', text: L(lang, 'Categorieën betrokkenen', 'Categories of data subjects') },
    { kind: 'paragraph', text: L(lang, 'De personen die Verwerkingsverantwoordelijke als contact opneemt en uitnodigt (bijvoorbeeld klanten of medewerkers van de klant), en de gebruikers van Verwerkingsverantwoordelijke.', "The people the controller adds as contacts and invites (for example the customer's customers or employees), and the controller's users.") },
    { kind: 'subheading', text: L(lang, 'Categorieën persoonsgegevens', 'Categories of personal data') },
    {
      kind: 'list',
      items: [
        ...contactFields.map((f) => L(lang, `Contact: ${f.nl}`, `Contact: ${f.en}`)),
        ...profile.map((p) => L(lang, `Profielveld: ${p.label_nl} (${p.key}, ${p.type})`, `Profile field: ${p.label_en} (${p.key}, ${p.type})`)),
        ...questionTypes.map((t) => L(lang, `Antwoorden: ${QUESTION_TEXT[t]!.nl}`, `Answers: ${QUESTION_TEXT[t]!.en}`)),
        L(lang, 'Gebruikers: naam, e-mailadres, rol', 'Users: name, email address, role'),
      ],
    },
    { kind: 'subheading', text: L(lang, 'Doeleinden', 'Purposes') },
    {
      kind: 'list',
      items: [
        L(lang, 'Uitnodigen van contacten voor enquêtes en herinneringen sturen', 'Inviting contacts to surveys and sending reminders'),
        L(lang, 'Verzamelen van antwoorden en rapporteren van resultaten aan Verwerkingsverantwoordelijke', 'Collecting answers and reporting results to the controller'),
        L(lang, 'Beveiliging en verantwoording: logboek van handelingen', 'Security and accountability: the log of actions'),
      ],
    },
  ];
  return { id: 'annex-1', title: L(lang, 'Bijlage 1 – Register van verwerkingen', 'Annex 1 – Register of processing'), blocks };
};

/** The annexes in order. The lead replaces interimRegisterAnnex with the register's provider (REG). */
export const DEFAULT_ANNEXES: AnnexProvider[] = [interimRegisterAnnex, subprocessorsAnnex, measuresAnnex];
