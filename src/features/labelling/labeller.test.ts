import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLabeller, type Example } from './labeller.js';
import { detectLanguage } from './text.js';

describe('built-in labeller', () => {
  const customer = createLabeller({ taxonomy: 'customer' });
  const employee = createLabeller({ taxonomy: 'employee' });

  test('AI-5 a clearly negative Dutch waiting-time comment is negative and labelled waiting_time', () => {
    const r = customer.label('Ik heb twee uur in de wachtkamer moeten wachten, echt belachelijk.', 'nl');
    assert.equal(r.sentiment, 'negative');
    assert.equal(r.labels[0], 'waiting_time');
  });

  test('AI-5 a negative English comment about staff is negative and labelled staff', () => {
    const r = customer.label('The receptionist was extremely rude to me.', 'en');
    assert.equal(r.sentiment, 'negative');
    assert.ok(r.labels.includes('staff'), r.labels.join());
  });

  test('AI-5 a price comment is labelled price, in both languages', () => {
    assert.ok(customer.label('Veel te duur voor wat je krijgt.').labels.includes('price'));
    assert.ok(customer.label('Way too expensive for what you get.').labels.includes('price'));
  });

  test('AI-5 negation flips sentiment (Dutch and English)', () => {
    assert.equal(customer.label('Het eten was lekker.').sentiment, 'positive');
    assert.equal(customer.label('Het eten was niet lekker.').sentiment, 'negative');
    assert.equal(customer.label('De medewerkers waren vriendelijk.').sentiment, 'positive');
    assert.equal(customer.label('De medewerkers waren niet vriendelijk.').sentiment, 'negative');
    assert.equal(customer.label('The staff were friendly.').sentiment, 'positive');
    assert.equal(customer.label("The staff weren't friendly.").sentiment, 'negative');
  });

  test('AI-5 praise and criticism in one answer is mixed', () => {
    assert.equal(customer.label('De bediening was traag maar het eten was heerlijk.').sentiment, 'mixed');
  });

  test('AI-5 the employee taxonomy labels workload and leadership', () => {
    const workload = employee.label('De werkdruk is veel te hoog.');
    assert.equal(workload.sentiment, 'negative');
    assert.deepEqual(workload.labels, ['workload']);
    assert.ok(employee.label('Mijn leidinggevende luistert nooit.').labels.includes('leadership'));
    assert.ok(employee.label('Great colleagues, we help each other.').labels.includes('colleagues'));
  });

  test('AI-5 labels without any network access', () => {
    const original = globalThis.fetch;
    globalThis.fetch = () => {
      throw new Error('the built-in labeller must not use the network');
    };
    try {
      const fresh = createLabeller({
        taxonomy: 'customer',
        extraExamples: [{ text: 'Prima', sentiment: 'positive', labels: ['other'] }],
      });
      assert.equal(fresh.label('Heel vriendelijk personeel').sentiment, 'positive');
    } finally {
      globalThis.fetch = original;
    }
  });

  // How long training takes is measured by `npm run bench`, not asserted here (shared, noisy machines).
  test('AI-5 the standard model is trained on the built-in examples once and reused', () => {
    assert.ok(customer.trainedOn >= 500, `${customer.trainedOn} examples`);
    assert.equal(createLabeller({ taxonomy: 'customer' }), customer);
  });

  test('scores are probabilities and labels are ordered by score', () => {
    const r = customer.label('Lang gewacht en de prijs was ook nog hoog.');
    const sum = Object.values(r.scores.sentiment).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-6);
    assert.deepEqual(Object.keys(r.scores.labels).sort(), [...customer.labelIds].sort());
    for (let i = 1; i < r.labels.length; i++) {
      assert.ok(
        (r.scores.labels[r.labels[i - 1] as string] as number) >= (r.scores.labels[r.labels[i] as string] as number),
      );
    }
  });

  test('a text without words is neutral and unlabelled', () => {
    const r = customer.label('  ... ');
    assert.equal(r.sentiment, 'neutral');
    assert.deepEqual(r.labels, []);
  });

  test('training is deterministic', () => {
    const extra: Example[] = [
      { text: 'Het zwembad was koud', lang: 'nl', sentiment: 'negative', labels: ['product_quality'] },
    ];
    const a = createLabeller({ taxonomy: 'customer', extraExamples: extra, params: { memorySimilarity: 2 } });
    const b = createLabeller({ taxonomy: 'customer', extraExamples: extra, params: { memorySimilarity: 2 } });
    assert.deepEqual(
      a.label('Het water in het zwembad was te koud').scores,
      b.label('Het water in het zwembad was te koud').scores,
    );
  });
});

