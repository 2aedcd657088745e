import type { TenantKeys } from '../../lib/crypto/keyring.js';
import { signedRowToken } from '../../lib/tokens.js';

/**
 * The open link of a survey (OBLIGATIONS SVC-3): /s/o/<token>, where the token is tenant id + survey
 * id + a MAC, like a personal link, but the MAC input is prefixed with its own domain, so an open-link
 * token can never pass as an invitation token (or the other way round) even when the ids collide.
 */
const DOMAIN = Buffer.from('peil/open-link/v1\0');

export const openLinkMac = (keys: Pick<TenantKeys, 'tokenMac'>) => (body: Buffer) =>
  keys.tokenMac(Buffer.concat([DOMAIN, body]));

export function openLinkToken(keys: TenantKeys, tenantId: string, surveyId: string): string {
  return signedRowToken(tenantId, surveyId, openLinkMac(keys));
}

export function openLinkPath(keys: TenantKeys, tenantId: string, surveyId: string): string {
  return `/s/o/${openLinkToken(keys, tenantId, surveyId)}`;
}
