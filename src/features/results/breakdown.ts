import { sql } from 'kysely';
import { z } from 'zod';
import type { Tx } from '../../lib/db/db.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { groupsToShow } from './disclosure.js';
import { inRelease, type Release } from './release.js';
import { Permission } from '../../lib/permissions.js';
import type { TenantAuth } from '../auth/guard.js';
import { keyQuestion, type SurveyDefinition } from '../surveys/definition.js';
import { SMALL_BASE } from './stats.js';
import { readBreakdownCells, type BreakdownCell } from './rollup.js';
import {
  resolveGrouping,
  scoreBreakdown,
  storedField,
  type BreakdownBody,
  type BreakdownGroup,
  type Grouping,
} from './crosstab.js';
import { SCORE_NAMES, scoreKindOf } from './scores.js';

/** Breakdown of the key score by a profile field (OBLIGATIONS SVC-4). */
export const breakdownResult = z.object({
  field: z.string(),
  minGroupSize: z.number().nullable().describe('groups below this size are not shown'),
  groups: z.array(
    z.object({
      value: z.string().nullable(),
      responses: z.number(),
      mean: z.number().nullable(),
      nps: z.number().nullable(),
    }),
  ),
  hiddenGroups: z
    .number()
    .describe(
      'groups left out: below minGroupSize, or (confidential surveys) suppressed so that no hidden group follows from the shown ones by subtraction',
    ),
  released: z
    .number()
    .nullable()
    .optional()
    .describe(
      'confidential surveys: the number of responses the breakdown was computed over, once, when it was first asked for after closing',
    ),
});
export type BreakdownResult = z.infer<typeof breakdownResult>;

const round1 = (n: number) => Math.round(n * 10) / 10;

interface Cell {
  step: number;
  v: string | null;
  n: number;
  sum: number;
  p: number;
  d: number;
  scored: number;
}

function groupOf(cells: Cell[]) {
  const n = cells.reduce((s, c) => s + c.n, 0);
  const scored = cells.reduce((s, c) => s + c.scored, 0);
  const sum = cells.reduce((s, c) => s + c.sum, 0);
  const p = cells.reduce((s, c) => s + c.p, 0);
  const d = cells.reduce((s, c) => s + c.d, 0);
  return {
    responses: n,
    mean: scored ? round1(sum / scored) : null,
    nps: scored ? Math.round(((p - d) / scored) * 100) : null,
  };
}

/** The groups' values in Dutch alphabetical order, no value last. */
function groupValues(cells: Cell[]): Array<string | null> {
  return [...new Set(cells.map((c) => c.v))].sort((a, b) =>
    a === null ? 1 : b === null ? -1 : a.localeCompare(b, 'nl'),
  );
}

/** A rollup's cells (key score per response) as a breakdown's sums. */
function cellsFromScores(rolled: BreakdownCell[]): Cell[] {
  return rolled.map(({ v, y, n }) => ({
    step: 1,
    v,
    n,
    sum: y === null ? 0 : y * n,
    p: y !== null && y >= 9 ? n : 0,
    d: y !== null && y <= 6 ? n : 0,
    scored: y === null ? 0 : n,
  }));
}

async function cellsOf(
  tx: Tx,
  survey: { id: string; definition: SurveyDefinition },
  field: string,
  release: Release | null,
): Promise<Cell[]> {
  // Issue 17: live, from the rollup plus the answers after its cursor (the same cells as below).
  if (!release) {
    const rolled = await readBreakdownCells(tx, survey.id, survey.definition, `profile.${field}`);
    if (rolled) return cellsFromScores(rolled);
  }
  const surveyId = survey.id;
  // The step of each response: its position in arrival order against the release schedule.
  const bounds = release ? [1, ...release.steps.slice(0, -1).map((p) => p + 1)] : [1];
  const rows = await sql<Cell>`
    SELECT width_bucket(x.rn, ${bounds}::int[]) AS step, x.v, count(*)::int AS n, coalesce(sum(x.score), 0)::float8 AS sum,
           count(*) FILTER (WHERE x.score >= 9)::int AS p, count(*) FILTER (WHERE x.score <= 6)::int AS d, count(x.score)::int AS scored
      FROM (SELECT r.score, c.profile ->> ${field} AS v, row_number() OVER (ORDER BY r.submitted_at, r.id)::int AS rn
              FROM responses r
              LEFT JOIN contacts c ON c.tenant_id = r.tenant_id AND c.id = r.contact_id
             WHERE r.survey_id = ${surveyId}::uuid AND ${inRelease(release ? release.cutoff : undefined)}) x
     GROUP BY 1, 2`.execute(tx);
  return rows.rows;
}

