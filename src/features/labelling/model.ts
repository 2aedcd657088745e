// Each customer's model: the built-in examples plus that customer's corrections (OBLIGATIONS AI-2),
// trained in this process and kept in memory. The cache entry carries the customer's model_version
// (raised by every correction and label change, in the same transaction), so every process notices
// a stale model when it next reads the settings, and retrains it in the background job, never on a
// request.

import type { AppContext } from '../../context.js';
import type { Tx } from '../../lib/db/db.js';
import type { LabelSetName } from '../../lib/db/schema.js';
import { createLabeller, type Example, type Labeller } from './labeller.js';
import { ownExamples } from './training/index.js';
import type { Lang } from './text.js';

export interface TenantModel {
  version: number;
  /** The label set (issue 12: one model per customer and set). */
  taxonomy: LabelSetName;
  labeller: Labeller;
  /** Labels the model may give: the active ones (retired labels keep their history, get no new answers). */
  active: ReadonlySet<string>;
  /** How many corrections it learnt from. */
  corrections: number;
}

/** What training needs, read in one transaction; training itself runs after it has committed. */
export interface ModelInputs {
  version: number;
  taxonomy: LabelSetName;
  labels: Array<{ id: string; standard: boolean; status: 'active' | 'retired' }>;
  corrections: Example[];
}

const caches = new WeakMap<AppContext, Map<string, TenantModel>>();

function cacheOf(ctx: AppContext): Map<string, TenantModel> {
  let c = caches.get(ctx);
  if (!c) {
    c = new Map();
    caches.set(ctx, c);
  }
  return c;
}

/** The cached model when it is of this version; undefined means: load inputs and train. */
export function cachedModel(
  ctx: AppContext,
  tenantId: string,
  version: number,
  taxonomy: LabelSetName,
): TenantModel | undefined {
  const m = cacheOf(ctx).get(`${tenantId}:${taxonomy}`);
  return m && m.version === version && m.taxonomy === taxonomy ? m : undefined;
}

/** Forgets this process's model of the customer (after a correction here; other processes see model_version). */
export function invalidateModel(ctx: AppContext, tenantId: string): void {
  const cache = cacheOf(ctx);
  for (const key of [...cache.keys()]) if (key.startsWith(`${tenantId}:`)) cache.delete(key);
}

export async function loadModelInputs(
  ctx: AppContext,
  tx: Tx,
  tenantId: string,
  version: number,
  taxonomy: LabelSetName,
): Promise<ModelInputs> {
  const labels = await tx
    .selectFrom('labels')
    .select(['id', 'standard', 'status'])
    .where('taxonomy', '=', taxonomy)
    .execute();
  // A correction teaches the model of the set it was made in.
  const rows = await tx
    .selectFrom('label_corrections')
    .select(['text_enc', 'lang', 'labels', 'sentiment'])
    .where('label_set', '=', taxonomy)
    .orderBy('corrected_at')
    .execute();
  const keys = await ctx.keyring.forTenant(tenantId, tx);
  return {
    version,
    taxonomy,
    labels,
    corrections: rows.map((r) => ({
      text: keys.open(r.text_enc),
      lang: r.lang as Lang,
      labels: r.labels,
      sentiment: r.sentiment,
    })),
  };
}

/** Trains (0.1–0.5 s of CPU; DESIGN.md) and caches the customer's model. */
export function trainModel(ctx: AppContext, tenantId: string, inputs: ModelInputs): TenantModel {
  const custom = inputs.labels.filter((l) => !l.standard && l.status === 'active').map((l) => l.id);
  const trainable = new Set<string>([...inputs.labels.filter((l) => l.standard).map((l) => l.id), ...custom]);
  const examples = inputs.corrections.map((e) => ({ ...e, labels: (e.labels ?? []).filter((l) => trainable.has(l)) }));
  // The customer's own set has no built-in label examples: the built-in examples teach its sentiment
  // and, with no label of the set, that a label needs evidence; corrections teach the labels.
  const labeller =
    inputs.taxonomy === 'own'
      ? createLabeller({
          taxonomy: 'customer',
          extraLabelIds: custom,
          extraExamples: examples,
          baseExamples: ownExamples('customer').map((e) => ({ ...e, labels: [] })),
        })
      : createLabeller({ taxonomy: inputs.taxonomy, extraLabelIds: custom, extraExamples: examples });
  const model: TenantModel = {
    version: inputs.version,
    taxonomy: inputs.taxonomy,
    labeller,
    active: new Set(inputs.labels.filter((l) => l.status === 'active').map((l) => l.id)),
    corrections: examples.length,
  };
  cacheOf(ctx).set(`${tenantId}:${inputs.taxonomy}`, model);
  return model;
}
