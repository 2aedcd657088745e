import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { audit, auditSystem, AuditAction, type Actor } from '../../lib/audit.js';
import { Db } from '../../lib/db/db.js';
import type { BenchmarkKind } from '../../lib/db/schema.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { publishCells, readRules, suppressionOf, type BenchmarkRules, type SuppressionReason } from './service.js';

/**
 * OBLIGATIONS BEN-1: what the operator manages (all on the owner connection, Db.owner 'benchmark',
 * each change with a row in the system log): sectors, the disclosure rules, a customer's sector. The
 * operator's overview shows cells with their numbers and, for a suppressed cell, why; never a
 * contribution or a customer id (those exist only in the customers' own benchmark_own rows).
 */

export interface Sector {
  code: string;
  name: { nl: string; en: string };
  customers: number;
}
export interface OperatorCell {
  sector: string;
  kind: BenchmarkKind;
  period: string;
  customers: number;
  respondents: number;
  published: boolean;
  reason: SuppressionReason | null;
  value: number | null;
  margin: number | null;
  quartiles: { q1: number; median: number; q3: number } | null;
}

export async function operatorOverview(ctx: AppContext): Promise<{
  rules: BenchmarkRules;
  sectors: Sector[];
  customers: Array<{ id: string; name: string; slug: string; status: string; sector: string | null }>;
  cells: OperatorCell[];
}> {
  return ctx.db.owner('benchmark', async (tx) => {
    const rules = await readRules(tx);
    const tenants = await tx
      .selectFrom('tenants')
      .select(['id', 'name', 'slug', 'status', 'sector'])
      .orderBy('name')
      .execute();
    const sectors = await tx.selectFrom('benchmark_sectors').selectAll().orderBy('code').execute();
    const stats = await tx
      .selectFrom('benchmark_cell_stats')
      .selectAll()
      .orderBy('period', 'desc')
      .orderBy('sector')
      .orderBy('kind')
      .execute();
    return {
      rules,
      sectors: sectors.map((s) => ({
        code: s.code,
        name: { nl: s.name_nl, en: s.name_en },
        customers: tenants.filter((t) => t.sector === s.code && t.status !== 'ended').length,
      })),
      customers: tenants
        .filter((t) => t.status !== 'ended')
        .map((t) => ({ id: t.id, name: t.name, slug: t.slug, status: t.status, sector: t.sector })),
      cells: stats.map((s) => {
        const reason = suppressionOf(s, rules);
        const shown = reason === null;
        return {
          sector: s.sector,
          kind: s.kind,
          period: s.period,
          customers: s.customers,
          respondents: s.respondents,
          published: shown,
          reason,
          value: shown ? s.value : null,
          margin: shown ? s.margin : null,
          quartiles:
            shown && s.customers >= rules.quartileMinCustomers && s.q1 !== null
              ? { q1: s.q1, median: s.median!, q3: s.q3! }
              : null,
        };
      }),
    };
  });
}

export async function createSector(
  ctx: AppContext,
  input: { code: string; name: { nl: string; en: string } },
  actor: Actor,
): Promise<Sector> {
  return ctx.db.owner('benchmark', async (tx) => {
    const exists = await tx
      .selectFrom('benchmark_sectors')
      .select('code')
      .where('code', '=', input.code)
      .executeTakeFirst();
    if (exists)
      throw new AppError(
        ErrorCode.CONFLICT,
        { key: 'problems:benchmark.sectorTaken' },
        {
          errors: [
            { pointer: '/body/code', code: 'taken', reason: 'taken', message: { key: 'problems:reasons.taken' } },
          ],
        },
      );
    await tx
      .insertInto('benchmark_sectors')
      .values({ code: input.code, name_nl: input.name.nl, name_en: input.name.en })
      .execute();
    await auditSystem(tx, actor, 'benchmark.sector_created', { code: input.code, name: input.name });
    return { code: input.code, name: input.name, customers: 0 };
  });
}

export async function renameSector(
  ctx: AppContext,
  code: string,
  name: { nl: string; en: string },
  actor: Actor,
): Promise<Sector> {
  return ctx.db.owner('benchmark', async (tx) => {
    const row = await tx
      .selectFrom('benchmark_sectors')
      .selectAll()
      .where('code', '=', code)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw AppError.notFound('sector');
    await tx
      .updateTable('benchmark_sectors')
      .set({ name_nl: name.nl, name_en: name.en })
      .where('code', '=', code)
      .execute();
    await auditSystem(tx, actor, 'benchmark.sector_renamed', {
      code,
      from: { nl: row.name_nl, en: row.name_en },
      to: name,
    });
    const n = await tx
      .selectFrom('tenants')
      .select((e) => e.fn.countAll<string>().as('n'))
      .where('sector', '=', code)
      .where('status', '<>', 'ended')
      .executeTakeFirstOrThrow();
    return { code, name, customers: Number(n.n) };
  });
}

