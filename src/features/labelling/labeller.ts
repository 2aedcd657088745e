// The built-in labeller (OBLIGATIONS AI-5): sentiment and topic labels for free-text answers,
// computed in-process, offline, for Dutch and English.
//
// How the model comes to be: the examples in training/ (written for this project) plus a customer's
// corrections (OBLIGATIONS AI-2) are turned into features (text.ts) and two kinds of logistic
// regression are trained (logreg.ts): one multinomial model for sentiment and one binary model per
// label. Training takes well under a second, so the model is trained when a labeller is created
// (and the standard model is trained once per process and reused); there is no model file to ship,
// version or keep in sync with the code. `createLabeller` is where a customer's corrections enter:
// they are added to the training examples with a higher weight, and a correction also answers
// directly for a text that is (nearly) the same as the corrected one.

import {
  CUSTOMER_LABEL_IDS,
  EMPLOYEE_LABEL_IDS,
  SENTIMENTS,
  isSentiment,
  type Sentiment,
  type TaxonomyId,
} from './taxonomies.js';
import { DEFAULT_FEATURES, analyse, detectLanguage, features, type FeatureOptions, type Lang } from './text.js';
import {
  DEFAULT_TRAIN,
  logits,
  sigmoid,
  softmaxInPlace,
  trainBinary,
  trainSoftmax,
  type LinearModel,
  type SparseVec,
  type TrainOptions,
} from './logreg.js';
import { ownExamples } from './training/index.js';

export interface Example {
  text: string;
  /** Detected when absent. */
  lang?: Lang;
  /** Absent: the example says nothing about sentiment (for example a correction of labels only). */
  sentiment?: Sentiment;
  /** Absent: the example says nothing about labels; [] means "no label applies". */
  labels?: readonly string[];
  /** Relative weight in training; default 1 for built-in examples, `extraWeight` for extra ones. */
  weight?: number;
}

export interface ModelParams {
  train: TrainOptions;
  features: FeatureOptions;
  /** A label is given when its probability reaches this value. */
  labelThreshold: number;
  /** Weight of a customer's own examples (corrections) relative to a built-in example. */
  extraWeight: number;
  /** Jaccard similarity of content words from which a correction answers directly; > 1 turns it off. */
  memorySimilarity: number;
  /** Whether the sentiment model sees the topic cue features (cross-validation says: better not). */
  sentimentCues: boolean;
  /** Whether the label models see the polarity lexicon features. */
  labelLexicon: boolean;
  /**
   * Added to the sentiment logits (positive, negative, neutral, mixed) before the softmax: corrects the
   * prior of the training examples (written with slightly more complaints than praise) towards what
   * answers hold (more praise than complaints). Chosen on the DEV part of bench/labeller.ts.
   */
  sentimentBias: readonly [number, number, number, number];
  /**
   * A label is also given from this (lower) probability when the text holds one of the label's own
   * cue words (cues.ts, CUE_LABELS): "bediening" makes service likely enough at a lower score.
   * Lists ("sfeer, bediening en eten top") otherwise lose all but their strongest topic.
   */
  cueThreshold: number;
  /**
   * Issue 12: praise and criticism on both sides of a contrast ("lekker eten, maar trage bediening"):
   * when the text splits at a contrast word into parts the sentiment model gives opposite polarities,
   * each with at least this probability, the answer is mixed. 1 turns the rule off.
   */
  mixedClause: number;
  /**
   * Issue 12 (third round): a text the sentiment model reads as neutral with at least this probability
   * (after `sentimentBias`) gets no labels: a sentence that only tells what happened ("we hadden
   * gereserveerd voor acht uur") holds no judgement about a topic. > 1 turns it off.
   */
  opinionGate: number;
}

/** Which cue groups (cues.ts) speak for which label. */
export const CUE_LABELS: Readonly<Record<string, readonly string[]>> = {
  food: ['product_quality'],
  drink: ['product_quality'],
  service: ['service'],
  staff: ['staff'],
  price: ['price'],
  ambience: ['ambience'],
  location: ['reachability'],
  communication: ['communication'],
  online: ['ease_of_use'],
  waiting: ['waiting_time'],
  workload: ['workload'],
  manager: ['leadership'],
  colleague: ['colleagues'],
  pay: ['pay_benefits'],
  growth: ['development'],
  schedule: ['work_life_balance'],
  culture: ['culture'],
  equipment: ['facilities'],
};

