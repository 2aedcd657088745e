// Hand-written test set for redact() (OBLIGATIONS AI-3). Every sentence was written for this
// project; names, numbers and addresses are made up (BSNs and IBANs are checksum-valid on purpose,
// they are test numbers such as the well-known 111222333 and NL91ABNA0417164300).
//
// A case lists the personal data it contains as [type, exact substring], in order of appearance; the
// expected output replaces each substring by its placeholder. `knownMiss` marks a case the
// redactor is known to get wrong, with the reason: redact.test.ts checks that it still fails (so the
// flag is removed when it is fixed) and the precision/recall report counts it honestly.

import type { PiiType } from './redact.js';

export interface RedactCase {
  text: string;
  pii: Array<[PiiType, string]>;
  knownMiss?: string;
}

export const REDACT_CASES: RedactCase[] = [
  // Email
  { text: 'Mail mij gerust op sanne.dewit@example.nl als er vragen zijn.', pii: [['email', 'sanne.dewit@example.nl']] },
  {
    text: 'Mijn e-mailadres is j.jansen+peil@hotmail.com, graag reactie.',
    pii: [['email', 'j.jansen+peil@hotmail.com']],
  },
  { text: 'Please reply to john.smith@mail.co.uk.', pii: [['email', 'john.smith@mail.co.uk']] },
  { text: 'Stuur de bevestiging naar INFO@Bakkerij-Van-Dam.NL aub', pii: [['email', 'INFO@Bakkerij-Van-Dam.NL']] },

  // BSN
  { text: 'Mijn BSN is 111222333, kunt u dat aanpassen?', pii: [['bsn', '111222333']] },
  {
    text: 'Ze vroegen aan de balie om mijn burgerservicenummer 123.456.782 terwijl dat al bekend was.',
    pii: [['bsn', '123.456.782']],
  },
  { text: 'Ik heb 123 456 782 doorgegeven maar het systeem vond me niet.', pii: [['bsn', '123 456 782']] },
  { text: 'Op het formulier stond 1234.56.782 als nummer van mijn moeder.', pii: [['bsn', '1234.56.782']] },
  { text: 'BSN: 123456789 (klopt misschien niet helemaal)', pii: [['bsn', '123456789']] },
  { text: 'Het nummer 111222333 staat nog steeds op mijn pas.', pii: [['bsn', '111222333']] },

  // IBAN
  { text: 'Het geld mag terug op NL91ABNA0417164300.', pii: [['iban', 'NL91ABNA0417164300']] },
  {
    text: 'Graag terugstorten op NL91 ABNA 0417 1643 00 t.n.v. mijn vader.',
    pii: [['iban', 'NL91 ABNA 0417 1643 00']],
  },
  { text: 'Rekening nl91abna0417164300 is de juiste', pii: [['iban', 'nl91abna0417164300']] },
  { text: 'Refund to my account DE89 3704 0044 0532 0130 00 please.', pii: [['iban', 'DE89 3704 0044 0532 0130 00']] },
  {
    text: 'Er is twee keer afgeschreven van BE68539007547034 dus ik wil geld terug.',
    pii: [['iban', 'BE68539007547034']],
  },

  // Phone
  { text: 'Bel me terug op 06-12345678 want ik ben de hele dag thuis.', pii: [['phone', '06-12345678']] },
  { text: 'Bereikbaar op 06 1234 5678 na vijf uur.', pii: [['phone', '06 1234 5678']] },
  { text: 'Mijn nummer is +31 6 12345678.', pii: [['phone', '+31 6 12345678']] },
  {
    text: 'Vaste lijn: 020-1234567, mobiel 0612345678.',
    pii: [
      ['phone', '020-1234567'],
      ['phone', '0612345678'],
    ],
  },
  { text: 'Uit het buitenland bereikbaar op 0031 20 123 4567.', pii: [['phone', '0031 20 123 4567']] },
  { text: 'Call me on +44 20 7946 0958 any time.', pii: [['phone', '+44 20 7946 0958']] },
  { text: 'Mijn nummer (010) 123 45 67 klopt niet in jullie systeem.', pii: [['phone', '(010) 123 45 67']] },
  { text: 'Graag bellen naar +31 (0)6 12345678 en niet mailen.', pii: [['phone', '+31 (0)6 12345678']] },
  { text: 'Bel me op 06 - 12 34 56 78 aub', pii: [['phone', '06 - 12 34 56 78']] },
  { text: 'Mijn zoon heeft een Belgisch nummer: +32 475 12 34 56.', pii: [['phone', '+32 475 12 34 56']] },
  { text: 'Bel 06.12.34.56.78 na 14.30 uur.', pii: [['phone', '06.12.34.56.78']] },
  { text: 'Tel. 06-12-34-56-78, liefst op 3-4-2024.', pii: [['phone', '06-12-34-56-78']] },

  // Postcode and address
  { text: 'Wij wonen op 1234 AB 12 en de monteur kwam niet opdagen.', pii: [['postcode', '1234 AB 12']] },
  { text: 'Postcode 3511AB klopt niet in jullie systeem.', pii: [['postcode', '3511AB']] },
  { text: 'Het pakket ging naar 2514 JN Den Haag in plaats van naar mij.', pii: [['postcode', '2514 JN']] },
  { text: 'Bezorgd op Kerkstraat 12 in plaats van nummer 21.', pii: [['address', 'Kerkstraat 12']] },
  { text: 'Ik woon aan de Stationsweg 10-2 en de lift is al weken kapot.', pii: [['address', 'Stationsweg 10-2']] },
  { text: 'De afspraak was op het kantoor aan het Lange Voorhout 5a.', pii: [['address', 'Lange Voorhout 5a']] },
  {
    text: 'Adres: Prinsengracht 263, 1016 GV Amsterdam.',
    pii: [
      ['address', 'Prinsengracht 263'],
      ['postcode', '1016 GV'],
    ],
  },
  {
    text: 'De lekkage op de Burgemeester de Withstraat 14 bis is nog steeds niet verholpen.',
    pii: [['address', 'Burgemeester de Withstraat 14 bis']],
  },
  { text: 'Kapotte lantaarnpaal voor Oude Kerkweg 7, al drie keer gemeld.', pii: [['address', 'Oude Kerkweg 7']] },
  { text: 'Het gaat om de woning aan de van Heemskerckstraat 33A.', pii: [['address', 'van Heemskerckstraat 33A']] },
  { text: 'The parcel was left at 221B Baker Street instead of my flat.', pii: [['address', '221B Baker Street']] },
  { text: 'ik woon op de kerkstraat 45 en niemand heeft me gebeld', pii: [['address', 'kerkstraat 45']] },
  {
    text: 'Verhuisd naar Emmalaan 3 in Utrecht, 3581 HN Utrecht.',
    pii: [
      ['address', 'Emmalaan 3'],
      ['postcode', '3581 HN'],
    ],
  },

  // Names after a form of address or an introduction
  { text: 'Meneer Jansen van de klantenservice was erg behulpzaam.', pii: [['name', 'Jansen']] },
  { text: 'Ik werd goed geholpen door mevrouw De Vries.', pii: [['name', 'De Vries']] },
  { text: 'Dhr. P. Bakker heeft mijn klacht netjes afgehandeld.', pii: [['name', 'P. Bakker']] },
  { text: 'Complimenten voor mw. van den Berg op de poli.', pii: [['name', 'van den Berg']] },
  { text: 'Hallo, mijn naam is Sanne de Wit en ik wil een klacht indienen.', pii: [['name', 'Sanne de Wit']] },
  { text: 'Ik ben Piet en ik huur hier al twintig jaar.', pii: [['name', 'Piet']] },
  { text: 'Met Karin, de receptioniste, was het prima geregeld.', pii: [['name', 'Karin']] },
  { text: 'My name is John Smith and I waited two hours.', pii: [['name', 'John Smith']] },
  { text: 'Mr. Brown at the front desk was very rude.', pii: [['name', 'Brown']] },
  { text: 'Mijn collega Ahmed heeft het uiteindelijk opgelost.', pii: [['name', 'Ahmed']] },
  { text: 'Dokter Van Leeuwen nam echt de tijd voor me.', pii: [['name', 'Van Leeuwen']] },
  { text: 'De heer El Amrani van het wijkteam is een topper.', pii: [['name', 'El Amrani']] },
  { text: 'Verpleegkundige Ingrid was ontzettend lief voor mijn moeder.', pii: [['name', 'Ingrid']] },
  { text: 'Sanne bij de kassa had overal een antwoord op.', pii: [['name', 'Sanne']] },
  {
    text: 'Ik heb gebeld met Marieke van der Linden maar er gebeurde niets.',
    pii: [['name', 'Marieke van der Linden']],
  },
  { text: "Mrs. O'Connor was lovely with the kids.", pii: [['name', "O'Connor"]] },
  { text: 'Bedankt Jeroen voor de snelle reparatie!', pii: [['name', 'Jeroen']] },
  { text: 'Trainer Mohammed motiveert iedereen in het team.', pii: [['name', 'Mohammed']] },
  { text: 'Ik heet Anouk Visser en ben al drie jaar lid.', pii: [['name', 'Anouk Visser']] },
  { text: 'Thanks to Sarah the whole thing was sorted in a day.', pii: [['name', 'Sarah']] },
  { text: 'Mevr. Yılmaz van de thuiszorg komt altijd op tijd.', pii: [['name', 'Yılmaz']] },

  // Mixed
  {
    text: 'Meneer Jansen (06-12345678) beloofde terug te bellen over mijn BSN 111222333.',
    pii: [
      ['name', 'Jansen'],
      ['phone', '06-12345678'],
      ['bsn', '111222333'],
    ],
  },
  {
    text: 'Mijn naam is Piet de Boer, Kerkstraat 12, 1234 AB Amsterdam, tel 020-1234567.',
    pii: [
      ['name', 'Piet de Boer'],
      ['address', 'Kerkstraat 12'],
      ['postcode', '1234 AB'],
      ['phone', '020-1234567'],
    ],
  },
  {
    text: 'Order 123456 is nooit aangekomen, bel me op 06-12345678 of mail piet@example.com.',
    pii: [
      ['phone', '06-12345678'],
      ['email', 'piet@example.com'],
    ],
  },
  {
    text: 'Factuur 2024-0113 klopt niet: €45,- teveel afgeschreven van NL91ABNA0417164300.',
    pii: [['iban', 'NL91ABNA0417164300']],
  },
  {
    text: 'Op 12-03-2024 om 14:30 belde mevrouw Smit me op 0612345678.',
    pii: [
      ['name', 'Smit'],
      ['phone', '0612345678'],
    ],
  },
  {
    text: 'I gave a 9/10 but Mrs. Patel never called me back on 07700 900123.',
    pii: [
      ['name', 'Patel'],
      ['phone', '07700 900123'],
    ],
    knownMiss: 'a UK number written nationally is read with region NL and is not a valid Dutch number',
  },
  {
    text: 'De klantenservice van de bank heeft mijn IBAN NL02 ABNA 0123 4567 89 twee keer verkeerd gespeld.',
    pii: [['iban', 'NL02 ABNA 0123 4567 89']],
  },
  {
    text: 'Ik ben Fatima, mijn dochter ligt op kamer 12 en ik ben bereikbaar op 06-87654321.',
    pii: [
      ['name', 'Fatima'],
      ['phone', '06-87654321'],
    ],
  },
  {
    text: 'Mijn buurman Henk zegt dat de huur te hoog is.',
    pii: [['name', 'Henk']],
  },
  {
    text: 'Mijn telefoonnummer is 0612345678 en mijn postcode 1234ab.',
    pii: [
      ['phone', '0612345678'],
      ['postcode', '1234ab'],
    ],
  },
  { text: 'Contactpersoon: Linda Jansen, zij weet ervan.', pii: [['name', 'Linda Jansen']] },
  { text: 'Graag snel reactie. Met vriendelijke groet, Ellen Smit', pii: [['name', 'Ellen Smit']] },
  { text: 'Groeten, fam. Hoekstra', pii: [['name', 'Hoekstra']] },
  { text: 'Kind regards, Peter Evans', pii: [['name', 'Peter Evans']] },
  {
    text: 'Jan de Vries heeft de kraan gerepareerd, prima werk.',
    pii: [['name', 'Jan de Vries']],
    knownMiss: '"Jan" is not in the first-name list (it is also short for januari) and nothing introduces the name',
  },
  {
    text: 'Ask for Tom at reception, he sorted it out.',
    pii: [['name', 'Tom']],
    knownMiss: '"ask for" is not an introduction the redactor knows and "Tom" is not in the first-name list',
  },
  {
    text: 'De buurvrouw, Els, heeft ook geklaagd.',
    pii: [['name', 'Els']],
    knownMiss: 'a name between commas without a form of address or a listed first name is not recognised',
  },
];

