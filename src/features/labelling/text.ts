// Text to features for the built-in labeller (OBLIGATIONS AI-5: works offline, no external service).
//
// Pipeline: normalise (lowercase, strip accents) -> tokenise (words, "!"/"?", emoticons; English
// "n't" split off) -> mark negation scope -> Snowball stem (Dutch or English) -> features: stemmed
// unigrams (NOT_ inside a negation scope), adjacent stem bigrams, 5-letter prefixes of long words,
// polarity lexicon and phrase features (lexicon.ts), topic cue groups (cues.ts) and the language.
// Feature strings are mapped to indexes by the model's vocabulary, so there are no hash collisions
// and the weights stay small. The options that are off by default (contrast, skipgrams, shape) were
// tried and did not improve cross-validation; they stay as switches for re-evaluation.

import snowball from 'snowball-stemmers';
import { NEGATIVE_PHRASES, NEGATIVE_WORDS, POSITIVE_PHRASES, POSITIVE_WORDS } from './lexicon.js';
import { CUES } from './cues.js';

export type Lang = 'nl' | 'en';
export const LANGS: readonly Lang[] = ['nl', 'en'];

// ---------------------------------------------------------------------------------------------
// Language detection by stopword counts. Words both languages use ("is", "was", "we", "in") are left
// out, so that only evidence counts. A tie is broken by spelling patterns, and a remaining tie
// defaults to Dutch: the product's customers are Dutch organisations.

const NL_MARKERS = new Set(
  'de het een en van ik je jij u niet dat die deze op te zijn met voor er maar om ook als dan bij wel geen nog naar zo erg heel veel mijn mij ons onze hebben heb heeft werd wordt worden kan kon goed echt zeer weer alles niets niks waren wat hoe waarom omdat zijn zij ze hij hun uit tot door over meer geen nooit altijd moet moest kunnen graag fijn prettig lekker goede prima slecht slechte lange snelle duidelijke vriendelijke'.split(
    ' ',
  ),
);
const EN_MARKERS = new Set(
  'the a an and of i you not that this these on to are with for there but also as than at no yet so my me our have has had were can could good really very all nothing how why because they he she their out until through about more never always must should would will get got been be do does did is it its staff food too great nice lovely friendly rude slow fast cheap expensive awful terrible excellent amazing'.split(
    ' ',
  ),
);

// Spelling patterns decide when no stopword does ("Great colleagues", "Fijne collega's").
const NL_SPELLING = /ij|aa|oe|uu|ee|sch|cht|eu|ui/g;
const EN_SPELLING = /th|wh|sh|ck|ea|ou|ght|tion\b|y\b|w|x|c(?!h)/g;

