import { createHmac, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * Webhook signatures to the Standard Webhooks specification (https://www.standardwebhooks.com):
 * `webhook-id` (the event id; the same on every retry), `webhook-timestamp` (unix seconds of this
 * attempt), `webhook-signature` (`v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`, several
 * separated by spaces while a rotated secret overlaps). Secrets are `whsec_<base64 of 32 random bytes>`;
 * the key is the decoded bytes. Signed with the `standardwebhooks` library itself.
 *
 * Secrets issued before migration 0031 ('legacy', `whsec_<base64url>`) were HMAC keys as text: their
 * key bytes are the secret's text (as a Standard Webhooks secret: `whsec_` + base64 of that text), and
 * deliveries signed with one also carry the old `Peil-Signature: t=<unix>,v1=<hex HMAC(text, "<t>.<body>")>`
 * header, so receivers written for it keep working until the secret is rotated.
 */
export type SecretScheme = 'legacy' | 'standard';
export interface SigningSecret {
  secret: string;
  scheme: SecretScheme;
}
const LEGACY_SIGNATURE_HEADER = 'peil-signature';

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

function keyBytes(s: SigningSecret): Uint8Array {
  return s.scheme === 'standard'
    ? new Uint8Array(Buffer.from(s.secret.replace(/^whsec_/, ''), 'base64'))
    : new Uint8Array(Buffer.from(s.secret, 'utf8'));
}

/** A legacy secret as the Standard Webhooks secret with the same key (what its receivers configure in a library). */
export function asStandardSecret(s: SigningSecret): string {
  return `whsec_${Buffer.from(keyBytes(s)).toString('base64')}`;
}

/** The pre-0031 header: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret text, "<t>.<body>")>`. */
function legacySignatureHeader(secret: string, body: string, at: number): string {
  return `t=${at},v1=${createHmac('sha256', secret).update(`${at}.${body}`).digest('hex')}`;
}

/** The signature headers of one attempt, one signature per valid secret (current first). */
export function signatureHeaders(
  secrets: SigningSecret[],
  eventId: string,
  body: string,
  at = new Date(),
): Record<string, string> {
  const seconds = Math.floor(at.getTime() / 1000);
  const headers: Record<string, string> = {
    'webhook-id': eventId,
    'webhook-timestamp': String(seconds),
    'webhook-signature': secrets
      .map((s) => new Webhook(keyBytes(s), { format: 'raw' }).sign(eventId, at, body))
      .join(' '),
  };
  const legacy = secrets.find((s) => s.scheme === 'legacy');
  if (legacy) headers[LEGACY_SIGNATURE_HEADER] = legacySignatureHeader(legacy.secret, body, seconds);
  return headers;
}