/**
 * An identified survey, live: every group for users who may read contact details (`minGroup` null);
 * for others (a grouping field) groups of at least `minGroup`, with complementary suppression, so
 * that the total minus the shown groups never leaves a hidden group below `minGroup`.
 */
export async function identifiedBreakdown(
  tx: Tx,
  survey: { id: string; definition: SurveyDefinition },
  field: string,
  minGroup: number | null,
): Promise<BreakdownResult> {
  const cells = await cellsOf(tx, survey, field, null);
  const values = groupValues(cells);
  const groups = values.map((v) => ({ value: v, ...groupOf(cells.filter((c) => c.v === v)) }));
  if (minGroup === null) return { field, minGroupSize: null, groups, hiddenGroups: 0, released: null };
  const shown = groupsToShow([groups.map((g) => g.responses)], groups.length, minGroup, (g) => values[g] !== null);
  return {
    field,
    minGroupSize: minGroup,
    groups: groups.filter((_, g) => shown.has(g)),
    hiddenGroups: groups.length - shown.size,
    released: null,
  };
}

/**
 * A shielded survey (OBLIGATIONS SVC-4; confidential, or anonymous with an answer grouping): only
 * once it is closed, over its release, with complementary suppression over release steps × groups
 * (disclosure.ts), computed once and stored (released_breakdowns): every later request gets the same
 * table, whatever happened to the contacts or the survey since. One grouping per survey, a contact or
 * profile field or the answer to a question alike: two breakdowns of the same answers could be
 * subtracted from each other. Groups that overlap (multiple choice) are refused: the step × group
 * argument of disclosure.ts needs every respondent in one group.
 */
