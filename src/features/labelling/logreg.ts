// Logistic regression in plain TypeScript (no dependencies, OBLIGATIONS AI-5): a multinomial
// (softmax) model for sentiment and one binary model per label (one-vs-rest, so a comment can carry
// several labels). Trained with AdaGrad SGD, L2 regularisation and per-example weights (human
// corrections count more, OBLIGATIONS AI-2). Deterministic: a seeded shuffle, so the same examples
// always give the same model.

/** A sparse binary feature vector: indexes of the features present. */
export type SparseVec = Int32Array;

export interface TrainOptions {
  epochs: number;
  /** Strength of L2 regularisation per example seen. */
  l2: number;
  /** AdaGrad base learning rate. */
  learningRate: number;
  seed: number;
  /** Scale a vector's dot product by 1/sqrt(number of features), so long texts do not shout. */
  normalise: boolean;
}

export const DEFAULT_TRAIN: TrainOptions = { epochs: 12, l2: 1e-4, learningRate: 0.3, seed: 20240605, normalise: true };

/** mulberry32: a small seeded PRNG, so training and cross-validation folds are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
  return items;
}

/**
 * Weights of a linear model with `classes` outputs over `dim` features, row-major by feature:
 * weights[f * classes + c]; bias[c]. A binary model has classes = 1 (the logit of "yes").
 */
export interface LinearModel {
  dim: number;
  classes: number;
  normalise: boolean;
  weights: Float32Array;
  bias: Float32Array;
}

function norm(x: SparseVec, normalise = true): number {
  return normalise && x.length > 0 ? 1 / Math.sqrt(x.length) : 1;
}

export function logits(model: LinearModel, x: SparseVec, out: Float64Array): Float64Array {
  const { classes, weights, bias } = model;
  const s = norm(x, model.normalise);
  for (let c = 0; c < classes; c++) out[c] = 0;
  for (let k = 0; k < x.length; k++) {
    const base = (x[k] as number) * classes;
    for (let c = 0; c < classes; c++) out[c] = (out[c] as number) + (weights[base + c] as number);
  }
  for (let c = 0; c < classes; c++) out[c] = (out[c] as number) * s + (bias[c] as number);
  return out;
}

export function softmaxInPlace(z: Float64Array): Float64Array {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    const e = Math.exp((z[i] as number) - max);
    z[i] = e;
    sum += e;
  }
  for (let i = 0; i < z.length; i++) z[i] = (z[i] as number) / sum;
  return z;
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** Multinomial logistic regression. `y[i]` is a class index; `w[i]` the example's weight. */
export function trainSoftmax(
  xs: readonly SparseVec[],
  y: readonly number[],
  w: readonly number[],
  dim: number,
  classes: number,
  opts: TrainOptions = DEFAULT_TRAIN,
): LinearModel {
  const model: LinearModel = {
    dim,
    classes,
    normalise: opts.normalise,
    weights: new Float32Array(dim * classes),
    bias: new Float32Array(classes),
  };
  const g2 = new Float32Array(dim * classes).fill(1e-8);
  const gb2 = new Float64Array(classes).fill(1e-8);
  const order = xs.map((_, i) => i);
  const random = seededRandom(opts.seed);
  const z = new Float64Array(classes);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const i of order) {
      const x = xs[i] as SparseVec;
      const weight = w[i] as number;
      const s = norm(x, opts.normalise);
      softmaxInPlace(logits(model, x, z));
      const target = y[i] as number;
      for (let c = 0; c < classes; c++) {
        const grad = weight * ((z[c] as number) - (c === target ? 1 : 0));
        gb2[c] = (gb2[c] as number) + grad * grad;
        model.bias[c] = (model.bias[c] as number) - (opts.learningRate * grad) / Math.sqrt(gb2[c] as number);
        for (let k = 0; k < x.length; k++) {
          const idx = (x[k] as number) * classes + c;
          const wv = model.weights[idx] as number;
          const gk = grad * s + opts.l2 * wv;
          g2[idx] = (g2[idx] as number) + gk * gk;
          model.weights[idx] = wv - (opts.learningRate * gk) / Math.sqrt(g2[idx] as number);
        }
      }
    }
  }
  return model;
}

/** Binary logistic regression; `y[i]` is 1 or 0. */
export function trainBinary(
  xs: readonly SparseVec[],
  y: readonly number[],
  w: readonly number[],
  dim: number,
  opts: TrainOptions = DEFAULT_TRAIN,
): LinearModel {
  const model: LinearModel = {
    dim,
    classes: 1,
    normalise: opts.normalise,
    weights: new Float32Array(dim),
    bias: new Float32Array(1),
  };
  const g2 = new Float32Array(dim).fill(1e-8);
  let gb2 = 1e-8;
  const order = xs.map((_, i) => i);
  const random = seededRandom(opts.seed);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const i of order) {
      const x = xs[i] as SparseVec;
      const s = norm(x, opts.normalise);
      let z = model.bias[0] as number;
      let dot = 0;
      for (let k = 0; k < x.length; k++) dot += model.weights[x[k] as number] as number;
      z += dot * s;
      const grad = (w[i] as number) * (sigmoid(z) - (y[i] as number));
      gb2 += grad * grad;
      model.bias[0] = (model.bias[0] as number) - (opts.learningRate * grad) / Math.sqrt(gb2);
      for (let k = 0; k < x.length; k++) {
        const idx = x[k] as number;
        const wv = model.weights[idx] as number;
        const gk = grad * s + opts.l2 * wv;
        g2[idx] = (g2[idx] as number) + gk * gk;
        model.weights[idx] = wv - (opts.learningRate * gk) / Math.sqrt(g2[idx] as number);
      }
    }
  }
  return model;
}
