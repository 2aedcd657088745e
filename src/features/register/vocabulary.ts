/**
 * OBLIGATIONS REG-1..REG-3: the standard vocabulary of the register of processing (Annex 1 / Bijlage A
 * of the seeds), decided from what Peil really stores (lib/db/schema.ts):
 *
 * - contacts: email (encrypted, blind index), first name/infix/last name, phone (encrypted), gender,
 *   language, function (clear), profile values (clear jsonb, one typed profile field per key);
 * - invitations: who was invited to which survey, when it was sent, opened, answered;
 * - responses: the key score, closed answers, numbers and dates (clear, also sealed), free text (encrypted);
 * - users of the customer (name, email, role, password hash, second factor) and the sign-in
 *   addresses the log keeps (technical.ip).
 *
 * Every category has a Dutch and an English label. `special: true` marks the special categories of
 * GDPR art. 9/10 and the BSN (UAVG art. 46): refused unless the agreement allows them (REG-3).
 */

export type Bilingual = { nl: string; en: string };

export interface CategoryDef {
  code: string;
  label: Bilingual;
  special?: true;
}

const c = (code: string, nl: string, en: string, special?: true): CategoryDef =>
  special ? { code, label: { nl, en }, special } : { code, label: { nl, en } };

export const CATEGORIES: readonly CategoryDef[] = [
  c('contact.email', 'E-mailadres', 'Email address'),
  c('contact.name', 'Naam (voornaam, tussenvoegsel, achternaam)', 'Name (first name, infix, last name)'),
  c('contact.phone', 'Telefoonnummer', 'Phone number'),
  c('contact.language', 'Taalvoorkeur', 'Language preference'),
  c('contact.address', 'Adresgegevens', 'Address'),
  c('demographic.gender', 'Geslacht', 'Gender'),
  c('demographic.birth_date', 'Geboortedatum', 'Date of birth'),
  c('demographic.age', 'Leeftijd(scategorie)', 'Age (group)'),
  c('work.function', 'Functie', 'Job title'),
  c('work.department', 'Afdeling', 'Department'),
  c('work.location', 'Vestiging of locatie', 'Site or location'),
  c('work.employment', 'Dienstverband (in dienst sinds, uren, contract)', 'Employment (start date, hours, contract)'),
  c(
    'customer.relation',
    'Klantrelatie (klantnummer, product, klant sinds)',
    'Customer relationship (customer number, product, customer since)',
  ),
  c(
    'participation.invitation',
    'Deelname: uitgenodigd, geopend, beantwoord (met tijdstippen)',
    'Participation: invited, opened, answered (with times)',
  ),
  c(
    'answers.score',
    'Antwoorden: scores (NPS, eNPS, CSAT, CES, schalen)',
    'Answers: scores (NPS, eNPS, CSAT, CES, scales)',
  ),
  c('answers.choice', 'Antwoorden: keuzes', 'Answers: choices'),
  c('answers.free_text', 'Antwoorden: open tekst', 'Answers: free text'),
  c('answers.number', 'Antwoorden: getallen', 'Answers: numbers'),
  c('answers.date', 'Antwoorden: datums', 'Answers: dates'),
  c(
    'followup.notes',
    'Opvolging van antwoorden: status, eigenaar, notities',
    'Follow-ups of answers: status, owner, notes',
  ),
  c(
    'user.account',
    'Gebruikersaccounts (naam, e-mail, rol, wachtwoord-hash, tweede factor)',
    'User accounts (name, email, role, password hash, second factor)',
  ),
  c(
    'technical.ip',
    'IP-adressen van aanmeldingen en handelingen van gebruikers (logboek)',
    'IP addresses of sign-ins and actions of users (log)',
  ),
  c('financial.bank_account', 'Bankrekeningnummer (IBAN)', 'Bank account number (IBAN)'),
  c('identifier.bsn', 'Burgerservicenummer (BSN)', 'Citizen service number (BSN)', true),
  c('special.health', 'Gezondheid', 'Health', true),
  c('special.religion', 'Godsdienst of levensovertuiging', 'Religion or belief', true),
  c('special.ethnicity', 'Ras of etnische afkomst', 'Racial or ethnic origin', true),
  c('special.political', 'Politieke opvattingen', 'Political opinions', true),
  c('special.union', 'Lidmaatschap van een vakbond', 'Trade union membership', true),
  c('special.genetic', 'Genetische gegevens', 'Genetic data', true),
  c('special.biometric', 'Biometrische gegevens (identificatie)', 'Biometric data (identification)', true),
  c('special.sexual', 'Seksueel gedrag of seksuele geaardheid', 'Sex life or sexual orientation', true),
  c('special.criminal', 'Strafrechtelijke gegevens', 'Criminal convictions and offences', true),
];

const BY_CODE = new Map(CATEGORIES.map((d) => [d.code, d]));

export const CODE_RE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;

