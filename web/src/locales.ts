/**
 * The message catalogues, bundled: one JSON file per language and namespace under /locales. A new
 * namespace is added here (both languages) and in i18next.d.ts.
 */
import nlCommon from '../../locales/nl/common.json';
import enCommon from '../../locales/en/common.json';
import nlSurveys from '../../locales/nl/surveys.json';
import enSurveys from '../../locales/en/surveys.json';
import nlContacts from '../../locales/nl/contacts.json';
import enContacts from '../../locales/en/contacts.json';

export const LANGUAGES = ['nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const resources = {
  nl: { common: nlCommon, surveys: nlSurveys, contacts: nlContacts },
  en: { common: enCommon, surveys: enSurveys, contacts: enContacts },
} as const;

export const namespaces = Object.keys(resources.nl) as (keyof (typeof resources)['nl'])[];
