import { readFileSync } from 'node:fs';
import { parseSemEval, splitOf, score, microF1, accuracy } from './labeller.ts';
import { createLabeller } from '../src/features/labelling/labeller.ts';
const dev = (['nl','en'] as const).map(lang => parseSemEval(readFileSync(`/work/shared/data/semeval2016-restaurants/${lang}-train.xml`,'utf8'), lang).filter(s => splitOf(lang, s.reviewId)==='dev'));
const grid = JSON.parse(process.argv[2] ?? '[{}]');
for (const params of grid) {
  const lab = createLabeller({ taxonomy: 'customer', params });
  const out = dev.map(d => { const s = score(lab, d); return `F1 ${microF1(s).toFixed(3)} sent ${(100*accuracy(s)).toFixed(1)}`; });
  console.log(JSON.stringify(params), 'nl', out[0], '| en', out[1], `train ${lab.trainingMs.toFixed(0)}ms`);
}
