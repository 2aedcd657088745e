// Standard label sets for free-text answers (OBLIGATIONS AI-2: answers are mapped to *standard*
// labels without manual work). Ids are stable: they are stored with every labelled answer and with
// every human correction, so an id is never renamed or reused; names and definitions may be improved.

export const SENTIMENTS = ['positive', 'negative', 'neutral', 'mixed'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

export type TaxonomyId = 'customer' | 'employee';

export interface Label {
  /** Stable identifier, snake_case ASCII; stored in the database. */
  id: string;
  name: { nl: string; en: string };
  /** One sentence that says what belongs under this label (shown to analysts who correct labels). */
  definition: { nl: string; en: string };
}

export interface Taxonomy {
  id: TaxonomyId;
  name: { nl: string; en: string };
  labels: readonly Label[];
}

export const CUSTOMER_LABEL_IDS = [
  'service',
  'staff',
  'communication',
  'waiting_time',
  'price',
  'product_quality',
  'ease_of_use',
  'reachability',
  'ambience',
  'other',
] as const;

export const EMPLOYEE_LABEL_IDS = [
  'workload',
  'leadership',
  'colleagues',
  'pay_benefits',
  'development',
  'work_life_balance',
  'culture',
  'facilities',
  'other',
] as const;

export const CUSTOMER_EXPERIENCE: Taxonomy = {
  id: 'customer',
  name: { nl: 'Klantbeleving', en: 'Customer experience' },
  labels: [
    {
      id: 'service',
      name: { nl: 'Service', en: 'Service' },
      definition: {
        nl: 'Hoe de klant geholpen werd: behulpzaamheid, oplossing van een probleem, afhandeling van een vraag of klacht.',
        en: 'How the customer was helped: helpfulness, solving a problem, handling of a question or complaint.',
      },
    },
    {
      id: 'staff',
      name: { nl: 'Medewerkers', en: 'Staff' },
      definition: {
        nl: 'Houding, vriendelijkheid en deskundigheid van de medewerkers met wie de klant te maken had.',
        en: 'Attitude, friendliness and expertise of the employees the customer dealt with.',
      },
    },
    {
      id: 'communication',
      name: { nl: 'Communicatie', en: 'Communication' },
      definition: {
        nl: 'Duidelijkheid, tijdigheid en toon van informatie, uitleg, brieven, e-mails en afspraken die worden nagekomen.',
        en: 'Clarity, timeliness and tone of information, explanations, letters, emails and keeping promises.',
      },
    },
    {
      id: 'waiting_time',
      name: { nl: 'Wachttijd', en: 'Waiting time' },
      definition: {
        nl: 'Hoe lang de klant moest wachten: in de rij, aan de telefoon, op een afspraak, levering of reparatie.',
        en: 'How long the customer had to wait: in a queue, on the phone, for an appointment, delivery or repair.',
      },
    },
    {
      id: 'price',
      name: { nl: 'Prijs', en: 'Price' },
      definition: {
        nl: 'Prijs, kosten, tarieven, huur en de verhouding tussen prijs en kwaliteit.',
        en: 'Price, costs, fees, rent and value for money.',
      },
    },
    {
      id: 'product_quality',
      name: { nl: 'Kwaliteit product', en: 'Product quality' },
      definition: {
        nl: 'Kwaliteit van wat geleverd werd: het product, eten en drinken, de behandeling, de woning of het onderhoud.',
        en: 'Quality of what was delivered: the product, food and drink, the treatment, the home or the maintenance.',
      },
    },
    {
      id: 'ease_of_use',
      name: { nl: 'Gebruiksgemak', en: 'Ease of use' },
      definition: {
        nl: 'Hoe makkelijk iets te regelen of te gebruiken is: website, app, bestellen, formulieren, betalen.',
        en: 'How easy something is to arrange or use: website, app, ordering, forms, payment.',
      },
    },
    {
      id: 'reachability',
      name: { nl: 'Bereikbaarheid', en: 'Reachability' },
      definition: {
        nl: 'Of de organisatie te bereiken is (telefoon, e-mail, openingstijden) en de ligging, route en parkeren.',
        en: 'Whether the organisation can be reached (phone, email, opening hours) and its location, access and parking.',
      },
    },
    {
      id: 'ambience',
      name: { nl: 'Sfeer en omgeving', en: 'Ambience' },
      definition: {
        nl: 'Sfeer, inrichting, netheid, geluid en comfort van de plek.',
        en: 'Atmosphere, interior, cleanliness, noise and comfort of the place.',
      },
    },
    {
      id: 'other',
      name: { nl: 'Overig / algemeen', en: 'Other / general' },
      definition: {
        nl: 'Een algemeen oordeel of een onderwerp dat onder geen ander label valt.',
        en: 'A general verdict or a subject that fits no other label.',
      },
    },
  ],
};

export const EMPLOYEE_EXPERIENCE: Taxonomy = {
  id: 'employee',
  name: { nl: 'Medewerkersbeleving', en: 'Employee experience' },
  labels: [
    {
      id: 'workload',
      name: { nl: 'Werkdruk', en: 'Workload' },
      definition: {
        nl: 'Hoeveelheid werk, tempo, onderbezetting en stress.',
        en: 'Amount of work, pace, understaffing and stress.',
      },
    },
    {
      id: 'leadership',
      name: { nl: 'Leidinggevende en management', en: 'Leadership' },
      definition: {
        nl: 'Het handelen van de leidinggevende en het management: aansturing, steun, waardering, koers en besluiten.',
        en: 'What managers and leadership do: direction, support, appreciation, strategy and decisions.',
      },
    },
    {
      id: 'colleagues',
      name: { nl: 'Collega’s', en: 'Colleagues' },
      definition: {
        nl: 'Samenwerking en omgang met collega’s en het team.',
        en: 'Cooperation and relations with colleagues and the team.',
      },
    },
    {
      id: 'pay_benefits',
      name: { nl: 'Salaris en voorwaarden', en: 'Pay and benefits' },
      definition: {
        nl: 'Salaris, toeslagen, contract, pensioen, reiskosten en andere arbeidsvoorwaarden.',
        en: 'Salary, allowances, contract, pension, travel costs and other terms of employment.',
      },
    },
    {
      id: 'development',
      name: { nl: 'Ontwikkeling', en: 'Development' },
      definition: {
        nl: 'Opleiding, leren, doorgroeien en loopbaanmogelijkheden.',
        en: 'Training, learning, promotion and career opportunities.',
      },
    },
    {
      id: 'work_life_balance',
      name: { nl: 'Balans werk-privé', en: 'Work-life balance' },
      definition: {
        nl: 'Roosters, werktijden, flexibiliteit, thuiswerken en ruimte voor het privéleven.',
        en: 'Schedules, working hours, flexibility, working from home and room for private life.',
      },
    },
    {
      id: 'culture',
      name: { nl: 'Cultuur', en: 'Culture' },
      definition: {
        nl: 'Sfeer, waarden, openheid, veiligheid om iets te zeggen en hoe de organisatie met mensen omgaat.',
        en: 'Atmosphere, values, openness, safety to speak up and how the organisation treats people.',
      },
    },
    {
      id: 'facilities',
      name: { nl: 'Faciliteiten en middelen', en: 'Facilities' },
      definition: {
        nl: 'Werkplek, gebouw, apparatuur, systemen en hulpmiddelen om het werk te doen.',
        en: 'Workplace, building, equipment, systems and tools to do the job.',
      },
    },
    {
      id: 'other',
      name: { nl: 'Overig / algemeen', en: 'Other / general' },
      definition: {
        nl: 'Een algemeen oordeel of een onderwerp dat onder geen ander label valt.',
        en: 'A general verdict or a subject that fits no other label.',
      },
    },
  ],
};

export const TAXONOMIES: Readonly<Record<TaxonomyId, Taxonomy>> = {
  customer: CUSTOMER_EXPERIENCE,
  employee: EMPLOYEE_EXPERIENCE,
};

export function getTaxonomy(id: TaxonomyId): Taxonomy {
  return TAXONOMIES[id];
}

export function isSentiment(value: unknown): value is Sentiment {
  return typeof value === 'string' && (SENTIMENTS as readonly string[]).includes(value);
}

/** True when `labelId` is one of the taxonomy's stable ids (used to validate human corrections). */
export function isLabelOf(taxonomy: TaxonomyId, labelId: string): boolean {
  return TAXONOMIES[taxonomy].labels.some((l) => l.id === labelId);
}
