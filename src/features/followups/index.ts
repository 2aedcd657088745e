// Public surface of the follow-ups feature (issue 12, OBLIGATIONS SVC-4: the closed loop).
// The results page reads followUpSummary; the sweep and the routes stay inside the feature.
export { followUpSummary, followUpSweep } from './service.js';

import type { Tx } from '../../lib/db/db.js';
import type { TenantKeys } from '../../lib/crypto/keyring.js';
import { readNotes } from './service.js';

/**
 * The follow-ups of some responses (OBLIGATIONS DSR-2): their ids are the event ids of their
 * `followup.created` webhook deliveries, which the erasure of a person removes with the responses.
 */
export async function followUpIdsOf(tx: Tx, tenantId: string, responseIds: string[]): Promise<string[]> {
  if (responseIds.length === 0) return [];
  const rows = await tx
    .selectFrom('follow_ups')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('response_id', 'in', responseIds)
    .execute();
  return rows.map((r) => r.id);
}

/** A person's follow-ups with their notes, for the export of that person's data (OBLIGATIONS DSR-1). */
export async function followUpsOfPerson(
  tx: Tx,
  tenantId: string,
  keys: TenantKeys,
  responseIds: string[],
): Promise<Array<Record<string, unknown>>> {
  if (responseIds.length === 0) return [];
  const rows = await tx
    .selectFrom('follow_ups')
    .select(['id', 'survey_id', 'response_id', 'status', 'notes_enc', 'answered_at', 'due_at', 'created_at', 'done_at'])
    .where('tenant_id', '=', tenantId)
    .where('response_id', 'in', responseIds)
    .orderBy('created_at')
    .execute();
  const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
  return rows.map((r) => ({
    id: r.id,
    surveyId: r.survey_id,
    responseId: r.response_id,
    status: r.status,
    createdAt: iso(r.created_at),
    dueAt: iso(r.due_at),
    doneAt: iso(r.done_at),
    notes: readNotes(keys, r.notes_enc).map((n) => ({ at: n.at, text: n.text })),
  }));
}
