// Compares parameter sets of the built-in labeller on the DEV part (70%) of the SemEval-2016 train
// files only, per language and per DEV half (issue 12): a change is kept when it helps on both halves.
// The TEST part is never read. `npx tsx bench/labeller-tune.ts '{"seeds":3}' '{"labelThreshold":0.5}' ...`
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLabeller, type ModelParamsInput } from '../src/features/labelling/labeller.js';
import type { Lang } from '../src/features/labelling/text.js';
import { accuracy, devHalfOf, microF1, parseSemEval, score, splitOf, type SemEvalSentence } from './labeller.js';

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

const sets: ModelParamsInput[] = [{}, ...process.argv.slice(2).map((a) => JSON.parse(a) as ModelParamsInput)];
for (const params of sets) {
  const t0 = performance.now();
  const labeller = createLabeller({ taxonomy: 'customer', baseExamples: undefined, params });
  const ms = performance.now() - t0;
  const cells: string[] = [];
  for (const [lang, sentences] of dev) {
    for (const half of ['A', 'B'] as const) {
      const s = score(labeller, sentences.filter((x) => devHalfOf(lang, x.reviewId) === half));
      cells.push(`${lang}${half} ${microF1(s).toFixed(3)} ${(100 * accuracy(s)).toFixed(1)}%`);
    }
    const all = score(labeller, sentences);
    cells.push(`${lang} ${microF1(all).toFixed(3)} ${(100 * accuracy(all)).toFixed(1)}%`);
  }
  console.log(`${JSON.stringify(params).padEnd(40)} train ${ms.toFixed(0)}ms | ${cells.join(' | ')}`);
}
