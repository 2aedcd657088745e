// The optional external labeller: any OpenAI-compatible chat-completions endpoint (OpenAI, Azure,
// Mistral, a local llama.cpp or vLLM server...). It is a sub-processor (OBLIGATIONS SUB-3), used
// only for customers that allowed it when they switched the module on (AI-1).
//
// OBLIGATIONS AI-3: this class is the one place where answer text leaves Peil, and it redacts the
// text itself, so no caller can forget to. Every failure (network, status, time-out, text that is
// not the JSON we asked for, a label that is not the customer's) is an exception; the caller then
// uses the built-in labeller (AI-5).

import { z } from 'zod';
import type { Env } from '../../lib/env.js';
import { redact } from './redact.js';
import { SENTIMENTS, type Sentiment } from './taxonomies.js';

export interface PromptLabel {
  id: string;
  name: { nl: string; en: string };
  definition: { nl: string; en: string };
}

export interface ProviderAnswer {
  labels: string[];
  sentiment: Sentiment;
}

export interface LabelProvider {
  readonly name: string;
  label(text: string, labels: readonly PromptLabel[]): Promise<ProviderAnswer>;
}

export interface ProviderOptions {
  url: string;
  model: string;
  key?: string | undefined;
  timeoutMs: number;
  name: string;
}

const completion = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string() }) })).min(1),
});

export function providerFromEnv(env: Env): LabelProvider | null {
  if (!env.AI_PROVIDER_URL || !env.AI_PROVIDER_MODEL) return null;
  return new OpenAiCompatibleProvider({
    url: env.AI_PROVIDER_URL,
    model: env.AI_PROVIDER_MODEL,
    key: env.AI_PROVIDER_KEY,
    timeoutMs: env.AI_PROVIDER_TIMEOUT_MS,
    name: env.AI_PROVIDER_NAME ?? new URL(env.AI_PROVIDER_URL).host,
  });
}

export class OpenAiCompatibleProvider implements LabelProvider {
  readonly name: string;
  private readonly endpoint: string;

  constructor(private readonly opts: ProviderOptions) {
    this.name = opts.name;
    const base = opts.url.replace(/\/+$/, '');
    this.endpoint = base.endsWith('/chat/completions') ? base : `${base}/chat/completions`;
  }

  async label(text: string, labels: readonly PromptLabel[]): Promise<ProviderAnswer> {
    if (labels.length === 0) throw new Error('no labels to choose from');
    const ids = labels.map((l) => l.id) as [string, ...string[]];
    // OBLIGATIONS AI-3: only the redacted text is sent.
    const safe = redact(text).text;
    const schema = {
      type: 'object',
      additionalProperties: false,
      required: ['labels', 'sentiment'],
      properties: {
        labels: { type: 'array', items: { type: 'string', enum: ids } },
        sentiment: { type: 'string', enum: [...SENTIMENTS] },
      },
    };
    const body = {
      model: this.opts.model,
      temperature: 0,
      messages: [
        { role: 'system', content: systemPrompt(labels) },
        { role: 'user', content: safe },
      ],
      response_format: { type: 'json_schema', json_schema: { name: 'peil_labels', strict: true, schema } },
    };
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    // The key goes in this header only; it is never part of an error message or a log line.
    if (this.opts.key) headers.authorization = `Bearer ${this.opts.key}`;
    const res = await fetch(this.endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.opts.timeoutMs),
    });
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`the provider answered HTTP ${res.status}`);
    }
    const parsed = completion.parse(await res.json());
    const content = parsed.choices[0]!.message.content.trim().replace(/^```(?:json)?\s*|\s*```$/g, '');
    const answer = z
      .object({ labels: z.array(z.enum(ids)).max(ids.length), sentiment: z.enum(SENTIMENTS) })
      .parse(JSON.parse(content));
    return { labels: [...new Set(answer.labels)], sentiment: answer.sentiment };
  }
}

/** The customer's taxonomy with its definitions, so the provider labels by the customer's meaning. */
export function systemPrompt(labels: readonly PromptLabel[]): string {
  const lines = labels.map((l) => `- ${l.id}: ${l.name.en} / ${l.name.nl}. ${l.definition.en}`);
  return [
    'You label one free-text answer from a customer or employee feedback survey (Dutch or English).',
    'Choose every label below that the answer is about (none if no label fits), and the overall sentiment:',
    'positive, negative, neutral, or mixed (both clearly positive and clearly negative parts).',
    'Placeholders such as [NAME] or [EMAIL] stand for removed personal data.',
    'Answer with JSON only: {"labels": ["<id>", ...], "sentiment": "<sentiment>"}.',
    '',
    'Labels:',
    ...lines,
  ].join('\n');
}
