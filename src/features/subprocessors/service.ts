import { randomUUID } from 'node:crypto';
import type { Updateable } from 'kysely';
import type { AppContext } from '../../context.js';
import { audit, AuditAction, auditSystem, type Actor } from '../../lib/audit.js';
import { isUuid, type Tx } from '../../lib/db/db.js';
import type { SubprocessorsTable } from '../../lib/db/schema.js';
import type { Env } from '../../lib/env.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import {
  announceChange,
  ANNOUNCED_FIELDS,
  changesByEntry,
  deliverNoticesOf,
  longDate,
  snapshotOf,
  withdrawOpen,
  type ChangeState,
} from './changes.js';
import { insideEea, type Safeguard, type SubprocessorKind } from './eea.js';

/**
 * OBLIGATIONS SUB-1, SUB-3, SUB-4: the operator's register of sub-processors, the entries that apply
 * to one customer, that customer's consent to entries outside the EEA, and what the configuration
 * implies.
 *
 * Decision on what configuration implies: the register is the one source of what a customer is
 * shown. A service the configuration uses (SMTP_URL: the mail relay; AI_PROVIDER_URL: the external
 * labeller; PEIL_HOSTING_PROVIDER: the hosting company) is not invented as an entry, because its
 * country, safeguards and contract are facts only the operator knows; instead the operator's list
 * flags every configured service without an entry of its kind. The external AI provider is the one
 * that can be switched off per customer, so it is used for a customer only when an entry of kind 'ai'
 * applies to that customer and is applied (inside the EEA, or consented to): see subprocessorAllowed.
 */

type Row = Omit<SubprocessorsTable, 'created_at' | 'updated_at'> & { created_at: Date; updated_at: Date };

export interface RegisterEntry {
  id: string;
  name: string;
  service: string;
  location: string;
  country: string;
  insideEea: boolean;
  safeguards: Safeguard[];
  safeguardsNote: string | null;
  kind: SubprocessorKind;
}

export interface OperatorEntry extends RegisterEntry {
  /** 'all' customers, or the ids of the customers it applies to. */
  appliesTo: 'all' | string[];
  /** Customers that consented (for an entry outside the EEA), with the country they consented to. */
  consents: Array<{ tenantId: string; country: string; at: string }>;
  createdAt: string;
  updatedAt: string;
}

/**
 * objection_window: a change announced to this customer is in its objection window (SUB-2);
 * objected: the customer objected and the operator has not resolved it (SUB-2);
 * awaiting_consent: outside the EEA, no consent for its country (SUB-3). Only 'applied' is used.
 */
export type SubprocessorStatus = 'applied' | 'awaiting_consent' | 'objection_window' | 'objected';

export interface CustomerEntry extends RegisterEntry {
  status: SubprocessorStatus;
  statusText: { nl: string; en: string };
  consent: { by: string; at: string; country: string } | null;
  /** The open change of this entry for this customer (SUB-2), or null. */
  change: ChangeState | null;
}

export interface ImpliedService {
  kind: SubprocessorKind;
  name: string;
  /** The setting that implies it. */
  source: string;
  /** Whether the register holds an entry of this kind; false: flagged for the operator. */
  registered: boolean;
}

export interface EntryInput {
  name: string;
  service: string;
  location: string;
  country: string;
  safeguards: Safeguard[];
  safeguardsNote?: string | null | undefined;
  kind: SubprocessorKind;
  appliesTo: 'all' | string[];
}

const STATUS_TEXT: Record<'applied' | 'awaiting_consent' | 'objected', { nl: string; en: string }> = {
  applied: { nl: 'Toegepast', en: 'Applied' },
  awaiting_consent: { nl: 'Wacht op uw toestemming (buiten de EER)', en: 'Awaiting your consent (outside the EEA)' },
  objected: { nl: 'Bezwaar ingediend', en: 'Objected' },
};