/** Sentences without personal data that must come out unchanged (over-redaction check). */
export const KEEP_CASES: string[] = [
  'Order 123456 is nog steeds niet geleverd.',
  'Bestelnummer 98765432 kwam beschadigd aan.',
  'Mijn ordernummer is 111222333 en ik wacht nog steeds.',
  'Factuurnummer 123456782 klopt niet met de offerte.',
  'Klantnummer: 123 456 782, graag een reactie.',
  'Ik heb € 12,50 betaald voor een koude pizza.',
  'De prijs ging van €1.250,- naar 1.400 euro per maand.',
  'Afspraak op 12-03-2024 om 14:30 werd zonder bericht verzet.',
  'We kwamen op 12 maart en werden pas om 14.30 uur geholpen.',
  'Ik geef jullie een 8.',
  'Een 9/10, echt top!',
  'Score 7 van de 10, want de wachttijd was 45 minuten.',
  'We hebben 2 uur gewacht op de spoedeisende hulp.',
  'Al 3 weken geen warm water in de woning.',
  'Drie keer gebeld met de klantenservice, niemand wist ervan.',
  'Het personeel was vriendelijk maar de wachttijd was veel te lang.',
  'The staff were friendly but the food was cold.',
  'Great value for money, 10 out of 10.',
  'Ik ben tevreden over de monteur.',
  'Ik ben Nederlander en snap de Engelse brief niet.',
  'Met Kerst was het restaurant dicht zonder aankondiging.',
  'Ik ben blij met Ziggo sinds de nieuwe router.',
  'ING Bank regelt het sneller dan jullie.',
  'In 2024 is de huur twee keer verhoogd.',
  'Tafel 12 kreeg eerder eten dan wij.',
  'Kamer 1203 was niet schoongemaakt.',
  'Lijn 12 reed niet, dus kwam ik te laat.',
  'We betaalden 35 euro per persoon voor drie gangen.',
  'De parkeerplaats kost 4,50 per uur.',
  'Onderweg 2 uur in de file gestaan door jullie planning.',
  'Het fietspad 3 km verderop is nog steeds afgesloten.',
  'Op de snelweg 20 minuten vertraging, daarna nog wachten aan de balie.',
  'De nieuwe iPhone 15 deed het na 2 dagen al niet meer.',
  'Tennisbaan 4 ligt vol met bladeren.',
  'Bel gerust naar 0800-1234 voor gratis hulp, zei de folder.',
  'Het nummer 0900-8844 is duur en je wacht eindeloos.',
  'Ik heb 3 kinderen van 4, 6 en 9 jaar.',
  'Versie 2.3.1 van de app crasht steeds.',
  'Ontvangen op 3-4-2024, teruggestuurd op 5-4-2024.',
  'Ik ben al 25 jaar klant en nu pas ontevreden.',
  'The waiter said the table would be ready at 7 pm.',
  'My order number is 4455667788 and it never arrived.',
  'De dokter was aardig maar had weinig tijd.',
  'Mijn collega was ook niet tevreden.',
  'Waarom kost een reparatie 150 euro en duurt het 6 weken?',
  'Met het nieuwe systeem is alles makkelijker.',
  'Meneer was erg geduldig met mijn vader.',
  'Met vriendelijke groet en tot volgend jaar!',
  'Groeten uit Brabant en complimenten aan de kok.',
  'I am happy with the new app.',
  'Ik heb geen naam gekregen van de medewerker.',
  'Nieuwe Kerk 2 keer bezocht, mooi gebouw.',
];
