import type { AppContext } from '../../context.js';
import { logRetentionMonths } from '../agreement/service.js';
import { tenantKeyRow } from '../../lib/crypto/keyring.js';
import { signerOf } from '../../lib/crypto/signing.js';
import type { Tx } from '../../lib/db/db.js';
import { AppError } from '../../lib/errors.js';
import { rolePermissions } from '../../lib/permissions.js';
import { applicableSubprocessors, type SubprocessorStatus } from '../subprocessors/service.js';

/**
 * OBLIGATIONS SEC-4: the security measures in force for one customer, computed from the live
 * configuration and state at the moment of asking, never from a fixed text: change a setting or the
 * state (a backup, a verification, the retention) and the document changes with it. AGR-4's annex of
 * measures is meant to be generated from this.
 */
export interface SecurityMeasures {
  customer: { id: string; name: string; slug: string };
  generatedAt: string;
  environment: string;
  encryption: {
    atRest: string;
    perCustomerKey: boolean;
    keyState: 'active' | 'destroyed';
    keyCreatedAt: string | null;
    keyDestroyedAt: string | null;
    keyRewrappedAt: string | null;
    masterKeyId: string;
    masterKeySource: string;
    /** The same as a code, for the admin app's own words (issue 14). */
    masterKeySourceKind: 'environment' | 'file' | 'development';
    emailLookup: string;
    keysInBackups: boolean;
  };
  transport: {
    baseUrl: string;
    https: boolean;
    terminatedBy: 'peil' | 'proxy' | 'none';
    description: string;
    secureCookies: boolean;
    hsts: boolean;
  };
  access: {
    secondFactorRequired: boolean;
    passwordHashing: string;
    sessionIdleMinutes: number;
    sessionAbsoluteMinutes: number;
    tenantIsolation: string;
    roles: Record<string, number>;
  };
  backups: {
    lastSuccessfulAt: string | null;
    encryption: string;
    scheduled: { intervalHours: number; keep: number } | null;
  };
  auditLog: {
    retentionMonths: number;
    tamperEvidence: string;
    entries: number;
    headSeq: number;
    lastCheckpointAt: string | null;
    signingKeyId: string;
    lastVerification: { at: string; ok: boolean; problem: string | null } | null;
  };
  hosting: { location: string; country: string; database: string };
  mail: string;
  /** How mail leaves Peil, as a code (the admin app says it in the user's language). */
  mailKind: 'smtp' | 'outbox';
  /** OBLIGATIONS SUB-1, SUB-3: the register's entries that apply to this customer (features/subprocessors). */
  subProcessors: Array<{
    name: string;
    service: string;
    location: string;
    country: string;
    insideEea: boolean;
    safeguards: string[];
    status: SubprocessorStatus;
  }>;
}

function masterKeySourceKind(ctx: AppContext): 'environment' | 'file' | 'development' {
  if (ctx.env.PEIL_MASTER_KEY) return 'environment';
  if (ctx.env.PEIL_MASTER_KEY_FILE) return 'file';
  return 'development';
}
function masterKeySource(ctx: AppContext): string {
  return {
    environment: 'configuration (environment)',
    file: 'key file outside the database',
    development: 'development key in the data folder',
  }[masterKeySourceKind(ctx)];
}

export async function securityMeasures(ctx: AppContext, tenantId: string): Promise<SecurityMeasures> {
  return ctx.db.tenant(tenantId, (tx) => securityMeasuresIn(ctx, tx, tenantId));
}

