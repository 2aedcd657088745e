import { createHash } from 'node:crypto';
import { zipSync, strToU8 } from 'fflate';
import type { AppContext } from '../../context.js';
import { audit, AuditAction, type Actor } from '../../lib/audit.js';
import { signerOf } from '../../lib/crypto/signing.js';
import { verifyTenant } from '../audit/chain.js';
import { dateIn, type IsoDate } from '../agreement/dates.js';
import { readAgreement } from '../agreement/service.js';
import { acceptedText, currentRendering, listVersions } from '../agreement/versions.js';
import { readRegister } from '../register/service.js';
import { securityMeasures } from '../security/measures.js';
import { applicableSubprocessors } from '../subprocessors/service.js';
import { customerBreaches } from '../breaches/service.js';
import { requestsForAudit } from '../requests/service.js';

/**
 * OBLIGATIONS AUD-1: the audit pack, a ZIP generated on request from live state.
 *
 * The pack is a list of section providers; each yields one file. A section's content is a string
 * (written as UTF-8), bytes, or any other value (written as indented JSON). Providers run one after
 * the other, each opening its own transactions: several existing sources do (the security measures;
 * the chain verification runs in a REPEATABLE READ snapshot of its own), and on PGlite (one
 * connection) a transaction opened inside another would wait forever. So a provider gets the
 * context, not a transaction.
 *
 * Then manifest.json lists every file with its SHA-256 and size, and manifest.sig is the Ed25519
 * signature over manifest.json's exact bytes with the operator's signing key (the key that signs the
 * audit log checkpoints, lib/crypto/signing.ts); public-key.pem and README.txt (Dutch and English: how
 * to verify) are added. zip: fflate (MIT, no dependencies, maintained, already in the tree through
 * read-excel-file): synchronous, in memory, which suits a pack of a few hundred kilobytes, and it also
 * reads ZIPs, which the tests use.
 */

export interface PackInput {
  ctx: AppContext;
  tenantId: string;
  /** The access-log period, calendar dates (Europe/Amsterdam), both inclusive. */
  period: { from: IsoDate; to: IsoDate };
  now: Date;
}

export interface PackSection {
  /** The file's name in the ZIP, e.g. 'agreement.json'. */
  name: string;
  /** What the file says, in Dutch and English (listed in the manifest). */
  title: { nl: string; en: string };
  produce(input: PackInput): Promise<string | Uint8Array | unknown>;
}

/** Actions of the access-log extract, by category (AUD-1: sign-ins, support access, keys and exports). */
export const ACCESS_LOG_ACTIONS: Record<string, readonly AuditAction[]> = {
  'sign-in': [
    AuditAction.SIGN_IN,
    AuditAction.SIGN_IN_FAILED,
    AuditAction.SIGN_OUT,
    AuditAction.ACCOUNT_LOCKED,
    AuditAction.ACCOUNT_UNLOCKED,
    AuditAction.SECOND_FACTOR_ENABLED,
    AuditAction.SECOND_FACTOR_DISABLED,
    AuditAction.RECOVERY_CODE_USED,
    AuditAction.PASSWORD_CHANGED,
  ],
  support: [
    AuditAction.SUPPORT_GRANTED,
    AuditAction.SUPPORT_REVOKED,
    AuditAction.SUPPORT_SESSION_STARTED,
    AuditAction.SUPPORT_ACCESS,
  ],
  keys: [
    AuditAction.TENANT_KEY_REWRAPPED,
    AuditAction.TENANT_KEY_ERASED,
    AuditAction.API_KEY_CREATED,
    AuditAction.API_KEY_REVOKED,
  ],
  export: [AuditAction.RESPONSES_EXPORTED, AuditAction.AUDIT_PACK_GENERATED],
};

/** Instant of 00:00 in Amsterdam on a calendar date (found by the offset at noon UTC that day). */
function amsterdamMidnight(d: IsoDate): Date {
  const noon = new Date(`${d}T12:00:00Z`);
  const local = new Date(noon.toLocaleString('en-US', { timeZone: 'Europe/Amsterdam' }));
  const utc = new Date(noon.toLocaleString('en-US', { timeZone: 'UTC' }));
  return new Date(Date.parse(`${d}T00:00:00Z`) - (local.getTime() - utc.getTime()));
}

