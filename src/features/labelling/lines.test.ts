import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { createLabeller } from './labeller.js';
import { labelLines, labelStream, redactLines, redactStream } from './lines.js';

async function collect(gen: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of gen) out.push(line);
  return out;
}

describe('line helpers for the CLI', () => {
  const labeller = createLabeller({ taxonomy: 'customer' });

  test('AI-5 labelLines turns {"id","text","lang"} lines into {"id","sentiment","labels"} lines', async () => {
    const out = await collect(
      labelLines(
        [
          JSON.stringify({ id: 'a1', text: 'Veel te lang gewacht in de wachtkamer, belachelijk.', lang: 'nl' }),
          JSON.stringify({ id: 2, text: 'The food was delicious.' }),
        ],
        labeller,
      ),
    );
    assert.equal(out.length, 2);
    const first = JSON.parse(out[0] as string);
    assert.deepEqual(Object.keys(first), ['id', 'sentiment', 'labels']);
    assert.equal(first.id, 'a1');
    assert.equal(first.sentiment, 'negative');
    assert.ok(first.labels.includes('waiting_time'));
    const second = JSON.parse(out[1] as string);
    assert.equal(second.id, 2);
    assert.equal(second.sentiment, 'positive');
    assert.ok(second.labels.includes('product_quality'));
  });

  test('a bad line gives an error line in its place and the run goes on; blank lines are skipped', async () => {
    const out = await collect(
      labelLines(['not json', '', JSON.stringify({ id: 'x' }), JSON.stringify({ id: 'y', text: 'Prima' })], labeller),
    );
    assert.deepEqual(
      out.slice(0, 2).map((l) => JSON.parse(l)),
      [
        { id: null, error: 'invalid JSON' },
        { id: 'x', error: 'expected {"id", "text", "lang"?}' },
      ],
    );
    assert.equal(JSON.parse(out[2] as string).id, 'y');
    assert.equal(out.length, 3);
  });

  test('AI-3 redactLines gives one line out per line in, blank lines included', async () => {
    const out = await collect(redactLines(['Bel 06-12345678', '', 'Niets persoonlijks hier']));
    assert.deepEqual(out, ['Bel [PHONE]', '', 'Niets persoonlijks hier']);
  });

  test('AI-3 redactLines in jsonl mode redacts the text field and lists what it removed', async () => {
    const out = await collect(
      redactLines([JSON.stringify({ id: 7, text: 'Mail piet@example.nl' })], { format: 'jsonl' }),
    );
    assert.deepEqual(JSON.parse(out[0] as string), { id: 7, text: 'Mail [EMAIL]', found: ['email'] });
  });

  test('the stream versions read stdin-like streams (CRLF too) and write one line per record', async () => {
    const output = new PassThrough();
    const chunks: string[] = [];
    output.on('data', (c: Buffer) => chunks.push(c.toString()));
    const n = await redactStream(Readable.from(['Mijn BSN is 111222333\r\nmevrouw De Vries', ' belde\n']), output);
    assert.equal(n, 2);
    assert.equal(chunks.join(''), 'Mijn BSN is [BSN]\nmevrouw [NAME] belde\n');

    const labelled = new PassThrough();
    const got: string[] = [];
    labelled.on('data', (c: Buffer) => got.push(c.toString()));
    const m = await labelStream(Readable.from([`${JSON.stringify({ id: 1, text: 'Te duur' })}\n`]), labelled, labeller);
    assert.equal(m, 1);
    assert.equal(JSON.parse(got.join('')).id, 1);
  });
});

describe('runLineCommand (peil label / peil redact)', () => {
  test('AI-3 redact reads text lines and writes them redacted', async () => {
    const { runLineCommand } = await import('./cli.js');
    const output = new PassThrough();
    const chunks: string[] = [];
    output.on('data', (c: Buffer) => chunks.push(c.toString()));
    const n = await runLineCommand('redact', Readable.from(['Mail jan@example.nl\nPrima\n']), output);
    assert.equal(n, 2);
    assert.equal(chunks.join(''), 'Mail [EMAIL]\nPrima\n');
  });

  test('AI-5 label reads JSON lines and writes sentiment and labels, for the employee taxonomy too', async () => {
    const { runLineCommand } = await import('./cli.js');
    const output = new PassThrough();
    const chunks: string[] = [];
    output.on('data', (c: Buffer) => chunks.push(c.toString()));
    await runLineCommand(
      'label',
      Readable.from([`${JSON.stringify({ id: 'e1', text: 'De werkdruk is veel te hoog.', lang: 'nl' })}\n`]),
      output,
      {
        taxonomy: 'employee',
      },
    );
    assert.deepEqual(JSON.parse(chunks.join('')), { id: 'e1', sentiment: 'negative', labels: ['workload'] });
  });
});
