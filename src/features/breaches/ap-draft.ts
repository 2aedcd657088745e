import { categoryDef } from '../register/vocabulary.js';
import { categoryList, when, type MessageContent } from './model.js';
import type { CustomerBreach } from './service.js';

/**
 * OBLIGATIONS BRE-4: a pre-filled draft of what the customer (the controller) reports to the
 * Autoriteit Persoonsgegevens, following the questions of the AP's meldformulier datalekken: who
 * reports, what happened, when, which data, how many people, who they are, consequences, measures,
 * encryption, whether the people are or will be informed, cross-border. Filled in from what Peil told
 * the customer (its own numbers only); what only the customer can answer is marked to be completed.
 * Markdown, Dutch first with English.
 */
export interface DraftInput {
  organisation: string;
  breach: CustomerBreach;
  /** The customer's own register: its data subjects (labels). */
  dataSubjects: Array<{ nl: string; en: string }>;
}

const TODO = { nl: '[in te vullen door uw organisatie]', en: '[to be completed by your organisation]' };

function section(lang: 'nl' | 'en', c: MessageContent, input: DraftInput): string[] {
  const f = c.fields;
  const o = c.own;
  const special = o.categories.filter((x) => categoryDef(x)?.special);
  const people = o.contacts + o.users;
  const t = (nl: string, en: string) => (lang === 'nl' ? nl : en);
  return [
    t(
      '## Concept-melding datalek aan de Autoriteit Persoonsgegevens',
      '## Draft personal data breach report to the Dutch Data Protection Authority (AP)',
    ),
    '',
    t(
      `Datalek nr. ${c.number} bij Peil (uw verwerker). Dit concept is ingevuld met wat Peil u meldde; controleer en vul aan voordat u meldt via het meldformulier van de AP (binnen 72 uur na ontdekking).`,
      `Breach no. ${c.number} at Peil (your processor). This draft is filled in with what Peil told you; check and complete it before you report through the AP's form (within 72 hours of discovery).`,
    ),
    '',
    t('### 1. Melder', '### 1. Who reports'),
    `- ${t('Organisatie (verwerkingsverantwoordelijke)', 'Organisation (controller)')}: ${input.organisation}`,
    `- ${t('Contactpersoon voor de AP', 'Contact person for the AP')}: ${TODO[lang]}`,
    `- ${t('Verwerker die het lek meldde', 'Processor that reported the breach')}: Peil — ${f.contactPoint.name}, ${f.contactPoint.email}${f.contactPoint.phone ? `, ${f.contactPoint.phone}` : ''}`,
    '',
    t('### 2. Wat is er gebeurd', '### 2. What happened'),
    `- ${t('Samenvatting', 'Summary')}: ${f.description}`,
    `- ${t('Oorzaak', 'Cause')}: ${f.cause}`,
    '',
    t('### 3. Wanneer', '### 3. When'),
    `- ${t('Begin van het lek', 'Start of the breach')}: ${when(f.startedAt, lang)}`,
    `- ${t('Ontdekt (door de verwerker)', 'Discovered (by the processor)')}: ${when(f.discoveredAt, lang)}`,
    `- ${t('Door Peil aan u gemeld', 'Reported to you by Peil')}: ${when(input.breach.notifiedAt, lang)}`,
    `- ${t('Het lek is beëindigd / verwacht herstel', 'The breach ended / expected recovery')}: ${input.breach.status === 'closed' ? t('afgesloten door Peil', 'closed by Peil') : f.expectedRecovery}`,
    '',
    t('### 4. Welke persoonsgegevens', '### 4. Which personal data'),
    `- ${t('Soorten persoonsgegevens bij uw organisatie', 'Kinds of personal data at your organisation')}: ${categoryList(o.categories.length ? o.categories : f.categories, lang)}`,
    `- ${t('Bijzondere persoonsgegevens of BSN', 'Special categories or BSN')}: ${special.length ? categoryList(special, lang) : t('nee (volgens de berekening van Peil)', 'no (as Peil computed)')}`,
    '',
    t('### 5. Hoeveel personen', '### 5. How many people'),
    `- ${t('Aantal betrokkenen (minimaal–maximaal)', 'Number of people (minimum–maximum)')}: ${people} (${t(`${o.contacts} contactpersonen, ${o.users} gebruikersaccounts`, `${o.contacts} contacts, ${o.users} user accounts`)}; ${t('bovengrens zoals Peil die berekende', 'upper bound as Peil computed it')})`,
    `- ${t('Aantal antwoorden (records)', 'Number of responses (records)')}: ${o.responses}`,
    '',
    t('### 6. Wie zijn de betrokkenen', '### 6. Who the people are'),
    `- ${input.dataSubjects.length ? input.dataSubjects.map((s) => s[lang]).join('; ') : TODO[lang]}`,
    '',
    t('### 7. Gevolgen', '### 7. Consequences'),
    `- ${t('Waarschijnlijke gevolgen voor de betrokkenen', 'Likely consequences for the people')}: ${f.consequences}`,
    '',
    t('### 8. Maatregelen', '### 8. Measures'),
    `- ${t('Genomen', 'Taken')}: ${f.measuresTaken}`,
    `- ${t('Voorgenomen', 'Planned')}: ${f.measuresPlanned.length ? f.measuresPlanned.map((m) => `${m.when}: ${m.what}`).join('; ') : '-'}`,
    `- ${t('Maatregelen van uw organisatie', 'Measures of your organisation')}: ${TODO[lang]}`,
    '',
    t('### 9. Versleuteling', '### 9. Encryption'),
    `- ${t('Waren de gegevens versleuteld of onbegrijpelijk?', 'Were the data encrypted or unintelligible?')} ${f.encrypted ? t('ja', 'yes') : t('nee', 'no')}`,
    '',
    t('### 10. Informeren van betrokkenen', '### 10. Informing the people'),
    `- ${t('Zijn of worden de betrokkenen geïnformeerd? Wanneer en hoe?', 'Are or will the people be informed? When and how?')} ${TODO[lang]}`,
    '',
    t('### 11. Internationaal', '### 11. Cross-border'),
    `- ${t('Betrokkenen in andere EU-landen', 'People in other EU countries')}: ${TODO[lang]}`,
    '',
    t('### 12. Soort melding', '### 12. Kind of report'),
    `- ${t('Nieuwe melding of vervolgmelding', 'New report or follow-up')}: ${TODO[lang]}`,
  ];
}

export function apDraft(input: DraftInput): string {
  const c = input.breach.current;
  return `# Datalek nr. ${c.number} — concept voor de AP / draft for the AP\n\n${section('nl', c, input).join('\n')}\n\n---\n\n${section('en', c, input).join('\n')}\n`;
}