const nextDay = (d: IsoDate): IsoDate => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export const PACK_SECTIONS: PackSection[] = [
  {
    name: 'agreement.json',
    title: {
      nl: 'De verwerkersovereenkomst als record (partijen, looptijd, afgesproken termijnen)',
      en: 'The processing agreement as a record (parties, term, agreed terms)',
    },
    produce: ({ ctx, tenantId, now }) =>
      ctx.db.tenant(tenantId, (tx) => readAgreement(tx, tenantId, ctx.env.PEIL_OPERATOR_ORGANISATION, now)),
  },
  {
    name: 'agreement-nl.md',
    title: {
      nl: 'De verwerkersovereenkomst met bijlagen zoals die nu luidt (Nederlands)',
      en: 'The processing agreement with its annexes as it reads now (Dutch)',
    },
    produce: ({ ctx, tenantId, now }) =>
      ctx.db.tenant(tenantId, async (tx) => (await currentRendering(ctx, tx, tenantId, 'nl', now)).markdown),
  },
  {
    name: 'agreement-en.md',
    title: {
      nl: 'De verwerkersovereenkomst met bijlagen zoals die nu luidt (Engels)',
      en: 'The processing agreement with its annexes as it reads now (English)',
    },
    produce: ({ ctx, tenantId, now }) =>
      ctx.db.tenant(tenantId, async (tx) => (await currentRendering(ctx, tx, tenantId, 'en', now)).markdown),
  },
  {
    name: 'agreement-acceptances.json',
    title: {
      nl: 'Acceptaties (wie, wanneer, versie, SHA-256) met de geaccepteerde teksten, en de aangekondigde versies met bezwaren',
      en: 'Acceptances (who, when, version, SHA-256) with the accepted texts, and the announced versions with objections',
    },
    produce: ({ ctx, tenantId }) =>
      ctx.db.tenant(tenantId, async (tx) => {
        const versions = await listVersions(ctx, tx, tenantId);
        // The texts themselves, so an auditor can hash each one and compare it with its acceptance.
        const texts = [];
        for (const a of versions.acceptances)
          texts.push({ id: a.id, ...(await acceptedText(ctx, tx, tenantId, a.id)) });
        return { ...versions, acceptedTexts: texts };
      }),
  },
  {
    name: 'register.json',
    title: {
      nl: 'Het register van verwerkingen (bijlage 1), met afwijkingen en bijzondere persoonsgegevens',
      en: 'The register of processing (annex 1), with drift and special categories',
    },
    produce: ({ ctx, tenantId }) => ctx.db.tenant(tenantId, (tx) => readRegister(tx, tenantId)),
  },
  {
    name: 'subprocessors.json',
    title: {
      nl: 'De subverwerkers die voor deze klant gelden, met status',
      en: 'The sub-processors that apply to this customer, with their status',
    },
    produce: ({ ctx, tenantId }) => ctx.db.tenant(tenantId, (tx) => applicableSubprocessors(tx)),
  },
  {
    name: 'security-measures.json',
    title: { nl: 'De beveiligingsmaatregelen zoals ze nu gelden', en: 'The security measures in force' },
    produce: ({ ctx, tenantId }) => securityMeasures(ctx, tenantId),
  },
  {
    name: 'breaches.json',
    title: {
      nl: 'Het logboek van datalekken van deze klant: elke melding, update en afsluiting zoals verstuurd, met de eigen aantallen',
      en: "This customer's breach log: every notice, update and closing as sent, with its own numbers",
    },
    produce: async ({ ctx, tenantId }) => ({ breaches: await customerBreaches(ctx, tenantId) }),
  },
  {
    name: 'requests.json',
    title: {
      nl: 'De verzoeken van betrokkenen (inzage, correctie, wissen, bezwaar, overdraagbaarheid): soort, ontvangen, uiterste datum, verlenging, besluit (ids en datums, geen adressen of teksten)',
      en: "Data subjects' requests (access, rectification, erasure, objection, portability): kind, received, due, extension, decision (ids and dates, no addresses or texts)",
    },
    produce: async ({ ctx, tenantId, now }) => ({
      requests: await ctx.db.tenant(tenantId, (tx) => requestsForAudit(tx, tenantId, now)),
    }),
  },
  {
    name: 'access-log.json',
    title: {
      nl: 'Uittreksel uit het auditlog: aanmeldingen, supporttoegang, sleutels en exports (ids en categorieën)',
      en: 'Access-log extract: sign-ins, support access, keys and exports (ids and categories)',
    },
    produce: async ({ ctx, tenantId, period }) => {
      const actions = Object.values(ACCESS_LOG_ACTIONS).flat();
      const categoryOf = (a: string) =>
        Object.entries(ACCESS_LOG_ACTIONS).find(([, list]) => (list as readonly string[]).includes(a))![0];
      const rows = await ctx.db.tenant(tenantId, (tx) =>
        tx
          .selectFrom('audit_events')
          .select(['seq', 'at', 'action', 'actor_kind', 'actor_id', 'subject_kind', 'subject_id'])
          .where('tenant_id', '=', tenantId)
          .where('action', 'in', actions)
          .where('at', '>=', amsterdamMidnight(period.from))
          .where('at', '<', amsterdamMidnight(nextDay(period.to)))
          .orderBy('seq')
          .execute(),
      );
      // No addresses, details or request ids: who (by id), what (category, action) and when.
      return {
        period,
        categories: ACCESS_LOG_ACTIONS,
        entries: rows.map((r) => ({
          seq: Number(r.seq),
          at: new Date(r.at).toISOString(),
          category: categoryOf(r.action),
          action: r.action,
          actor: { kind: r.actor_kind, id: r.actor_id },
          subject: r.subject_kind ? { kind: r.subject_kind, id: r.subject_id } : null,
        })),
      };
    },
  },
  {
    name: 'audit-log-verification.json',
    title: {
      nl: 'Controle van de hashketen van het auditlog, met ondertekende checkpoints',
      en: "Verification of the audit log's hash chain, with signed checkpoints",
    },
    produce: ({ ctx, tenantId }) => verifyTenant(ctx.db, tenantId, signerOf(ctx.keyring.master)),
  },
];