export function detectLanguage(text: string): Lang {
  let nl = 0;
  let en = 0;
  const norm = normalise(text);
  for (const m of norm.matchAll(/[\p{L}']+/gu)) {
    const w = m[0];
    if (NL_MARKERS.has(w)) nl++;
    if (EN_MARKERS.has(w)) en++;
  }
  if (nl === en) {
    nl = norm.match(NL_SPELLING)?.length ?? 0;
    en = norm.match(EN_SPELLING)?.length ?? 0;
  }
  return en > nl ? 'en' : 'nl';
}

// ---------------------------------------------------------------------------------------------
// Normalisation and tokens

export function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'");
}

const TOKEN = /[:;=]-?[)(dp]|[\p{L}\p{N}]+(?:'[\p{L}]+)*|[!?]|[.,;:()]|\p{Extended_Pictographic}/gu;
const SAD_EMOJI =
  /[\u{1F620}-\u{1F62F}\u{1F61E}\u{1F61F}\u{1F641}\u{2639}\u{1F44E}\u{1F92C}\u{1F4A9}\u{1F612}\u{1F615}\u{1F616}]/u;

/** Lowercased tokens; English "n't" becomes a separate "not"; emoticons become :) or :(. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of normalise(text).matchAll(TOKEN)) {
    let t = m[0];
    if (/^[:;=]-?[)dp]$/.test(t)) t = ':)';
    else if (/^[:;=]-?\($/.test(t)) t = ':(';
    else if (/^\p{Extended_Pictographic}$/u.test(t)) t = SAD_EMOJI.test(t) ? ':(' : ':)';
    if (t.endsWith("n't") && t.length > 3) {
      const base = t.slice(0, -3);
      out.push(base === 'ca' ? 'can' : base === 'wo' ? 'will' : base === 'sha' ? 'shall' : base);
      out.push('not');
      continue;
    }
    if (t === 'cannot') {
      out.push('can', 'not');
      continue;
    }
    out.push(t);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Negation. A negator marks the next few words (NOT_): "niet lekker", "geen klachten",
// "not friendly", "never again". The scope ends at punctuation or a contrast word.

const NEGATORS = new Set([
  'niet',
  'geen',
  'nooit',
  'niets',
  'niks',
  'nergens',
  'noch',
  'zonder',
  'allerminst',
  'geeneens',
  'nimmer',
  'not',
  'no',
  'never',
  'nothing',
  'nobody',
  'none',
  'nor',
  'without',
  'hardly',
  'barely',
  'neither',
  'nowhere',
]);
const SCOPE_ENDS = new Set([
  '.',
  ',',
  ';',
  ':',
  '!',
  '?',
  '(',
  ')',
  'maar',
  'echter',
  'wel',
  'toch',
  'but',
  'however',
  'although',
  'though',
  'en',
  'and',
]);
export const NEGATION_WINDOW = 3;

export interface Token {
  /** The normalised word. */
  word: string;
  /** Stem of the word (or the punctuation/emoticon itself). */
  stem: string;
  negated: boolean;
  /** Punctuation is kept for scope and bigram boundaries but is not a feature itself, except ! and ?. */
  punct: boolean;
}

const stemmers: Record<Lang, { stem(word: string): string }> = {
  nl: snowball.newStemmer('dutch'),
  en: snowball.newStemmer('english'),
};
// Stemming is the slowest step; feedback reuses a small vocabulary, so a bounded cache pays off.
const stemCache: Record<Lang, Map<string, string>> = { nl: new Map(), en: new Map() };
const STEM_CACHE_MAX = 200_000;

export function stem(word: string, lang: Lang): string {
  const cache = stemCache[lang];
  let s = cache.get(word);
  if (s === undefined) {
    s = /^\p{L}{3,}$/u.test(word) ? stemmers[lang].stem(word) : word;
    if (cache.size >= STEM_CACHE_MAX) cache.clear();
    cache.set(word, s);
  }
  return s;
}

// Issue 12 (fourth round): Dutch puts "niet" after what it negates when it closes the clause
// ("sympathiek zijn ze zeker niet", "de prijs-kwaliteit klopt hier niet", "het werkt niet"): a
// clause-final negator marks the words before it, back to the clause start, at most 2 × `window` words
// (Dutch puts the verb and subject between: "sympathiek zijn ze zeker niet").
const POSTPOSED_NEGATORS: Record<Lang, ReadonlySet<string>> = { nl: new Set(['niet', 'nooit']), en: new Set() };
// Two-word negators: "verre van hartelijk" (English "far from" is as often about distance).
const NEGATOR_PAIRS: Record<Lang, Record<string, string>> = { nl: { van: 'verre' }, en: {} };

export function analyse(text: string, lang: Lang, window = NEGATION_WINDOW): Token[] {
  const out: Token[] = [];
  let scope = 0;
  const tokens = tokenize(text);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    const punct = /^[.,;:!?()]$/.test(t);
    if (NEGATORS.has(t) || (i > 0 && NEGATOR_PAIRS[lang][t] === tokens[i - 1])) {
      out.push({ word: t, stem: t, negated: false, punct: false });
      scope = window;
      const next = tokens[i + 1];
      if (
        POSTPOSED_NEGATORS[lang].has(t) &&
        (next === undefined || /^[.,;:!?()]$/.test(next) || SCOPE_ENDS.has(next))
      ) {
        scope = 0;
        let marked = 0;
        for (let j = out.length - 2; j >= 0 && marked < 2 * window; j--) {
          const prev = out[j] as Token;
          if (prev.punct || SCOPE_ENDS.has(prev.word) || NEGATORS.has(prev.word)) break;
          prev.negated = true;
          marked++;
        }
      }
      continue;
    }
    if (SCOPE_ENDS.has(t)) scope = 0;
    out.push({ word: t, stem: punct || t.startsWith(':') ? t : stem(t, lang), negated: scope > 0 && !punct, punct });
    if (scope > 0 && !punct) scope--;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Features

// Single words become stems; a lexicon entry of several words ("onder de indruk") is a phrase.
const singleWords = (words: readonly string[], lang: Lang): Set<string> =>
  new Set(words.filter((w) => !w.includes(' ') && !w.includes('-')).map((w) => stem(normalise(w), lang)));
const multiWords = (words: readonly string[]): string[] => words.filter((w) => w.includes(' ') || w.includes('-'));
const lexicon: Record<Lang, { pos: Set<string>; neg: Set<string> }> = {
  nl: { pos: singleWords(POSITIVE_WORDS.nl, 'nl'), neg: singleWords(NEGATIVE_WORDS.nl, 'nl') },
  en: { pos: singleWords(POSITIVE_WORDS.en, 'en'), neg: singleWords(NEGATIVE_WORDS.en, 'en') },
};

// A phrase right after a negator counts for the other side ("niet de moeite waard").
const phraseRe = (phrases: readonly string[]): RegExp =>
  new RegExp(
    `(?<![\\p{L}])(?:(niet|geen|nooit|not|never|no|won't|wouldn't|don't|didn't|can't|isn't|wasn't|aren't|weren't|hardly|barely)\\s+)?(?:${phrases.map((p) => normalise(p).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![\\p{L}])`,
    'gu',
  );
const phrases: Record<Lang, { pos: RegExp; neg: RegExp }> = {
  nl: {
    pos: phraseRe([...POSITIVE_PHRASES.nl, ...multiWords(POSITIVE_WORDS.nl)]),
    neg: phraseRe([...NEGATIVE_PHRASES.nl, ...multiWords(NEGATIVE_WORDS.nl)]),
  },
  en: {
    pos: phraseRe([...POSITIVE_PHRASES.en, ...multiWords(POSITIVE_WORDS.en)]),
    neg: phraseRe([...NEGATIVE_PHRASES.en, ...multiWords(NEGATIVE_WORDS.en)]),
  },
};

/** [as written, negated] counts of a phrase list in normalised text. */
function countPhrases(re: RegExp, text: string): [number, number] {
  re.lastIndex = 0;
  let plain = 0;
  let negated = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1]) negated++;
    else plain++;
  }
  return [plain, negated];
}

