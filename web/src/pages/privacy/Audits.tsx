import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { get, post, toProblem } from '../../api';
import { Field } from '../../components/Field';
import { fieldErrors, ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { useTitle } from '../../components/useTitle';
import { formatDateTime, formatDay } from '../../format';
import { useSession } from '../../session';
import type { Problem } from '../../types';

interface AuditRequest {
  id: string;
  proposedDate: string;
  auditorName: string;
  scope: string;
  status: 'accepted' | 'done' | 'cancelled';
  requestedAt: string;
}
interface Audits {
  rules: { auditsPerYear: number; auditNoticeDays: number; earliestAllowedDate: string | null };
  requests: AuditRequest[];
}

/**
 * OBLIGATIONS AUD-1: the organisation's audit requests. Owners request one (within the agreed number
 * per calendar year and with the agreed notice); owners and admins read the list and download the
 * signed audit pack.
 */
export function AuditsPage() {
  const { t } = useTranslation('privacy');
  useTitle(t('audits.title'));
  const { me } = useSession();
  const owner = me?.permissions?.includes('audits:request') ?? false;
  const [data, setData] = useState<Audits | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [form, setForm] = useState({ proposedDate: '', auditorName: '', scope: '' });
  const load = useLoad(async () => setData(await get<Audits>('/api/v1/audits')), setProblem);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    setStatus('');
    try {
      await post('/api/v1/audits', form);
      setStatus(t('audits.requested', { date: formatDay(form.proposedDate) }));
      setForm({ proposedDate: '', auditorName: '', scope: '' });
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  const earliest = problem && typeof problem.earliestAllowedDate === 'string' ? problem.earliestAllowedDate : null;
  return (
    <>
      <h1 tabIndex={-1}>{t('audits.title')}</h1>
      <ProblemAlert problem={problem} />
      {earliest && (
        <p>
          <Trans
            t={t}
            i18nKey="audits.earliestAllowed"
            values={{ date: formatDay(earliest) }}
            components={{ strong: <strong /> }}
          />
        </p>
      )}
      {status && <p role="status">{status}</p>}
      {data && (
        <>
          <p>
            {t('audits.agreed', { perYear: data.rules.auditsPerYear, days: data.rules.auditNoticeDays })}{' '}
            {data.rules.earliestAllowedDate
              ? t('audits.earliestNow', { date: formatDay(data.rules.earliestAllowedDate) })
              : t('audits.noneAllowed')}
          </p>
          <p>
            <a className="button-link" href="/api/v1/audits/pack" download>
              {t('audits.pack')}
            </a>
          </p>
          {owner && (
            <form onSubmit={(e) => void submit(e)} noValidate>
              <h2>{t('audits.requestTitle')}</h2>
              <Field
                label={t('audits.proposedDate')}
                type="date"
                required
                min={data.rules.earliestAllowedDate ?? undefined}
                value={form.proposedDate}
                onChange={(e) => setForm({ ...form, proposedDate: e.target.value })}
                errors={fieldErrors(problem, '/body/proposedDate')}
              />
              <Field
                label={t('audits.auditor')}
                required
                maxLength={200}
                value={form.auditorName}
                onChange={(e) => setForm({ ...form, auditorName: e.target.value })}
                errors={fieldErrors(problem, '/body/auditorName')}
              />
              <div className="field">
                <label htmlFor="audit-scope">{t('audits.scopeNotes')}</label>
                <textarea
                  id="audit-scope"
                  maxLength={4000}
                  value={form.scope}
                  onChange={(e) => setForm({ ...form, scope: e.target.value })}
                />
              </div>
              <button type="submit" disabled={busy}>
                {t('audits.submit')}
              </button>
            </form>
          )}
          <h2>{t('audits.requests')}</h2>
          {data.requests.length === 0 ? (
            <p>{t('audits.none')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('audits.col.date')}</th>
                  <th scope="col">{t('audits.col.auditor')}</th>
                  <th scope="col">{t('audits.col.scope')}</th>
                  <th scope="col">{t('audits.col.status')}</th>
                  <th scope="col">{t('audits.col.requested')}</th>
                </tr>
              </thead>
              <tbody>
                {data.requests.map((r) => (
                  <tr key={r.id}>
                    <td>{formatDay(r.proposedDate)}</td>
                    <td>{r.auditorName}</td>
                    <td>{r.scope}</td>
                    <td>{t(`audits.status.${r.status}`)}</td>
                    <td>{formatDateTime(r.requestedAt)}</td>
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
