// The built-in labeller's training examples (OBLIGATIONS AI-5). Every example in this folder was
// written for this project: short "why?" answers as respondents write them to NPS/eNPS questions of
// hospitals, housing corporations, shops, restaurants, sports clubs, utilities and employers. They are
// not taken from any data set (the SemEval reviews in ../shared/data are used only for measuring).
//
// Format, one example per line:   <sentiment>|<labels>|<text>
//   sentiment: + positive, - negative, 0 neutral, ~ mixed
//   labels:    comma-separated label ids of the taxonomy, or - for "no label applies"
// Lines that are empty or start with # are ignored. A line that does not parse, or that names an
// unknown label, throws at start: a typo must not silently weaken the model.

import type { Example } from '../labeller.js';
import type { Lang } from '../text.js';
import { isLabelOf, type Sentiment, type TaxonomyId } from '../taxonomies.js';
import { CUSTOMER_NL } from './customer-nl.js';
import { CUSTOMER_EN } from './customer-en.js';
import { EMPLOYEE_NL } from './employee-nl.js';
import { EMPLOYEE_EN } from './employee-en.js';

const SENTIMENT_CODES: Record<string, Sentiment> = { '+': 'positive', '-': 'negative', '0': 'neutral', '~': 'mixed' };

export function parseExamples(source: string, lang: Lang, taxonomy: TaxonomyId): Example[] {
  const out: Example[] = [];
  source.split('\n').forEach((raw, n) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = /^([+\-0~])\|([a-z_,]+|-)\|(.+)$/.exec(line);
    if (!m) throw new Error(`training ${taxonomy}/${lang} line ${n + 1} does not parse: ${line}`);
    const [, code = '', labelList = '', text = ''] = m;
    const labels = labelList === '-' ? [] : labelList.split(',');
    for (const l of labels) {
      if (!isLabelOf(taxonomy, l)) throw new Error(`training ${taxonomy}/${lang} line ${n + 1}: unknown label "${l}"`);
    }
    out.push({ text: text.trim(), lang, sentiment: SENTIMENT_CODES[code] as Sentiment, labels });
  });
  return out;
}

const cache = new Map<TaxonomyId, Example[]>();

/** The built-in examples of a taxonomy, Dutch and English. */
export function ownExamples(taxonomy: TaxonomyId): Example[] {
  let examples = cache.get(taxonomy);
  if (!examples) {
    examples =
      taxonomy === 'customer'
        ? [...parseExamples(CUSTOMER_NL, 'nl', 'customer'), ...parseExamples(CUSTOMER_EN, 'en', 'customer')]
        : [...parseExamples(EMPLOYEE_NL, 'nl', 'employee'), ...parseExamples(EMPLOYEE_EN, 'en', 'employee')];
    cache.set(taxonomy, examples);
  }
  return examples;
}