export async function shieldedBreakdown(
  tx: Tx,
  tenantId: string,
  survey: { id: string; status: string; min_group_size: number; definition: SurveyDefinition },
  g: Grouping,
  release: Release,
  pointer = '/query/breakdown',
): Promise<{ legacy: BreakdownResult; body: BreakdownBody }> {
  const field = storedField(g);
  const stored = await tx
    .selectFrom('released_breakdowns')
    .select(['field', 'result'])
    .where('survey_id', '=', survey.id)
    .executeTakeFirst();
  if (stored) {
    if (stored.field !== field) {
      throw new AppError(
        ErrorCode.CONFLICT,
        { key: 'problems:results.secondGrouping', params: { field: stored.field } },
        { errors: [{ pointer, reason: `only "${stored.field}"` }] },
      );
    }
    return fromStored(survey, g, stored.result as StoredBreakdown);
  }
  if (survey.status !== 'closed') {
    throw new AppError(
      ErrorCode.CONFLICT,
      { key: 'problems:results.notClosed' },
      { errors: [{ pointer, reason: 'survey not closed' }] },
    );
  }
  if (release.settled < release.total) {
    throw new AppError(
      ErrorCode.CONFLICT,
      { key: 'problems:results.settling' },
      { errors: [{ pointer, reason: 'answers settling' }] },
    );
  }
  if (g.kind === 'answer' && g.overlapping) {
    throw new AppError(
      ErrorCode.CONFLICT,
      { key: 'problems:results.overlappingGroups' },
      { errors: [{ pointer, reason: 'overlapping groups' }] },
    );
  }
  const body = await scoreBreakdown(tx, survey, g, survey.min_group_size, release);
  const legacy: BreakdownResult = {
    field: g.kind === 'profile' ? g.key : field,
    minGroupSize: survey.min_group_size,
    groups: body.groups.map(legacyGroup),
    hiddenGroups: body.hiddenGroups,
    released: release.released,
  };
  const result: StoredBreakdown = { ...legacy, body };
  await tx
    .insertInto('released_breakdowns')
    .values({
      tenant_id: tenantId,
      survey_id: survey.id,
      field,
      released: release.released,
      result: JSON.stringify(result),
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  // A concurrent first request may have stored its table a moment earlier: that one holds.
  const row = await tx
    .selectFrom('released_breakdowns')
    .select(['field', 'result'])
    .where('survey_id', '=', survey.id)
    .executeTakeFirstOrThrow();
  if (row.field !== field) return shieldedBreakdown(tx, tenantId, survey, g, release, pointer);
  return fromStored(survey, g, row.result as StoredBreakdown);
}

/** What released_breakdowns.result holds: the table of ?breakdown=, and (since issue 12) the full one. */
type StoredBreakdown = BreakdownResult & { body?: BreakdownBody };

const legacyGroup = (b: BreakdownGroup) => ({ value: b.value, responses: b.n, mean: b.mean, nps: b.nps ?? null });

function fromStored(
  survey: { id: string; definition: SurveyDefinition },
  g: Grouping,
  s: StoredBreakdown,
): { legacy: BreakdownResult; body: BreakdownBody } {
  const legacy: BreakdownResult = {
    field: s.field,
    minGroupSize: s.minGroupSize,
    groups: s.groups,
    hiddenGroups: s.hiddenGroups,
    released: s.released ?? null,
  };
  if (s.body) return { legacy, body: s.body };
  // Stored before issue 12: the same groups, without margins (the table is never recomputed).
  const key = keyQuestion(survey.definition);
  const kind = key ? scoreKindOf(key) : null;
  return {
    legacy,
    body: {
      surveyId: survey.id,
      grouping: { id: g.id, kind: g.kind, label: g.label, overlapping: false },
      score: kind ? { kind, name: SCORE_NAMES[kind] } : null,
      minGroupSize: s.minGroupSize,
      groups: s.groups.map((x) => ({
        value: x.value,
        label: { nl: x.value ?? '', en: x.value ?? '' },
        n: x.responses,
        answered: x.responses,
        mean: x.mean,
        meanInterval: null,
        nps: x.nps,
        npsMargin: null,
        shares: [],
        smallBase: x.responses < SMALL_BASE,
      })),
      hiddenGroups: s.hiddenGroups,
      released: s.released ?? null,
    },
  };
}

/** The breakdown of a confidential survey by a profile field, as `?breakdown=` shows it. */
export async function confidentialBreakdown(
  tx: Tx,
  tenantId: string,
  survey: { id: string; status: string; min_group_size: number; definition: SurveyDefinition },
  field: string,
  release: Release,
): Promise<BreakdownResult> {
  const g = await resolveGrouping(tx, survey.definition, `profile.${field}`);
  return (await shieldedBreakdown(tx, tenantId, survey, g, release)).legacy;
}

/**
 * OBLIGATIONS ACC-2, SVC-4: a breakdown by a contact field reads contacts' personal data. Users who
 * may read contact details may use any field; others only fields the customer marked as grouping
 * fields, and then never groups below the survey's minimum group size.
 */
export async function readBreakdown(
  tx: Tx,
  auth: TenantAuth,
  survey: { id: string; status: string; anonymity: string; min_group_size: number; definition: SurveyDefinition },
  field: string,
  release: Release | null,
): Promise<BreakdownResult> {
  const def = await tx
    .selectFrom('profile_fields')
    .select(['key', 'grouping'])
    .where('key', '=', field)
    .executeTakeFirst();
  if (!def)
    throw new AppError(
      ErrorCode.VALIDATION,
      { key: 'problems:results.noProfileField', params: { field } },
      {
        errors: [{ pointer: '/query/breakdown', reason: 'unknown profile field' }],
      },
    );
  const mayReadContacts = auth.permissions.has(Permission.CONTACTS_READ);
  if (!mayReadContacts && !def.grouping) {
    throw new AppError(
      ErrorCode.FORBIDDEN,
      { key: 'problems:results.roleGroupingOnly', params: { role: auth.role, field } },
      { errors: [{ pointer: '/query/breakdown', reason: 'not a grouping field' }] },
    );
  }
  if (release) return confidentialBreakdown(tx, auth.tenantId, survey, field, release);
  return identifiedBreakdown(tx, survey, field, mayReadContacts ? null : survey.min_group_size);
}