/** The same, inside a transaction of that customer (AGR-4's annex of measures is composed in one). */
export async function securityMeasuresIn(ctx: AppContext, tx: Tx, tenantId: string): Promise<SecurityMeasures> {
  const env = ctx.env;
  const tenant = await tx
    .selectFrom('tenants')
    .select(['id', 'name', 'slug', 'require_second_factor'])
    .where('id', '=', tenantId)
    .executeTakeFirst();
  if (!tenant) throw AppError.notFound('customer');
  const key = await tenantKeyRow(tx, tenantId);
  const backup = await tx
    .selectFrom('backups')
    .select('finished_at')
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const log = await (async () => {
    const head = await tx.selectFrom('audit_heads').select('seq').executeTakeFirst();
    const count = await tx
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const checkpoint = await tx
      .selectFrom('audit_checkpoints')
      .select('at')
      .orderBy('seq', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    const verification = await tx
      .selectFrom('audit_verifications')
      .select(['at', 'ok', 'problem'])
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    const roles = await tx
      .selectFrom('users')
      .select(['role', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'active')
      .groupBy('role')
      .execute();
    const subProcessors = await applicableSubprocessors(tx);
    // OBLIGATIONS LOG-4: the retention agreed in the customer's agreement (AGR-2).
    const retentionMonths = await logRetentionMonths(tx, tenantId);
    return { head, count, checkpoint, verification, roles, subProcessors, retentionMonths };
  })();
  const https = env.baseUrl.startsWith('https://');
  const terminatedBy =
    env.PEIL_TLS_CERT_FILE && env.PEIL_TLS_KEY_FILE ? 'peil' : env.PEIL_TRUSTED_PROXIES ? 'proxy' : 'none';
  const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
  return {
    customer: { id: tenant.id, name: tenant.name, slug: tenant.slug },
    generatedAt: new Date().toISOString(),
    environment: env.PEIL_ENV,
    encryption: {
      atRest: 'AES-256-GCM, personal data encrypted with a data key of this customer alone (envelope encryption)',
      perCustomerKey: true,
      keyState: key?.wrapped_key ? 'active' : 'destroyed',
      keyCreatedAt: iso(key?.created_at),
      keyDestroyedAt: iso(key?.destroyed_at),
      keyRewrappedAt: iso(key?.rewrapped_at),
      masterKeyId: key?.master_key_id ?? ctx.keyring.master.id,
      masterKeySource: masterKeySource(ctx),
      masterKeySourceKind: masterKeySourceKind(ctx),
      emailLookup: 'keyed blind index (HMAC-SHA256), no clear-text email in the database',
      keysInBackups: false,
    },
    transport: {
      baseUrl: env.baseUrl,
      https,
      terminatedBy,
      description: https
        ? `HTTPS (TLS) for every connection to Peil, ${terminatedBy === 'peil' ? 'served by Peil with its own certificate' : terminatedBy === 'proxy' ? 'terminated at a trusted proxy in front of Peil' : 'at an address whose TLS is not configured here'}`
        : 'plain HTTP: development configuration, not for personal data',
      secureCookies: env.PEIL_ENV === 'production' || https,
      hsts: env.PEIL_ENV === 'production',
    },
    access: {
      // OBLIGATIONS ACC-4: the customer's own setting (PATCH /api/v1/tenant/settings).
      secondFactorRequired: tenant.require_second_factor,
      passwordHashing: 'argon2id (memory-hard)',
      sessionIdleMinutes: env.SESSION_IDLE_MINUTES,
      sessionAbsoluteMinutes: env.SESSION_ABSOLUTE_MINUTES,
      tenantIsolation: 'row-level security in the database, forced on every customer table',
      roles: Object.fromEntries(
        Object.keys(rolePermissions).map((r) => [r, Number(log.roles.find((x) => x.role === r)?.n ?? 0)]),
      ),
    },
    backups: {
      lastSuccessfulAt: iso(backup?.finished_at),
      encryption: 'AES-256-GCM, key derived from the master key; customer keys are kept apart from backups',
      scheduled: env.PEIL_BACKUP_DIR
        ? { intervalHours: env.PEIL_BACKUP_INTERVAL_HOURS, keep: env.PEIL_BACKUP_KEEP }
        : null,
    },
    auditLog: {
      retentionMonths: log.retentionMonths,
      tamperEvidence: 'SHA-256 hash chain per customer, heads signed with Ed25519 (checkpoints)',
      entries: Number(log.count.n),
      headSeq: Number(log.head?.seq ?? 0),
      lastCheckpointAt: iso(log.checkpoint?.at),
      signingKeyId: signerOf(ctx.keyring.master).keyId,
      lastVerification: log.verification
        ? { at: iso(log.verification.at)!, ok: log.verification.ok, problem: log.verification.problem }
        : null,
    },
    hosting: {
      location: env.PEIL_HOSTING_LOCATION,
      country: env.PEIL_HOSTING_COUNTRY,
      database: ctx.db.kind === 'postgres' ? 'PostgreSQL' : 'PGlite (embedded PostgreSQL)',
    },
    mail:
      ctx.mailer.kind === 'smtp'
        ? 'sent through the configured SMTP server'
        : 'kept in the built-in outbox (nothing leaves the system)',
    mailKind: ctx.mailer.kind === 'smtp' ? 'smtp' : 'outbox',
    subProcessors: log.subProcessors.map((x) => ({
      name: x.name,
      service: x.service,
      location: x.location,
      country: x.country,
      insideEea: x.insideEea,
      safeguards: x.safeguards,
      status: x.status,
    })),
  };
}

/** How the document says an entry is not used (SUB-2 window or objection, SUB-3 consent). */
const NOT_USED: Record<SubprocessorStatus, string> = {
  applied: '',
  awaiting_consent: '; awaiting consent, not used',
  objection_window: '; in objection window, not used yet',
  objected: '; objected, not used',
};

const yes = (b: boolean) => (b ? 'yes' : 'no');
const when = (d: string | null, none: string) => (d ? d.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : none);

/** The same measures as a document a privacy officer can file (Markdown). */
export function measuresMarkdown(m: SecurityMeasures): string {
  const v = m.auditLog.lastVerification;
  return [
    `# Security measures in force for ${m.customer.name}`,
    '',
    `Generated by Peil on ${when(m.generatedAt, '')} from the live configuration (${m.environment}). Customer: ${m.customer.slug} (${m.customer.id}).`,
    '',
    '## Encryption at rest',
    `- ${m.encryption.atRest}.`,
    `- Customer key: ${m.encryption.keyState}${m.encryption.keyCreatedAt ? `, created ${when(m.encryption.keyCreatedAt, '')}` : ''}${m.encryption.keyDestroyedAt ? `, destroyed ${when(m.encryption.keyDestroyedAt, '')}` : ''}${m.encryption.keyRewrappedAt ? `, re-wrapped ${when(m.encryption.keyRewrappedAt, '')}` : ''}.`,
    `- Wrapped by master key ${m.encryption.masterKeyId} (${m.encryption.masterKeySource}).`,
    `- Email look-ups: ${m.encryption.emailLookup}.`,
    `- Customer keys in backups: ${yes(m.encryption.keysInBackups)}; destroying the customer key makes every copy unreadable.`,
    '',
    '## Transport',
    `- ${m.transport.description} (${m.transport.baseUrl}).`,
    `- Secure cookies: ${yes(m.transport.secureCookies)}; HSTS: ${yes(m.transport.hsts)}.`,
    '',
    '## Access',
    `- Second factor required: ${m.access.secondFactorRequired ? 'yes' : 'not required'}.`,
    `- Passwords: ${m.access.passwordHashing}.`,
    `- Sessions end after ${m.access.sessionIdleMinutes} minutes idle, ${m.access.sessionAbsoluteMinutes} minutes at most.`,
    `- Separation of customers: ${m.access.tenantIsolation}.`,
    `- Active accounts by role: ${Object.entries(m.access.roles)
      .map(([r, n]) => `${r} ${n}`)
      .join(', ')}.`,
    '',
    '## Backups',
    `- Last successful backup: ${when(m.backups.lastSuccessfulAt, 'none yet')}.`,
    `- ${m.backups.encryption}.`,
    `- Scheduled: ${m.backups.scheduled ? `every ${m.backups.scheduled.intervalHours} hours, last ${m.backups.scheduled.keep} kept` : 'no (made by the operator on demand)'}.`,
    '',
    '## Audit log',
    `- Retention: ${m.auditLog.retentionMonths} months; older entries are removed automatically.`,
    `- Tamper evidence: ${m.auditLog.tamperEvidence}; signing key ${m.auditLog.signingKeyId}.`,
    `- Entries kept: ${m.auditLog.entries} (up to seq ${m.auditLog.headSeq}); last signed checkpoint: ${when(m.auditLog.lastCheckpointAt, 'none yet')}.`,
    `- Last verification: ${v ? `${when(v.at, '')}, ${v.ok ? 'the log verified' : `FAILED: ${v.problem}`}` : 'not verified yet'}.`,
    '',
    '## Hosting',
    `- Location of storage and processing: ${m.hosting.location} (${m.hosting.country}).`,
    `- Database: ${m.hosting.database}.`,
    `- Mail: ${m.mail}.`,
    `- Sub-processors: ${m.subProcessors.length ? m.subProcessors.map((s) => `${s.name} (${s.service}, ${s.location}, ${s.country}, ${s.insideEea ? 'inside the EEA' : 'outside the EEA'}${s.safeguards.length ? `; ${s.safeguards.join(', ')}` : ''}${NOT_USED[s.status]})`).join('; ') : 'none'}.`,
    '',
  ].join('\n');
}

/** A statement of the measures in Dutch and English. */
export interface MeasureText {
  nl: string;
  en: string;
}

/**
 * OBLIGATIONS SEC-4, AGR-4: the measures as statements in Dutch and English, grouped, for the
 * agreement's annex of measures. Only what holds as configuration and policy is stated here, never
 * counters or the time of the last backup or verification: the agreement's text is hashed when it is
 * accepted (AGR-3) and must not change with every log entry. Each statement is derived from the same
 * fields as the JSON and Markdown above.
 */
export function measureStatements(m: SecurityMeasures): Array<{ heading: MeasureText; items: MeasureText[] }> {
  const t = m.transport;
  const transport: MeasureText = !t.https
    ? {
        nl: 'Gewoon HTTP: een ontwikkelconfiguratie, niet voor persoonsgegevens',
        en: 'Plain HTTP: a development configuration, not for personal data',
      }
    : t.terminatedBy === 'peil'
      ? {
          nl: 'HTTPS (TLS) voor elke verbinding met Peil, door Peil zelf met een eigen certificaat',
          en: 'HTTPS (TLS) for every connection to Peil, served by Peil with its own certificate',
        }
      : t.terminatedBy === 'proxy'
        ? {
            nl: 'HTTPS (TLS) voor elke verbinding met Peil, beëindigd bij een vertrouwde proxy vóór Peil',
            en: 'HTTPS (TLS) for every connection to Peil, terminated at a trusted proxy in front of Peil',
          }
        : {
            nl: 'HTTPS (TLS) op een adres waarvan de TLS hier niet is ingesteld',
            en: 'HTTPS (TLS) at an address whose TLS is not configured here',
          };
  const yn = (b: boolean): MeasureText => (b ? { nl: 'ja', en: 'yes' } : { nl: 'nee', en: 'no' });
  const both = (nl: (y: string) => string, en: (y: string) => string, b: boolean): MeasureText => ({
    nl: nl(yn(b).nl),
    en: en(yn(b).en),
  });
  const s = m.backups.scheduled;
  return [
    {
      heading: { nl: 'Versleuteling van opgeslagen gegevens', en: 'Encryption at rest' },
      items: [
        {
          nl: 'AES-256-GCM; persoonsgegevens zijn versleuteld met een datasleutel van alleen deze klant (envelope-versleuteling)',
          en: 'AES-256-GCM; personal data encrypted with a data key of this customer alone (envelope encryption)',
        },
        m.encryption.keyState === 'active'
          ? {
              nl: 'De sleutel van de klant is actief en wordt bewaard versleuteld met de hoofdsleutel',
              en: "The customer's key is active and kept wrapped by the master key",
            }
          : {
              nl: 'De sleutel van de klant is vernietigd: de versleutelde gegevens zijn onleesbaar',
              en: "The customer's key has been destroyed: the encrypted data is unreadable",
            },
        {
          nl: 'Opzoeken op e-mailadres met een blinde index (HMAC-SHA256); geen e-mailadressen in leesbare vorm in de database',
          en: 'Email look-ups through a keyed blind index (HMAC-SHA256), no clear-text email in the database',
        },
        both(
          (y) => `Sleutels van klanten in back-ups: ${y}; vernietigen van de sleutel maakt elke kopie onleesbaar`,
          (y) => `Customer keys in backups: ${y}; destroying the customer key makes every copy unreadable`,
          m.encryption.keysInBackups,
        ),
      ],
    },
    {
      heading: { nl: 'Transport', en: 'Transport' },
      items: [
        transport,
        {
          nl: `Beveiligde cookies: ${yn(t.secureCookies).nl}; HSTS: ${yn(t.hsts).nl}`,
          en: `Secure cookies: ${yn(t.secureCookies).en}; HSTS: ${yn(t.hsts).en}`,
        },
      ],
    },
    {
      heading: { nl: 'Toegang', en: 'Access' },
      items: [
        m.access.secondFactorRequired
          ? {
              nl: 'Tweede factor verplicht voor alle gebruikers van de klant',
              en: "Second factor required for all of the customer's users",
            }
          : {
              nl: 'Tweede factor beschikbaar, niet verplicht gesteld door de klant',
              en: 'Second factor available, not required by the customer',
            },
        {
          nl: 'Wachtwoorden: argon2id (geheugenintensief), nooit leesbaar opgeslagen',
          en: 'Passwords: argon2id (memory-hard), never stored in clear',
        },
        {
          nl: `Sessies eindigen na ${m.access.sessionIdleMinutes} minuten zonder activiteit, na hoogstens ${m.access.sessionAbsoluteMinutes} minuten`,
          en: `Sessions end after ${m.access.sessionIdleMinutes} minutes idle, ${m.access.sessionAbsoluteMinutes} minutes at most`,
        },
        {
          nl: 'Scheiding van klanten: row-level security in de database, afgedwongen op elke klanttabel',
          en: 'Separation of customers: row-level security in the database, forced on every customer table',
        },
        {
          nl: 'Rollen met minimale rechten (eigenaar, beheerder, analist, kijker); analisten en kijkers zien geen contactgegevens',
          en: 'Roles with least privilege (owner, admin, analyst, viewer); analysts and viewers see no contact details',
        },
      ],
    },
    {
      heading: { nl: 'Back-ups', en: 'Backups' },
      items: [
        {
          nl: 'AES-256-GCM, sleutel afgeleid van de hoofdsleutel; sleutels van klanten worden apart van back-ups bewaard',
          en: 'AES-256-GCM, key derived from the master key; customer keys are kept apart from backups',
        },
        s
          ? {
              nl: `Automatisch elke ${s.intervalHours} uur; de laatste ${s.keep} worden bewaard`,
              en: `Scheduled every ${s.intervalHours} hours; the last ${s.keep} are kept`,
            }
          : {
              nl: 'Niet automatisch: de beheerder maakt ze op verzoek',
              en: 'Not scheduled: made by the operator on demand',
            },
      ],
    },
    {
      heading: { nl: 'Logboek', en: 'Audit log' },
      items: [
        {
          nl: `Bewaartermijn: ${m.auditLog.retentionMonths} maanden; oudere regels worden automatisch verwijderd`,
          en: `Retention: ${m.auditLog.retentionMonths} months; older entries are removed automatically`,
        },
        {
          nl: 'Onveranderbaarheid aantoonbaar: SHA-256-hashketen per klant, met Ed25519 ondertekende controlepunten',
          en: 'Tamper evidence: SHA-256 hash chain per customer, heads signed with Ed25519 (checkpoints)',
        },
      ],
    },
    {
      heading: { nl: 'Hosting', en: 'Hosting' },
      items: [
        {
          nl: `Locatie van opslag en verwerking: ${m.hosting.location} (${m.hosting.country})`,
          en: `Location of storage and processing: ${m.hosting.location} (${m.hosting.country})`,
        },
        { nl: `Database: ${m.hosting.database}`, en: `Database: ${m.hosting.database}` },
        m.mail.startsWith('sent')
          ? {
              nl: 'E-mail: verzonden via de ingestelde SMTP-server',
              en: 'Mail: sent through the configured SMTP server',
            }
          : {
              nl: 'E-mail: bewaard in de ingebouwde outbox (niets verlaat het systeem)',
              en: 'Mail: kept in the built-in outbox (nothing leaves the system)',
            },
      ],
    },
  ];
}