/** A category a field or question may be given: a standard one, `profile.<key>` or an own `other.<name>`. */
export function isAssignableCategory(code: string): boolean {
  return (
    code.length <= 80 && CODE_RE.test(code) && (BY_CODE.has(code) || /^(profile|other)\.[a-z0-9_]{1,64}$/.test(code))
  );
}

export function categoryDef(code: string): CategoryDef | undefined {
  return BY_CODE.get(code);
}

export function isSpecial(code: string): boolean {
  return BY_CODE.get(code)?.special === true;
}

/** The label of a category: the standard one, a profile field's own labels, or the code. */
export function categoryLabel(code: string, profileLabels?: Bilingual): Bilingual {
  const d = BY_CODE.get(code);
  if (d) return d.label;
  if (code.startsWith('profile.'))
    return profileLabels
      ? { nl: `Profielveld: ${profileLabels.nl}`, en: `Profile field: ${profileLabels.en}` }
      : { nl: `Profielveld ${code.slice(8)}`, en: `Profile field ${code.slice(8)}` };
  return { nl: code, en: code };
}

// ------------------------------------------------------------------ data subjects, purposes, operations

export const SUBJECTS: Readonly<Record<string, Bilingual>> = {
  customers: { nl: 'Klanten', en: 'Customers' },
  employees: { nl: 'Medewerkers', en: 'Employees' },
  patients: { nl: 'Patiënten of cliënten', en: 'Patients or clients' },
  members: { nl: 'Leden', en: 'Members' },
  students: { nl: 'Leerlingen of studenten', en: 'Pupils or students' },
  website_visitors: { nl: 'Websitebezoekers', en: 'Website visitors' },
  suppliers: { nl: 'Leveranciers', en: 'Suppliers' },
  users: { nl: 'Gebruikers van Peil bij de klant (eigen medewerkers)', en: "The customer's users of Peil (own staff)" },
};

export const PURPOSES: Readonly<Record<string, Bilingual>> = {
  feedback: {
    nl: 'Meten van tevredenheid en beleving (NPS, eNPS, CSAT, CES, vragenlijsten)',
    en: 'Measuring satisfaction and experience (NPS, eNPS, CSAT, CES, questionnaires)',
  },
  invitations: { nl: 'Uitnodigen en herinneren per e-mail', en: 'Inviting and reminding by email' },
  analysis: { nl: 'Analyse en rapportage van resultaten', en: 'Analysis and reporting of results' },
  labelling: {
    nl: 'Labelen van open antwoorden (AI-module, alleen indien geactiveerd)',
    en: 'Labelling free-text answers (AI module, only when activated)',
  },
  access: {
    nl: 'Toegang, beveiliging en verantwoording (accounts, logboek)',
    en: 'Access, security and accountability (accounts, log)',
  },
};

export const OPERATIONS: Readonly<Record<string, Bilingual>> = {
  collect: {
    nl: 'Verzamelen en vastleggen (import, API, antwoorden)',
    en: 'Collecting and recording (import, API, answers)',
  },
  store: { nl: 'Opslaan (versleuteld) en bewaren', en: 'Storing (encrypted) and keeping' },
  organise: {
    nl: 'Ordenen en selecteren (profielvelden, selecties)',
    en: 'Organising and selecting (profile fields, selections)',
  },
  consult: { nl: 'Raadplegen door gebruikers van de klant', en: "Consulting by the customer's users" },
  send: { nl: 'Gebruiken voor het versturen van e-mail', en: 'Using to send email' },
  analyse: { nl: 'Analyseren en samenvoegen tot resultaten', en: 'Analysing and aggregating into results' },
  export: { nl: 'Exporteren op verzoek van de klant', en: "Exporting at the customer's request" },
  backup: { nl: 'Back-up (versleuteld)', en: 'Backup (encrypted)' },
  support: {
    nl: 'Meekijken bij storingen, alleen met tijdelijke toestemming van de klant',
    en: "Looking along for support, only with the customer's temporary grant",
  },
  erase: {
    nl: 'Wissen en vernietigen (bewaartermijnen, verzoeken, einde overeenkomst)',
    en: 'Erasing and destroying (retention, requests, end of the agreement)',
  },
};

/** The fixed categories of what every customer's Peil stores, whatever its fields and questions. */
export const BUILT_IN: ReadonlyArray<{ code: string; source: Bilingual }> = [
  { code: 'contact.email', source: { nl: 'contacten: e-mailadres', en: 'contacts: email' } },
  {
    code: 'contact.name',
    source: { nl: 'contacten: voornaam, tussenvoegsel, achternaam', en: 'contacts: first name, infix, last name' },
  },
  { code: 'contact.phone', source: { nl: 'contacten: telefoon', en: 'contacts: phone' } },
  { code: 'contact.language', source: { nl: 'contacten: taal', en: 'contacts: language' } },
  { code: 'demographic.gender', source: { nl: 'contacten: geslacht', en: 'contacts: gender' } },
  { code: 'work.function', source: { nl: 'contacten: functie', en: 'contacts: job title' } },
  { code: 'participation.invitation', source: { nl: 'uitnodigingen', en: 'invitations' } },
  { code: 'user.account', source: { nl: 'gebruikers', en: 'users' } },
  { code: 'technical.ip', source: { nl: 'logboek: aanmeldingen en handelingen', en: 'log: sign-ins and actions' } },
];

