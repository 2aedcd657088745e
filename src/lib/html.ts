/** Escaping for server-rendered pages: every interpolated value goes through here. */
const map: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => map[c]!);
}

/** A piece of markup that is already safe. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export const raw = (s: string): Html => new Html(s);

/** Tagged template: interpolations are escaped unless they are Html (or arrays of Html). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    if (v instanceof Html) out += v.value;
    else if (Array.isArray(v)) out += v.map((x) => (x instanceof Html ? x.value : escapeHtml(x))).join('');
    else if (v === false || v === null || v === undefined) out += '';
    else out += escapeHtml(v);
    out += strings[i + 1] ?? '';
  });
  return new Html(out);
}
