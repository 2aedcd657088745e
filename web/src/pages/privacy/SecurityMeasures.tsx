import { useState, type ReactNode } from 'react';
import { get } from '../../api';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { useTitle } from '../../components/useTitle';
import { formatDateTime } from '../../format';
import type { Problem } from '../../types';

interface Measures {
  customer: { name: string; slug: string };
  generatedAt: string;
  encryption: { atRest: string; keyState: 'active' | 'destroyed'; keyCreatedAt: string | null; masterKeyId: string; masterKeySource: string; emailLookup: string };
  transport: { description: string; secureCookies: boolean; hsts: boolean };
  access: { secondFactorRequired: boolean; passwordHashing: string; sessionIdleMinutes: number; sessionAbsoluteMinutes: number; tenantIsolation: string; roles: Record<string, number> };
  backups: { lastSuccessfulAt: string | null; encryption: string; scheduled: { intervalHours: number; keep: number } | null };
  auditLog: { retentionMonths: number; tamperEvidence: string; entries: number; lastCheckpointAt: string | null; lastVerification: { at: string; ok: boolean; problem: string | null } | null };
  hosting: { location: string; country: string; database: string };
  mail: string;
}

const yesNo = (b: boolean) => (b ? 'ja / yes' : 'nee / no');

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

/**
 * OBLIGATIONS SEC-4: the security measures in force for this organisation, computed by the server
 * from the live configuration at the moment of asking (never a fixed text), with the document to file.
 */
export function SecurityMeasuresPage() {
  useTitle('Beveiligingsmaatregelen / Security measures');
  const [m, setM] = useState<Measures | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useLoad(async () => setM(await get<Measures>('/api/v1/security-measures')), setProblem);

  return (
    <>
      <h1 tabIndex={-1}>Beveiligingsmaatregelen / Security measures</h1>
      <p>
        De maatregelen die nu gelden, berekend uit de werkelijke configuratie. / The measures in force now, computed from the live configuration.
      </p>
      <ProblemAlert problem={problem} />
      {m && (
        <>
          <p className="muted small">
            Opgesteld / Generated {formatDateTime(m.generatedAt)} ·{' '}
            <a href="/api/v1/security-measures?format=md" download>
              Downloaden (Markdown) / Download
            </a>
          </p>
          <section className="card" aria-labelledby="m-enc">
            <h2 id="m-enc">Versleuteling / Encryption</h2>
            <dl className="pairs">
              <Row label="Opslag / At rest">{m.encryption.atRest}</Row>
              <Row label="Sleutel van uw organisatie / Your organisation's key">
                {m.encryption.keyState === 'active' ? 'actief / active' : 'vernietigd / destroyed'}
                {m.encryption.keyCreatedAt ? ` (${formatDateTime(m.encryption.keyCreatedAt)})` : ''}
              </Row>
              <Row label="Hoofdsleutel / Master key">
                {m.encryption.masterKeyId} ({m.encryption.masterKeySource})
              </Row>
              <Row label="E-mailadressen zoeken / Email look-ups">{m.encryption.emailLookup}</Row>
              <Row label="Transport">{m.transport.description}</Row>
            </dl>
          </section>
          <section className="card" aria-labelledby="m-access">
            <h2 id="m-access">Toegang / Access</h2>
            <dl className="pairs">
              <Row label="Tweestapsverificatie verplicht / Second factor required">{yesNo(m.access.secondFactorRequired)}</Row>
              <Row label="Wachtwoorden / Passwords">{m.access.passwordHashing}</Row>
              <Row label="Sessies / Sessions">
                {m.access.sessionIdleMinutes} min inactief / idle, max. {m.access.sessionAbsoluteMinutes} min
              </Row>
              <Row label="Scheiding van klanten / Separation of customers">{m.access.tenantIsolation}</Row>
              <Row label="Actieve accounts / Active accounts">
                {Object.entries(m.access.roles)
                  .map(([r, n]) => `${r} ${n}`)
                  .join(', ')}
              </Row>
            </dl>
          </section>
          <section className="card" aria-labelledby="m-log">
            <h2 id="m-log">Back-ups en logboek / Backups and audit log</h2>
            <dl className="pairs">
              <Row label="Laatste back-up / Last backup">{m.backups.lastSuccessfulAt ? formatDateTime(m.backups.lastSuccessfulAt) : 'nog geen / none yet'}</Row>
              <Row label="Gepland / Scheduled">
                {m.backups.scheduled ? `elke / every ${m.backups.scheduled.intervalHours} h, ${m.backups.scheduled.keep} bewaard / kept` : 'nee / no'}
              </Row>
              <Row label="Bewaartermijn logboek / Log retention">{m.auditLog.retentionMonths} maanden / months</Row>
              <Row label="Onweerlegbaarheid / Tamper evidence">{m.auditLog.tamperEvidence}</Row>
              <Row label="Laatste controle / Last verification">
                {m.auditLog.lastVerification
                  ? `${formatDateTime(m.auditLog.lastVerification.at)}: ${m.auditLog.lastVerification.ok ? 'in orde / verified' : `MISLUKT / FAILED: ${m.auditLog.lastVerification.problem ?? ''}`}`
                  : 'nog niet / not yet'}
              </Row>
            </dl>
          </section>
          <section className="card" aria-labelledby="m-host">
            <h2 id="m-host">Hosting</h2>
            <dl className="pairs">
              <Row label="Locatie van opslag en verwerking / Location of storage and processing">
                {m.hosting.location} ({m.hosting.country})
              </Row>
              <Row label="Database">{m.hosting.database}</Row>
              <Row label="E-mail / Mail">{m.mail}</Row>
            </dl>
          </section>
        </>
      )}
    </>
  );
}