describe('corrections (AI-2)', () => {
  const text = 'De kapper knipte mijn haar veel te kort';
  const correction: Example = { text, lang: 'nl', sentiment: 'negative', labels: ['staff'] };

  test('AI-2 a correction changes the labels of a near-identical text', () => {
    const before = createLabeller({ taxonomy: 'customer' }).label('De kapper knipte mijn haar veel te kort!');
    assert.notDeepEqual(before.labels, ['staff'], 'the standard model must not already give the corrected answer');
    const after = createLabeller({ taxonomy: 'customer', extraExamples: [correction] }).label(
      'de kapper knipte mijn haar erg veel te kort!',
    );
    assert.deepEqual(after.labels, ['staff']);
    assert.equal(after.source, 'correction');
  });

  test('AI-2 corrections are also learned by the model, weighted above built-in examples', () => {
    const similar = 'Het zwembad was erg koud vandaag';
    const corrections: Example[] = [
      { text: 'Het zwembad was koud', lang: 'nl', sentiment: 'negative', labels: ['product_quality'] },
      { text: 'Water in het zwembad veel te koud', lang: 'nl', sentiment: 'negative', labels: ['product_quality'] },
    ];
    const before = createLabeller({ taxonomy: 'customer' }).label(similar);
    const after = createLabeller({
      taxonomy: 'customer',
      extraExamples: corrections,
      params: { memorySimilarity: 2 },
    }).label(similar);
    assert.equal(after.source, 'model');
    assert.ok(
      (after.scores.labels.product_quality as number) > (before.scores.labels.product_quality as number) + 0.1,
      `${before.scores.labels.product_quality} -> ${after.scores.labels.product_quality}`,
    );
    assert.equal(after.labels[0], 'product_quality');
    assert.ok(!after.labels.includes('ambience'), after.labels.join());
  });

  test('AI-2 a correction of sentiment only keeps the model labels', () => {
    const l = createLabeller({
      taxonomy: 'customer',
      extraExamples: [{ text: 'Het personeel was heel direct', sentiment: 'positive' }],
    });
    const r = l.label('Het personeel was heel direct.');
    assert.equal(r.sentiment, 'positive');
    assert.ok(r.labels.includes('staff'), r.labels.join());
  });

  test('AI-2 the newest of two conflicting corrections wins', () => {
    const l = createLabeller({
      taxonomy: 'customer',
      extraExamples: [
        { text: 'Parkeren was lastig', labels: ['reachability'] },
        { text: 'Parkeren was lastig', labels: ['ambience'] },
      ],
    });
    assert.deepEqual(l.label('Parkeren was lastig').labels, ['ambience']);
  });

  test('AI-2 a correction with a label of another taxonomy is refused', () => {
    assert.throws(
      () => createLabeller({ taxonomy: 'customer', extraExamples: [{ text: 'x', labels: ['workload'] }] }),
      /Unknown customer label "workload"/,
    );
    assert.throws(
      () => createLabeller({ taxonomy: 'customer', extraExamples: [{ text: 'x', sentiment: 'angry' as never }] }),
      /Unknown sentiment/,
    );
  });

  test('an unrelated text is not answered by a correction', () => {
    const l = createLabeller({ taxonomy: 'customer', extraExamples: [correction] });
    assert.equal(l.label('De wachttijd bij de kassa was kort').source, 'model');
  });
});

describe('detectLanguage', () => {
  test('tells Dutch from English by stopwords, and by spelling when there are none', () => {
    assert.equal(detectLanguage('Het personeel was erg vriendelijk en behulpzaam'), 'nl');
    assert.equal(detectLanguage('The staff were very friendly and helpful'), 'en');
    assert.equal(detectLanguage('Great colleagues'), 'en');
    assert.equal(detectLanguage("Fijne collega's"), 'nl');
    assert.equal(detectLanguage('Prima'), 'nl');
  });
});
