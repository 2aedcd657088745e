import { z } from 'zod';
import type { Lang } from '../../lib/db/schema.js';

/** Text in each language the survey offers. */
export const localized = z.object({ nl: z.string().trim().min(1).max(2000), en: z.string().trim().min(1).max(2000) });
export type Localized = z.infer<typeof localized>;

export const question = z.discriminatedUnion('type', [
  z.object({ id: z.literal('score'), type: z.literal('nps'), required: z.boolean(), text: localized }),
  z.object({ id: z.literal('why'), type: z.literal('text'), required: z.boolean(), text: localized, maxLength: z.number().int().min(1).max(5000) }),
]);

export const definition = z.object({
  questions: z.array(question).min(1),
  invitation: z.object({ subject: localized, body: localized }),
  thanks: localized,
});
export type SurveyDefinition = z.infer<typeof definition>;

export const COMMENT_MAX = 5000;

/** The NPS survey of the walking skeleton: the 0–10 question and an open "why?", in Dutch and English. */
export function npsDefinition(orgName: string, overrides: Partial<{ score: Localized; why: Localized; subject: Localized; body: Localized }> = {}): SurveyDefinition {
  return {
    questions: [
      {
        id: 'score',
        type: 'nps',
        required: true,
        text: overrides.score ?? {
          nl: `Hoe waarschijnlijk is het dat je ${orgName} aanbeveelt aan vrienden of collega's?`,
          en: `How likely are you to recommend ${orgName} to a friend or colleague?`,
        },
      },
      {
        id: 'why',
        type: 'text',
        required: false,
        maxLength: COMMENT_MAX,
        text: overrides.why ?? { nl: 'Wat is de belangrijkste reden voor je score?', en: 'What is the most important reason for your score?' },
      },
    ],
    invitation: {
      subject: overrides.subject ?? { nl: `${orgName} hoort graag je mening`, en: `${orgName} would like to hear from you` },
      body: overrides.body ?? {
        nl: `Beste {naam},\n\nWil je ons helpen met één korte vraag? Het kost je minder dan een minuut.`,
        en: `Dear {name},\n\nWould you help us with one short question? It takes less than a minute.`,
      },
    },
    thanks: { nl: 'Bedankt voor je antwoord!', en: 'Thank you for your answer!' },
  };
}

export function textIn(text: Localized, lang: Lang): string {
  return text[lang];
}
