/**
 * The admin app's language (issue 14). i18next with ICU messages (i18next-icu: plurals, numbers and
 * dates the way Intl formats them) and the catalogues in /locales/<language>/<namespace>.json, which the
 * server's respondent pages and mails read too. Dutch is the default; a user's own choice wins.
 *
 * Each area of the app has its own namespace (one JSON file per language), so a page loads
 * `useTranslation('surveys')` and its keys are checked by TypeScript (see i18next.d.ts): a key missing
 * from the Dutch catalogue does not compile, and test/i18n-catalogues.test.ts fails when the English
 * one lacks a key the Dutch one has (or the other way round) or a message is not valid ICU.
 */
import i18n from 'i18next';
import ICU from 'i18next-icu';
import { initReactI18next } from 'react-i18next';
import { resources, namespaces, type Language, LANGUAGES } from './locales';

const STORAGE_KEY = 'peil.language';

function initialLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored && (LANGUAGES as readonly string[]).includes(stored)) return stored as Language;
  } catch {
    // storage blocked: Dutch
  }
  return 'nl';
}

void i18n
  .use(ICU)
  .use(initReactI18next)
  .init({
    resources,
    lng: initialLanguage(),
    fallbackLng: 'nl',
    supportedLngs: [...LANGUAGES],
    ns: [...namespaces],
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
    // A key the catalogue lacks shows up in the browser console (the browser tests fail on it).
    saveMissing: true,
    missingKeyHandler: (_lngs, ns, key) => console.error(`i18n: missing key ${ns}:${key}`),
    react: { useSuspense: false },
  });

function applyToDocument(lng: string): void {
  document.documentElement.lang = lng;
}
applyToDocument(i18n.language);
i18n.on('languageChanged', applyToDocument);

/** Switches the app's language and remembers it in this browser (the account page also stores it for the user). */
export async function setLanguage(lng: Language): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // storage blocked: only this page
  }
  await i18n.changeLanguage(lng);
}

export function currentLanguage(): Language {
  return (LANGUAGES as readonly string[]).includes(i18n.language) ? (i18n.language as Language) : 'nl';
}

/** The Intl locale for the current language: nl-NL or en-GB (day-month order, 24-hour clock). */
export function intlLocale(): string {
  return currentLanguage() === 'en' ? 'en-GB' : 'nl-NL';
}

export { i18n };
