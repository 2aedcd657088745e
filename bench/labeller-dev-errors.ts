// Error analysis of the built-in labeller on the DEV part (70%) of the SemEval-2016 train files only
// (issue 12): a sentiment confusion matrix, precision/recall per folded label and, with --show N, N
// wrong sentences per kind. It never reads the TEST part (`splitOf` decides before anything is
// labelled), so it is safe to run while tuning. With `--half A` (or B) only that half of DEV is read
// (devHalfOf): errors are studied on A, and B is kept as the stand-in for unseen text.
// `npx tsx bench/labeller-dev-errors.ts [--show N] [--half A|B] [nl|en]`
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLabeller } from '../src/features/labelling/labeller.js';
import type { Lang } from '../src/features/labelling/text.js';
import { devHalfOf, foldLabel, parseSemEval, splitOf } from './labeller.js';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dir = join(root, '..', 'shared', 'data', 'semeval2016-restaurants');
const args = process.argv.slice(2);
const showAt = args.indexOf('--show');
const show = showAt >= 0 ? Number(args[showAt + 1]) : 0;
const halfAt = args.indexOf('--half');
const half = halfAt >= 0 ? args[halfAt + 1] : undefined;
const langs = (['nl', 'en'] as Lang[]).filter(
  (l) => args.length === 0 || args.includes(l) || !args.some((a) => a === 'nl' || a === 'en'),
);
const labeller = createLabeller({ taxonomy: 'customer' });

for (const lang of langs) {
  const dev = parseSemEval(readFileSync(join(dir, `${lang}-train.xml`), 'utf8'), lang).filter(
    (s) => splitOf(lang, s.reviewId) === 'dev' && (half === undefined || devHalfOf(lang, s.reviewId) === half),
  );
  const confusion = new Map<string, number>();
  const per = new Map<string, { tp: number; fp: number; fn: number }>();
  const errors = new Map<string, string[]>();
  const note = (kind: string, line: string) => {
    const list = errors.get(kind) ?? [];
    list.push(line);
    errors.set(kind, list);
  };
  for (const s of dev) {
    const r = labeller.label(s.text, lang);
    if (s.sentiment) {
      const k = `${s.sentiment}->${r.sentiment}`;
      confusion.set(k, (confusion.get(k) ?? 0) + 1);
      if (s.sentiment !== r.sentiment) note(k, s.text);
    }
    const pred = new Set(r.labels.map(foldLabel));
    for (const l of new Set([...pred, ...s.labels])) {
      const c = per.get(l) ?? { tp: 0, fp: 0, fn: 0 };
      if (pred.has(l) && s.labels.includes(l)) c.tp++;
      else if (pred.has(l)) {
        c.fp++;
        note(`FP ${l}`, `${s.text}  [gold: ${s.labels.join(',')}]`);
      } else {
        c.fn++;
        note(`FN ${l}`, `${s.text}  [pred: ${[...pred].join(',')}; ${s.sentiment ?? '-'}]`);
      }
      per.set(l, c);
    }
  }
  console.log(`== ${lang} DEV${half ? ` half ${half}` : ''}`);
  console.log(
    [...confusion]
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join('\n'),
  );
  for (const [l, c] of [...per].sort()) {
    const p = c.tp / Math.max(1, c.tp + c.fp);
    const rc = c.tp / Math.max(1, c.tp + c.fn);
    console.log(`${l.padEnd(16)} tp ${c.tp} fp ${c.fp} fn ${c.fn}  P ${p.toFixed(2)} R ${rc.toFixed(2)}`);
  }
  if (show > 0)
    for (const [k, list] of [...errors].sort()) {
      console.log(`-- ${k} (${list.length})`);
      for (const line of list.slice(0, show)) console.log(`   ${line}`);
    }
}