// Chosen on the DEV part of the SemEval *train* files (bench/labeller.ts, issue 12); never on its TEST
// part or on a test set.
export const DEFAULT_PARAMS: ModelParams = {
  train: DEFAULT_TRAIN,
  features: DEFAULT_FEATURES,
  labelThreshold: 0.45,
  extraWeight: 2,
  memorySimilarity: 0.8,
  sentimentCues: false,
  labelLexicon: false,
  sentimentBias: [0, 0, -1, 0],
  cueThreshold: 0.02,
  mixedClause: 0.75,
  opinionGate: 0.3,
};

// Words (and marks) where a text turns from one judgement to another.
const CONTRAST_SPLIT =
  /\s*(?:(?<!\balleen\s)\b(?:maar|echter|daarentegen|but|however|although|though|unfortunately|except|sadly|yet)\b|\s[-–—]\s)\s*/iu;

const isCue = (f: string): boolean => f.startsWith('CUE_');
const isPolarity = (f: string): boolean => f.startsWith('LEX_') || f.startsWith('PHRASE_');

/** Feature indexes for the sentiment model and for the label models (they may see different features). */
function vectors(
  feats: readonly string[],
  index: (f: string) => number | undefined,
  params: ModelParams,
): { s: SparseVec; l: SparseVec } {
  const s: number[] = [];
  const l: number[] = [];
  for (const f of feats) {
    const id = index(f);
    if (id === undefined) continue;
    if (params.sentimentCues || !isCue(f)) s.push(id);
    if (params.labelLexicon || !isPolarity(f)) l.push(id);
  }
  return { s: Int32Array.from(s), l: Int32Array.from(l) };
}

/** Parameters to override; nested option groups may be given in part. */
export type ModelParamsInput = Partial<Omit<ModelParams, 'train' | 'features'>> & {
  train?: Partial<TrainOptions>;
  features?: Partial<FeatureOptions>;
};

export interface LabellerOptions {
  taxonomy: TaxonomyId;
  /** A customer's corrections (human labels, OBLIGATIONS AI-2), added to training with a higher weight. */
  extraExamples?: readonly Example[];
  /**
   * A customer's own labels (beyond the taxonomy's): each gets its own binary model, learnt from the
   * corrections that use it, since no built-in example does.
   */
  extraLabelIds?: readonly string[];
  /** Replace the built-in examples (used by the benchmark and tests); default: training/. */
  baseExamples?: readonly Example[];
  params?: ModelParamsInput;
}

export interface LabelResult {
  sentiment: Sentiment;
  /** Label ids of the taxonomy, most likely first; empty when no label is likely enough. */
  labels: string[];
  lang: Lang;
  scores: {
    sentiment: Record<Sentiment, number>;
    labels: Record<string, number>;
  };
  /** 'correction' when a human correction of a (nearly) identical text decided the result. */
  source: 'model' | 'correction';
}

export interface Labeller {
  readonly taxonomy: TaxonomyId;
  readonly labelIds: readonly string[];
  /** Number of examples the model was trained on. */
  readonly trainedOn: number;
  /** Milliseconds the training took. */
  readonly trainingMs: number;
  label(text: string, lang?: Lang): LabelResult;
}

const LABEL_IDS: Record<TaxonomyId, readonly string[]> = { customer: CUSTOMER_LABEL_IDS, employee: EMPLOYEE_LABEL_IDS };

const standardLabellers = new Map<TaxonomyId, Labeller>();

/** Creates a labeller; without corrections or options the standard model is trained once and reused. */
export function createLabeller(opts: LabellerOptions): Labeller {
  const standard = !opts.extraExamples?.length && !opts.extraLabelIds?.length && !opts.baseExamples && !opts.params;
  if (standard) {
    const cached = standardLabellers.get(opts.taxonomy);
    if (cached) return cached;
  }
  const labeller = train(opts);
  if (standard) standardLabellers.set(opts.taxonomy, labeller);
  return labeller;
}

interface Prepared {
  /** Features for sentiment and for labels. */
  xs: SparseVec;
  xl: SparseVec;
  sentiment?: number;
  labels?: readonly string[];
  weight: number;
}

