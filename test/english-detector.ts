/**
 * Issue 14: a Dutch page must not show English. This finds whole English words in a page's visible
 * text and in the attributes a screen reader reads (aria-label, title, alt, placeholder). The words are
 * chosen so that none of them is also a Dutch word ("is", "of", "was", "data", "been", "download", "object" are left out), so Dutch
 * text and Dutch test data never trip it; what a page shows that is not the app's own text (a
 * customer's name, a server-made English text) is passed as `allow` and cut out first.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

export const ENGLISH_WORDS = new Set([
  'the',
  'and',
  'your',
  'you',
  'with',
  'to',
  'are',
  'this',
  'that',
  'not',
  'all',
  'new',
  'save',
  'cancel',
  'delete',
  'records',
  'breach',
  'breaches',
  'request',
  'requests',
  'yes',
  'none',
  'yet',
  'from',
  'until',
  'agreement',
  'customer',
  'customers',
  'settings',
  'remove',
  'add',
  'change',
  'reason',
  'sign',
  'only',
  'has',
  'have',
  'will',
  'when',
  'which',
  'there',
  'their',
  'choose',
  'loading',
  'refresh',
  'submit',
  'accept',
  'withdraw',
  'measures',
  'processing',
  'subject',
  'subjects',
  // Added with the walk over every admin page (test/browser-dutch-walk.test.ts).
  'owner',
  'viewer',
  'survey',
  'surveys',
  'contacts',
  'results',
  'question',
  'questions',
  'answers',
  'responses',
  'password',
  'invitation',
  'invitations',
  'preview',
  'edit',
  'what',
  'how',
  'who',
  'they',
  'these',
  'sent',
  'for',
  'by',
  'labelled',
  'month',
  'used',
  'off',
  'show',
  'search',
  'page',
  'custom',
]);

/** The English words in a text (each once, lower case). */
export function englishWords(text: string, allow: readonly string[] = []): string[] {
  let rest = text;
  for (const a of allow) rest = rest.split(a).join(' ');
  // Codes are the same in every language: e-mail addresses, dotted or colon names (answers.choice,
  // contacts:read, response.completed), mail placeholders ({survey}) and words with digits in them
  // (an id's first characters, "7add1b93", are not the word "add").
  rest = rest
    .replace(/[\p{L}\d._%+-]+@[\p{L}\d.-]+/gu, ' ')
    .replace(/[\p{L}\d_-]+(?:[.:][\p{L}\d_-]+)+/gu, ' ')
    .replace(/\{[\w]+\}/g, ' ')
    .replace(/[\p{L}\d]*\d[\p{L}\d]*/gu, ' ');
  const found = (rest.match(/[\p{L}']+/gu) ?? []).map((w) => w.toLowerCase()).filter((w) => ENGLISH_WORDS.has(w));
  return [...new Set(found)];
}

/** Fails when the page shows an English word (with the lines that hold it, to find them quickly). */
export async function assertNoEnglish(page: Page, what: string, allow: readonly string[] = []): Promise<void> {
  const text = await page.evaluate(() => {
    const doc = (
      globalThis as unknown as {
        document: {
          body: { innerText: string };
          querySelectorAll: (s: string) => Iterable<{ getAttribute: (n: string) => string | null }>;
        };
      }
    ).document;
    const attrs: string[] = [];
    for (const el of doc.querySelectorAll('[aria-label],[title],[alt],[placeholder]'))
      for (const n of ['aria-label', 'title', 'alt', 'placeholder']) {
        const v = el.getAttribute(n);
        if (v) attrs.push(v);
      }
    return `${doc.body.innerText}\n${attrs.join('\n')}`;
  });
  const found = englishWords(text, allow);
  const lines = text.split('\n').filter((l) => englishWords(l, allow).length > 0);
  assert.deepEqual(found, [], `English on ${what}:\n${lines.join('\n')}`);
}
