import { sql } from 'kysely';
import { isUuid, type Tx } from '../../lib/db/db.js';
import { AppError } from '../../lib/errors.js';
import type { SurveyDefinition, SurveyKind } from './definition.js';

/** The surveys feature's door for reading a survey: other features load a survey only through here. */

export interface SurveyRow {
  id: string;
  name: string;
  kind: SurveyKind;
  status: 'draft' | 'open' | 'closed';
  default_language: 'nl' | 'en';
  definition: SurveyDefinition;
  created_at: Date;
  anonymity: 'identified' | 'confidential' | 'anonymous';
  min_group_size: number;
  /** the minimum group size whose release schedule the survey keeps (null: min_group_size) */
  release_base: number | null;
  open_link_enabled: boolean;
  open_link_once_per_browser: boolean;
  archived_at: Date | null;
}

const COLUMNS = [
  'id',
  'name',
  'kind',
  'status',
  'default_language',
  'definition',
  'created_at',
  'anonymity',
  'min_group_size',
  'release_base',
  'open_link_enabled',
  'open_link_once_per_browser',
  'archived_at',
] as const;

export async function loadSurvey(tx: Tx, id: string): Promise<SurveyRow> {
  if (!isUuid(id)) throw AppError.notFound('survey');
  const row = await tx.selectFrom('surveys').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  if (!row) throw AppError.notFound('survey');
  return row as SurveyRow;
}

/** The tenant's surveys, newest first: those not archived (the default), only archived ones, or all. */
export async function listSurveys(tx: Tx, archived: 'false' | 'true' | 'all' = 'false'): Promise<SurveyRow[]> {
  let q = tx.selectFrom('surveys').select(COLUMNS);
  if (archived === 'false') q = q.where('archived_at', 'is', null);
  if (archived === 'true') q = q.where('archived_at', 'is not', null);
  return (await q.orderBy('created_at', 'desc').execute()) as SurveyRow[];
}

/**
 * The advisory lock class of "a survey's anonymity and minimum group size". The response writer (respond/writer.ts) holds it shared
 * for every survey of its batch; an edit of those settings takes it exclusively (surveys/routes.ts),
 * so it waits for answers being written and then counts them, and answers wait for the edit.
 */
export const SURVEY_SETTINGS_LOCK = 727_301;

/** The statement that takes the survey settings lock (shared or exclusive) for tenant/survey keys. */
export const surveySettingsLock = (keys: string[], mode: 'shared' | 'exclusive') =>
  mode === 'shared'
    ? sql`SELECT pg_advisory_xact_lock_shared(${SURVEY_SETTINGS_LOCK}, hashtext(k)) FROM (SELECT DISTINCT k FROM unnest(${keys}::text[]) AS k ORDER BY k) AS x`
    : sql`SELECT pg_advisory_xact_lock(${SURVEY_SETTINGS_LOCK}, hashtext(k)) FROM (SELECT DISTINCT k FROM unnest(${keys}::text[]) AS k ORDER BY k) AS x`;

export const surveySettingsKey = (tenantId: string, surveyId: string) => `${tenantId}/${surveyId}`;