function train(opts: LabellerOptions): Labeller {
  const started = performance.now();
  const params: ModelParams = {
    ...DEFAULT_PARAMS,
    ...opts.params,
    train: { ...DEFAULT_PARAMS.train, ...opts.params?.train },
    features: { ...DEFAULT_PARAMS.features, ...opts.params?.features },
  };
  const labelIds = [
    ...LABEL_IDS[opts.taxonomy],
    ...(opts.extraLabelIds ?? []).filter((id) => !LABEL_IDS[opts.taxonomy].includes(id)),
  ];
  const known = new Set(labelIds);
  const base = (opts.baseExamples ?? ownExamples(opts.taxonomy)).map((e) => ({ ...e, weight: e.weight ?? 1 }));
  const extra = (opts.extraExamples ?? []).map((e) => ({ ...e, weight: e.weight ?? params.extraWeight }));
  const all = [...base, ...extra];
  for (const e of all) {
    if (e.sentiment !== undefined && !isSentiment(e.sentiment))
      throw new Error(`Unknown sentiment "${String(e.sentiment)}" in example "${e.text}"`);
    for (const l of e.labels ?? [])
      if (!known.has(l)) throw new Error(`Unknown ${opts.taxonomy} label "${l}" in example "${e.text}"`);
  }

  const vocab = new Map<string, number>();
  const prepared: Prepared[] = all.map((e) => {
    const lang = e.lang ?? detectLanguage(e.text);
    const feats = features(e.text, lang, params.features);
    const { s, l } = vectors(
      feats,
      (f) => {
        let id = vocab.get(f);
        if (id === undefined) {
          id = vocab.size;
          vocab.set(f, id);
        }
        return id;
      },
      params,
    );
    return {
      xs: s,
      xl: l,
      sentiment: e.sentiment === undefined ? undefined : SENTIMENTS.indexOf(e.sentiment),
      labels: e.labels,
      weight: e.weight,
    };
  });
  const dim = vocab.size;

  const withSentiment = prepared.filter((p) => p.sentiment !== undefined);
  const sentimentModel = trainSoftmax(
    withSentiment.map((p) => p.xs),
    withSentiment.map((p) => p.sentiment as number),
    withSentiment.map((p) => p.weight),
    dim,
    SENTIMENTS.length,
    params.train,
  );
  const withLabels = prepared.filter((p) => p.labels !== undefined);
  const labelModels = labelIds.map((id) =>
    trainBinary(
      withLabels.map((p) => p.xl),
      withLabels.map((p) => ((p.labels as readonly string[]).includes(id) ? 1 : 0)),
      withLabels.map((p) => p.weight),
      dim,
      params.train,
    ),
  );
  const memory = new CorrectionMemory(params.memorySimilarity);
  for (const e of extra) memory.add(e);

  return new TrainedLabeller(
    opts.taxonomy,
    labelIds,
    vocab,
    sentimentModel,
    labelModels,
    params,
    memory,
    all.length,
    performance.now() - started,
  );
}

class TrainedLabeller implements Labeller {
  private readonly z = new Float64Array(SENTIMENTS.length);
  private readonly one = new Float64Array(1);

  constructor(
    readonly taxonomy: TaxonomyId,
    readonly labelIds: readonly string[],
    private readonly vocab: Map<string, number>,
    private readonly sentimentModel: LinearModel,
    private readonly labelModels: readonly LinearModel[],
    private readonly params: ModelParams,
    private readonly memory: CorrectionMemory,
    readonly trainedOn: number,
    readonly trainingMs: number,
  ) {}

  private sentimentOf(text: string, language: Lang): Float64Array {
    const { s } = vectors(features(text, language, this.params.features), (f) => this.vocab.get(f), this.params);
    const raw = logits(this.sentimentModel, s, new Float64Array(SENTIMENTS.length));
    for (let i = 0; i < raw.length; i++) raw[i] = (raw[i] as number) + (this.params.sentimentBias[i] ?? 0);
    return softmaxInPlace(raw);
  }

