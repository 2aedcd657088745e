import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, features, tokenize } from './text.js';

describe('text features', () => {
  test("tokenize lowercases, strips accents, splits off English n't and keeps ! and ?", () => {
    assert.deepEqual(tokenize('Café was NIET goed!'), ['cafe', 'was', 'niet', 'goed', '!']);
    assert.deepEqual(tokenize("The food wasn't great, can't say more?"), [
      'the',
      'food',
      'was',
      'not',
      'great',
      ',',
      'can',
      'not',
      'say',
      'more',
      '?',
    ]);
    assert.deepEqual(tokenize('Super :) maar ook :('), ['super', ':)', 'maar', 'ook', ':(']);
  });

  test('AI-5 negation marks the next words until punctuation or a contrast word', () => {
    const marked = analyse('Het eten was niet erg lekker, wel goedkoop', 'nl')
      .filter((t) => !t.punct)
      .map((t) => (t.negated ? `NOT_${t.stem}` : t.stem));
    assert.deepEqual(marked, ['het', 'eten', 'was', 'niet', 'NOT_erg', 'NOT_lekker', 'wel', 'goedkop']);
    const en = analyse('We never had to wait long but the food was cold', 'en').map((t) =>
      t.negated ? `NOT_${t.stem}` : t.stem,
    );
    assert.deepEqual(en, ['we', 'never', 'NOT_had', 'NOT_to', 'NOT_wait', 'long', 'but', 'the', 'food', 'was', 'cold']);
  });

  test('features hold stemmed unigrams, bigrams, lexicon and language features', () => {
    const f = features('Vriendelijke medewerkers', 'nl');
    assert.ok(f.includes('vriendelijk'));
    assert.ok(f.includes('medewerker'));
    assert.ok(f.includes('vriendelijk_medewerker'));
    assert.ok(f.includes('LEX_POS'));
    assert.ok(f.includes('lang:nl'));
    assert.ok(!f.includes('LEX_NEG'));
  });

  test('a negated positive word counts as negative for the lexicon', () => {
    const f = features('niet vriendelijk', 'nl');
    assert.ok(f.includes('NOT_vriendelijk'));
    assert.ok(f.includes('LEX_NEG'));
    assert.ok(!f.includes('LEX_POS'));
  });

  test('fixed expressions count, and a negated one counts for the other side', () => {
    assert.ok(features('Het eten kan beter', 'nl').includes('PHRASE_NEG'));
    assert.ok(features('Zeker de moeite waard', 'nl').includes('PHRASE_POS'));
    assert.ok(features('Niet de moeite waard', 'nl').includes('LEX_NEG'));
  });

  test('Dutch compounds match a topic cue by their head word', () => {
    assert.ok(features('Huisgemaakte varkenshaas', 'nl').includes('CUE_food'));
    assert.ok(features('De huiswijn', 'nl').includes('CUE_drink'));
    assert.ok(!features('De huisarts', 'nl').includes('CUE_drink'));
  });
  test('AI-5 a Dutch clause-final "niet" negates the words before it; "verre van" is a negator', () => {
    const marked = (text: string) =>
      analyse(text, 'nl')
        .filter((t) => !t.punct)
        .map((t) => (t.negated ? `NOT_${t.word}` : t.word));
    assert.deepEqual(marked('Sympathiek zijn ze zeker niet'), [
      'NOT_sympathiek',
      'NOT_zijn',
      'NOT_ze',
      'NOT_zeker',
      'niet',
    ]);
    assert.deepEqual(marked('Goed eten, het werkt niet'), ['goed', 'eten', 'NOT_het', 'NOT_werkt', 'niet']);
    assert.deepEqual(marked('Niet lekker'), ['niet', 'NOT_lekker']);
    assert.ok(features('De ontvangst was verre van hartelijk', 'nl').includes('LEX_NEG'));
    // In English a negator before the words stays the only scope.
    assert.ok(!analyse('I did not', 'en').some((t) => t.negated));
  });

  test('a negated complaint ("geen klachten") is not counted as a negated text', () => {
    assert.ok(!features('Geen klachten', 'nl').includes('NEGATED'));
    assert.ok(features('Geen klachten', 'nl').includes('LEX_POS'));
    assert.ok(features('Niet vriendelijk', 'nl').includes('NEGATED'));
  });

  test('Dutch diminutives take the polarity and the topic of their base', () => {
    assert.ok(features('Een minpuntje', 'nl').includes('LEX_NEG'));
    assert.ok(features('Lekkere sausjes', 'nl').includes('CUE_food'));
  });

  test('a Dutch separable verb is joined again for its cue ("belt terug" is "terugbelt")', () => {
    assert.ok(features('Niemand belt terug', 'nl').includes('CUE_communication'));
    assert.ok(!features('Niemand belt', 'nl').includes('CUE_communication'));
  });
});
