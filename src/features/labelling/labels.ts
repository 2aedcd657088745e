// A customer's labels: the standard taxonomy, copied with its stable ids when the module is first
// switched on, plus the customer's own. Renaming changes names only; retiring keeps the history.

import { z } from 'zod';
import type { Tx } from '../../lib/db/db.js';
import type { LabelSetName, LabelsTable, TaxonomyName } from '../../lib/db/schema.js';
import type { Selectable } from 'kysely';
import { getTaxonomy } from './taxonomies.js';

const localized = z.object({ nl: z.string(), en: z.string() });

export const labelDto = z.object({
  id: z.string().describe('stable id, stored with every labelled answer'),
  standard: z.boolean(),
  name: localized,
  definition: localized,
  status: z.enum(['active', 'retired']),
  retiredAt: z.string().nullable(),
});
export type LabelDto = z.infer<typeof labelDto>;

type LabelRow = Selectable<LabelsTable>;

/** Names and definitions: the customer's own text, else the built-in text of the standard label. */
export function toLabelDto(r: LabelRow): LabelDto {
  const builtIn =
    r.standard && r.taxonomy !== 'own' ? getTaxonomy(r.taxonomy).labels.find((l) => l.id === r.id) : undefined;
  return {
    id: r.id,
    standard: r.standard,
    name: { nl: r.name_nl ?? builtIn?.name.nl ?? r.id, en: r.name_en ?? builtIn?.name.en ?? r.id },
    definition: {
      nl: r.definition_nl ?? builtIn?.definition.nl ?? '',
      en: r.definition_en ?? builtIn?.definition.en ?? '',
    },
    status: r.status,
    retiredAt: r.retired_at ? new Date(r.retired_at).toISOString() : null,
  };
}

/** Before the module was ever switched on: the standard labels, not stored yet. */
export function standardLabelDtos(taxonomy: TaxonomyName): LabelDto[] {
  return getTaxonomy(taxonomy).labels.map((l) => ({
    id: l.id,
    standard: true,
    name: { ...l.name },
    definition: { ...l.definition },
    status: 'active',
    retiredAt: null,
  }));
}

/** The customer's labels, of one set when `set` is given. */
export async function loadLabels(tx: Tx, set?: LabelSetName): Promise<LabelRow[]> {
  let q = tx.selectFrom('labels').selectAll();
  if (set) q = q.where('taxonomy', '=', set);
  return q.orderBy('position').orderBy('created_at').orderBy('id').execute();
}

/** Copies the standard labels of the taxonomy (once; existing rows, renamed or retired, are kept). */
export async function seedStandardLabels(tx: Tx, tenantId: string, taxonomy: TaxonomyName): Promise<void> {
  const labels = getTaxonomy(taxonomy).labels;
  await tx
    .insertInto('labels')
    .values(
      labels.map((l, i) => ({
        tenant_id: tenantId,
        id: l.id,
        taxonomy,
        standard: true,
        name_nl: null,
        name_en: null,
        definition_nl: null,
        definition_en: null,
        position: i,
        created_by: null,
        retired_at: null,
      })),
    )
    .onConflict((oc) => oc.columns(['tenant_id', 'taxonomy', 'id']).doNothing())
    .execute();
}

/** A readable, stable id for a customer's own label: from its English name, made unique. */
export function labelIdFrom(name: string, taken: ReadonlySet<string>): string {
  const base =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .replace(/^[^a-z]+/, '')
      .slice(0, 50) || 'label';
  const id = base.length < 2 ? `${base}_label` : base;
  if (!taken.has(id)) return id;
  for (let i = 2; ; i++) if (!taken.has(`${id}_${i}`)) return `${id}_${i}`;
}
