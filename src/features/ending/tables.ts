import { sql, type Kysely } from 'kysely';
import type { DB } from '../../lib/db/schema.js';
import type { Tx } from '../../lib/db/db.js';

/**
 * OBLIGATIONS END-3, END-5: which tables hold a customer's rows, found in the catalog (never a list
 * that a new table could be missing from), and in which order they are emptied.
 *
 * A table holds a customer's rows when a column has a foreign key to tenants(id), or is a uuid column
 * whose name contains "tenant" (the same rule as the isolation tests).
 */

/**
 * OBLIGATIONS END-5: tables that may keep a deleted customer's rows because they are anonymised
 * aggregates without any link to a person. A table added here must hold aggregates only (no id of a
 * contact, response, invitation or user; no free text) and say why. The list is empty: the benchmark
 * (issue 13, 0024) keeps its aggregates in the global table benchmark_contributions, which has no
 * tenant column at all, so it is not a tenant table; the customer's link to it (benchmark_own) is
 * removed with everything else.
 */
export const KEEP: Record<string, string> = {};

/**
 * The end's own evidence, kept when the customer's rows are removed; none of it names a person.
 * - tenant_keys: the key row with its wrapped key destroyed (null) and the time: proof of the
 *   destruction (SEC-1), and what makes a backup from before unreadable.
 * - tenant_endings: when the agreement ended, the choice and its deadline, when the data was deleted
 *   (dates, a choice, the id of the owner who chose: an id that resolves to nobody any more).
 * - deletion_statements: the signed statement of deletion (END-4): tables, counts, times, key ids.
 */
export const EVIDENCE: Record<string, string> = {
  tenant_keys: 'the destroyed key (wrapped_key null) and when: the proof of destruction (SEC-1)',
  tenant_endings: 'when the agreement ended, the choice and the deletion: dates and a choice, no personal data',
  deletion_statements: 'the signed statement of deletion (END-4): tables, counts, times, key ids',
};

export interface TenantTableRef {
  table: string;
  /** The column that names the tenant. */
  column: string;
}

/** Every table with a tenant column, the column, in an order where a table comes before those it refers to. */
export async function tenantTablesInDeleteOrder(db: Kysely<DB> | Tx): Promise<TenantTableRef[]> {
  const { rows } = await sql<{ table: string; column: string }>`
    SELECT c.relname AS table, min(a.attname::text) AS column
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> 'tenants'
       AND ((a.atttypid = 'uuid'::regtype AND a.attname ILIKE '%tenant%')
            OR EXISTS (SELECT 1 FROM pg_constraint k
                        WHERE k.contype = 'f' AND k.conrelid = c.oid AND k.confrelid = 'public.tenants'::regclass
                          AND a.attnum = ANY (k.conkey)))
     GROUP BY c.relname
     ORDER BY c.relname`.execute(db);
  const { rows: edges } = await sql<{ child: string; parent: string }>`
    SELECT DISTINCT c.relname AS child, p.relname AS parent
      FROM pg_constraint k
      JOIN pg_class c ON c.oid = k.conrelid
      JOIN pg_class p ON p.oid = k.confrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE k.contype = 'f' AND n.nspname = 'public' AND c.oid <> p.oid`.execute(db);
  const names = new Set(rows.map((r) => r.table));
  // Children before parents: a table is placed once every table that refers to it is placed.
  // responses first of all: they have no foreign keys (0001_init.sql), but the triggers on deleting
  // invitations, contacts and surveys look at them; with the responses gone those triggers find nothing.
  const referrers = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!names.has(e.child) || !names.has(e.parent)) continue;
    if (!referrers.has(e.parent)) referrers.set(e.parent, new Set());
    referrers.get(e.parent)!.add(e.child);
  }
  const order: TenantTableRef[] = [];
  const placed = new Set<string>();
  const remaining = [...rows].sort((a, b) =>
    a.table === 'responses' ? -1 : b.table === 'responses' ? 1 : a.table.localeCompare(b.table),
  );
  while (remaining.length) {
    const i = remaining.findIndex((r) => [...(referrers.get(r.table) ?? [])].every((c) => placed.has(c)));
    // A cycle (none today) would be broken by taking the next table; its foreign keys then refuse, loudly.
    const [next] = remaining.splice(i === -1 ? 0 : i, 1);
    order.push(next!);
    placed.add(next!.table);
  }
  return order;
}

/** The tables whose rows deletion removes: every tenant table but the evidence and the END-5 aggregates. */
export async function tablesToDelete(db: Kysely<DB> | Tx): Promise<TenantTableRef[]> {
  return (await tenantTablesInDeleteOrder(db)).filter((t) => !(t.table in EVIDENCE) && !(t.table in KEEP));
}
