import { useState, type ChangeEvent } from 'react';
import type { TFunction } from 'i18next';
import { Trans, useTranslation } from 'react-i18next';
import { get, post, toProblem } from '../../api';
import { FilePicker } from '../../components/FilePicker';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { useTitle } from '../../components/useTitle';
import { formatDateTime } from '../../format';
import type { AuditAnchor, AuditAnchors, AuditVerification, Problem } from '../../types';

const where = (t: TFunction<'privacy'>, a: AuditAnchor): string =>
  a.channel === 'download'
    ? t('evidence.downloaded')
    : a.sentTo === 'privacy_contact'
      ? t('evidence.mailedPrivacy', { recipients: a.recipients })
      : t('evidence.mailedOwners', { recipients: a.recipients });

/**
 * Issue 16 (OBLIGATIONS LOG-3): evidence the processor cannot rewrite alone. The organisation holds
 * signed heads of its audit log outside Peil (downloaded here, mailed on a schedule); this page shows
 * which went out, when and where, and checks the log against a head the organisation holds.
 */
export function EvidencePage() {
  const { t } = useTranslation('privacy');
  useTitle(t('evidence.title'));
  const [data, setData] = useState<AuditAnchors | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [result, setResult] = useState<AuditVerification | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useLoad(async () => setData(await get<AuditAnchors>('/api/v1/audit/anchors')), setProblem);

  async function check(e: ChangeEvent<HTMLInputElement>) {
    const files = Array.from(e.target.files ?? []);
    if (files.length === 0) return;
    setBusy(true);
    setProblem(null);
    setResult(null);
    try {
      const heads = await Promise.all(files.map((f) => f.text()));
      setResult(await post<AuditVerification>('/api/v1/audit/verification', { heads }));
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
      e.target.value = '';
    }
  }

  const last = data?.anchors[0] ?? null;
  return (
    <>
      <h1 tabIndex={-1}>{t('evidence.title')}</h1>
      <p>{t('evidence.intro')}</p>
      <ProblemAlert problem={problem} />
      {data && (
        <>
          <section className="card" aria-labelledby="ev-last">
            <h2 id="ev-last">{t('evidence.lastTitle')}</h2>
            {last ? (
              <dl className="pairs">
                <dt>{t('evidence.seq')}</dt>
                <dd>{last.seq}</dd>
                <dt>{t('evidence.hash')}</dt>
                <dd>
                  <code>{last.hash}</code>
                </dd>
                <dt>{t('evidence.signed')}</dt>
                <dd>{t('evidence.signedValue', { at: formatDateTime(last.signedAt), key: last.keyId })}</dd>
                <dt>{t('evidence.where')}</dt>
                <dd>{where(t, last)}</dd>
                <dt>{t('evidence.lastMailed')}</dt>
                <dd>
                  {data.lastMailed
                    ? `${formatDateTime(data.lastMailed.signedAt)}, ${where(t, data.lastMailed)}`
                    : t('notYet')}
                </dd>
              </dl>
            ) : (
              <p>{t('evidence.noHead')}</p>
            )}
            <p className="muted small">
              {data.anchorDays > 0 ? t('evidence.schedule', { days: data.anchorDays }) : t('evidence.noSchedule')}{' '}
              {t('evidence.current', { seq: data.current.seq })}
            </p>
            <p>
              <a
                className="button-link"
                href="/api/v1/audit/head"
                download
                onClick={() => setTimeout(() => void load(), 1000)}
              >
                {t('evidence.download')}
              </a>
            </p>
          </section>
          <section className="card" aria-labelledby="ev-check">
            <h2 id="ev-check">{t('evidence.checkTitle')}</h2>
            <div className="field">
              <label htmlFor="ev-heads" id="ev-heads-label">
                {t('evidence.heads')}
              </label>
              <FilePicker
                id="ev-heads"
                labelId="ev-heads-label"
                multiple
                accept=".json,.txt,.eml,application/json,text/plain"
                disabled={busy}
                onChange={(e) => void check(e)}
              />
            </div>
            {result && (
              <div role="status">
                <p>
                  <strong>{result.ok ? t('evidence.ok') : t('evidence.notOk')}</strong>
                </p>
                {result.problem && <p>{result.problem.message}</p>}
                <ul>
                  {(result.heads ?? []).map((h) => (
                    <li key={`${h.seq}-${h.signedAt}`}>
                      {h.outcome === 'failed' ? '✗' : '✓'} {h.seq} ({formatDateTime(h.signedAt)}): {h.message}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <p className="muted small">
              <Trans
                t={t}
                i18nKey="evidence.offline"
                values={{ key: data.signingKey.keyId }}
                components={{ code: <code /> }}
              />
            </p>
          </section>
          <h2>{t('evidence.sentTitle')}</h2>
          {data.anchors.length === 0 ? (
            <p>{t('evidence.noneYet')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('evidence.signed')}</th>
                  <th scope="col">{t('evidence.seqShort')}</th>
                  <th scope="col">{t('evidence.where')}</th>
                </tr>
              </thead>
              <tbody>
                {data.anchors.map((a) => (
                  <tr key={`${a.signedAt}-${a.channel}-${a.seq}`}>
                    <td>{formatDateTime(a.signedAt)}</td>
                    <td>{a.seq}</td>
                    <td>{where(t, a)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </>
  );
}
