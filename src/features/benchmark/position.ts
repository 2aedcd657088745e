import { sql } from 'kysely';
import type { Tx } from '../../lib/db/db.js';
import type { BenchmarkKind } from '../../lib/db/schema.js';
import { SCORE_NAMES } from '../results/scores.js';
import { headline, readRules, type BenchmarkRules } from './service.js';

/**
 * OBLIGATIONS BEN-1: where a customer stands, read in its own tenant transaction (peil_app): its own
 * rows (benchmark_own), the published cells (benchmark_cells: suppressed ones carry no numbers) and the
 * percentile of its own contributions (peil_benchmark_percentiles(), 0024). Only quarters whose cells
 * exist are shown, i.e. closed quarters: the running quarter is never shown, so two reads never differ
 * by one answer.
 */

export const SUPPRESSED_REASON = {
  nl: 'Niet gepubliceerd: te weinig klanten of respondenten in deze cel, of een of twee klanten wegen te zwaar. Zo blijft elke klant onherkenbaar.',
  en: 'Not published: too few customers or respondents in this cell, or one or two customers weigh too heavily. This keeps every customer unrecognisable.',
};

export interface Position {
  sector: { code: string; name: { nl: string; en: string } };
  kind: BenchmarkKind;
  name: { nl: string; en: string };
  unit: 'nps' | 'percent' | 'mean';
  lowerIsBetter: boolean;
  period: string;
  own: { value: number | null; margin: number | null; n: number } | null;
  ownHidden: 'shielded' | null;
  benchmark:
    | {
        published: true;
        customers: number;
        respondents: number;
        value: number | null;
        margin: number | null;
        interval: { low: number; high: number } | null;
        quartiles: { q1: number; median: number; q3: number } | null;
        percentile: number | null;
      }
    | { published: false; reason: { nl: string; en: string } };
}

export async function positionOf(
  tx: Tx,
  tenantId: string,
): Promise<{
  sector: { code: string; name: { nl: string; en: string } } | null;
  rules: BenchmarkRules;
  positions: Position[];
}> {
  const rules = await readRules(tx);
  const tenant = await tx.selectFrom('tenants').select('sector').where('id', '=', tenantId).executeTakeFirstOrThrow();
  const sectors = new Map(
    (await tx.selectFrom('benchmark_sectors').selectAll().execute()).map((s) => [
      s.code,
      { code: s.code, name: { nl: s.name_nl, en: s.name_en } },
    ]),
  );
  const own = await tx
    .selectFrom('benchmark_own')
    .select(['contribution_id', 'sector', 'kind', 'period', 'counts', 'shielded'])
    .where('tenant_id', '=', tenantId)
    .execute();
  const pct = new Map(
    (
      await sql<{
        contribution_id: string;
        percentile: number | null;
      }>`SELECT contribution_id, percentile FROM peil_benchmark_percentiles()`.execute(tx)
    ).rows.map((r) => [r.contribution_id, r.percentile]),
  );
  const codes = [...new Set([...own.map((o) => o.sector), ...(tenant.sector ? [tenant.sector] : [])])];
  const cells = codes.length
    ? await tx.selectFrom('benchmark_cells').selectAll().where('sector', 'in', codes).execute()
    : [];
  const ownByCell = new Map(own.map((o) => [`${o.sector}|${o.kind}|${o.period}`, o]));
  // Cells of the sectors it contributed to where it has a contribution, and every cell of its current sector.
  const shown = cells.filter((c) => ownByCell.has(`${c.sector}|${c.kind}|${c.period}`) || c.sector === tenant.sector);
  shown.sort(
    (a, b) =>
      b.period.localeCompare(a.period) ||
      a.sector.localeCompare(b.sector) ||
      ['nps', 'enps', 'csat', 'ces'].indexOf(a.kind) - ['nps', 'enps', 'csat', 'ces'].indexOf(b.kind),
  );
  const positions = shown.map((c): Position => {
    const o = ownByCell.get(`${c.sector}|${c.kind}|${c.period}`);
    const h = o ? headline(c.kind, o.counts) : null;
    const n = o ? o.counts.reduce((s, x) => s + x, 0) : 0;
    return {
      sector: sectors.get(c.sector) ?? { code: c.sector, name: { nl: c.sector, en: c.sector } },
      kind: c.kind,
      name: SCORE_NAMES[c.kind],
      unit: c.kind === 'csat' ? 'percent' : c.kind === 'ces' ? 'mean' : 'nps',
      lowerIsBetter: c.kind === 'ces',
      period: c.period,
      own: o && h && !o.shielded ? { value: h.value, margin: h.margin, n } : null,
      ownHidden: o && o.shielded ? 'shielded' : null,
      benchmark: c.published
        ? {
            published: true,
            customers: c.customers!,
            respondents: c.respondents!,
            value: c.value,
            margin: c.margin,
            interval: c.low !== null && c.high !== null ? { low: c.low, high: c.high } : null,
            quartiles:
              c.q1 !== null && c.median !== null && c.q3 !== null ? { q1: c.q1, median: c.median, q3: c.q3 } : null,
            percentile: o ? (pct.get(o.contribution_id) ?? null) : null,
          }
        : { published: false, reason: SUPPRESSED_REASON },
    };
  });
  return { sector: tenant.sector ? (sectors.get(tenant.sector) ?? null) : null, rules, positions };
}
