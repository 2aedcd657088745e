// Common phrasings the built-in labeller must get right (issue 12, OBLIGATIONS AI-5). These sentences
// are kept here only: they are never training examples (training/), so this test checks how the model
// generalises, not what it memorised. "Telephone" is reachability only when the text says the
// organisation cannot be reached; waiting on the phone is waiting time (taxonomies.ts), so the first
// phrasing must have waiting_time and price and may have reachability.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLabeller } from './labeller.js';
import type { Sentiment } from './taxonomies.js';

const CASES: Array<[text: string, labels: string[], sentiment: Sentiment]> = [
  ['Lange wachttijd aan de telefoon en de prijs is veel te hoog', ['waiting_time', 'price'], 'negative'],
  ['Goede communicatie ... Prima service!', ['communication', 'service'], 'positive'],
  ['Long wait on the phone and the price is far too high', ['waiting_time', 'price'], 'negative'],
  ['Good communication ... Great service!', ['communication', 'service'], 'positive'],
  ['Vriendelijk personeel maar de wachttijd was lang', ['staff', 'waiting_time'], 'mixed'],
  ['The staff were friendly but we waited ages', ['staff', 'waiting_time'], 'mixed'],
  ['Veel te duur', ['price'], 'negative'],
  ['Way too expensive', ['price'], 'negative'],
  ['De website werkt niet, ik kan niet inloggen', ['ease_of_use'], 'negative'],
  ['The app keeps crashing when I try to pay', ['ease_of_use'], 'negative'],
  ['Fijne sfeer en lekker eten', ['ambience', 'product_quality'], 'positive'],
  ['Nice atmosphere and lovely food', ['ambience', 'product_quality'], 'positive'],
  ['Ik werd keurig teruggebeld', ['communication'], 'positive'],
  ['Prima, geen klachten', ['other'], 'positive'],
  ['No complaints at all', ['other'], 'positive'],
  ['Slecht bereikbaar, parkeren is een ramp', ['reachability'], 'negative'],
  ['Parking is impossible', ['reachability'], 'negative'],
  // Issue 12, fourth round: ten more, written before the model was run on them.
  ['Ik heb drie keer gebeld en niemand belt terug', ['communication'], 'negative'],
  ['Snel geholpen door een zeer behulpzame medewerker', ['staff'], 'positive'],
  ['De levering duurde twee weken langer dan beloofd', ['waiting_time'], 'negative'],
  ['Kwaliteit van het product valt tegen voor die prijs', ['product_quality', 'price'], 'negative'],
  ['Het bestellen via de website ging heel eenvoudig', ['ease_of_use'], 'positive'],
  ['I never got a reply to my email', ['communication'], 'negative'],
  ['The employee on the phone was very rude', ['staff'], 'negative'],
  ['Good value for money', ['price'], 'positive'],
  ['The product broke after a week', ['product_quality'], 'negative'],
  ['Easy to order online and quick delivery', ['ease_of_use', 'waiting_time'], 'positive'],
];

test('AI-5 common phrasings in Dutch and English get their labels and sentiment (held out from training)', () => {
  const labeller = createLabeller({ taxonomy: 'customer' });
  const wrong: string[] = [];
  for (const [text, labels, sentiment] of CASES) {
    const r = labeller.label(text);
    const missing = labels.filter((l) => !r.labels.includes(l));
    if (missing.length || r.sentiment !== sentiment)
      wrong.push(`${text}: got ${r.sentiment} [${r.labels.join(', ')}], want ${sentiment} [${labels.join(', ')}]`);
  }
  assert.deepEqual(wrong, []);
});

test('AI-5 the held-out phrasings are not training examples', async () => {
  const { ownExamples } = await import('./training/index.js');
  const norm = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  const trained = new Set(ownExamples('customer').map((e) => norm(e.text)));
  for (const [text] of CASES) assert.ok(!trained.has(norm(text)), text);
});