// Cue words by group: stems for exact matches, normalised words for Dutch compound heads.
const cueStems: Record<Lang, Map<string, string[]>> = { nl: new Map(), en: new Map() };
const cueHeads = new Map<string, string[]>();
for (const [group, words] of Object.entries(CUES)) {
  for (const lang of LANGS) {
    for (const w of words[lang]) {
      const norm = normalise(w);
      const st = stem(norm, lang);
      const list = cueStems[lang].get(st) ?? [];
      if (!list.includes(group)) list.push(group);
      cueStems[lang].set(st, list);
      if (lang === 'nl' && norm.length >= 4 && /^\p{L}+$/u.test(norm)) {
        const heads = cueHeads.get(norm) ?? [];
        if (!heads.includes(group)) heads.push(group);
        cueHeads.set(norm, heads);
      }
    }
  }
}

/** Cue groups of one word: by its stem, and for Dutch by the head of a compound ("huiswijn"). */
function cuesOf(word: string, wordStem: string, lang: Lang): string[] | undefined {
  const direct = cueStems[lang].get(wordStem);
  if (direct || lang !== 'nl' || word.length < 6) return direct;
  for (let i = 2; i <= word.length - 4; i++) {
    const heads = cueHeads.get(word.slice(i));
    if (heads) return heads;
  }
  // Issue 12 (fourth round): a diminutive is its base ("sausjes", "wijntje", "tafeltjes", "kopje").
  const base = /^(\p{L}{3,}?)(?:etjes?|tjes?|pjes?|jes?)$/u.exec(word)?.[1];
  return base === undefined ? undefined : cuesOf(base, stem(base, lang), lang);
}

