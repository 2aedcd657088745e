import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context.js';
import type { TenantKeys } from '../../lib/crypto/keyring.js';
import { isUuid } from '../../lib/db/db.js';
import type { FormValues } from './pages.js';

/**
 * Issue 14: the answers of a multi-page survey between its steps (migration 0033). Each step is a POST
 * answered by 303 to a GET page that names the draft (`?d=`), so Back and Reload never resubmit a form.
 * A draft is sealed with the customer's key and names its survey, not the invitation or the contact:
 * only the respondent's own link (in the browser) ties the two (SVC-4). It expires after
 * RESPONSE_DRAFT_HOURS; the final submit deletes it.
 */
export interface Draft {
  id: string;
  values: FormValues;
}

export async function loadDraft(
  ctx: AppContext,
  tenantId: string,
  keys: TenantKeys,
  surveyId: string,
  id: unknown,
): Promise<Draft | null> {
  if (typeof id !== 'string' || !isUuid(id)) return null;
  const row = await ctx.db.tenant(tenantId, (tx) =>
    tx
      .selectFrom('response_drafts')
      .select(['values_enc'])
      .where('id', '=', id)
      .where('survey_id', '=', surveyId)
      .where('expires_at', '>', new Date())
      .executeTakeFirst(),
  );
  return row ? { id, values: keys.openJson<FormValues>(row.values_enc) } : null;
}

/** Stores the answers so far under `id` (a new draft when null); returns the draft's id. */
export async function saveDraft(
  ctx: AppContext,
  tenantId: string,
  keys: TenantKeys,
  surveyId: string,
  id: string | null,
  values: FormValues,
): Promise<string> {
  const draftId = id ?? randomUUID();
  const expires = new Date(Date.now() + ctx.env.RESPONSE_DRAFT_HOURS * 3600_000);
  await ctx.db.tenant(tenantId, async (tx) => {
    // Unfinished drafts of this customer that expired go first: no sweep needed to keep the table small.
    await tx.deleteFrom('response_drafts').where('expires_at', '<=', new Date()).execute();
    await tx
      .insertInto('response_drafts')
      .values({
        tenant_id: tenantId,
        id: draftId,
        survey_id: surveyId,
        values_enc: keys.sealJson(values),
        expires_at: expires,
      })
      .onConflict((oc) =>
        oc
          .columns(['tenant_id', 'id'])
          .doUpdateSet({ values_enc: keys.sealJson(values), expires_at: expires, updated_at: new Date() })
          .where('response_drafts.survey_id', '=', surveyId),
      )
      .execute();
  });
  return draftId;
}

export async function deleteDraft(ctx: AppContext, tenantId: string, id: string | null): Promise<void> {
  if (!id) return;
  await ctx.db.tenant(tenantId, (tx) => tx.deleteFrom('response_drafts').where('id', '=', id).execute());
}
