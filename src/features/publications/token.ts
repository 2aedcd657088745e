import { openRowToken, type Keyring, type TenantKeys } from '../../lib/crypto/keyring.js';
import { signedRowToken } from '../../lib/tokens.js';

/**
 * OBLIGATIONS BEN-2: the public token of a publication, /p/<token>: tenant id + publication id + a MAC
 * made with a key derived from the customer's data key, its input prefixed by its own domain, so a
 * publication token never passes as a respondent, open-link or unsubscribe token (or the other way
 * round). Nothing secret is stored; erasing the customer's key invalidates every token.
 */
const DOMAIN = Buffer.from('peil/publication/v1\0');

const publicationMac = (keys: Pick<TenantKeys, 'tokenMac'>) => (body: Buffer) =>
  keys.tokenMac(Buffer.concat([DOMAIN, body]));

export function publicationToken(keys: TenantKeys, tenantId: string, publicationId: string): string {
  return signedRowToken(tenantId, publicationId, publicationMac(keys));
}

/** The tenant and publication a token names, or null (garbage, a wrong MAC, an unknown or erased customer). */
export async function openPublicationToken(
  keyring: Keyring,
  token: string,
): Promise<{ tenantId: string; publicationId: string } | null> {
  if (token.length !== 64) return null;
  const t = await openRowToken(keyring, token, publicationMac);
  return t && !t.parentId ? { tenantId: t.tenantId, publicationId: t.rowId } : null;
}