export interface FeatureOptions {
  bigrams: boolean;
  lexicon: boolean;
  cues: boolean;
  /** First 5 letters of long words, so unseen inflections and compounds still share a feature. */
  prefixes: boolean;
  /** Lexicon polarity of the clause after a contrast word ("maar", "but"), which usually carries the verdict. */
  contrast: boolean;
  /** Word pairs with one word between them ("niet ... lekker"). */
  skipgrams: boolean;
  /** Shouting and emphasis: words in capitals, "!!", "...". */
  shape: boolean;
  /** How many words after a negator are marked NOT_. */
  negationWindow: number;
  /** Issue 12: a negator anywhere (NEGATED), and two or more polar words of a side (LEX_POS2, LEX_NEG2). */
  polarityExtras: boolean;
  /** Copies of each polarity feature (LEX_*, PHRASE_*, NEGATED): more copies, more say against the words. */
  lexiconBoost: number;
}
export const DEFAULT_FEATURES: FeatureOptions = {
  bigrams: true,
  lexicon: true,
  cues: true,
  prefixes: true,
  contrast: false,
  skipgrams: false,
  shape: false,
  negationWindow: NEGATION_WINDOW,
  polarityExtras: true,
  lexiconBoost: 3,
};

// Intensifying first parts of Dutch compounds ("superlekker", "keivriendelijk", "oersaai") and English
// prefixes ("super-friendly"): the rest of the word is looked up in the lexicon.
const INTENSIFIER_PREFIX: Record<Lang, RegExp> = {
  nl: /^(?:super|mega|hyper|ultra|top|kei|bere|reuze|oer|over|zeer|heel|erg|echt|dood)-?(\p{L}{4,})$/u,
  en: /^(?:super|mega|hyper|ultra|over)-(\p{L}{4,})$/u,
};
function intensified(word: string, lang: Lang): string | undefined {
  const m = INTENSIFIER_PREFIX[lang].exec(word);
  return m ? stem(m[1] as string, lang) : undefined;
}

// Issue 12 (fourth round): a Dutch diminutive has the polarity of its base ("minpuntje", "pareltje",
// "tegenvallertje"): -tje, -pje, -etje, -je are taken off and the base is looked up.
function diminutivePolarity(word: string, lex: { pos: Set<string>; neg: Set<string> }): number {
  for (const end of ['etje', 'tje', 'pje', 'je']) {
    if (!word.endsWith(end)) continue;
    const base = stem(word.slice(0, -end.length), 'nl');
    if (lex.pos.has(base)) return 1;
    if (lex.neg.has(base)) return -1;
  }
  return 0;
}

const CONTRAST = new Set([
  'maar',
  'echter',
  'alleen',
  'helaas',
  'but',
  'however',
  'although',
  'though',
  'unfortunately',
  'except',
]);

const PARTICLES = new Set(['terug', 'op', 'uit', 'aan', 'af', 'mee', 'door', 'in', 'na', 'toe', 'over', 'weg', 'bij']);
const clauseEnds = (tokens: readonly Token[], at: number): boolean => {
  const next = tokens[at];
  return next === undefined || next.punct || SCOPE_ENDS.has(next.word);
};

