// Line-oriented helpers for the command line (for example `peil label < in.jsonl > out.jsonl` and
// `peil redact < in.txt > out.txt`): they read one record per line and write one line per input line,
// streaming, so a file of any size runs in flat memory and output order equals input order.

import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { Labeller } from './labeller.js';
import { redact, type RedactOptions } from './redact.js';

const LabelInput = z.object({
  id: z.union([z.string(), z.number()]),
  text: z.string(),
  lang: z.enum(['nl', 'en']).optional(),
});

/**
 * Reads JSON lines `{"id","text","lang"?}` and yields JSON lines `{"id","sentiment","labels"}`.
 * A line that is not a valid record yields `{"id": <id or null>, "error": "..."}` instead, so one bad
 * line neither stops the run nor shifts the output against the input. Blank lines are skipped.
 */
export async function* labelLines(
  lines: AsyncIterable<string> | Iterable<string>,
  labeller: Labeller,
): AsyncGenerator<string> {
  for await (const line of lines) {
    if (!line.trim()) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      yield JSON.stringify({ id: null, error: 'invalid JSON' });
      continue;
    }
    const parsed = LabelInput.safeParse(raw);
    if (!parsed.success) {
      const id = typeof raw === 'object' && raw !== null && 'id' in raw ? (raw as { id: unknown }).id : null;
      yield JSON.stringify({
        id: typeof id === 'string' || typeof id === 'number' ? id : null,
        error: 'expected {"id", "text", "lang"?}',
      });
      continue;
    }
    const { id, text, lang } = parsed.data;
    const result = labeller.label(text, lang);
    yield JSON.stringify({ id, sentiment: result.sentiment, labels: result.labels });
  }
}

export interface RedactLinesOptions extends RedactOptions {
  /**
   * 'text' (default): every line is free text and comes out redacted, blank lines included.
   * 'jsonl': every line is `{"id","text"}` and comes out as `{"id","text","found"}` (found: the
   * types removed), so redaction can sit in a pipeline in front of `labelLines`.
   */
  format?: 'text' | 'jsonl';
}

/** One line out per line in, with personal data replaced by placeholders (OBLIGATIONS AI-3). */
export async function* redactLines(
  lines: AsyncIterable<string> | Iterable<string>,
  opts: RedactLinesOptions = {},
): AsyncGenerator<string> {
  for await (const line of lines) {
    if (opts.format !== 'jsonl') {
      yield redact(line, opts).text;
      continue;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      yield JSON.stringify({ id: null, error: 'invalid JSON' });
      continue;
    }
    const parsed = LabelInput.safeParse(raw);
    if (!parsed.success) {
      yield JSON.stringify({ id: null, error: 'expected {"id", "text"}' });
      continue;
    }
    const r = redact(parsed.data.text, opts);
    yield JSON.stringify({ ...parsed.data, text: r.text, found: r.found.map((f) => f.type) });
  }
}

/** Lines of a readable stream, without line endings (\n or \r\n). */
export function readLines(input: NodeJS.ReadableStream): AsyncIterable<string> {
  return createInterface({ input, crlfDelay: Infinity });
}

/** Writes each line plus "\n", waiting when the stream asks to (backpressure). Returns the count. */
export async function writeLines(lines: AsyncIterable<string>, output: NodeJS.WritableStream): Promise<number> {
  let n = 0;
  for await (const line of lines) {
    if (!output.write(`${line}\n`)) await once(output, 'drain');
    n++;
  }
  return n;
}

/** `labelLines` from a stream to a stream; resolves with the number of lines written. */
export function labelStream(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  labeller: Labeller,
): Promise<number> {
  return writeLines(labelLines(readLines(input), labeller), output);
}

/** `redactLines` from a stream to a stream; resolves with the number of lines written. */
export function redactStream(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  opts: RedactLinesOptions = {},
): Promise<number> {
  return writeLines(redactLines(readLines(input), opts), output);
}
