// The extra terms of the labelling module (OBLIGATIONS AI-1; seed agreement F art. 18 and its AI
// definition). The customer's owner accepts exactly this text; the acceptance records the version
// and the SHA-256 of the text, so a later change of the wording cannot be passed off as accepted.
// A new wording gets a new version: never edit the text of a version that customers have accepted.

import { createHash } from 'node:crypto';

export interface Terms {
  version: string;
  text: { nl: string; en: string };
}

export const LABELLING_TERMS: Terms = {
  version: '2026-01',
  text: {
    nl: [
      'Aanvullende voorwaarden AI-labelmodule (versie 2026-01)',
      '',
      '1. De module kent aan open antwoorden van respondenten labels (onderwerpen) en een sentiment toe. Zij staat uit tot de eigenaar van de klantomgeving deze voorwaarden aanvaardt, en kan door de eigenaar op elk moment weer worden uitgezet.',
      '2. Standaard doet de ingebouwde labeler van Peil het werk, op de servers van Peil. Er gaat dan geen tekst naar een derde partij.',
      '3. Alleen als de klant dat bij het aanzetten uitdrukkelijk toestaat, mag Peil een externe AI-dienst gebruiken. Die dienst is een subverwerker en staat in het register van subverwerkers. Vóór verzending verwijdert Peil persoonsgegevens uit de tekst (namen, e-mailadressen, telefoonnummers, adressen, postcodes, IBAN, BSN). Peil kan niet uitsluiten dat een respondent persoonsgegevens typt die niet als zodanig herkenbaar zijn.',
      '4. Correcties van labels door gebruikers van de klant worden bewaard, versleuteld met de sleutel van de klant, en alleen gebruikt om het model van deze klant te verbeteren.',
      '5. Redelijk gebruik: per kalendermaand geldt een maximum aantal gelabelde antwoorden. Peil kan de module voor een klant of voor alle klanten beperken of uitzetten; de klant wordt daarover per e-mail en in de applicatie geïnformeerd.',
      '6. Labels zijn een hulpmiddel bij het lezen van feedback en geen besluit over personen. Na het uitzetten blijven bestaande labels zichtbaar in de resultaten.',
    ].join('\n'),
    en: [
      'Additional terms of the AI labelling module (version 2026-01)',
      '',
      "1. The module assigns labels (topics) and a sentiment to respondents' free-text answers. It stays off until the owner of the customer environment accepts these terms, and the owner can switch it off again at any time.",
      "2. By default Peil's built-in labeller does the work, on Peil's servers. No text is then sent to any third party.",
      '3. Only when the customer explicitly allows it on activation may Peil use an external AI service. That service is a sub-processor and is listed in the sub-processor register. Before sending, Peil removes personal data from the text (names, email addresses, phone numbers, addresses, postcodes, IBAN, BSN). Peil cannot rule out that a respondent types personal data that cannot be recognised as such.',
      "4. Label corrections by the customer's users are kept, encrypted with the customer's key, and used only to improve this customer's model.",
      '5. Fair use: a maximum number of labelled answers applies per calendar month. Peil can restrict or switch off the module for one customer or for all; the customer is told by email and in the application.',
      '6. Labels help to read feedback and are not decisions about people. After switching off, existing labels stay visible in the results.',
    ].join('\n'),
  },
};

/** SHA-256 (hex) of the exact terms: version and both texts, as one canonical JSON string. */
export function termsHash(terms: Terms = LABELLING_TERMS): string {
  return createHash('sha256')
    .update(JSON.stringify({ version: terms.version, nl: terms.text.nl, en: terms.text.en }))
    .digest('hex');
}