  label(text: string, lang?: Lang): LabelResult {
    const language = lang ?? detectLanguage(text);
    const feats = features(text, language, this.params.features);
    const { s: xs, l: xl } = vectors(feats, (f) => this.vocab.get(f), this.params);
    let cued: Set<string> | undefined;
    for (const f of feats) {
      if (!f.startsWith('CUE_')) continue;
      for (const l of CUE_LABELS[f.slice(4)] ?? []) (cued ??= new Set()).add(l);
    }

    const raw = logits(this.sentimentModel, xs, this.z);
    for (let i = 0; i < raw.length; i++) raw[i] = (raw[i] as number) + (this.params.sentimentBias[i] ?? 0);
    const z = softmaxInPlace(raw);
    const sentimentScores = {} as Record<Sentiment, number>;
    let best = 0;
    SENTIMENTS.forEach((s, i) => {
      sentimentScores[s] = z[i] as number;
      if ((z[i] as number) > (z[best] as number)) best = i;
    });
    if (this.params.mixedClause < 1 && (best === 0 || best === 1)) {
      const parts = text.split(CONTRAST_SPLIT).filter((p) => /\p{L}{2,}/u.test(p));
      if (parts.length >= 2) {
        let pos = false;
        let neg = false;
        for (const part of parts) {
          const pz = this.sentimentOf(part, language);
          if ((pz[0] as number) >= this.params.mixedClause) pos = true;
          if ((pz[1] as number) >= this.params.mixedClause) neg = true;
        }
        if (pos && neg) best = 3;
      }
    }
    const labelScores: Record<string, number> = {};
    const labels: string[] = [];
    this.labelModels.forEach((m, i) => {
      const p = sigmoid(logits(m, xl, this.one)[0] as number);
      const id = this.labelIds[i] as string;
      labelScores[id] = p;
      if (p >= this.params.labelThreshold || (cued?.has(id) && p >= this.params.cueThreshold)) labels.push(id);
    });
    if ((z[2] as number) >= this.params.opinionGate) labels.length = 0;
    labels.sort((a, b) => (labelScores[b] as number) - (labelScores[a] as number));

    const result: LabelResult = {
      sentiment: SENTIMENTS[best] as Sentiment,
      labels,
      lang: language,
      scores: { sentiment: sentimentScores, labels: labelScores },
      source: 'model',
    };
    if (!/[\p{L}\p{N}]/u.test(text)) return { ...result, sentiment: 'neutral', labels: [] };

    // OBLIGATIONS AI-2: a human correction of the same (or nearly the same) text is kept and used.
    const correction = this.memory.lookup(text, language);
    if (correction) {
      if (correction.sentiment !== undefined) result.sentiment = correction.sentiment;
      if (correction.labels !== undefined) result.labels = [...correction.labels];
      result.source = 'correction';
    }
    return result;
  }
}

// ---------------------------------------------------------------------------------------------
// Corrections as a memory: the content words of each corrected text, with an inverted index so a
// look-up costs only the postings of the words a text shares with the corrections.

const MEMORY_STOPWORDS = new Set(
  'de het een en van ik je u dat die op te is was zijn met voor er om ook als dan bij nog naar zo heel erg we wij mijn ons onze the a an and of i you that it is was are were to for with at on my our we very so really'.split(
    ' ',
  ),
);

function contentKey(text: string, lang: Lang): Set<string> {
  const out = new Set<string>();
  for (const t of analyse(text, lang)) {
    if (t.punct || MEMORY_STOPWORDS.has(t.stem)) continue;
    out.add(t.negated ? `NOT_${t.stem}` : t.stem);
  }
  return out;
}

class CorrectionMemory {
  private readonly entries: Array<{ words: Set<string>; example: Example }> = [];
  private readonly index = new Map<string, number[]>();

  constructor(private readonly minSimilarity: number) {}

  add(example: Example): void {
    if (this.minSimilarity > 1) return;
    const words = contentKey(example.text, example.lang ?? detectLanguage(example.text));
    if (words.size === 0) return;
    const id = this.entries.length;
    this.entries.push({ words, example });
    for (const w of words) {
      const list = this.index.get(w);
      if (list) list.push(id);
      else this.index.set(w, [id]);
    }
  }

  lookup(text: string, lang: Lang): Example | undefined {
    if (this.entries.length === 0) return undefined;
    const words = contentKey(text, lang);
    if (words.size === 0) return undefined;
    const shared = new Map<number, number>();
    for (const w of words) for (const id of this.index.get(w) ?? []) shared.set(id, (shared.get(id) ?? 0) + 1);
    let best: Example | undefined;
    let bestSim = 0;
    for (const [id, n] of shared) {
      const entry = this.entries[id] as { words: Set<string>; example: Example };
      const sim = n / (words.size + entry.words.size - n);
      // The latest correction wins a tie: it is the customer's newest judgement.
      if (sim >= this.minSimilarity && sim >= bestSim) {
        best = entry.example;
        bestSim = sim;
      }
    }
    return best;
  }
}