const README = (keyId: string) => `Peil auditpakket / Peil audit pack
==================================

NEDERLANDS

Dit pakket is op verzoek samengesteld uit de actuele gegevens van Peil. manifest.json noemt elk bestand
met zijn SHA-256-hash en grootte. manifest.sig is de Ed25519-handtekening van Peil over de exacte bytes
van manifest.json, gezet met dezelfde sleutel die de checkpoints van het auditlog ondertekent
(sleutel-id ${keyId}; de publieke sleutel staat in public-key.pem en het sleutel-id ook in de
beveiligingsmaatregelen in de app).

Controleren:
1. Vergelijk het sleutel-id met het id in de beveiligingsmaatregelen (of vraag het Peil); public-key.pem
   uit het pakket zelf bewijst alleen iets als het sleutel-id klopt.
2. Handtekening (OpenSSL 3):
     openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in manifest.json -sigfile manifest.sig
   Antwoord "Signature Verified Successfully": manifest.json is ongewijzigd.
3. Hashes:   sha256sum <bestand>   en vergelijk met "sha256" in manifest.json (geldt niet voor
   manifest.json en manifest.sig zelf).
Eén gewijzigde byte in een bestand geeft een andere hash; een gewijzigd manifest een ongeldige handtekening.

ENGLISH

This pack was generated on request from Peil's live state. manifest.json lists every file with its
SHA-256 hash and size. manifest.sig is Peil's Ed25519 signature over the exact bytes of manifest.json,
made with the key that signs the audit log's checkpoints (key id ${keyId}; the public key is in
public-key.pem, and the key id also in the security measures in the app).

To verify:
1. Compare the key id with the one in the security measures (or ask Peil); public-key.pem inside the
   pack proves something only if the key id matches.
2. Signature (OpenSSL 3):
     openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in manifest.json -sigfile manifest.sig
   "Signature Verified Successfully" means manifest.json is unchanged.
3. Hashes:   sha256sum <file>   and compare with "sha256" in manifest.json (not for manifest.json and
   manifest.sig themselves).
One changed byte in a file gives another hash; a changed manifest an invalid signature.

Node.js:
  const { verify, createPublicKey } = require('node:crypto');
  verify(null, fs.readFileSync('manifest.json'), createPublicKey(fs.readFileSync('public-key.pem')), fs.readFileSync('manifest.sig'));
`;

