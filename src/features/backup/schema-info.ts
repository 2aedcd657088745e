import type pg from 'pg';

/**
 * What a logical backup needs to know about Peil's tables, read from the catalog so that a table
 * added by a later migration is backed up without touching this code.
 */
export interface TableInfo {
  name: string;
  /** Stored columns in table order; generated columns are left out (the database computes them). */
  columns: string[];
  /** Identity columns, whose sequences are moved past the restored values. */
  identity: string[];
  /** Has a tenant_id column and row-level security: read and written one tenant at a time. */
  perTenant: boolean;
}

type Queryable = Pick<pg.PoolClient, 'query'>;

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * Tables a backup leaves out because the restore's own inserts rebuild them: the label counts (0042)
 * are kept by triggers on the labels they count, so restoring them as well would count twice. The
 * restore empties them with the rest.
 */
export const DERIVED_TABLES = ['label_counts'] as const;

/**
 * Tables of the public schema, ordered so that every table comes after the tables it references.
 * Not the migration list, nor the key of the signed settings (0041): each database keeps its own, and
 * a backup restored elsewhere must not bring the key of the database it came from. Nor DERIVED_TABLES.
 */
export async function peilTables(client: Queryable): Promise<TableInfo[]> {
  const { rows: tables } = await client.query<{ name: string; rls: boolean }>(
    `SELECT c.relname AS name, c.relrowsecurity AS rls
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname NOT IN ('peil_migrations', 'peil_setting_key')
        AND NOT c.relname = ANY($1::text[])
      ORDER BY c.relname`,
    [DERIVED_TABLES],
  );
  const { rows: cols } = await client.query<{ table: string; name: string; generated: string; identity: string }>(
    `SELECT c.relname AS table, a.attname AS name, a.attgenerated AS generated, a.attidentity AS identity
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
  );
  const { rows: refs } = await client.query<{ from: string; to: string }>(
    `SELECT DISTINCT c.relname AS from, r.relname AS to
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE k.contype = 'f' AND n.nspname = 'public' AND c.oid <> r.oid`,
  );
  const info = new Map<string, TableInfo>();
  for (const t of tables) {
    const own = cols.filter((c) => c.table === t.name);
    info.set(t.name, {
      name: t.name,
      columns: own.filter((c) => c.generated === '').map((c) => c.name),
      identity: own.filter((c) => c.identity !== '').map((c) => c.name),
      perTenant: t.rls && own.some((c) => c.name === 'tenant_id'),
    });
  }
  // Depth-first topological order over the foreign keys.
  const ordered: TableInfo[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string) => {
    if (state.get(name) === 'done' || !info.has(name)) return;
    if (state.get(name) === 'visiting') throw new Error(`foreign keys form a cycle through ${name}`);
    state.set(name, 'visiting');
    for (const r of refs.filter((x) => x.from === name)) visit(r.to);
    state.set(name, 'done');
    ordered.push(info.get(name)!);
  };
  for (const t of tables) visit(t.name);
  return ordered;
}
