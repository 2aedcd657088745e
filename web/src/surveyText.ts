import type { Lang, Localized } from './types';
import { currentLanguage } from './i18n';

/**
 * Issue 14: a survey's text as the admin pages show it: in the survey's default language (the
 * language most of its respondents get), the other language only when that one is empty. The same
 * rule as the server's textIn (src/features/surveys/definition.ts), with the fallback an editor
 * needs while a text is half filled in.
 */
export function surveyText(text: Localized | null | undefined, lang: Lang): string {
  if (!text) return '';
  return text[lang] || text[lang === 'nl' ? 'en' : 'nl'] || '';
}

/** A `{nl, en}` text that belongs to the app rather than to a survey (a score's or a label's name): in the user's language. */
export function uiText(text: Localized | null | undefined): string {
  return surveyText(text, currentLanguage());
}
