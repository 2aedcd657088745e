// Tests of the pure parts of bench/labeller.ts (the bench folder is not searched for tests): the
// SemEval reader and the label mapping decide what the reported figures mean.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { benchLabeller, foldLabel, mapCategory, parseSemEval, sentenceSentiment } from '../../../bench/labeller.js';

const XML = `<?xml version='1.0' encoding='UTF-8'?>
<Reviews>
  <Review rid="r1">
    <sentences>
      <sentence id="r1:1">
        <text>Lekker eten &amp; vriendelijke bediening.</text>
        <Opinions>
          <Opinion target="eten" category="FOOD#QUALITY" polarity="positive" from="7" to="11"/>
          <Opinion target="bediening" category="SERVICE#GENERAL" polarity="positive" from="28" to="37"/>
        </Opinions>
      </sentence>
      <sentence id="r1:2">
        <text>Duur, maar de wijn was top.</text>
        <Opinions>
          <Opinion target="NULL" category="RESTAURANT#PRICES" polarity="negative" from="0" to="0"/>
          <Opinion target="wijn" category="DRINKS#QUALITY" polarity="positive" from="14" to="18"/>
        </Opinions>
      </sentence>
      <sentence id="r1:3"><text>We kwamen om acht uur.</text></sentence>
      <sentence OutOfScope="TRUE" id="r1:4"><text>Iets over een ander restaurant.</text></sentence>
    </sentences>
  </Review>
</Reviews>`;

describe('labeller bench: SemEval reading and mapping', () => {
  test('categories map to our labels as shared/data/README.md says', () => {
    assert.equal(mapCategory('SERVICE#GENERAL'), 'service');
    assert.equal(mapCategory('FOOD#PRICES'), 'price');
    assert.equal(mapCategory('RESTAURANT#PRICES'), 'price');
    assert.equal(mapCategory('DRINKS#STYLE_OPTIONS'), 'product_quality');
    assert.equal(mapCategory('AMBIENCE#GENERAL'), 'ambience');
    assert.equal(mapCategory('LOCATION#GENERAL'), 'other');
    assert.equal(mapCategory('RESTAURANT#GENERAL'), 'other');
    assert.equal(foldLabel('waiting_time'), 'service');
    assert.equal(foldLabel('staff'), 'service');
    assert.equal(foldLabel('reachability'), 'other');
    assert.equal(foldLabel('price'), 'price');
  });

  test('sentence sentiment is mixed only with both a positive and a negative opinion', () => {
    assert.equal(sentenceSentiment(['positive', 'negative']), 'mixed');
    assert.equal(sentenceSentiment(['positive', 'neutral']), 'positive');
    assert.equal(sentenceSentiment(['neutral']), 'neutral');
    assert.equal(sentenceSentiment([]), undefined);
  });

  test('the reader decodes text, skips OutOfScope sentences and keeps sentences without opinions', () => {
    const s = parseSemEval(XML, 'nl');
    assert.deepEqual(
      s.map((x) => [x.id, x.text, x.sentiment, x.labels]),
      [
        ['r1:1', 'Lekker eten & vriendelijke bediening.', 'positive', ['product_quality', 'service']],
        ['r1:2', 'Duur, maar de wijn was top.', 'mixed', ['price', 'product_quality']],
        ['r1:3', 'We kwamen om acht uur.', undefined, []],
      ],
    );
    assert.equal(s[0]?.reviewId, 'r1');
  });

  test('without the data the bench returns no rows', async () => {
    const original = console.log;
    const logged: string[] = [];
    console.log = (msg: string) => logged.push(msg);
    try {
      assert.deepEqual(await benchLabeller({ sharedDir: '/nonexistent-peil-shared' }), []);
    } finally {
      console.log = original;
    }
    assert.match(logged.join('\n'), /labeller bench skipped/);
  });
});
