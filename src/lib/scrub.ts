/**
 * OBLIGATIONS LOG-1, SEC-1: texts that come from another system (a mail server's reply, a webhook
 * receiver's answer) are stored in clear for the customer to read, and outlive the contact and the
 * customer's data key. Such a reply often quotes the recipient: "550 5.1.1 <jan@example.nl>:
 * Recipient address rejected". Every place that stores a remote reply passes it through here first.
 *
 * What counts as an address: local part, an at sign, a domain. The at sign may also be written the
 * way mail systems and web pages encode it (URL %40, quoted-printable =40, xtext +40 as in DSN
 * ORCPT, HTML &#64; &#x40; &commat;, "(at)", "[at]"); an encoded one needs a dotted domain, so that
 * "quota=40MB" stays. A quoted display name before an address in angle brackets goes with it.
 * Over-scrubbing is harmless here; what is left cannot be recognised (a bare local part such as
 * "User jan.devries unknown" is not an address by itself).
 *
 * migrations/0010_least_privilege.sql scrubs replies stored before with the same patterns in SQL.
 */
const LOCAL = String.raw`(?:"[^"\r\n]*"|[^\s<>()\[\]"',;:@]+)`;
const LABEL = String.raw`[^\s<>()\[\]"',;:@./\\%&=+]+`;
const DOT = String.raw`(?:\.|%2e)`;
const LITERAL_AT = String.raw`(?:@|&commat;|&#0*64;|&#x0*40;|\s?\(at\)\s?|\s?\[at\]\s?)`;
const ENCODED_AT = String.raw`(?:%40|=40|\+40)`;

const literal = new RegExp(`${LOCAL}${LITERAL_AT}${LABEL}(?:${DOT}${LABEL})*`, 'giu');
const encoded = new RegExp(`${LOCAL}${ENCODED_AT}${LABEL}(?:${DOT}${LABEL})+`, 'giu');
const displayName = /"[^"<>\r\n]*"\s*<address removed>/g;

export const ADDRESS_REMOVED = 'address removed';

export function scrubAddresses(text: string): string;
export function scrubAddresses(text: string | null): string | null;
export function scrubAddresses(text: string | null | undefined): string | null | undefined;
export function scrubAddresses(text: string | null | undefined): string | null | undefined {
  if (typeof text !== 'string') return text;
  return text
    .replace(literal, ADDRESS_REMOVED)
    .replace(encoded, ADDRESS_REMOVED)
    .replace(displayName, `<${ADDRESS_REMOVED}>`);
}
