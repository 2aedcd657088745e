import { z } from 'zod';

/**
 * OBLIGATIONS AGR-2: the terms the seeds leave to the parties, each a typed field with its default
 * and bounds. The same bounds are CHECKs in migrations/0013_agreement.sql.
 */
export const TERMS = {
  breachNoticeHours: { column: 'breach_notice_hours', min: 1, max: 72, default: 24 },
  subprocessorObjectionDays: { column: 'subprocessor_objection_days', min: 1, max: 90, default: 30 },
  dpaChangeObjectionWorkingDays: { column: 'dpa_change_objection_working_days', min: 1, max: 30, default: 5 },
  auditsPerYear: { column: 'audits_per_year', min: 0, max: 12, default: 1 },
  auditNoticeDays: { column: 'audit_notice_days', min: 0, max: 90, default: 14 },
  returnWindowDays: { column: 'return_window_days', min: 0, max: 365, default: 30 },
  choiceDeadlineDays: { column: 'choice_deadline_days', min: 0, max: 365, default: 14 },
  /** LOG-4 reads it from here (features/audit/retention.ts); at least 2 months (L 12.8). */
  logRetentionMonths: { column: 'log_retention_months', min: 2, max: 120, default: 6 },
} as const;
export type NumericTerm = keyof typeof TERMS;
export const NUMERIC_TERMS = Object.keys(TERMS) as NumericTerm[];

export const PROCESSING_LOCATIONS = ['EU', 'NL'] as const;
export type ProcessingLocation = (typeof PROCESSING_LOCATIONS)[number];

export interface Terms extends Record<NumericTerm, number> {
  processingLocation: ProcessingLocation;
  specialCategoriesAllowed: boolean;
}

export const DEFAULT_TERMS: Terms = {
  ...(Object.fromEntries(NUMERIC_TERMS.map((k) => [k, TERMS[k].default])) as Record<NumericTerm, number>),
  processingLocation: 'EU',
  specialCategoriesAllowed: false,
};

export const termsSchema = z.object({
  ...(Object.fromEntries(NUMERIC_TERMS.map((k) => [k, z.number().int().min(TERMS[k].min).max(TERMS[k].max)])) as Record<
    NumericTerm,
    z.ZodNumber
  >),
  processingLocation: z.enum(PROCESSING_LOCATIONS),
  specialCategoriesAllowed: z.boolean(),
});

/**
 * Presets for the seeds' variants (../shared/seeds/README.md): the defaults with what that seed
 * agreement says. Applying one sets every term (the ones it does not name to the default); fields in
 * the same request override it.
 */
export const PRESETS = {
  /** 000 Focus Feedback: breach notice within 36 h, DPA changes accepted unless objected to within 5 working days; 1 year, 2 months notice. */
  'focus-feedback': { breachNoticeHours: 36, dpaChangeObjectionWorkingDays: 5 },
  /** 001 KMO Solutions: sub-processor objection within 30 days; deleted 2 weeks after the end without a choice. */
  'kmo-solutions': { subprocessorObjectionDays: 30, choiceDeadlineDays: 14 },
  /** 002 generic (Wbp era) hosting agreement: processing only inside the EU. */
  'generic-eu': { processingLocation: 'EU' },
  /** 003 MAAT-IT: sub-processor objection within 8 days, return within 30 days. */
  'maat-it': { subprocessorObjectionDays: 8, returnWindowDays: 30 },
  /** 004 Let's Develop: breach notice within 24 h, 1 audit a calendar year with 2 weeks notice, no special categories, logs 6 months, data handed over within 3 months. */
  'lets-develop': {
    breachNoticeHours: 24,
    auditsPerYear: 1,
    auditNoticeDays: 14,
    specialCategoriesAllowed: false,
    logRetentionMonths: 6,
    returnWindowDays: 90,
  },
} as const satisfies Record<string, Partial<Terms>>;
export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as [PresetName, ...PresetName[]];

export function presetTerms(name: PresetName): Terms {
  return { ...DEFAULT_TERMS, ...PRESETS[name] };
}