/** The rules change what is published at once (cells are rebuilt from the computed numbers). */
export async function setRules(
  ctx: AppContext,
  rules: BenchmarkRules,
  actor: Actor,
): Promise<{ rules: BenchmarkRules; published: number; suppressed: number }> {
  if (rules.quartileMinCustomers < rules.minCustomers) {
    throw new AppError(
      ErrorCode.VALIDATION,
      { key: 'problems:benchmark.quartileMinimum' },
      {
        errors: [
          {
            pointer: '/body/quartileMinCustomers',
            reason: `at least minCustomers (${rules.minCustomers}) / minstens minCustomers`,
          },
        ],
      },
    );
  }
  if (rules.dominanceTwoPercent < rules.dominanceOnePercent) {
    throw new AppError(
      ErrorCode.VALIDATION,
      { key: 'problems:benchmark.dominanceOrder' },
      {
        errors: [
          {
            pointer: '/body/dominanceTwoPercent',
            reason: `at least dominanceOnePercent (${rules.dominanceOnePercent})`,
          },
        ],
      },
    );
  }
  return ctx.db.owner('benchmark', async (tx) => {
    const before = await readRules(tx);
    await tx
      .updateTable('benchmark_settings')
      .set({
        min_customers: rules.minCustomers,
        min_respondents: rules.minRespondents,
        dominance_one_percent: rules.dominanceOnePercent,
        dominance_two_percent: rules.dominanceTwoPercent,
        quartile_min_customers: rules.quartileMinCustomers,
        updated_at: new Date(),
      })
      .execute();
    await auditSystem(tx, actor, 'benchmark.rules_changed', { from: before, to: rules });
    const p = await publishCells(tx);
    return { rules, ...p };
  });
}

/**
 * Puts a customer in a sector (or takes it out: null). Its answers count from this moment on, never
 * back: quarters already published must not change because a customer joined (BEN-1: no differencing).
 */
export async function assignSector(
  ctx: AppContext,
  tenantId: string,
  sector: string | null,
  actor: Actor,
): Promise<{ id: string; sector: string | null; countsFrom: string | null }> {
  return ctx.db.owner('benchmark', async (tx) => {
    const t = await tx
      .selectFrom('tenants')
      .select(['id', 'slug', 'status', 'sector'])
      .where('id', '=', tenantId)
      .forUpdate()
      .executeTakeFirst();
    if (!t) throw AppError.notFound('customer');
    if (t.status === 'ended') throw new AppError(ErrorCode.CONFLICT, { key: 'problems:benchmark.customerEnded' });
    if (
      sector !== null &&
      !(await tx.selectFrom('benchmark_sectors').select('code').where('code', '=', sector).executeTakeFirst())
    ) {
      throw new AppError(
        ErrorCode.VALIDATION,
        { key: 'problems:benchmark.unknownSector' },
        {
          errors: [{ pointer: '/body/sector', reason: 'not a sector code / geen bekende sector' }],
        },
      );
    }
    await tx.updateTable('tenants').set({ sector }).where('id', '=', t.id).execute();
    await auditSystem(tx, actor, AuditAction.BENCHMARK_SECTOR_ASSIGNED, {
      tenantId: t.id,
      slug: t.slug,
      from: t.sector,
      to: sector,
    });
    await Db.switchTenant(tx, t.id);
    let countsFrom: string | null = null;
    if (sector !== t.sector) {
      const r = await sql<{ at: Date }>`
        INSERT INTO benchmark_cursors (tenant_id, processed_to) VALUES (${t.id}, now())
        ON CONFLICT (tenant_id) DO UPDATE SET processed_to = greatest(benchmark_cursors.processed_to, now())
        RETURNING processed_to AS at`.execute(tx);
      countsFrom = sector ? new Date(r.rows[0]!.at).toISOString() : null;
    }
    await audit(tx, t.id, actor, {
      action: AuditAction.BENCHMARK_SECTOR_ASSIGNED,
      subject: { kind: 'tenant', id: t.id },
      details: { from: t.sector, to: sector },
    });
    return { id: t.id, sector, countsFrom };
  });
}
