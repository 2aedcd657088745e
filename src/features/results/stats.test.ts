import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compare, groupedMedian, meanInterval, median, moments, npsWithMargin, t95, wilson } from './stats.js';
import { estimateOf, summarizeScale } from './scores.js';
import { numberSummary } from './questions.js';

/** Every expected value below was computed by hand (the working is in the comment above it). */
const near = (actual: number | null | undefined, expected: number, eps = 0.01, what = '') => {
  assert.ok(
    actual !== null && actual !== undefined && Math.abs(actual - expected) <= eps,
    `${what} ${String(actual)} ≉ ${expected}`,
  );
};

describe('SVC-4 results arithmetic (stats.ts): margins and significance', () => {
  test('SVC-4 NPS margin of error from the variance of the promoter/detractor indicator', () => {
    // 5 promoters, 3 passives, 2 detractors: p = 0.5, d = 0.2, NPS = 30.
    // variance = p + d − (p − d)² = 0.7 − 0.09 = 0.61; MoE = 1.96·100·√(0.61/10) = 195.996 · 0.246982 = 48.41.
    const r = npsWithMargin(5, 3, 2);
    near(r.nps, 30);
    near(r.variance, 0.61, 1e-9);
    near(r.margin, 48.41);
    // All promoters: no variance, so no margin (0), NPS 100.
    assert.deepEqual([npsWithMargin(4, 0, 0).nps, npsWithMargin(4, 0, 0).margin], [100, 0]);
    assert.equal(npsWithMargin(0, 0, 0).nps, null);
  });

  test('SVC-4 Wilson interval for proportions (CSAT % satisfied, CES % easy)', () => {
    // k = 4 of n = 4: z² = 3.8415, z²/n = 0.9604, centre = (1 + 0.4802)/1.9604 = 0.75506,
    // half = 1.96·√(3.8415/64)/1.9604 = 0.24495 → [0.5101, 1].
    const all = wilson(4, 4)!;
    near(all.low, 0.5101, 0.0005);
    near(all.high, 1, 1e-9);
    // k = 8 of n = 10: p(1−p)/n = 0.016, z²/4n² = 0.0096, √0.0256 = 0.16001, ·1.96 = 0.31362,
    // denominator 1.38415 → half 0.22658; centre (0.8 + 0.19207)/1.38415 = 0.71674 → [0.4902, 0.9433].
    const eight = wilson(8, 10)!;
    near(eight.low, 0.4902, 0.0005);
    near(eight.high, 0.9433, 0.0005);
    assert.equal(wilson(0, 0), null);
  });

  test('SVC-4 mean with a 95% Student t interval', () => {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32; s² = 32/7 = 4.5714;
    // s/√n = √(4.5714/8) = 0.75593; t(7) = 2.365 → margin 1.7878 → [3.2122, 6.7878].
    const m = moments([
      { value: 2, count: 1 },
      { value: 4, count: 3 },
      { value: 5, count: 2 },
      { value: 7, count: 1 },
      { value: 9, count: 1 },
    ]);
    near(m.mean, 5, 1e-9);
    near(m.variance, 32 / 7, 1e-9);
    const ci = meanInterval(m)!;
    near(ci.margin, 1.7878, 0.001);
    near(ci.low, 3.2122, 0.001);
    // t for 31 degrees of freedom (Cornish–Fisher): tables give 2.0395.
    near(t95(31), 2.0395, 0.0005);
    assert.equal(meanInterval(moments([{ value: 3, count: 1 }])), null, 'one answer has no interval');
  });

  test('SVC-4 a change between two periods: significant or not (two-sample z on the NPS indicator)', () => {
    // a: 5/3/2 of 10 (NPS 30, variance 0.61), b: 2/3/5 of 10 (NPS −30, variance 0.61).
    // z = −60 / √(0.61·100²/10 + 0.61·100²/10) = −60 / √1220 = −60 / 34.928 = −1.718: not significant.
    const h = (p: number, pa: number, d: number) => [
      { value: 10, count: p },
      { value: 7, count: pa },
      { value: 0, count: d },
    ];
    const small = compare(estimateOf('nps', h(5, 3, 2)), estimateOf('nps', h(2, 3, 5)))!;
    near(small.delta, -60);
    near(small.z, -1.718, 0.001);
    assert.equal(small.significant, false);
    // Twice the answers with the same shares: z = −60 / √(610/2·2) = −60/24.698 = −2.429: significant.
    const large = compare(estimateOf('nps', h(10, 6, 4)), estimateOf('nps', h(4, 6, 10)))!;
    near(large.z, -2.429, 0.001);
    assert.equal(large.significant, true);
  });

  test('SVC-4 CSAT all 4 is 100% satisfied, never NPS −100; CES mean and % easy; eNPS named eNPS', () => {
    const csat = summarizeScale('csat', [{ value: 4, count: 4 }], { min: 1, max: 5 });
    assert.equal(csat.value, 100);
    assert.equal(csat.unit, 'percent');
    assert.equal(csat.name.en, 'Customer satisfaction (CSAT)');
    assert.equal(csat.name.nl, 'Klanttevredenheid (CSAT)');
    assert.deepEqual(
      csat.groups.map((g) => [g.category, g.count, g.percent]),
      [
        ['satisfied', 4, 100],
        ['neutral', 0, 0],
        ['dissatisfied', 0, 0],
      ],
    );
    assert.deepEqual(csat.interval, { low: 51, high: 100 });
    assert.equal(csat.mean, 4);
    assert.equal(csat.smallBase, true);
    // CES 1, 2, 2, 3, 5, 6: mean 19/6 = 3.17; easy (1–3) 4 of 6 = 66.7%; squared deviations
    // 4.694 + 2·1.361 + 0.028 + 3.361 + 8.028 = 18.833; s² = 3.7667; s/√6 = 0.79232; t(5) = 2.571 →
    // margin 2.04 → [1.13, 5.20].
    const ces = summarizeScale(
      'ces',
      [1, 2, 2, 3, 5, 6].map((value) => ({ value, count: 1 })),
      { min: 1, max: 7 },
    );
    assert.equal(ces.value, 3.17);
    assert.equal(ces.lowerIsBetter, true);
    assert.equal(ces.share?.category, 'easy');
    assert.equal(ces.share?.percent, 66.7);
    assert.equal(ces.margin, 2.04);
    assert.deepEqual(ces.interval, { low: 1.13, high: 5.2 });
    assert.equal(summarizeScale('enps', [], { min: 0, max: 10 }).name.en, 'Employee Net Promoter Score (eNPS)');
  });

  test('SVC-4 medians: exact for identified surveys, inside the bin for shielded ones', () => {
    assert.equal(median([1, 2, 3, 4].map((value) => ({ value, count: 1 }))), 2.5);
    assert.equal(
      median([
        { value: 1, count: 1 },
        { value: 2, count: 1 },
        { value: 9, count: 1 },
      ]),
      2,
    );
    // Bins [0,10):2, [10,20):6, [20,30):2: n/2 = 5 falls in the second bin, 3 of its 6 in: 10 + 3/6·10 = 15.
    assert.equal(
      groupedMedian([
        { from: 0, to: 10, count: 2 },
        { from: 10, to: 20, count: 6 },
        { from: 20, to: 30, count: 2 },
      ]),
      15,
    );
    // A number question 0–40 hours: bins of 5 (1-2-5 width for 40/10 = 4), the last bin holds 40.
    const s = numberSummary(
      [
        { value: 8, count: 1 },
        { value: 32, count: 2 },
        { value: 40, count: 1 },
      ],
      { min: 0, max: 40, integer: true },
      false,
    );
    assert.equal(s.bins.length, 8);
    assert.deepEqual(s.bins.at(-1), { from: 35, to: 40, count: 1, percent: 25 });
    assert.deepEqual([s.n, s.mean, s.median, s.min, s.max], [4, 28, 32, 8, 40]);
    const shielded = numberSummary(
      [
        { value: 8, count: 1 },
        { value: 32, count: 2 },
        { value: 40, count: 1 },
      ],
      { min: 0, max: 40, integer: true },
      true,
    );
    assert.deepEqual([shielded.min, shielded.max], [null, null]);
    // Grouped: n/2 = 2; bins below 30 hold 1; [30,35) holds 2 → 30 + (2 − 1)/2 · 5 = 32.5.
    assert.equal(shielded.median, 32.5);
  });
});
