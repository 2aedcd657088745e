// OBLIGATIONS AI-2: a user corrects the labels and sentiment of an answer. Human labels always win:
// they replace whatever the model gave, and the background run never overwrites them. The
// correction is kept as a training example of this customer's model (text encrypted with the
// customer's key), and the model is retrained in the background job.

import { z } from 'zod';
import type { Actor } from '../../lib/audit.js';
import { audit, AuditAction } from '../../lib/audit.js';
import { isUuid, type Tx } from '../../lib/db/db.js';
import type { TenantKeys } from '../../lib/crypto/keyring.js';
import { AppError, ErrorCode, type ProblemItem } from '../../lib/errors.js';
import { ensureStandardSets, openAnswer, openQuestionIds, setOfSurvey } from './sets.js';
import { bumpModelVersion } from './settings.js';
import { SENTIMENTS } from './taxonomies.js';
import { detectLanguage } from './text.js';

export const correctionInput = z.object({
  questionId: z
    .string()
    .max(40)
    .optional()
    .describe('the open question whose answer is corrected; default: the first open question of the survey'),
  labels: z
    .array(z.string().min(1).max(63))
    .max(20)
    .describe('label ids (active labels of the customer); [] when no label applies'),
  sentiment: z.enum(SENTIMENTS),
});
export type CorrectionInput = z.infer<typeof correctionInput>;

export const correctionResult = z.object({
  responseId: z.string(),
  questionId: z.string(),
  labelSet: z.enum(['customer', 'employee', 'own']).describe("the survey's label set the labels are of"),
  labels: z.array(z.string()),
  sentiment: z.enum(SENTIMENTS),
  labelSource: z.literal('human'),
});

export async function correctLabels(
  tx: Tx,
  keys: TenantKeys,
  tenantId: string,
  responseId: string,
  input: CorrectionInput,
  actor: Actor & { id: string },
): Promise<z.infer<typeof correctionResult>> {
  // Another customer's response is invisible here (row-level security): the same 404 as a wrong id.
  if (!isUuid(responseId)) throw AppError.notFound('response');
  const response = await tx
    .selectFrom('responses')
    .select(['id', 'survey_id', 'submitted_at', 'answers_enc'])
    .where('id', '=', responseId)
    .executeTakeFirst();
  if (!response) throw AppError.notFound('response');
  const survey = await tx
    .selectFrom('surveys')
    .select(['kind', 'label_set', 'definition'])
    .where('id', '=', response.survey_id)
    .executeTakeFirstOrThrow();
  const open = openQuestionIds(survey.definition);
  const questionId = input.questionId ?? open[0];
  if (questionId === undefined || !open.includes(questionId)) {
    throw new AppError(
      ErrorCode.VALIDATION,
      { key: 'problems:labelling.notOpenQuestion' },
      {
        errors: [
          { pointer: '/questionId', reason: 'not an open (text) question of the survey', value: input.questionId },
        ],
      },
    );
  }
  const set = setOfSurvey(survey).set;
  const text = openAnswer(
    keys.openJson<{ why?: string | null; answers?: Record<string, unknown> }>(response.answers_enc),
    questionId,
    questionId === open[0],
  );
  if (!text) throw new AppError(ErrorCode.VALIDATION, { key: 'problems:labelling.noText' });

  const labels = [...new Set(input.labels)];
  const any = await tx.selectFrom('labels').select('id').limit(1).executeTakeFirst();
  if (!any) throw new AppError(ErrorCode.CONFLICT, { key: 'problems:labelling.noLabelsYet' });
  await ensureStandardSets(tx, tenantId);
  const known = await tx.selectFrom('labels').select(['id', 'status']).where('taxonomy', '=', set).execute();
  const status = new Map(known.map((l) => [l.id, l.status]));
  const errors: ProblemItem[] = [];
  labels.forEach((l) => {
    const i = input.labels.indexOf(l);
    if (!status.has(l))
      errors.push({ pointer: `/labels/${i}`, reason: `not a label of this survey's set (${set})`, value: l });
    else if (status.get(l) === 'retired')
      errors.push({ pointer: `/labels/${i}`, reason: 'this label is retired', value: l });
  });
  if (errors.length) throw new AppError(ErrorCode.VALIDATION, { key: 'problems:labelling.labelsRefused' }, { errors });

  const before = await tx
    .selectFrom('response_labelling')
    .select(['sentiment', 'source', 'label_set'])
    .where('response_id', '=', responseId)
    .where('question_id', '=', questionId)
    .executeTakeFirst();
  const beforeLabels = await tx
    .selectFrom('response_labels')
    .select('label_id')
    .where('response_id', '=', responseId)
    .where('question_id', '=', questionId)
    .execute();
  const now = new Date();
  await tx
    .insertInto('response_labelling')
    .values({
      tenant_id: tenantId,
      response_id: responseId,
      question_id: questionId,
      survey_id: response.survey_id,
      submitted_at: response.submitted_at,
      has_text: true,
      sentiment: input.sentiment,
      source: 'human',
      model_version: null,
      label_set: set,
      corrected_by: actor.id,
      corrected_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'response_id', 'question_id']).doUpdateSet({
        has_text: true,
        sentiment: input.sentiment,
        source: 'human',
        label_set: set,
        corrected_by: actor.id,
        corrected_at: now,
      }),
    )
    .execute();
  await tx
    .deleteFrom('response_labels')
    .where('response_id', '=', responseId)
    .where('question_id', '=', questionId)
    .execute();
  if (labels.length) {
    await tx
      .insertInto('response_labels')
      .values(
        labels.map((l) => ({
          tenant_id: tenantId,
          response_id: responseId,
          question_id: questionId,
          label_set: set,
          label_id: l,
          survey_id: response.survey_id,
          source: 'human' as const,
        })),
      )
      .execute();
  }
  // The training example of the set's model: the respondent's words, so encrypted with the customer's key (SEC-1).
  await tx
    .insertInto('label_corrections')
    .values({
      tenant_id: tenantId,
      response_id: responseId,
      question_id: questionId,
      label_set: set,
      text_enc: keys.seal(text),
      lang: detectLanguage(text),
      labels,
      sentiment: input.sentiment,
      corrected_by: actor.id,
      corrected_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'response_id', 'question_id']).doUpdateSet({
        label_set: set,
        text_enc: keys.seal(text),
        labels,
        sentiment: input.sentiment,
        corrected_by: actor.id,
        corrected_at: now,
      }),
    )
    .execute();
  await bumpModelVersion(tx, tenantId);
  // OBLIGATIONS LOG-2: what it was before, so the change can be traced and undone.
  await audit(tx, tenantId, actor, {
    action: AuditAction.LABELS_CORRECTED,
    subject: { kind: 'response', id: responseId },
    details: {
      questionId,
      labelSet: set,
      labels,
      sentiment: input.sentiment,
      before: before
        ? {
            labels: beforeLabels.map((l) => l.label_id),
            sentiment: before.sentiment,
            source: before.source,
            labelSet: before.label_set,
          }
        : null,
    },
  });
  return { responseId, questionId, labelSet: set, labels, sentiment: input.sentiment, labelSource: 'human' };
}
