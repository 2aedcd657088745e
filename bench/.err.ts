import { readFileSync } from 'node:fs';
import { parseSemEval, splitOf, foldLabel } from '/work/wt-l/bench/labeller.ts';
import { createLabeller } from '/work/wt-l/src/features/labelling/labeller.ts';
const lab = createLabeller({ taxonomy: 'customer' });
for (const lang of ['nl','en'] as const) {
  const dev = parseSemEval(readFileSync(`/work/shared/data/semeval2016-restaurants/${lang}-train.xml`,'utf8'), lang).filter(s => splitOf(lang, s.reviewId)==='dev');
  const per = new Map<string,{tp:number,fp:number,fn:number}>();
  const conf = new Map<string,number>();
  for (const s of dev) {
    const r = lab.label(s.text, lang);
    const p = new Set(r.labels.map(foldLabel));
    for (const l of new Set([...p, ...s.labels])) {
      const e = per.get(l) ?? {tp:0,fp:0,fn:0}; per.set(l,e);
      if (p.has(l) && s.labels.includes(l)) e.tp++; else if (p.has(l)) e.fp++; else e.fn++;
    }
    if (s.sentiment) { const k = `${s.sentiment}->${r.sentiment}`; conf.set(k,(conf.get(k)??0)+1); }
  }
  console.log(lang, [...per].map(([l,e])=>`${l} tp${e.tp} fp${e.fp} fn${e.fn}`).join(' | '));
  console.log(lang, [...conf].sort().map(([k,v])=>`${k}:${v}`).join(' '));
}
