/**
 * The message catalogues, bundled: one JSON file per language and namespace under /locales. A new
 * namespace is added here (both languages) and in i18next.d.ts.
 */
import nlCommon from '../../locales/nl/common.json';
import enCommon from '../../locales/en/common.json';
import nlBenchmark from '../../locales/nl/benchmark.json';
import enBenchmark from '../../locales/en/benchmark.json';
import nlUsage from '../../locales/nl/usage.json';
import enUsage from '../../locales/en/usage.json';
import nlLabelling from '../../locales/nl/labelling.json';
import enLabelling from '../../locales/en/labelling.json';
import nlMail from '../../locales/nl/mail.json';
import enMail from '../../locales/en/mail.json';
import nlSend from '../../locales/nl/send.json';
import enSend from '../../locales/en/send.json';
import nlResults from '../../locales/nl/results.json';
import enResults from '../../locales/en/results.json';
import nlEditor from '../../locales/nl/editor.json';
import enEditor from '../../locales/en/editor.json';
import nlAuth from '../../locales/nl/auth.json';
import enAuth from '../../locales/en/auth.json';

export const LANGUAGES = ['nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const resources = {
  nl: { common: nlCommon, benchmark: nlBenchmark, usage: nlUsage, labelling: nlLabelling, mail: nlMail, send: nlSend, results: nlResults, editor: nlEditor, auth: nlAuth },
  en: { common: enCommon, benchmark: enBenchmark, usage: enUsage, labelling: enLabelling, mail: enMail, send: enSend, results: enResults, editor: enEditor, auth: enAuth },
} as const;

export const namespaces = Object.keys(resources.nl) as (keyof (typeof resources)['nl'])[];