export const DEFAULT_CATEGORIES = [
  ...BUILT_IN.map((b) => b.code),
  'answers.score',
  'answers.choice',
  'answers.free_text',
];
export const DEFAULT_SUBJECTS = ['customers', 'employees', 'users'];
export const DEFAULT_PURPOSES = ['feedback', 'invitations', 'analysis', 'access'];
export const DEFAULT_OPERATIONS = Object.keys(OPERATIONS);

// ------------------------------------------------------------------ what names and texts suggest

/**
 * Words that make a field's key or label, or a question's text, ask for a special category (REG-3).
 * Matched as whole words (or word starts, marked with *), case- and accent-insensitive. Kept to words
 * that leave little doubt: a false alarm blocks a customer, so "zorg" or "stress" are not here.
 */
const CUES: Record<string, string[]> = {
  'special.health': [
    'gezondheid*',
    'gezondheids*',
    'ziekte*',
    'ziek',
    'zieke',
    'ziekmelding*',
    'verzuim*',
    'diagnose*',
    'diagnoses',
    'medisch*',
    'medicatie',
    'medicijn*',
    'handicap*',
    'chronisch*',
    'zwanger*',
    'allergie*',
    'burn-out',
    'burnout',
    'depressie*',
    'psychisch*',
    'psychiatr*',
    'arbeidsongeschikt*',
    'health',
    'medical',
    'illness*',
    'disease*',
    'sick',
    'sickness',
    'diagnos*',
    'medication*',
    'disabilit*',
    'disabled',
    'pregnan*',
    'allerg*',
    'depression',
    'mental',
    'psychiatric',
  ],
  'special.religion': [
    'religie*',
    'religieus*',
    'religious',
    'religion*',
    'geloof',
    'geloofs*',
    'godsdienst*',
    'levensovertuiging*',
    'kerkgenootschap',
    'faith',
    'church',
    'mosque',
    'moskee',
  ],
  'special.ethnicity': ['etniciteit', 'etnisch*', 'ethnic*', 'ras', 'race', 'etnische afkomst', 'migratieachtergrond'],
  'special.political': ['politiek*', 'political', 'partijlid*', 'stemgedrag', 'partijvoorkeur'],
  'special.union': ['vakbond*', 'vakbondslid*', 'trade union*', 'labour union*', 'labor union*', 'union member*'],
  'special.genetic': ['genetisch*', 'genetic*', 'dna'],
  'special.biometric': [
    'biometrisch*',
    'biometric*',
    'vingerafdruk*',
    'fingerprint*',
    'gezichtsherkenning',
    'irisscan',
  ],
  'special.sexual': ['seksueel', 'seksuele', 'seksualiteit', 'geaardheid', 'sexual*', 'sexuality', 'lgbt*', 'lhbti*'],
  'special.criminal': [
    'strafblad*',
    'strafrecht*',
    'veroordeling*',
    'crimineel',
    'criminele',
    'criminal',
    'conviction*',
    'delict*',
    'vog',
  ],
  'identifier.bsn': ['bsn', 'bsn_nummer', 'burgerservicenummer*', 'sofinummer*', 'sofi', 'ssn'],
};

function fold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

const CUE_RES: Array<[string, RegExp]> = Object.entries(CUES).map(([code, words]) => {
  const alts = words.map((w) => (w.endsWith('*') ? `${w.slice(0, -1)}[\\p{L}\\p{N}]*` : w));
  // Word edges: not a letter or digit; `_` separates words in keys (ziekte_verzuim).
  return [code, new RegExp(`(?<![\\p{L}\\p{N}])(?:${alts.join('|')})(?![\\p{L}\\p{N}])`, 'u')];
});

/** The special categories that the texts (a key, labels, question texts, options) suggest. */
export function suggestedSpecial(texts: ReadonlyArray<string | undefined | null>): string[] {
  const hay = fold(
    texts
      .filter((t): t is string => typeof t === 'string')
      .join(' \n ')
      .replace(/_/g, ' '),
  );
  return CUE_RES.filter(([, re]) => re.test(hay)).map(([code]) => code);
}

/** Whether a free-text answer mentions health (REG-3 counts such texts; never stores or returns them). */
export function mentionsHealth(text: string): boolean {
  return CUE_RES.find(([code]) => code === 'special.health')![1].test(fold(text));
}
