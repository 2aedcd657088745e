/**
 * The message catalogues, bundled: one JSON file per language and namespace under /locales. A new
 * namespace is added here (both languages) and in i18next.d.ts.
 */
import nlCommon from '../../locales/nl/common.json';
import enCommon from '../../locales/en/common.json';
import nlOperator from '../../locales/nl/operator.json';
import enOperator from '../../locales/en/operator.json';
import nlTeam from '../../locales/nl/team.json';
import enTeam from '../../locales/en/team.json';
import nlSuppressions from '../../locales/nl/suppressions.json';
import enSuppressions from '../../locales/en/suppressions.json';
import nlProfileFields from '../../locales/nl/profileFields.json';
import enProfileFields from '../../locales/en/profileFields.json';
import nlSecurity from '../../locales/nl/security.json';
import enSecurity from '../../locales/en/security.json';
import nlPrivacy from '../../locales/nl/privacy.json';
import enPrivacy from '../../locales/en/privacy.json';
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
import nlSurveys from '../../locales/nl/surveys.json';
import enSurveys from '../../locales/en/surveys.json';
import nlContacts from '../../locales/nl/contacts.json';
import enContacts from '../../locales/en/contacts.json';
import nlFollowups from '../../locales/nl/followups.json';
import enFollowups from '../../locales/en/followups.json';
import nlActivity from '../../locales/nl/activity.json';
import enActivity from '../../locales/en/activity.json';
import nlImports from '../../locales/nl/imports.json';
import enImports from '../../locales/en/imports.json';
import nlIntegrations from '../../locales/nl/integrations.json';
import enIntegrations from '../../locales/en/integrations.json';

export const LANGUAGES = ['nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const resources = {
  nl: {
    common: nlCommon,
    operator: nlOperator,
    team: nlTeam,
    suppressions: nlSuppressions,
    profileFields: nlProfileFields,
    security: nlSecurity,
    privacy: nlPrivacy,
    benchmark: nlBenchmark,
    usage: nlUsage,
    labelling: nlLabelling,
    mail: nlMail,
    send: nlSend,
    results: nlResults,
    editor: nlEditor,
    auth: nlAuth,
    surveys: nlSurveys,
    contacts: nlContacts,
    followups: nlFollowups,
    activity: nlActivity,
    imports: nlImports,
    integrations: nlIntegrations,
  },
  en: {
    common: enCommon,
    operator: enOperator,
    team: enTeam,
    suppressions: enSuppressions,
    profileFields: enProfileFields,
    security: enSecurity,
    privacy: enPrivacy,
    benchmark: enBenchmark,
    usage: enUsage,
    labelling: enLabelling,
    mail: enMail,
    send: enSend,
    results: enResults,
    editor: enEditor,
    auth: enAuth,
    surveys: enSurveys,
    contacts: enContacts,
    followups: enFollowups,
    activity: enActivity,
    imports: enImports,
    integrations: enIntegrations,
  },
} as const;

export const namespaces = Object.keys(resources.nl) as (keyof (typeof resources)['nl'])[];
