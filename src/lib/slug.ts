/**
 * Keys made from names, one rule for the server and the admin app (web/src/format.ts re-exports it):
 * a profile field's key from a column header or a label. Pure: no imports, so the app's bundle can
 * take it as it is.
 */

export const MAX_SLUG_LENGTH = 64;

/** Without accents; NFKD also splits ligatures such as the Dutch ĳ into i + j. */
export function stripDiacritics(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}+/gu, '');
}

/** Custom field key: lower-case ascii, diacritics removed, runs of anything else become one `_`. */
export function slugify(header: string): string {
  return stripDiacritics(header)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/_+$/, '');
}
