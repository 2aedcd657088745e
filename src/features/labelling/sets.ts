// A label set per survey (issue 12, OBLIGATIONS AI-2): customer experience, employee experience or the
// customer's own labels. A survey without a choice takes the default of its kind (eNPS: employee,
// every other kind: customer). Every open question of a survey is labelled with the survey's set.

import { z } from 'zod';
import type { Tx } from '../../lib/db/db.js';
import type { LabelSetName, SurveysTable } from '../../lib/db/schema.js';
import { sealedText, type SurveyDefinition } from '../surveys/definition.js';
import { seedStandardLabels } from './labels.js';

export const LABEL_SETS = ['customer', 'employee', 'own'] as const satisfies readonly LabelSetName[];
export const labelSetName = z
  .enum(LABEL_SETS)
  .describe('customer: customer experience; employee: employee experience; own: the customer’s own labels');

export function defaultSetOf(kind: SurveysTable['kind']): LabelSetName {
  return kind === 'enps' ? 'employee' : 'customer';
}

export interface SurveySet {
  set: LabelSetName;
  /** Whether a user chose it (false: the default of the kind). */
  chosen: boolean;
  default: LabelSetName;
}

export function setOfSurvey(s: { kind: SurveysTable['kind']; label_set: LabelSetName | null }): SurveySet {
  const def = defaultSetOf(s.kind);
  return { set: s.label_set ?? def, chosen: s.label_set !== null, default: def };
}

/** The ids of the survey's open (text) questions, in order; the first is the one labelled before issue 12. */
export function openQuestionIds(def: unknown): string[] {
  const qs = (def as Partial<SurveyDefinition> | null)?.questions ?? [];
  return qs.filter((q) => q.type === 'text').map((q) => q.id);
}

/** What an open answer says, trimmed; null when it says nothing. */
export function openAnswer(
  sealed: { why?: string | null; answers?: Record<string, unknown> },
  questionId: string,
  first: boolean,
): string | null {
  const t = sealedText(sealed, questionId, first)?.trim();
  return t ? t : null;
}

/** Both standard sets are the customer's, with stable ids (copied once; renamed or retired rows are kept). */
export async function ensureStandardSets(tx: Tx, tenantId: string): Promise<void> {
  await seedStandardLabels(tx, tenantId, 'customer');
  await seedStandardLabels(tx, tenantId, 'employee');
}
