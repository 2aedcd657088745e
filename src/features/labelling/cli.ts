// Entry for the `peil label` and `peil redact` commands (src/cli/main.ts): stdin to stdout, one line
// out per line in. Both work offline (OBLIGATIONS AI-5) and touch no database.

import { createLabeller } from './labeller.js';
import { labelStream, redactStream } from './lines.js';
import type { TaxonomyId } from './taxonomies.js';

export interface LineCommandOptions {
  /** Label set for `label` (default customer). */
  taxonomy?: TaxonomyId;
  /** Input format for `redact` (default: plain text lines). */
  format?: 'text' | 'jsonl';
}

/**
 * `label`: JSON lines {"id","text","lang"?} → {"id","sentiment","labels"}.
 * `redact`: text lines → the same lines with personal data replaced (OBLIGATIONS AI-3).
 * Resolves with the number of lines written.
 */
export async function runLineCommand(
  command: 'label' | 'redact',
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  opts: LineCommandOptions = {},
): Promise<number> {
  if (command === 'label') return labelStream(input, output, createLabeller({ taxonomy: opts.taxonomy ?? 'customer' }));
  return redactStream(input, output, { format: opts.format ?? 'text' });
}
