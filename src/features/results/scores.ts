import type { Question } from '../surveys/definition.js';

/**
 * What a key score means, in one place (OBLIGATIONS SVC-4): each scale question is reported as
 * itself. NPS and eNPS: 0–10, promoters 9–10, passives 7–8, detractors 0–6, score −100..100.
 * CSAT: 1–5, satisfied 4–5, neutral 3, dissatisfied 1–2 (headline: % satisfied, and the mean).
 * CES as Peil asks it ("how much effort did it take", 1 = very little, 7 = a lot): easy 1–3,
 * neutral 4, difficult 5–7 (headline: the mean, lower is better, and % easy).
 * Rating scales have no groups: mean and distribution.
 */
export type ScoreKind = 'nps' | 'enps' | 'csat' | 'ces' | 'rating';
export type ScoreCategory = 'promoter' | 'passive' | 'detractor' | 'satisfied' | 'neutral' | 'dissatisfied' | 'easy' | 'difficult';
export interface Localized { nl: string; en: string }

export const SCORE_NAMES: Record<ScoreKind, Localized> = {
  nps: { nl: 'Net Promoter Score (NPS)', en: 'Net Promoter Score (NPS)' },
  enps: { nl: 'Employee Net Promoter Score (eNPS)', en: 'Employee Net Promoter Score (eNPS)' },
  csat: { nl: 'Klanttevredenheid (CSAT)', en: 'Customer satisfaction (CSAT)' },
  ces: { nl: 'Klantinspanning (CES)', en: 'Customer effort (CES)' },
  rating: { nl: 'Beoordeling', en: 'Rating' },
};

export const CATEGORY_NAMES: Record<ScoreCategory, Localized> = {
  promoter: { nl: 'Promotor', en: 'Promoter' },
  passive: { nl: 'Passief', en: 'Passive' },
  detractor: { nl: 'Criticus', en: 'Detractor' },
  satisfied: { nl: 'Tevreden', en: 'Satisfied' },
  neutral: { nl: 'Neutraal', en: 'Neutral' },
  dissatisfied: { nl: 'Ontevreden', en: 'Dissatisfied' },
  easy: { nl: 'Makkelijk', en: 'Easy' },
  difficult: { nl: 'Moeilijk', en: 'Difficult' },
};

/** The groups of a kind, best first, with the scale values each holds. Rating: none. */
export const GROUPS: Record<ScoreKind, Array<{ category: ScoreCategory; min: number; max: number }>> = {
  nps: [{ category: 'promoter', min: 9, max: 10 }, { category: 'passive', min: 7, max: 8 }, { category: 'detractor', min: 0, max: 6 }],
  enps: [{ category: 'promoter', min: 9, max: 10 }, { category: 'passive', min: 7, max: 8 }, { category: 'detractor', min: 0, max: 6 }],
  csat: [{ category: 'satisfied', min: 4, max: 5 }, { category: 'neutral', min: 3, max: 3 }, { category: 'dissatisfied', min: 1, max: 2 }],
  ces: [{ category: 'easy', min: 1, max: 3 }, { category: 'neutral', min: 4, max: 4 }, { category: 'difficult', min: 5, max: 7 }],
  rating: [],
};

/** The kind of a scale question, or null for other questions. */
export function scoreKindOf(q: Pick<Question, 'type'>): ScoreKind | null {
  return q.type === 'nps' || q.type === 'enps' || q.type === 'csat' || q.type === 'ces' || q.type === 'rating' ? q.type : null;
}

/** The group a value falls in (null for rating scales or a value outside the scale). */
export function categoryOf(kind: ScoreKind, value: number): ScoreCategory | null {
  return GROUPS[kind].find((g) => value >= g.min && value <= g.max)?.category ?? null;
}

/**
 * The closed-loop trigger (a detractor, a dissatisfied or a difficult answer): the worst group of
 * the kind. Rating scales have none.
 */
export function isUnhappy(kind: ScoreKind, value: number): boolean {
  const worst = GROUPS[kind].at(-1);
  return worst !== undefined && value >= worst.min && value <= worst.max;
}
