import { timingSafeEqual } from 'node:crypto';
import type { TenantKeys } from '../../lib/crypto/keyring.js';
import { parseRowToken, signedRowToken } from '../../lib/tokens.js';

/**
 * The open link of a survey (OBLIGATIONS SVC-3): /s/o/<token>, where the token is tenant id + survey
 * id + a MAC, like a personal link, but the MAC input is prefixed with its own domain, so an open-link
 * token can never pass as an invitation token (or the other way round) even when the ids collide.
 */
const DOMAIN = Buffer.from('peil/open-link/v1\0');

const mac = (keys: TenantKeys) => (body: Buffer) => keys.tokenMac(Buffer.concat([DOMAIN, body]));

export function openLinkToken(keys: TenantKeys, tenantId: string, surveyId: string): string {
  return signedRowToken(tenantId, surveyId, mac(keys));
}

export function openLinkPath(keys: TenantKeys, tenantId: string, surveyId: string): string {
  return `/s/o/${openLinkToken(keys, tenantId, surveyId)}`;
}

/** The survey an open-link token names, when its MAC is right for that tenant's key. */
export function verifyOpenLink(keys: TenantKeys, token: string): { tenantId: string; surveyId: string } | null {
  const parsed = parseRowToken(token);
  if (!parsed) return null;
  if (!timingSafeEqual(mac(keys)(parsed.body), parsed.mac)) return null;
  return { tenantId: parsed.tenantId, surveyId: parsed.rowId };
}
