/**
 * The arithmetic behind margins and significance (OBLIGATIONS SVC-4), in one place, without I/O.
 *
 * - NPS/eNPS: the score is 100 × the mean of an indicator that is +1 for a promoter, 0 for a passive
 *   and −1 for a detractor. With shares p and d of n answers its variance is p + d − (p − d)², so the
 *   95% margin of error is 1.96 · 100 · √((p + d − (p − d)²) / n).
 * - Means: a 95% confidence interval with Student's t (n − 1 degrees of freedom) and the sample
 *   standard deviation: mean ± t · s / √n.
 * - Proportions (CSAT % satisfied, CES % easy): the 95% Wilson score interval, which stays inside
 *   0–100% and behaves at 0% and 100% and on small bases (the normal interval gives ±0 there).
 * - A change between two periods: an unpooled two-sample z test on the same quantity,
 *   z = (b − a) / √(var_a/n_a + var_b/n_b); significant when |z| ≥ 1.96 (5%, two-sided).
 * - A small base: fewer than SMALL_BASE answers; margins are then wide and the app says so.
 */

export const Z95 = 1.959963984540054;
/** Fewer answers than this are flagged as a small base. */
export const SMALL_BASE = 30;

/** A histogram: value → count. */
export type Histogram = ReadonlyArray<{ value: number; count: number }>;

export interface Moments {
  n: number;
  mean: number | null;
  /** sample variance (n − 1 in the denominator); null below 2 answers */
  variance: number | null;
}

export function moments(h: Histogram): Moments {
  const n = h.reduce((s, x) => s + x.count, 0);
  if (n === 0) return { n, mean: null, variance: null };
  const mean = h.reduce((s, x) => s + x.value * x.count, 0) / n;
  const ss = h.reduce((s, x) => s + x.count * (x.value - mean) ** 2, 0);
  return { n, mean, variance: n > 1 ? ss / (n - 1) : null };
}

/** Two-sided 95% quantile of Student's t: exact table to 30 degrees of freedom, then Cornish–Fisher. */
const T_TABLE = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];
export function t95(df: number): number {
  if (df < 1) return Infinity;
  if (df <= 30) return T_TABLE[Math.floor(df) - 1]!;
  const z = Z95;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2);
}

export interface Interval {
  low: number;
  high: number;
}

/** 95% t interval of a mean; null below 2 answers. Returns the half width too. */
export function meanInterval(m: Moments): (Interval & { margin: number }) | null {
  if (m.mean === null || m.variance === null) return null;
  const margin = t95(m.n - 1) * Math.sqrt(m.variance / m.n);
  return { low: m.mean - margin, high: m.mean + margin, margin };
}

/** 95% Wilson score interval of k successes out of n, as shares 0..1; null for n = 0. */
export function wilson(k: number, n: number, z = Z95): Interval | null {
  if (n === 0) return null;
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** NPS (−100..100) of promoters, passives, detractors, with its 95% margin of error (points). */
export function npsWithMargin(
  promoters: number,
  passives: number,
  detractors: number,
): { n: number; nps: number | null; margin: number | null; variance: number | null } {
  const n = promoters + passives + detractors;
  if (n === 0) return { n, nps: null, margin: null, variance: null };
  const p = promoters / n;
  const d = detractors / n;
  const variance = p + d - (p - d) ** 2;
  return { n, nps: (p - d) * 100, margin: Z95 * 100 * Math.sqrt(variance / n), variance };
}

/**
 * An estimate with what a two-sample test needs: the value and the variance of ONE answer's
 * contribution on the value's own scale (NPS: indicator × 100, so variance × 100²; a percentage:
 * p(1 − p) × 100²; a mean: the sample variance).
 */
export interface Estimate {
  n: number;
  value: number | null;
  unitVariance: number | null;
}

export interface Change {
  delta: number;
  z: number | null;
  significant: boolean;
}

/** Unpooled two-sample z test of b against a; not significant when either side lacks a variance. */
export function compare(a: Estimate, b: Estimate): Change | null {
  if (a.value === null || b.value === null) return null;
  const delta = b.value - a.value;
  if (a.unitVariance === null || b.unitVariance === null || a.n === 0 || b.n === 0)
    return { delta, z: null, significant: false };
  const se = Math.sqrt(a.unitVariance / a.n + b.unitVariance / b.n);
  if (se === 0) return { delta, z: null, significant: delta !== 0 };
  const z = delta / se;
  return { delta, z, significant: Math.abs(z) >= 1.96 };
}

export const round1 = (n: number) => Math.round(n * 10) / 10;
export const round2 = (n: number) => Math.round(n * 100) / 100;

/** Median of a histogram (sorted values): the mean of the two middle answers for an even count. */
export function median(h: Histogram): number | null {
  const sorted = [...h].filter((x) => x.count > 0).sort((a, b) => a.value - b.value);
  const n = sorted.reduce((s, x) => s + x.count, 0);
  if (n === 0) return null;
  const at = (k: number) => {
    let seen = 0;
    for (const x of sorted) {
      seen += x.count;
      if (seen > k) return x.value;
    }
    return sorted.at(-1)!.value;
  };
  return n % 2 ? at((n - 1) / 2) : (at(n / 2 - 1) + at(n / 2)) / 2;
}

/**
 * The median of binned data (interpolated inside the bin that holds the middle answer), for surveys
 * that never show a single answer's exact value: the result is a position inside a bin, not an answer.
 */
export function groupedMedian(bins: ReadonlyArray<{ from: number; to: number; count: number }>): number | null {
  const n = bins.reduce((s, b) => s + b.count, 0);
  if (n === 0) return null;
  let below = 0;
  for (const b of bins) {
    if (below + b.count >= n / 2 && b.count > 0) return b.from + ((n / 2 - below) / b.count) * (b.to - b.from);
    below += b.count;
  }
  return null;
}

/** A "nice" bin width (1, 2 or 5 × 10^k) that cuts `range` into at most `max` bins. */
export function niceWidth(range: number, max = 10, integer = false): number {
  if (!(range > 0)) return 1;
  const raw = range / max;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const w = [1, 2, 5, 10].map((m) => m * pow).find((x) => x >= raw) ?? 10 * pow;
  return integer ? Math.max(1, Math.ceil(w)) : w;
}
