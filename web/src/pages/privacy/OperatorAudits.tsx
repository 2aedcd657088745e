import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post, toProblem } from '../../api';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { formatDateTime, formatDay } from '../../format';
import type { Problem } from '../../types';

interface Request {
  id: string;
  tenantId: string;
  tenantName: string;
  proposedDate: string;
  auditorName: string;
  scope: string;
  status: 'accepted' | 'done' | 'cancelled';
  requestedAt: string;
}
interface Change {
  tenantId: string;
  tenantName: string;
  id: string;
  change: 'added' | 'changed';
  status: 'pending' | 'objected' | 'applied' | 'withdrawn' | 'overridden' | 'superseded';
  entry: { name: string; location: string; country: string };
  windowEndsOn: string | null;
  notifiedTo: string | null;
  objection: { at: string; reason: string } | null;
}

/**
 * Operator console, OBLIGATIONS AUD-1 and SUB-2: audit requests across customers (mark done or
 * cancelled), and the open sub-processor changes with their objection windows and objections
 * (withdraw for that customer, or override after agreement, with a note).
 */
export function OperatorAuditsPage() {
  const { t } = useTranslation('privacy');
  const [requests, setRequests] = useState<Request[] | null>(null);
  const [changes, setChanges] = useState<Change[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const load = useLoad(async () => {
    setRequests((await get<{ requests: Request[] }>('/api/v1/operator/audits')).requests);
    setChanges((await get<{ changes: Change[] }>('/api/v1/operator/subprocessors/changes')).changes);
  }, setProblem);

  async function act(path: string, body: unknown, done: string) {
    setBusy(true);
    setProblem(null);
    setStatus('');
    try {
      await post(path, body);
      setStatus(done);
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  function resolve(c: Change, resolution: 'withdraw' | 'override') {
    const note = window.prompt(resolution === 'override' ? t('opAudits.promptOverride') : t('opAudits.promptWithdraw'));
    if (!note?.trim()) return;
    void act(
      `/api/v1/operator/subprocessors/changes/${c.tenantId}/${c.id}/resolve`,
      { resolution, note },
      t(resolution === 'override' ? 'opAudits.overridden' : 'opAudits.withdrawn', {
        name: c.entry.name,
        customer: c.tenantName,
      }),
    );
  }

  return (
    <>
      <h2>{t('opAudits.title')}</h2>
      <ProblemAlert problem={problem} />
      {status && <p role="status">{status}</p>}
      <h3>{t('opAudits.requests')}</h3>
      {requests && requests.length === 0 && <p>{t('opAudits.noRequests')}</p>}
      {requests && requests.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('opAudits.col.customer')}</th>
              <th scope="col">{t('opAudits.col.date')}</th>
              <th scope="col">{t('opAudits.col.auditor')}</th>
              <th scope="col">{t('opAudits.col.scope')}</th>
              <th scope="col">{t('opAudits.col.status')}</th>
              <th scope="col">{t('opAudits.col.action')}</th>
            </tr>
          </thead>
          <tbody>
            {requests.map((r) => (
              <tr key={r.id}>
                <td>{r.tenantName}</td>
                <td>{formatDay(r.proposedDate)}</td>
                <td>{r.auditorName}</td>
                <td>{r.scope}</td>
                <td>
                  {t(`opAudits.status.${r.status}`)}
                  <div>{formatDateTime(r.requestedAt)}</div>
                </td>
                <td>
                  {r.status === 'accepted' && (
                    <>
                      <button
                        type="button"
                        disabled={busy}
                        onClick={() =>
                          void act(
                            `/api/v1/operator/audits/${r.tenantId}/${r.id}/status`,
                            { status: 'done' },
                            t('opAudits.markedDone'),
                          )
                        }
                      >
                        {t('opAudits.done')}
                      </button>{' '}
                      <button
                        type="button"
                        disabled={busy}
                        onClick={() =>
                          void act(
                            `/api/v1/operator/audits/${r.tenantId}/${r.id}/status`,
                            { status: 'cancelled' },
                            t('opAudits.cancelled'),
                          )
                        }
                      >
                        {t('opAudits.cancel')}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t('opAudits.changes')}</h3>
      {changes && changes.length === 0 && <p>{t('opAudits.nothingOpen')}</p>}
      {changes && changes.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('opAudits.col.customer')}</th>
              <th scope="col">{t('opAudits.col.subprocessor')}</th>
              <th scope="col">{t('opAudits.col.status')}</th>
              <th scope="col">{t('opAudits.col.objection')}</th>
              <th scope="col">{t('opAudits.col.action')}</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c) => (
              <tr key={`${c.tenantId}-${c.id}`}>
                <td>{c.tenantName}</td>
                <td>
                  {c.entry.name} ({c.entry.location}, {c.entry.country}) —{' '}
                  {c.change === 'added' ? t('opAudits.new') : t('opAudits.changed')}
                </td>
                <td>
                  {c.status === 'objected'
                    ? t('opAudits.objected')
                    : c.windowEndsOn
                      ? t('opAudits.window', { date: formatDay(c.windowEndsOn) })
                      : t('opAudits.notSent')}
                </td>
                <td>{c.objection ? `${formatDateTime(c.objection.at)}: ${c.objection.reason}` : '—'}</td>
                <td>
                  <button type="button" disabled={busy} onClick={() => resolve(c, 'withdraw')}>
                    {t('opAudits.withdraw')}
                  </button>{' '}
                  {c.status === 'objected' && (
                    <button type="button" disabled={busy} onClick={() => resolve(c, 'override')}>
                      {t('opAudits.override')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