/** The feature strings of a text (a set: presence, not counts). */
export function features(text: string, lang: Lang, opts: FeatureOptions = DEFAULT_FEATURES): string[] {
  const tokens = analyse(text, lang, opts.negationWindow);
  const out = new Set<string>();
  if (opts.shape) {
    if (/\p{Lu}{3,}/u.test(text)) out.add('SHAPE_CAPS');
    if (/!{2,}/.test(text)) out.add('SHAPE_BANGS');
    if (/\.{3}|…/.test(text)) out.add('SHAPE_DOTS');
  }
  let prev2: string | undefined;
  out.add(`lang:${lang}`);
  let pos = 0;
  let neg = 0;
  let afterContrast = false;
  // "geen klachten", "nooit een ontgoocheling": a negated complaint is praise, not a NEGATED text.
  let negatedNegative = false;
  let cPos = 0;
  let cNeg = 0;
  let prev: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i] as Token;
    if (CONTRAST.has(tok.word)) {
      afterContrast = true;
      cPos = 0;
      cNeg = 0;
    }
    if (tok.punct) {
      if (tok.stem === '!' || tok.stem === '?') out.add(tok.stem);
      prev = undefined;
      prev2 = undefined;
      continue;
    }
    out.add(tok.negated ? `NOT_${tok.stem}` : tok.stem);
    if (opts.prefixes && tok.word.length >= 7) out.add(`P_${tok.word.slice(0, 5)}`);
    if (opts.bigrams && prev !== undefined) out.add(`${prev}_${tok.stem}`);
    if (opts.skipgrams && prev2 !== undefined) out.add(`${prev2}__${tok.stem}`);
    prev2 = prev;
    prev = tok.stem;
    if (opts.cues) {
      for (const group of cuesOf(tok.word, tok.stem, lang) ?? []) out.add(`CUE_${group}`);
    }
    // Issue 12 (fourth round): a Dutch separable verb whose particle closes the clause ("niemand belt
    // terug", "ze legde alles rustig uit") is joined again ("terugbelt", "uitlegde") and looked up as
    // one word, so it finds its cue words and gets its own feature.
    if (lang === 'nl' && PARTICLES.has(tok.word) && clauseEnds(tokens, i + 1)) {
      for (let j = i - 1; j >= 0 && j >= i - 6; j--) {
        const w = tokens[j] as Token;
        if (w.punct || SCOPE_ENDS.has(w.word)) break;
        const joined = tok.word + w.word;
        const joinedStem = stem(joined, lang);
        const groups = cueStems.nl.get(joinedStem);
        if (!groups) continue;
        out.add(w.negated || tok.negated ? `NOT_${joinedStem}` : joinedStem);
        if (opts.cues) for (const group of groups) out.add(`CUE_${group}`);
        break;
      }
    }
    if (opts.lexicon) {
      const lex = lexicon[lang];
      let polarity = 0;
      const base = opts.polarityExtras ? intensified(tok.word, lang) : undefined;
      if (lex.pos.has(tok.stem) || tok.stem === ':)' || (base !== undefined && lex.pos.has(base))) polarity = 1;
      else if (lex.neg.has(tok.stem) || tok.stem === ':(' || (base !== undefined && lex.neg.has(base))) polarity = -1;
      else if (lang === 'nl' && tok.word.length >= 6 && tok.word.endsWith('je'))
        polarity = diminutivePolarity(tok.word, lex);
      if (tok.negated) {
        if (polarity < 0) negatedNegative = true;
        polarity = -polarity;
      }
      if (polarity > 0) pos++;
      if (polarity < 0) neg++;
      if (afterContrast && polarity > 0) cPos++;
      if (afterContrast && polarity < 0) cNeg++;
    }
  }
  if (opts.lexicon) {
    const norm = normalise(text);
    const [p1, p2] = countPhrases(phrases[lang].pos, norm);
    const [n1, n2] = countPhrases(phrases[lang].neg, norm);
    const p = p1 + n2;
    const n = n1 + p2;
    if (p > 0) out.add('PHRASE_POS');
    if (n > 0) out.add('PHRASE_NEG');
    pos += p;
    neg += n;
  }
  if (opts.lexicon) {
    if (pos > 0) out.add('LEX_POS');
    if (neg > 0) out.add('LEX_NEG');
    if (pos > neg) out.add('LEX_MORE_POS');
    if (neg > pos) out.add('LEX_MORE_NEG');
    if (pos > 0 && neg > 0) out.add('LEX_BOTH');
    if (opts.polarityExtras) {
      if (pos > 1) out.add('LEX_POS2');
      if (neg > 1) out.add('LEX_NEG2');
    }
  }
  if (opts.polarityExtras && !negatedNegative && tokens.some((t) => NEGATORS.has(t.word))) out.add('NEGATED');
  if (opts.lexiconBoost > 1) {
    for (const f of [...out]) {
      if (!f.startsWith('LEX_') && !f.startsWith('PHRASE_') && f !== 'NEGATED') continue;
      for (let i = 2; i <= opts.lexiconBoost; i++) out.add(`${f}#${i}`);
    }
  }
  if (opts.contrast && afterContrast) {
    if (cPos > cNeg) out.add('CONTRAST_POS');
    if (cNeg > cPos) out.add('CONTRAST_NEG');
  }
  return [...out];
}
