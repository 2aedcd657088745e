import type { TenantKeys } from '../../lib/crypto/keyring.js';
import type { Tx } from '../../lib/db/db.js';
import { AuditAction } from '../../lib/audit.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import {
  contactImage,
  imageKeysFor,
  restoreDeletedContact,
  revealContact,
  revertContactUpdate,
  sealImage,
  type ImageKeys,
} from '../contacts/history.js';
import { liftErasure } from '../contacts/suppression.js';

/**
 * OBLIGATIONS LOG-2: the changes that can be seen and undone from the log. An entry of one of these
 * actions keeps its before (and after) image under details.sealed, encrypted with the contact's image
 * key (contacts/history.ts; an erasure destroys it, DSR-2);
 * each kind knows how to show its image and how to put it back. A new kind of undoable change adds
 * one entry here.
 */
export interface Undoable {
  /** The readable before/after for those allowed to read the log. */
  reveal(ik: ImageKeys, sealed: { before?: unknown; after?: unknown }): { before: unknown; after: unknown };
  /**
   * Puts the earlier state back in the caller's transaction. Returns what was restored, with sealed
   * images of the undo itself (so the undo is in the log like any change, and visible there).
   */
  undo(tx: Tx, tenantId: string, keys: TenantKeys, sealed: { before?: unknown; after?: unknown }): Promise<UndoResult>;
}

export interface UndoResult {
  subject: { kind: string; id: string };
  details: Record<string, unknown>;
  sealed: { before?: string; after?: string };
}

const contactDeleted: Undoable = {
  reveal: (ik, s) => ({ before: revealContact(ik.keys, ik.open(s.before)), after: null }),
  async undo(tx, tenantId, keys, s) {
    const image = (await imageKeysFor(tx, tenantId, keys, [s])).open(s.before);
    if (!image) throw new AppError(ErrorCode.CONFLICT, { key: 'problems:audit.erasedImage' });
    const r = await restoreDeletedContact(tx, tenantId, image);
    const erasureLifted = await liftErasure(tx, tenantId, r.id);
    const now = await contactImage(tx, tenantId, r.id, false);
    return {
      subject: { kind: 'contact', id: r.id },
      details: { invitations: r.invitations, responses: r.responses, erasureLifted },
      sealed: { after: await sealImage(tx, tenantId, keys, now!) },
    };
  },
};

const contactUpdated: Undoable = {
  reveal: (ik, s) => ({
    before: revealContact(ik.keys, ik.open(s.before)),
    after: revealContact(ik.keys, ik.open(s.after)),
  }),
  async undo(tx, tenantId, keys, s) {
    const ik = await imageKeysFor(tx, tenantId, keys, [s]);
    const before = ik.open(s.before);
    const after = ik.open(s.after);
    if (!before || !after) throw new AppError(ErrorCode.CONFLICT, { key: 'problems:audit.erasedImage' });
    const current = await contactImage(tx, tenantId, String(before.contact.id), false);
    const r = await revertContactUpdate(tx, tenantId, before, after);
    const now = await contactImage(tx, tenantId, r.id, false);
    return {
      subject: { kind: 'contact', id: r.id },
      details: {},
      sealed: {
        ...(current ? { before: await sealImage(tx, tenantId, keys, current) } : {}),
        after: await sealImage(tx, tenantId, keys, now!),
      },
    };
  },
};

/** A restore shows like a change: what the contact was before (if anything) and after. */
const contactRestored: Pick<Undoable, 'reveal'> = {
  reveal: (ik, s) => ({
    before: revealContact(ik.keys, ik.open(s.before)),
    after: revealContact(ik.keys, ik.open(s.after)),
  }),
};

export const undoable: Partial<Record<string, Undoable>> = {
  [AuditAction.CONTACT_DELETED]: contactDeleted,
  [AuditAction.CONTACT_UPDATED]: contactUpdated,
};

export const revealers: Partial<Record<string, Pick<Undoable, 'reveal'>>> = {
  ...undoable,
  [AuditAction.CONTACT_RESTORED]: contactRestored,
};
