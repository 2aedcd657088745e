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

// Nonces come from a pool of CSPRNG output, each 12 bytes used once: one randomFillSync call per
// 5,461 nonces instead of one per value (that call was 8 µs, the largest cost of a contact import).
const POOL = NONCE * 5461;
let pool = Buffer.alloc(0);
let poolAt = POOL;

function nonce(): Buffer {
  if (poolAt + NONCE > pool.length) {
    pool = randomBytes(POOL);
    poolAt = 0;
  }
  const n = pool.subarray(poolAt, poolAt + NONCE);
  poolAt += NONCE;
  return n;
}

export function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = nonce();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = cipher.update(plaintext);
  const last = cipher.final();
  const out = Buffer.allocUnsafe(1 + NONCE + TAG + body.length + last.length);
  out[0] = VERSION;
  iv.copy(out, 1);
  cipher.getAuthTag().copy(out, 1 + NONCE);
  body.copy(out, 1 + NONCE + TAG);
  last.copy(out, 1 + NONCE + TAG + body.length);
  return out;
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
