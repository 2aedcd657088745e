import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ownExamples, parseExamples } from './index.js';
import { CUSTOMER_LABEL_IDS, EMPLOYEE_LABEL_IDS, SENTIMENTS } from '../taxonomies.js';

describe('built-in training examples', () => {
  test('AI-5 there are several hundred examples per language', () => {
    const all = [...ownExamples('customer'), ...ownExamples('employee')];
    for (const lang of ['nl', 'en'] as const) {
      const n = all.filter((e) => e.lang === lang).length;
      assert.ok(n >= 300, `${lang}: ${n} examples`);
    }
  });

  test('every label and every sentiment has examples in both languages', () => {
    for (const [taxonomy, ids] of [
      ['customer', CUSTOMER_LABEL_IDS],
      ['employee', EMPLOYEE_LABEL_IDS],
    ] as const) {
      const examples = ownExamples(taxonomy);
      for (const lang of ['nl', 'en'] as const) {
        const own = examples.filter((e) => e.lang === lang);
        for (const id of ids)
          assert.ok(own.filter((e) => e.labels?.includes(id)).length >= 3, `${taxonomy}/${lang}/${id}`);
        for (const s of SENTIMENTS)
          assert.ok(
            own.some((e) => e.sentiment === s),
            `${taxonomy}/${lang}/${s}`,
          );
      }
    }
  });

  test('no example text appears twice', () => {
    for (const taxonomy of ['customer', 'employee'] as const) {
      const seen = new Set<string>();
      for (const e of ownExamples(taxonomy)) {
        const key = e.text.toLowerCase();
        assert.ok(!seen.has(key), `duplicate: ${e.text}`);
        seen.add(key);
      }
    }
  });

  test('a line that does not parse or names an unknown label throws', () => {
    assert.deepEqual(parseExamples('# comment\n+|price|Goedkoop\n0|-|n.v.t.', 'nl', 'customer'), [
      { text: 'Goedkoop', lang: 'nl', sentiment: 'positive', labels: ['price'] },
      { text: 'n.v.t.', lang: 'nl', sentiment: 'neutral', labels: [] },
    ]);
    assert.throws(() => parseExamples('+|prijs|Goedkoop', 'nl', 'customer'), /unknown label "prijs"/);
    assert.throws(() => parseExamples('positive|price|Goedkoop', 'nl', 'customer'), /does not parse/);
  });
});
