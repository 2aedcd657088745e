import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { MasterKey } from './keyring.js';

/** PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410), so node:crypto can load it. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * OBLIGATIONS LOG-3: the key that signs audit checkpoints. Ed25519, its seed derived from the master
 * key, so it needs no storage of its own and is as secret as the master key: whoever can rewrite
 * the audit table but does not hold the master key cannot make a checkpoint that verifies.
 *
 * A master key rotation re-signs every checkpoint with the new key (after checking each with the
 * old one), so verification always needs just the configured master key.
 */
export class CheckpointSigner {
  readonly keyId: string;
  /** The public key (SPKI PEM), printable so a verifier without the master key can check signatures. */
  readonly publicKeyPem: string;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor(master: MasterKey) {
    const seed = master.derive('audit-checkpoint-signing');
    this.privateKey = createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    seed.fill(0);
    this.publicKey = createPublicKey(this.privateKey);
    const spki = this.publicKey.export({ format: 'der', type: 'spki' });
    this.keyId = createHash('sha256').update(spki).digest('hex').slice(0, 16);
    this.publicKeyPem = this.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  }

  sign(payload: string): Buffer {
    return sign(null, Buffer.from(payload, 'utf8'), this.privateKey);
  }

  verify(payload: string, signature: Buffer): boolean {
    try {
      return verify(null, Buffer.from(payload, 'utf8'), this.publicKey, signature);
    } catch {
      return false;
    }
  }
}

const signers = new WeakMap<MasterKey, CheckpointSigner>();

/** The checkpoint signer of a master key, made once (derivation and key parsing). */
export function signerOf(master: MasterKey): CheckpointSigner {
  let s = signers.get(master);
  if (!s) {
    s = new CheckpointSigner(master);
    signers.set(master, s);
  }
  return s;
}
