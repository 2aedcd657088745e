import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { get, post, toProblem } from '../../api';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { useTitle } from '../../components/useTitle';
import { formatDateTime, formatDay } from '../../format';
import type { Problem } from '../../types';

interface Ending {
  status: 'active' | 'suspended' | 'ended';
  endsOn: string | null;
  reminders: Array<{ days: number; due: string; sentAt: string | null }>;
  ended: null | {
    at: string;
    by: 'operator' | 'agreement';
    choiceDeadline: string;
    returnWindowDays: number;
    choice: 'return' | 'deletion' | null;
    choiceAt: string | null;
    returnUntil: string | null;
    deletionDueAt: string | null;
    deletedAt: string | null;
  };
}

/**
 * OBLIGATIONS END-1..END-3: the end of the agreement, for owners: the end date and the reminders to
 * export, the full export (a ZIP of CSV, JSON and XLSX per table with a signed manifest), and after
 * the end the choice between return and deletion with its deadline. After the end this is the one
 * page an owner's session still reaches.
 */
export function EndingPage() {
  const { t } = useTranslation('privacy');
  useTitle(t('ending.title'));
  const [data, setData] = useState<Ending | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const load = useLoad(async () => setData(await get<Ending>('/api/v1/ending')), setProblem);

  async function choose(choice: 'return' | 'deletion') {
    const sure = choice === 'deletion' ? t('ending.confirmDeletion') : t('ending.confirmReturn');
    if (!window.confirm(sure)) return;
    setBusy(true);
    setProblem(null);
    setStatus('');
    try {
      setData(await post<Ending>('/api/v1/ending/choice', { choice }));
      setStatus(t('ending.chosen', { choice: t(`ending.choice.${choice}`) }));
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  const e = data?.ended;
  return (
    <>
      <h1 tabIndex={-1}>{t('ending.title')}</h1>
      <ProblemAlert problem={problem} />
      {status && <p role="status">{status}</p>}
      {data && (
        <>
          <p>{data.endsOn ? t('ending.endsOn', { date: formatDay(data.endsOn) }) : t('ending.renews')}</p>
          {data.reminders.length > 0 && (
            <table>
              <caption>{t('ending.reminders')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('ending.daysBefore')}</th>
                  <th scope="col">{t('ending.on')}</th>
                  <th scope="col">{t('ending.sent')}</th>
                </tr>
              </thead>
              <tbody>
                {data.reminders.map((r) => (
                  <tr key={r.days}>
                    <td>{r.days}</td>
                    <td>{formatDay(r.due)}</td>
                    <td>{r.sentAt ? formatDateTime(r.sentAt) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>{t('ending.exportTitle')}</h2>
          <p>{t('ending.exportText')}</p>
          <p>
            <a className="button-link" href="/api/v1/export" download>
              {t('ending.exportDownload')}
            </a>
          </p>
          {e && (
            <>
              <h2>{t('ending.afterTitle')}</h2>
              <p>
                <Trans
                  t={t}
                  i18nKey="ending.after"
                  values={{ at: formatDateTime(e.at), deadline: formatDateTime(e.choiceDeadline) }}
                  components={{ strong: <strong /> }}
                />
              </p>
              {e.choice ? (
                <p>
                  <Trans
                    t={t}
                    i18nKey="ending.made"
                    values={{ choice: t(`ending.choice.${e.choice}`), at: formatDateTime(e.choiceAt!) }}
                    components={{ strong: <strong /> }}
                  />
                  {e.returnUntil && t('ending.availableUntil', { date: formatDateTime(e.returnUntil) })}
                  {e.deletionDueAt && t('ending.deletionAt', { date: formatDateTime(e.deletionDueAt) })}.
                </p>
              ) : (
                <div className="actions">
                  <button type="button" disabled={busy} onClick={() => void choose('return')}>
                    {t('ending.chooseReturn', { days: e.returnWindowDays })}
                  </button>{' '}
                  <button type="button" className="danger" disabled={busy} onClick={() => void choose('deletion')}>
                    {t('ending.deleteNow')}
                  </button>
                </div>
              )}
            </>
          )}
          <button type="button" className="secondary" onClick={() => void load()}>
            {t('ending.refresh')}
          </button>
        </>
      )}
    </>
  );
}
