import type { TenantKeys } from '../../lib/crypto/keyring.js';
import { signedRowToken } from '../../lib/tokens.js';

/**
 * OBLIGATIONS DSR-1: links to the public request page. Both have the respondent link's form (tenant +
 * row + MAC, lib/tokens.ts) with a MAC over a domain of their own, so neither can be made from a survey
 * or unsubscribe link, nor the other way round:
 *  - /r/<token>: tenant + invitation; the request is tied to that invitation's contact and customer.
 *  - /r/o/<token>: tenant + tenant; the request names the customer only, the respondent types an address.
 * An anonymous survey's pages carry the second form: a request tied to the invitation, filed right after
 * answering, would put a time next to the contact that the survey promised not to keep.
 * Destroying the customer key invalidates both, like every other link.
 */
const INVITATION_DOMAIN = Buffer.from('peil/request/invitation/v1\0');
const CUSTOMER_DOMAIN = Buffer.from('peil/request/customer/v1\0');

export const requestInvitationMac = (keys: Pick<TenantKeys, 'tokenMac'>) => (body: Buffer) =>
  keys.tokenMac(Buffer.concat([INVITATION_DOMAIN, body]));
export const requestCustomerMac = (keys: Pick<TenantKeys, 'tokenMac'>) => (body: Buffer) =>
  keys.tokenMac(Buffer.concat([CUSTOMER_DOMAIN, body]));

/** The path of the request page for one invitation (tied to its contact). */
export function invitationRequestPath(
  keys: Pick<TenantKeys, 'tokenMac'>,
  tenantId: string,
  invitationId: string,
): string {
  return `/r/${signedRowToken(tenantId, invitationId, requestInvitationMac(keys))}`;
}

/** The path of the request page that names the customer only (open link, anonymous surveys). */
export function customerRequestPath(keys: Pick<TenantKeys, 'tokenMac'>, tenantId: string): string {
  return `/r/o/${signedRowToken(tenantId, tenantId, requestCustomerMac(keys))}`;
}
