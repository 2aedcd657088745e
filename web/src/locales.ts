/**
 * The message catalogues, bundled: one JSON file per language and namespace under /locales. A new
 * namespace is added here (both languages) and in i18next.d.ts.
 */
import nlCommon from '../../locales/nl/common.json';
import enCommon from '../../locales/en/common.json';
import nlSecurity from '../../locales/nl/security.json';
import enSecurity from '../../locales/en/security.json';
import nlPrivacy from '../../locales/nl/privacy.json';
import enPrivacy from '../../locales/en/privacy.json';

export const LANGUAGES = ['nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const resources = {
  nl: { common: nlCommon, security: nlSecurity, privacy: nlPrivacy },
  en: { common: enCommon, security: enSecurity, privacy: enPrivacy },
} as const;

export const namespaces = Object.keys(resources.nl) as (keyof (typeof resources)['nl'])[];
