import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { useTitle } from '../../components/useTitle';
import { formatDateTime } from '../../format';
import type { Problem } from '../../types';
import { useRoleName } from '../followups/labels';

interface Measures {
  customer: { name: string; slug: string };
  generatedAt: string;
  encryption: {
    atRest: string;
    keyState: 'active' | 'destroyed';
    keyCreatedAt: string | null;
    masterKeyId: string;
    masterKeySource: string;
    masterKeySourceKind: 'environment' | 'file' | 'development';
    emailLookup: string;
  };
  transport: {
    description: string;
    https: boolean;
    terminatedBy: 'peil' | 'proxy' | 'none';
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
    lastCheckpointAt: string | null;
    lastVerification: { at: string; ok: boolean; problem: string | null } | null;
  };
  hosting: { location: string; country: string; database: string };
  mail: string;
  mailKind: 'smtp' | 'outbox';
}

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
  const { t } = useTranslation('privacy');
  const roleName = useRoleName();
  useTitle(t('measures.title'));
  const yesNo = (b: boolean) => (b ? t('yes') : t('no'));
  const [m, setM] = useState<Measures | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useLoad(async () => setM(await get<Measures>('/api/v1/security-measures')), setProblem);

  return (
    <>
      <h1 tabIndex={-1}>{t('measures.title')}</h1>
      <p>{t('measures.intro')}</p>
      <ProblemAlert problem={problem} />
      {m && (
        <>
          <p className="muted small">
            {t('measures.generated', { at: formatDateTime(m.generatedAt) })} ·{' '}
            <a href="/api/v1/security-measures?format=md" download>
              {t('measures.download')}
            </a>
          </p>
          <section className="card" aria-labelledby="m-enc">
            <h2 id="m-enc">{t('measures.encryption')}</h2>
            <dl className="pairs">
              <Row label={t('measures.atRest')}>{t('measures.values.atRest')}</Row>
              <Row label={t('measures.ownKey')}>
                {t(`measures.keyState.${m.encryption.keyState}`)}
                {m.encryption.keyCreatedAt ? ` (${formatDateTime(m.encryption.keyCreatedAt)})` : ''}
              </Row>
              <Row label={t('measures.masterKey')}>
                {m.encryption.masterKeyId} ({t(`measures.values.keySource.${m.encryption.masterKeySourceKind}`)})
              </Row>
              <Row label={t('measures.emailLookup')}>{t('measures.values.emailLookup')}</Row>
              <Row label={t('measures.transport')}>
                {t(`measures.values.transport.${m.transport.https ? m.transport.terminatedBy : 'plain'}`)}
              </Row>
            </dl>
          </section>
          <section className="card" aria-labelledby="m-access">
            <h2 id="m-access">{t('measures.access')}</h2>
            <dl className="pairs">
              <Row label={t('measures.secondFactor')}>{yesNo(m.access.secondFactorRequired)}</Row>
              <Row label={t('measures.passwords')}>{t('measures.values.passwordHashing')}</Row>
              <Row label={t('measures.sessions')}>
                {t('measures.sessionsValue', {
                  idle: m.access.sessionIdleMinutes,
                  absolute: m.access.sessionAbsoluteMinutes,
                })}
              </Row>
              <Row label={t('measures.separation')}>{t('measures.values.tenantIsolation')}</Row>
              <Row label={t('measures.activeAccounts')}>
                {Object.entries(m.access.roles)
                  .map(([r, n]) => t('measures.values.roleCount', { role: roleName(r), count: n }))
                  .join(', ')}
              </Row>
            </dl>
          </section>
          <section className="card" aria-labelledby="m-log">
            <h2 id="m-log">{t('measures.logTitle')}</h2>
            <dl className="pairs">
              <Row label={t('measures.lastBackup')}>
                {m.backups.lastSuccessfulAt ? formatDateTime(m.backups.lastSuccessfulAt) : t('measures.noneYet')}
              </Row>
              <Row label={t('measures.scheduled')}>
                {m.backups.scheduled
                  ? t('measures.scheduledValue', {
                      hours: m.backups.scheduled.intervalHours,
                      keep: m.backups.scheduled.keep,
                    })
                  : t('no')}
              </Row>
              <Row label={t('measures.logRetention')}>
                {t('measures.months', { count: m.auditLog.retentionMonths })}
              </Row>
              <Row label={t('measures.tamper')}>{t('measures.values.tamper')}</Row>
              <Row label={t('measures.lastVerification')}>
                {m.auditLog.lastVerification
                  ? `${formatDateTime(m.auditLog.lastVerification.at)}: ${m.auditLog.lastVerification.ok ? t('measures.verified') : t('measures.failed', { problem: m.auditLog.lastVerification.problem ?? '' })}`
                  : t('notYet')}
              </Row>
            </dl>
          </section>
          <section className="card" aria-labelledby="m-host">
            <h2 id="m-host">{t('measures.hosting')}</h2>
            <dl className="pairs">
              <Row label={t('measures.location')}>
                {m.hosting.location} ({m.hosting.country})
              </Row>
              <Row label={t('measures.database')}>
                {m.hosting.database.startsWith('PGlite') ? t('measures.values.pglite') : m.hosting.database}
              </Row>
              <Row label={t('measures.mail')}>{t(`measures.values.mailKind.${m.mailKind}`)}</Row>
            </dl>
          </section>
        </>
      )}
    </>
  );
}