export interface Manifest {
  format: 'peil-audit-pack/1';
  customer: { id: string; name: string };
  generatedAt: string;
  period: { from: IsoDate; to: IsoDate };
  signature: { algorithm: 'Ed25519'; keyId: string; file: 'manifest.sig'; publicKey: 'public-key.pem' };
  files: Array<{ name: string; sha256: string; bytes: number; title: { nl: string; en: string } }>;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/**
 * Builds the pack for one customer and writes `audit_request.pack_generated` in its chain (after the
 * verification, so the verified chain is the one before this entry). `sections` defaults to
 * PACK_SECTIONS; the breach log joins them when it exists (issue 11).
 */
export async function buildAuditPack(
  ctx: AppContext,
  tenantId: string,
  opts: { from?: IsoDate; to?: IsoDate; now?: Date; actor: Actor; sections?: PackSection[] },
): Promise<{ zip: Uint8Array; manifest: Manifest; filename: string }> {
  const now = opts.now ?? new Date();
  const to = opts.to ?? dateIn(now);
  const from = opts.from ?? `${String(Number(to.slice(0, 4)) - 1).padStart(4, '0')}${to.slice(4)}`;
  const input: PackInput = { ctx, tenantId, period: { from, to }, now };
  const tenant = await ctx.db.global((tx) =>
    tx.selectFrom('tenants').select(['id', 'name', 'slug']).where('id', '=', tenantId).executeTakeFirstOrThrow(),
  );
  const signer = signerOf(ctx.keyring.master);
  const files: Record<string, Uint8Array> = {};
  const listed: Manifest['files'] = [];
  const add = (name: string, title: { nl: string; en: string }, content: string | Uint8Array | unknown) => {
    const bytes =
      content instanceof Uint8Array
        ? content
        : strToU8(typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
    files[name] = bytes;
    listed.push({ name, sha256: sha256(bytes), bytes: bytes.length, title });
  };
  for (const s of opts.sections ?? PACK_SECTIONS) add(s.name, s.title, await s.produce(input));
  add(
    'README.txt',
    { nl: 'Hoe u de handtekening controleert', en: 'How to verify the signature' },
    README(signer.keyId),
  );
  add(
    'public-key.pem',
    { nl: 'Publieke sleutel van Peil (Ed25519)', en: "Peil's public key (Ed25519)" },
    signer.publicKeyPem,
  );
  const manifest: Manifest = {
    format: 'peil-audit-pack/1',
    customer: { id: tenant.id, name: tenant.name },
    generatedAt: now.toISOString(),
    period: { from, to },
    signature: { algorithm: 'Ed25519', keyId: signer.keyId, file: 'manifest.sig', publicKey: 'public-key.pem' },
    files: listed,
  };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  files['manifest.json'] = strToU8(manifestText);
  files['manifest.sig'] = new Uint8Array(signer.sign(manifestText));
  const mtime = now;
  const zip = zipSync(Object.fromEntries(Object.entries(files).map(([name, data]) => [name, [data, { mtime }]])), {
    level: 6,
  });
  await ctx.db.tenant(tenantId, (tx) =>
    audit(tx, tenantId, opts.actor, {
      action: AuditAction.AUDIT_PACK_GENERATED,
      subject: { kind: 'audit_pack', id: tenantId },
      details: { from, to, files: listed.length, manifestSha256: sha256(files['manifest.json']!) },
    }),
  );
  return { zip, manifest, filename: `peil-auditpakket-${tenant.slug}-${dateIn(now)}.zip` };
}
