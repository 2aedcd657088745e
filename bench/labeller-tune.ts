// Compares parameter sets of the built-in labeller on the DEV part (70%) of the SemEval-2016 train
// files only, per language and per DEV half (issue 12): a change is kept when it helps on both halves.
// The TEST part is never read. `npx tsx bench/labeller-tune.ts [--seeds 3] '{"labelThreshold":0.5}' ...`
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLabeller, type ModelParamsInput } from '../src/features/labelling/labeller.js';
import type { Lang } from '../src/features/labelling/text.js';
import {
  accuracy,
  devHalfOf,
  emptyScores,
  microF1,
  parseSemEval,
  score,
  splitOf,
  type SemEvalSentence,
} from './labeller.js';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dir = join(root, '..', 'shared', 'data', 'semeval2016-restaurants');
const dev = new Map<Lang, SemEvalSentence[]>();
for (const lang of ['nl', 'en'] as Lang[])
  dev.set(
    lang,
    parseSemEval(readFileSync(join(dir, `${lang}-train.xml`), 'utf8'), lang).filter(
      (s) => splitOf(lang, s.reviewId) === 'dev',
    ),
  );

// Training order matters by about half a point (SGD): with `--seeds N` each set is trained with N
// shuffles and the scores are summed over them, so that a change is not judged on one lucky order.
const args = process.argv.slice(2);
const seedsAt = args.indexOf('--seeds');
const seeds = seedsAt >= 0 ? Number(args[seedsAt + 1]) : 1;
const sets: ModelParamsInput[] = [
  {},
  ...args
    .filter((a, i) => a !== '--seeds' && !(seedsAt >= 0 && i === seedsAt + 1))
    .map((a) => JSON.parse(a) as ModelParamsInput),
];
for (const params of sets) {
  const t0 = performance.now();
  const labellers = Array.from({ length: seeds }, (_, k) =>
    createLabeller({
      taxonomy: 'customer',
      params: k === 0 ? params : { ...params, train: { ...params.train, seed: 1000 + k } },
    }),
  );
  const ms = (performance.now() - t0) / seeds;
  const cells: string[] = [];
  for (const [lang, sentences] of dev) {
    const parts: Array<[string, SemEvalSentence[]]> = [
      [`${lang}A`, sentences.filter((x) => devHalfOf(lang, x.reviewId) === 'A')],
      [`${lang}B`, sentences.filter((x) => devHalfOf(lang, x.reviewId) === 'B')],
      [lang, sentences],
    ];
    for (const [name, part] of parts) {
      const s = emptyScores();
      for (const labeller of labellers) score(labeller, part, s);
      cells.push(`${name} ${microF1(s).toFixed(3)} ${(100 * accuracy(s)).toFixed(1)}%`);
    }
  }
  console.log(`${JSON.stringify(params).padEnd(40)} train ${ms.toFixed(0)}ms | ${cells.join(' | ')}`);
}
