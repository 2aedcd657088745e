import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM with a random 96-bit nonce. Layout: version (1) | nonce (12) | tag (16) | ciphertext.
 * The additional data binds a ciphertext to its context (the tenant), so a value copied into another
 * tenant's row does not decrypt there.
 */
const VERSION = 1;
const NONCE = 12;
const TAG = 16;

export class DecryptError extends Error {}

export function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), nonce, cipher.getAuthTag(), body]);
}

export function open(key: Buffer, blob: Buffer, aad: Buffer): Buffer {
  if (blob.length < 1 + NONCE + TAG || blob[0] !== VERSION) throw new DecryptError('not a Peil ciphertext');
  const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(1, 1 + NONCE));
  decipher.setAAD(aad);
  decipher.setAuthTag(blob.subarray(1 + NONCE, 1 + NONCE + TAG));
  try {
    return Buffer.concat([decipher.update(blob.subarray(1 + NONCE + TAG)), decipher.final()]);
  } catch {
    throw new DecryptError('ciphertext does not authenticate with this key');
  }
}