function statusText(status: SubprocessorStatus, change: ChangeState | null): { nl: string; en: string } {
  if (status !== 'objection_window') return STATUS_TEXT[status];
  if (!change?.windowEndsOn)
    return { nl: 'In bezwaartermijn (aankondiging wordt verstuurd)', en: 'In objection window (notice being sent)' };
  const d = longDate(change.windowEndsOn);
  return { nl: `In bezwaartermijn tot en met ${d.nl}`, en: `In objection window until ${d.en}` };
}

function entryOf(r: Row): RegisterEntry {
  return {
    id: r.id,
    name: r.name,
    service: r.service,
    location: r.location,
    country: r.country,
    insideEea: insideEea(r.country),
    safeguards: r.safeguards as Safeguard[],
    safeguardsNote: r.safeguards_note,
    kind: r.kind,
  };
}

async function registerRows(tx: Tx): Promise<Row[]> {
  return (await tx
    .selectFrom('subprocessors')
    .selectAll()
    .where('removed_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute()) as Row[];
}

/** The configured services that are sub-processors, and whether the register covers each (SUB-1). */
export function impliedServices(env: Env, register: ReadonlyArray<{ kind: string }>): ImpliedService[] {
  const out: Array<Omit<ImpliedService, 'registered'>> = [];
  if (env.PEIL_HOSTING_PROVIDER)
    out.push({ kind: 'hosting', name: env.PEIL_HOSTING_PROVIDER, source: 'PEIL_HOSTING_PROVIDER' });
  if (env.SMTP_URL) out.push({ kind: 'smtp', name: new URL(env.SMTP_URL).hostname, source: 'SMTP_URL' });
  if (env.AI_PROVIDER_URL)
    out.push({
      kind: 'ai',
      name: env.AI_PROVIDER_NAME ?? new URL(env.AI_PROVIDER_URL).host,
      source: 'AI_PROVIDER_URL',
    });
  return out.map((s) => ({ ...s, registered: register.some((r) => r.kind === s.kind) }));
}

/** The operator's register: every entry with the customers it applies to and their consents. */
export async function operatorRegister(
  ctx: AppContext,
): Promise<{ subprocessors: OperatorEntry[]; implied: ImpliedService[] }> {
  const rows = await ctx.db.global(registerRows);
  const { assignments, consents } = await ctx.db.crossTenant('subprocessors', async (tx) => ({
    assignments: await tx
      .selectFrom('subprocessor_assignments')
      .select(['tenant_id', 'subprocessor_id'])
      .orderBy('assigned_at')
      .execute(),
    consents: await tx
      .selectFrom('subprocessor_consents')
      .select(['tenant_id', 'subprocessor_id', 'country', 'consented_at'])
      .orderBy('consented_at')
      .execute(),
  }));
  return {
    subprocessors: rows.map((r) => ({
      ...entryOf(r),
      appliesTo:
        r.applies_to === 'all' ? 'all' : assignments.filter((a) => a.subprocessor_id === r.id).map((a) => a.tenant_id),
      consents: consents
        .filter((c) => c.subprocessor_id === r.id)
        .map((c) => ({ tenantId: c.tenant_id, country: c.country, at: new Date(c.consented_at).toISOString() })),
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
    })),
    implied: impliedServices(ctx.env, rows),
  };
}

async function checkTenants(tx: Tx, ids: string[]): Promise<void> {
  const bad = ids.map((id, i) => ({ id, i })).filter((x) => !isUuid(x.id));
  const known = new Set(
    bad.length === ids.length
      ? []
      : (await tx.selectFrom('tenants').select('id').where('id', 'in', ids.filter(isUuid)).execute()).map((r) => r.id),
  );
  const problems = ids.map((id, i) => ({ id, i })).filter((x) => !known.has(x.id));
  if (problems.length) {
    throw new AppError(
      ErrorCode.VALIDATION,
      { key: 'problems:subprocessors.unknownCustomer' },
      {
        errors: problems.map((p) => ({ pointer: `/appliesTo/${p.i}`, reason: 'no such customer', value: p.id })),
      },
    );
  }
}

/** Brings the assignments of one entry to exactly `wanted`, one customer transaction each, audited in that customer's chain. */
async function setAssignments(
  ctx: AppContext,
  entry: { id: string; name: string },
  wanted: string[],
  actor: Actor,
  toAll = false,
): Promise<void> {
  const current = (
    await ctx.db.crossTenant('subprocessors', (tx) =>
      tx.selectFrom('subprocessor_assignments').select('tenant_id').where('subprocessor_id', '=', entry.id).execute(),
    )
  ).map((r) => r.tenant_id);
  const add = wanted.filter((t) => !current.includes(t));
  const remove = current.filter((t) => !wanted.includes(t));
  for (const tenantId of add) await assign(ctx, tenantId, entry, actor, true);
  // Moving to 'all' keeps the entry for these customers: their rows go, their open changes stay.
  for (const tenantId of remove)
    await (toAll ? unassignKeepingChanges(ctx, tenantId, entry, actor) : assign(ctx, tenantId, entry, actor, false));
}

async function unassignKeepingChanges(
  ctx: AppContext,
  tenantId: string,
  entry: { id: string; name: string },
  actor: Actor,
): Promise<void> {
  await ctx.db.tenant(tenantId, async (tx) => {
    const gone = await tx
      .deleteFrom('subprocessor_assignments')
      .where('tenant_id', '=', tenantId)
      .where('subprocessor_id', '=', entry.id)
      .executeTakeFirst();
    if (Number(gone.numDeletedRows) === 0) return;
    await audit(tx, tenantId, actor, {
      action: AuditAction.SUBPROCESSOR_UNASSIGNED,
      subject: { kind: 'subprocessor', id: entry.id },
      details: { name: entry.name, via: 'applies to all' },
    });
  });
}

/** Applies a listed entry to one customer, or stops it: the row and the customer's audit row in one transaction. */
/**
 * Applies a listed entry to one customer, or stops it: the row and the customer's audit row in one
 * transaction. Applying it announces the change to the customer (SUB-2: objection window, notice sent
 * after the commit); stopping it withdraws the customer's open changes of the entry.
 */
export async function assign(
  ctx: AppContext,
  tenantId: string,
  entry: { id: string; name: string },
  actor: Actor,
  on: boolean,
): Promise<boolean> {
  const changed = await ctx.db.tenant(tenantId, async (tx) => {
    const changed = on
      ? (
          await tx
            .insertInto('subprocessor_assignments')
            .values({ tenant_id: tenantId, subprocessor_id: entry.id, assigned_by: actor.id })
            .onConflict((oc) => oc.doNothing())
            .executeTakeFirst()
        ).numInsertedOrUpdatedRows
      : (
          await tx
            .deleteFrom('subprocessor_assignments')
            .where('tenant_id', '=', tenantId)
            .where('subprocessor_id', '=', entry.id)
            .executeTakeFirst()
        ).numDeletedRows;
    if (Number(changed ?? 0) === 0) return false;
    const withdrawn = on ? [] : await withdrawOpen(tx, tenantId, entry.id, actor.id, null, new Date());
    await audit(tx, tenantId, actor, {
      action: on ? AuditAction.SUBPROCESSOR_ASSIGNED : AuditAction.SUBPROCESSOR_UNASSIGNED,
      subject: { kind: 'subprocessor', id: entry.id },
      details: { name: entry.name, ...(withdrawn.length ? { withdrawnChanges: withdrawn } : {}) },
    });
    if (on) {
      const row = (await tx
        .selectFrom('subprocessors')
        .selectAll()
        .where('id', '=', entry.id)
        .executeTakeFirstOrThrow()) as Row;
      await announceChange(
        tx,
        tenantId,
        { subprocessorId: entry.id, change: 'added', entry: snapshotOf(row), previous: null },
        actor,
      );
    }
    return true;
  });
  if (changed && on) await deliverNoticesOf(ctx, [tenantId]);
  return changed;
}

/** The customers an entry applies to now: all customers (but those it was withdrawn for), or its assignments. */
async function affectedTenants(ctx: AppContext, id: string, appliesTo: 'all' | 'listed'): Promise<string[]> {
  if (appliesTo === 'listed') {
    return (
      await ctx.db.crossTenant('subprocessors', (tx) =>
        tx.selectFrom('subprocessor_assignments').select('tenant_id').where('subprocessor_id', '=', id).execute(),
      )
    ).map((r) => r.tenant_id);
  }
  // A customer whose contract has ended is not told of new processing: nothing is processed for it.
  return (
    await ctx.db.global((tx) => tx.selectFrom('tenants').select('id').where('status', '<>', 'ended').execute())
  ).map((r) => r.id);
}

/**
 * OBLIGATIONS SUB-2: announces an entry's change to every customer it applies to (one transaction
 * each, with the audit row in that customer's chain), then sends the notices.
 */
async function announceToAll(
  ctx: AppContext,
  id: string,
  appliesTo: 'all' | 'listed',
  change: 'added' | 'changed',
  previous: Row | null,
  actor: Actor,
  only?: string[],
): Promise<void> {
  const tenants = (await affectedTenants(ctx, id, appliesTo)).filter((t) => !only || only.includes(t));
  const told: string[] = [];
  for (const tenantId of tenants) {
    const done = await ctx.db.tenant(tenantId, async (tx) => {
      if ((await changesByEntry(tx)).get(id)?.excluded) return false;
      const row = (await tx
        .selectFrom('subprocessors')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow()) as Row;
      await announceChange(
        tx,
        tenantId,
        { subprocessorId: id, change, entry: snapshotOf(row), previous: previous ? snapshotOf(previous) : null },
        actor,
      );
      return true;
    });
    if (done) told.push(tenantId);
  }
  await deliverNoticesOf(ctx, told);
}

export async function createEntry(ctx: AppContext, input: EntryInput, actor: Actor): Promise<string> {
  const id = randomUUID();
  const listed = input.appliesTo === 'all' ? [] : [...new Set(input.appliesTo)];
  await ctx.db.owner('subprocessors', async (tx) => {
    await checkTenants(tx, listed);
    await tx
      .insertInto('subprocessors')
      .values({
        id,
        name: input.name,
        service: input.service,
        location: input.location,
        country: input.country,
        safeguards: input.safeguards,
        safeguards_note: input.safeguardsNote ?? null,
        kind: input.kind,
        applies_to: input.appliesTo === 'all' ? 'all' : 'listed',
      })
      .execute();
    await auditSystem(tx, actor, 'subprocessor.created', { id, ...input, insideEea: insideEea(input.country) });
  });
  // SUB-2: every customer it applies to is told and gets its objection window (assign() for a listed entry).
  if (listed.length) await setAssignments(ctx, { id, name: input.name }, listed, actor);
  else if (input.appliesTo === 'all') await announceToAll(ctx, id, 'all', 'added', null, actor);
  return id;
}

export async function updateEntry(
  ctx: AppContext,
  id: string,
  patch: Partial<EntryInput>,
  actor: Actor,
): Promise<void> {
  if (!isUuid(id)) throw AppError.notFound('sub-processor');
  const listed = patch.appliesTo === undefined || patch.appliesTo === 'all' ? null : [...new Set(patch.appliesTo)];
  const before = await ctx.db.owner('subprocessors', async (tx) => {
    const row = await tx
      .selectFrom('subprocessors')
      .selectAll()
      .where('id', '=', id)
      .where('removed_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw AppError.notFound('sub-processor');
    if (listed) await checkTenants(tx, listed);
    const set: Updateable<SubprocessorsTable> = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.service !== undefined) set.service = patch.service;
    if (patch.location !== undefined) set.location = patch.location;
    if (patch.country !== undefined) set.country = patch.country;
    if (patch.safeguards !== undefined) set.safeguards = patch.safeguards;
    if (patch.safeguardsNote !== undefined) set.safeguards_note = patch.safeguardsNote;
    if (patch.kind !== undefined) set.kind = patch.kind;
    if (patch.appliesTo !== undefined) set.applies_to = patch.appliesTo === 'all' ? 'all' : 'listed';
    await tx
      .updateTable('subprocessors')
      .set({ ...set, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    const changed = Object.fromEntries(
      Object.keys(patch).map((k) => [
        k,
        {
          from:
            k === 'appliesTo'
              ? row.applies_to
              : row[(k === 'safeguardsNote' ? 'safeguards_note' : k) as keyof typeof row],
          to: (patch as Record<string, unknown>)[k],
        },
      ]),
    );
    await auditSystem(tx, actor, 'subprocessor.updated', {
      id,
      name: patch.name ?? row.name,
      changed,
      insideEea: insideEea(patch.country ?? row.country),
    });
    return row as Row;
  });
  // SUB-2: a change of what the customers were told (not the note alone) is announced to every customer
  // the entry applied to, before the assignments change (customers it newly applies to get 'added').
  const after = {
    ...before,
    ...Object.fromEntries(ANNOUNCED_FIELDS.filter((f) => patch[f] !== undefined).map((f) => [f, patch[f]])),
  };
  if (ANNOUNCED_FIELDS.some((f) => JSON.stringify(after[f]) !== JSON.stringify(before[f])))
    await announceToAll(ctx, id, before.applies_to, 'changed', before, actor, listed ?? undefined);
  if (patch.appliesTo === 'all' && before.applies_to === 'listed') {
    // Customers it did not apply to so far now get it: 'added' for them, before the assignments are cleared.
    const had = new Set(await affectedTenants(ctx, id, 'listed'));
    const all = await affectedTenants(ctx, id, 'all');
    const told: string[] = [];
    for (const tenantId of all.filter((t) => !had.has(t))) {
      await ctx.db.tenant(tenantId, async (tx) => {
        const row = (await tx
          .selectFrom('subprocessors')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow()) as Row;
        await announceChange(
          tx,
          tenantId,
          { subprocessorId: id, change: 'added', entry: snapshotOf(row), previous: null },
          actor,
        );
      });
      told.push(tenantId);
    }
    await deliverNoticesOf(ctx, told);
  }
  // From 'listed' to 'all', the assignments are no longer what decides: they are cleared (audited per customer).
  if (listed || patch.appliesTo === 'all')
    await setAssignments(ctx, { id, name: patch.name ?? before.name }, listed ?? [], actor, patch.appliesTo === 'all');
}

/**
 * Removes an entry from the register; the row stays (removed_at) for the consents that name it. Its
 * assignments are cleared, each in its customer's chain.
 */
export async function removeEntry(ctx: AppContext, id: string, actor: Actor): Promise<void> {
  if (!isUuid(id)) throw AppError.notFound('sub-processor');
  await ctx.db
    .owner('subprocessors', async (tx) => {
      const row = await tx
        .updateTable('subprocessors')
        .set({ removed_at: new Date(), updated_at: new Date() })
        .where('id', '=', id)
        .where('removed_at', 'is', null)
        .returning(['name', 'country'])
        .executeTakeFirst();
      if (!row) throw AppError.notFound('sub-processor');
      await auditSystem(tx, actor, 'subprocessor.removed', { id, name: row.name, country: row.country });
      return row;
    })
    .then((row) => setAssignments(ctx, { id, name: row.name }, [], actor));
}

/**
 * The entries that apply to one customer (all, and those assigned to it), each with its status:
 * inside the EEA it is applied; outside it only after the customer's consent for its current country
 * (SUB-3). Call inside a transaction of that customer.
 */
export async function applicableSubprocessors(tx: Tx): Promise<CustomerEntry[]> {
  const rows = await registerRows(tx);
  const assigned = new Set(
    (await tx.selectFrom('subprocessor_assignments').select('subprocessor_id').execute()).map((r) => r.subprocessor_id),
  );
  const consents = await tx
    .selectFrom('subprocessor_consents')
    .select(['subprocessor_id', 'country', 'consented_by', 'consented_at'])
    .execute();
  const changes = await changesByEntry(tx);
  return rows
    .filter((r) => (r.applies_to === 'all' || assigned.has(r.id)) && !changes.get(r.id)?.excluded)
    .map((r) => {
      const e = entryOf(r);
      const c = consents.find((x) => x.subprocessor_id === r.id);
      const change = changes.get(r.id)?.open ?? null;
      // SUB-2 first: an open change or an objection keeps the entry from being applied; then SUB-3.
      const status: SubprocessorStatus =
        change?.status === 'objected'
          ? 'objected'
          : change
            ? 'objection_window'
            : e.insideEea || c?.country === r.country
              ? 'applied'
              : 'awaiting_consent';
      return {
        ...e,
        status,
        statusText: statusText(status, change),
        consent: c ? { by: c.consented_by, at: new Date(c.consented_at).toISOString(), country: c.country } : null,
        change,
      };
    });
}

/**
 * OBLIGATIONS SUB-3: whether a sub-processor of this kind may be used for this customer now: at
 * least one entry of the kind applies to the customer, and every entry of the kind that applies is
 * applied (inside the EEA, or consented to). The labelling run asks it for 'ai' before it sends a
 * single text to the external provider. Call inside a transaction of that customer.
 */
export async function subprocessorAllowed(tx: Tx, kind: SubprocessorKind): Promise<boolean> {
  const entries = (await applicableSubprocessors(tx)).filter((e) => e.kind === kind);
  return entries.length > 0 && entries.every((e) => e.status === 'applied');
}

/** An owner's explicit consent to an entry outside the EEA that applies to the customer (SUB-3). */
export async function consent(
  ctx: AppContext,
  tenantId: string,
  id: string,
  userId: string,
  actor: Actor,
): Promise<CustomerEntry> {
  if (!isUuid(id)) throw AppError.notFound('sub-processor');
  return ctx.db.tenant(tenantId, async (tx) => {
    const entry = (await applicableSubprocessors(tx)).find((e) => e.id === id);
    if (!entry) throw AppError.notFound('sub-processor');
    if (entry.insideEea)
      throw new AppError(ErrorCode.CONFLICT, { key: 'problems:subprocessors.insideEea', params: { name: entry.name } });
    if (entry.status === 'applied') return entry;
    await tx
      .insertInto('subprocessor_consents')
      .values({ tenant_id: tenantId, subprocessor_id: id, country: entry.country, consented_by: userId })
      .onConflict((oc) =>
        oc
          .columns(['tenant_id', 'subprocessor_id'])
          .doUpdateSet({ country: entry.country, consented_by: userId, consented_at: new Date() }),
      )
      .execute();
    await audit(tx, tenantId, actor, {
      action: AuditAction.SUBPROCESSOR_CONSENTED,
      subject: { kind: 'subprocessor', id },
      details: { name: entry.name, country: entry.country },
    });
    return (await applicableSubprocessors(tx)).find((e) => e.id === id)!;
  });
}

/**
 * OBLIGATIONS SUB-3: an owner withdraws the consent; from the next use on the entry waits for a new
 * consent (an AI provider is no longer called for this customer). 404 when there is none to withdraw.
 */
export async function withdrawConsent(
  ctx: AppContext,
  tenantId: string,
  id: string,
  actor: Actor,
): Promise<CustomerEntry> {
  if (!isUuid(id)) throw AppError.notFound('sub-processor');
  return ctx.db.tenant(tenantId, async (tx) => {
    const entry = (await applicableSubprocessors(tx)).find((e) => e.id === id);
    if (!entry) throw AppError.notFound('sub-processor');
    const gone = await tx
      .deleteFrom('subprocessor_consents')
      .where('tenant_id', '=', tenantId)
      .where('subprocessor_id', '=', id)
      .returning('country')
      .executeTakeFirst();
    if (!gone) throw AppError.notFound('consent');
    await audit(tx, tenantId, actor, {
      action: AuditAction.SUBPROCESSOR_CONSENT_WITHDRAWN,
      subject: { kind: 'subprocessor', id },
      details: { name: entry.name, country: gone.country },
    });
    return (await applicableSubprocessors(tx)).find((e) => e.id === id)!;
  });
}

/** OBLIGATIONS SUB-4: where this installation stores and processes data. */
export function processingLocation(env: Env): { location: string; country: string; insideEea: boolean } {
  return {
    location: env.PEIL_HOSTING_LOCATION,
    country: env.PEIL_HOSTING_COUNTRY,
    insideEea: insideEea(env.PEIL_HOSTING_COUNTRY),
  };
}
