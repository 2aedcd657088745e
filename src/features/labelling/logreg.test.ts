import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { logits, seededRandom, sigmoid, softmaxInPlace, trainBinary, trainSoftmax } from './logreg.js';

// Feature 0 says class 0, feature 1 says class 1, feature 2 says class 2, feature 3 is noise.
const xs = [
  Int32Array.of(0, 3),
  Int32Array.of(0),
  Int32Array.of(1, 3),
  Int32Array.of(1),
  Int32Array.of(2, 3),
  Int32Array.of(2),
];
const y = [0, 0, 1, 1, 2, 2];

describe('logistic regression', () => {
  test('softmax learns a separable three-class problem', () => {
    const m = trainSoftmax(
      xs,
      y,
      y.map(() => 1),
      4,
      3,
    );
    xs.forEach((x, i) => {
      const p = softmaxInPlace(logits(m, x, new Float64Array(3)));
      assert.equal(p.indexOf(Math.max(...p)), y[i]);
    });
  });

  test('binary model learns one class against the rest', () => {
    const m = trainBinary(
      xs,
      y.map((c) => (c === 1 ? 1 : 0)),
      y.map(() => 1),
      4,
    );
    assert.ok(sigmoid(logits(m, Int32Array.of(1), new Float64Array(1))[0] as number) > 0.7);
    assert.ok(sigmoid(logits(m, Int32Array.of(0), new Float64Array(1))[0] as number) < 0.3);
  });

  test('example weights shift the decision', () => {
    // The same features with conflicting answers: the heavier example wins.
    const same = [Int32Array.of(0), Int32Array.of(0)];
    const light = trainBinary(same, [1, 0], [1, 5], 1);
    const heavy = trainBinary(same, [1, 0], [5, 1], 1);
    assert.ok(sigmoid(logits(light, Int32Array.of(0), new Float64Array(1))[0] as number) < 0.5);
    assert.ok(sigmoid(logits(heavy, Int32Array.of(0), new Float64Array(1))[0] as number) > 0.5);
  });

  test('the seeded random generator repeats', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    assert.deepEqual([a(), a(), a()], [b(), b(), b()]);
    assert.notEqual(seededRandom(1)(), seededRandom(2)());
  });
});
