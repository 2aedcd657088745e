/**
 * Test helper (OBLIGATIONS ACC-6): the tables of the public schema that hold a customer's rows, found
 * in the catalog rather than listed, so that no table can be forgotten whatever its tenant column is
 * called. A column refers to a tenant when it has a foreign key to tenants(id), or when it is a uuid
 * column whose name contains "tenant".
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/lib/db/schema.js';

export interface TenantTable {
  table: string;
  /** The columns that refer to a tenant. */
  columns: string[];
  rls: boolean;
  forced: boolean;
}

export async function tenantTables(db: Kysely<DB>): Promise<TenantTable[]> {
  const { rows } = await sql<TenantTable>`
    SELECT c.relname AS table, array_agg(a.attname::text ORDER BY a.attname) AS columns,
           c.relrowsecurity AS rls, c.relforcerowsecurity AS forced
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
       AND ((a.atttypid = 'uuid'::regtype AND a.attname ILIKE '%tenant%')
            OR EXISTS (SELECT 1 FROM pg_constraint k
                        WHERE k.contype = 'f' AND k.conrelid = c.oid AND k.confrelid = 'public.tenants'::regclass
                          AND a.attnum = ANY (k.conkey)
                          AND k.confkey[array_position(k.conkey, a.attnum)] =
                              (SELECT t.attnum FROM pg_attribute t WHERE t.attrelid = 'public.tenants'::regclass AND t.attname = 'id')))
     GROUP BY c.relname, c.relrowsecurity, c.relforcerowsecurity
     ORDER BY c.relname`.execute(db);
  return rows;
}

/** Every table of the public schema. */
export async function publicTables(db: Kysely<DB>): Promise<string[]> {
  const { rows } = await sql<{ table: string }>`
    SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname`.execute(db);
  return rows.map((r) => r.table);
}

export interface Policy {
  name: string;
  /** '*' (all commands), 'r' (SELECT), 'a' (INSERT), 'w' (UPDATE), 'd' (DELETE) */
  cmd: string;
  permissive: boolean;
  using: string | null;
  check: string | null;
}

export async function policiesOf(db: Kysely<DB>, table: string): Promise<Policy[]> {
  const { rows } = await sql<Policy>`
    SELECT p.polname AS name, p.polcmd AS cmd, p.polpermissive AS permissive,
           pg_get_expr(p.polqual, p.polrelid) AS using, pg_get_expr(p.polwithcheck, p.polrelid) AS check
      FROM pg_policy p WHERE p.polrelid = ${`public.${table}`}::regclass`.execute(db);
  return rows;
}

/** True when `expr` is exactly "<column> = peil_current_tenant()" (as pg_get_expr prints it). */
export function comparesToCurrentTenant(expr: string | null, column: string): boolean {
  if (!expr) return false;
  // Since 0041 the current tenant is read in a scalar subquery (once per statement, signed).
  const bare = expr.replace(/\s+/g, '').replace(/^\((.*)\)$/, '$1');
  const current = '(SELECTpeil_current_tenant()ASpeil_current_tenant)';
  return bare === `${column}=${current}` || bare === `${current}=${column}`;
}

/**
 * What peil_app holds on a table, as sorted strings: a table-level privilege as its name ("SELECT"),
 * a privilege held on some columns only as "UPDATE(col, col)".
 */
export async function privilegesOf(db: Kysely<DB>, table: string, role = 'peil_app'): Promise<string[]> {
  const kinds = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'];
  const out: string[] = [];
  const { rows: cols } = await sql<{ name: string }>`
    SELECT attname::text AS name FROM pg_attribute WHERE attrelid = ${`public.${table}`}::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attname`.execute(
    db,
  );
  for (const kind of kinds) {
    const { rows } = await sql<{
      ok: boolean;
    }>`SELECT has_table_privilege(${role}, ${`public.${table}`}, ${kind}) AS ok`.execute(db);
    if (rows[0]!.ok) {
      out.push(kind);
      continue;
    }
    if (!['SELECT', 'INSERT', 'UPDATE', 'REFERENCES'].includes(kind)) continue;
    const some: string[] = [];
    for (const c of cols) {
      const r = await sql<{
        ok: boolean;
      }>`SELECT has_column_privilege(${role}, ${`public.${table}`}, ${c.name}, ${kind}) AS ok`.execute(db);
      if (r.rows[0]!.ok) some.push(c.name);
    }
    if (some.length) out.push(`${kind}(${some.join(', ')})`);
  }
  return out.sort();
}

/**
 * Adds one row for `tenantId` to a table the fixture left without one, so that the isolation check
 * has something to look for in a table added after this test was written. Values come from the
 * column types; foreign keys are not checked (session_replication_role = replica, owner connection
 * as a superuser, which is what the test databases use). A table whose checks refuse such a row fails
 * with a message that asks for a row in the fixture.
 */
export async function addRowFor(
  db: Kysely<DB>,
  table: string,
  tenantColumns: string[],
  tenantId: string,
): Promise<void> {
  const { rows: cols } = await sql<{
    name: string;
    type: string;
    notnull: boolean;
    hasdef: boolean;
    identity: string;
    generated: string;
  }>`
    SELECT attname::text AS name, format_type(atttypid, atttypmod) AS type, attnotnull AS notnull, atthasdef AS hasdef,
           attidentity::text AS identity, attgenerated::text AS generated
      FROM pg_attribute WHERE attrelid = ${`public.${table}`}::regclass AND attnum > 0 AND NOT attisdropped`.execute(
    db,
  );
  const value = (type: string): string | undefined => {
    if (type.endsWith('[]')) return `'{}'`;
    if (type === 'uuid') return 'gen_random_uuid()';
    if (/^(text|character varying.*|character.*|citext)$/.test(type)) return `'x'`;
    if (/^(integer|bigint|smallint|numeric.*|real|double precision)$/.test(type)) return '1';
    if (type === 'boolean') return 'false';
    if (/^(timestamp.*|date)$/.test(type)) return 'now()';
    if (type === 'bytea') return `'\\x00'::bytea`;
    if (/^jsonb?$/.test(type)) return `'{}'`;
    return undefined;
  };
  const names: string[] = [];
  const values: string[] = [];
  for (const c of cols) {
    if (c.identity !== '' || c.generated !== '') continue;
    if (tenantColumns.includes(c.name)) {
      names.push(c.name);
      values.push(`'${tenantId}'::uuid`);
    } else if (c.notnull && !c.hasdef) {
      const v = value(c.type);
      if (v === undefined)
        throw new Error(
          `${table}: cannot make a value of type ${c.type} for ${c.name}; add a row of tenant A to the fixture`,
        );
      names.push(c.name);
      values.push(v);
    }
  }
  const statement = `INSERT INTO ${table} (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${values.join(', ')})`;
  try {
    await db.transaction().execute(async (tx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(tx);
      await sql.raw(statement).execute(tx);
    });
  } catch (err) {
    throw new Error(`${table}: could not add a row of tenant A (${(err as Error).message}); add one to the fixture`);
  }
}
