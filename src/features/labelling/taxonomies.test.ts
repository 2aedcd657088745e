import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CUSTOMER_LABEL_IDS,
  EMPLOYEE_LABEL_IDS,
  SENTIMENTS,
  TAXONOMIES,
  getTaxonomy,
  isLabelOf,
  isSentiment,
} from './taxonomies.js';

describe('taxonomies', () => {
  test('AI-2 the customer taxonomy has the standard label ids in a stable order', () => {
    assert.deepEqual(
      getTaxonomy('customer').labels.map((l) => l.id),
      [
        'service',
        'staff',
        'communication',
        'waiting_time',
        'price',
        'product_quality',
        'ease_of_use',
        'reachability',
        'ambience',
        'other',
      ],
    );
    assert.deepEqual(
      getTaxonomy('customer').labels.map((l) => l.id),
      [...CUSTOMER_LABEL_IDS],
    );
  });

  test('AI-2 the employee taxonomy has the standard label ids in a stable order', () => {
    assert.deepEqual(
      getTaxonomy('employee').labels.map((l) => l.id),
      [
        'workload',
        'leadership',
        'colleagues',
        'pay_benefits',
        'development',
        'work_life_balance',
        'culture',
        'facilities',
        'other',
      ],
    );
    assert.deepEqual(
      getTaxonomy('employee').labels.map((l) => l.id),
      [...EMPLOYEE_LABEL_IDS],
    );
  });

  test('every label has a Dutch and English name and a one-sentence definition', () => {
    for (const taxonomy of Object.values(TAXONOMIES)) {
      const ids = new Set<string>();
      for (const label of taxonomy.labels) {
        assert.match(label.id, /^[a-z][a-z_]*$/, `${label.id} is snake_case ASCII`);
        assert.ok(!ids.has(label.id), `${label.id} is unique`);
        ids.add(label.id);
        for (const lang of ['nl', 'en'] as const) {
          assert.ok(label.name[lang].length > 1, `${taxonomy.id}/${label.id} name.${lang}`);
          const def = label.definition[lang];
          assert.match(def, /^[A-Z].*\.$/s, `${taxonomy.id}/${label.id} definition.${lang} is a sentence`);
          assert.equal(def.split(/[.!?](\s|$)/).filter((s) => s && s.trim()).length, 1, `${label.id} one sentence`);
        }
      }
    }
  });

  test('sentiment is one of positive, negative, neutral, mixed', () => {
    assert.deepEqual([...SENTIMENTS], ['positive', 'negative', 'neutral', 'mixed']);
    assert.equal(isSentiment('mixed'), true);
    assert.equal(isSentiment('angry'), false);
    assert.equal(isSentiment(3), false);
  });

  test('isLabelOf accepts only ids of the given taxonomy', () => {
    assert.equal(isLabelOf('customer', 'waiting_time'), true);
    assert.equal(isLabelOf('customer', 'workload'), false);
    assert.equal(isLabelOf('employee', 'workload'), true);
    assert.equal(isLabelOf('employee', 'other'), true);
  });
});
