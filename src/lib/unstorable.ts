/**
 * Text PostgreSQL refuses or cannot keep: the NUL character (0x00 is not allowed in `text` nor as
 * `\u0000` in `jsonb`) and a lone UTF-16 surrogate (no UTF-8 for it; it would be stored as U+FFFD).
 */
// eslint-disable-next-line no-control-regex -- the NUL character is what this looks for
export const UNSTORABLE_TEXT_RE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const UNSTORABLE_REASON = 'contains a NUL character or a lone surrogate, which cannot be stored';

/** RFC 6901: `~` and `/` inside a key are escaped. */
function pointerPart(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Every place in `value` (keys and string values, at any depth) that holds unstorable text, as JSON
 * pointers under `base`. Iterative, so a deeply nested body cannot overflow the stack; stops after
 * `max` findings.
 */
export function findUnstorableText(value: unknown, base: string, max = 20): string[] {
  const found: string[] = [];
  const stack: Array<[unknown, string]> = [[value, base]];
  while (stack.length > 0 && found.length < max) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'string') {
      if (UNSTORABLE_TEXT_RE.test(v)) found.push(at);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${at}/${i}`]);
    } else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
      const entries = Object.entries(v as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        if (UNSTORABLE_TEXT_RE.test(k))
          found.push(`${at}/${pointerPart(k.replace(new RegExp(UNSTORABLE_TEXT_RE.source, 'g'), '\uFFFD'))}`);
        else stack.push([child, `${at}/${pointerPart(k)}`]);
      }
    }
  }
  return found.slice(0, max);
}
