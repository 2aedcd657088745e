import { translator } from '../../lib/i18n.js';
import { categoryLabel } from '../register/vocabulary.js';

/**
 * OBLIGATIONS BRE-1: the fields of a breach, as the operator records them and as a customer is told
 * (without the operator's overall estimates, which would reveal other customers' numbers).
 */
export interface BreachFields {
  startedAt: string;
  discoveredAt: string;
  description: string;
  cause: string;
  /** Register vocabulary codes (features/register/vocabulary.ts). */
  categories: string[];
  /** The operator's overall estimates, across customers; never sent to a customer. */
  subjectsApprox: number | null;
  recordsApprox: number | null;
  consequences: string;
  encrypted: boolean;
  measuresTaken: string;
  measuresPlanned: Array<{ what: string; when: string }>;
  expectedRecovery: string;
  contactPoint: { name: string; email: string; phone: string | null };
}

export const FIELD_NAMES = [
  'startedAt',
  'discoveredAt',
  'description',
  'cause',
  'categories',
  'subjectsApprox',
  'recordsApprox',
  'consequences',
  'encrypted',
  'measuresTaken',
  'measuresPlanned',
  'expectedRecovery',
  'contactPoint',
] as const satisfies ReadonlyArray<keyof BreachFields>;

/** What a customer is told: every field but the overall estimates. */
export type ToldFields = Omit<BreachFields, 'subjectsApprox' | 'recordsApprox'>;

export function toldFields(f: BreachFields): ToldFields {
  const { subjectsApprox: _s, recordsApprox: _r, ...rest } = f;
  return rest;
}

/** One customer's own part, as told to it. */
export interface OwnNumbers {
  contacts: number;
  responses: number;
  users: number;
  categories: string[];
  noticeHours: number;
  deadline: string;
}

/** What one mail to a customer said (sealed in breach_notice_messages). */
export interface MessageContent {
  kind: 'notice' | 'update' | 'closing';
  number: number;
  status: 'open' | 'closed';
  fields: ToldFields;
  own: OwnNumbers;
  note: string | null;
  /** Names of the fields that changed (an update). */
  changed: string[];
  sentAt: string;
}

const DATE_TIME = { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Amsterdam' } as const;
export function when(iso: string, lang: 'nl' | 'en'): string {
  return `${new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', DATE_TIME).format(new Date(iso))} (Europe/Amsterdam)`;
}

export function categoryList(codes: string[], lang: 'nl' | 'en'): string {
  return codes.length ? codes.map((c) => categoryLabel(c)[lang]).join('; ') : '-';
}

/** The fields a customer is told, as lines "Label: value" in one language. */
export function fieldLines(f: ToldFields, lang: 'nl' | 'en'): string[] {
  const t = translator(lang);
  const yes = t('mails:breach.yes');
  const no = t('mails:breach.no');
  const L = (k: (typeof FIELD_NAMES)[number]) => t(`mails:breach.field.${k}`);
  return [
    `${L('startedAt')}: ${when(f.startedAt, lang)}`,
    `${L('discoveredAt')}: ${when(f.discoveredAt, lang)}`,
    `${L('description')}: ${f.description}`,
    `${L('cause')}: ${f.cause}`,
    `${L('categories')}: ${categoryList(f.categories, lang)}`,
    `${L('consequences')}: ${f.consequences}`,
    `${L('encrypted')}: ${f.encrypted ? yes : no}`,
    `${L('measuresTaken')}: ${f.measuresTaken}`,
    `${L('measuresPlanned')}:${f.measuresPlanned.length ? '' : ' -'}`,
    ...f.measuresPlanned.map((m) => `  - ${m.when}: ${m.what}`),
    `${L('expectedRecovery')}: ${f.expectedRecovery}`,
    `${L('contactPoint')}: ${f.contactPoint.name}, ${f.contactPoint.email}${f.contactPoint.phone ? `, ${f.contactPoint.phone}` : ''}`,
  ];
}

export function ownLines(o: OwnNumbers, lang: 'nl' | 'en'): string[] {
  const t = translator(lang);
  return [
    t('mails:breach.own.contacts', { count: o.contacts }),
    t('mails:breach.own.responses', { count: o.responses }),
    t('mails:breach.own.users', { count: o.users }),
    t('mails:breach.own.categories', { categories: categoryList(o.categories, lang) }),
    t('mails:breach.own.deadline', { hours: o.noticeHours, deadline: when(o.deadline, lang) }),
  ];
}
