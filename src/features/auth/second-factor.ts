import { createHash, randomBytes, randomUUID } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';
import type { Tx } from '../../lib/db/db.js';

/** OBLIGATIONS ACC-4: a TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s), as authenticator apps expect. */
function totpFor(secretBase32: string, account: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: 'Peil',
    label: account,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
  });
}

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

export async function enrolmentOf(
  secretBase32: string,
  account: string,
): Promise<{ uri: string; qrSvg: string; secret: string }> {
  const uri = totpFor(secretBase32, account).toString();
  const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { uri, qrSvg, secret: secretBase32 };
}

/** Accepts the code of this 30-second step or of one step either side (clock drift). */
export function checkTotp(secretBase32: string, code: string): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  return totpFor(secretBase32, 'x').validate({ token: code, window: 1 }) !== null;
}

/** The current code, for tests and for nothing else. */
export function currentTotp(secretBase32: string): string {
  return totpFor(secretBase32, 'x').generate();
}

const hashCode = (code: string) => createHash('sha256').update(code.replace(/[\s-]/g, '').toUpperCase()).digest();

/** Ten one-time recovery codes, shown once; only their hashes are stored. */
export async function replaceRecoveryCodes(tx: Tx, tenantId: string, userId: string): Promise<string[]> {
  await tx.deleteFrom('user_recovery_codes').where('user_id', '=', userId).execute();
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const codes = Array.from({ length: 10 }, () => {
    const bytes = randomBytes(8);
    const s = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
    return `${s.slice(0, 4)}-${s.slice(4)}`;
  });
  await tx
    .insertInto('user_recovery_codes')
    .values(codes.map((c) => ({ tenant_id: tenantId, id: randomUUID(), user_id: userId, code_hash: hashCode(c) })))
    .execute();
  return codes;
}

/** Uses up a recovery code; true when it was valid and unused. */
export async function useRecoveryCode(tx: Tx, userId: string, code: string): Promise<boolean> {
  const res = await tx
    .updateTable('user_recovery_codes')
    .set({ used_at: new Date() })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hashCode(code))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
