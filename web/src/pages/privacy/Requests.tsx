import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post, toProblem } from '../../api';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { useTitle } from '../../components/useTitle';
import { formatDateTime, formatDay } from '../../format';
import { Link } from '../../router';
import { useSession } from '../../session';
import type { Problem } from '../../types';

type Kind = 'access' | 'rectification' | 'erasure' | 'objection' | 'portability';
interface DsRequest {
  id: string;
  kind: Kind;
  status: 'received' | 'extended' | 'done' | 'refused';
  source: 'invitation' | 'open';
  email: string | null;
  message: string | null;
  contactId: string | null;
  receivedAt: string | null;
  dueOn: string | null;
  originalDueOn: string | null;
  extensionReason: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  overdue: boolean;
}
interface ErasurePreview {
  contact: boolean;
  invitations: number;
  responses: number;
  requests: number;
  logImagesUnreadable: number;
}

/**
 * OBLIGATIONS DSR-1, DSR-2: requests of respondents, forwarded to this organisation once confirmed
 * by email. The organisation decides (owners); admins read. From a request the owner exports the
 * person (JSON, CSV), corrects the contact (Contacts page) or erases the person everywhere, after a
 * confirmation that names what will be removed.
 */
export function RequestsPage() {
  const { t } = useTranslation('privacy');
  useTitle(t('requests.title'));
  const { me } = useSession();
  const owner = me?.permissions?.includes('requests:manage') ?? false;
  const [list, setList] = useState<DsRequest[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState<Record<string, string>>({});
  const [erasing, setErasing] = useState<{ request: DsRequest; preview: ErasurePreview } | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  const eraseTitle = useRef<HTMLHeadingElement>(null);
  // The confirmation appears above the list: take the keyboard and the screen reader there.
  useEffect(() => {
    if (erasing) eraseTitle.current?.focus();
  }, [erasing]);
  const load = useLoad(
    async () => setList((await get<{ requests: DsRequest[] }>('/api/v1/requests')).requests),
    setProblem,
  );

  async function act(what: () => Promise<unknown>, done: string) {
    setBusy(true);
    setProblem(null);
    setMissing(null);
    setStatus('');
    try {
      await what();
      setStatus(done);
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  /** An extension or a refusal needs a reason (the respondent is told it): said by the field, not by the server. */
  function withReason(r: DsRequest, what: (reason: string) => Promise<unknown>, done: string) {
    const given = reason[r.id]?.trim() ?? '';
    if (!given) {
      setMissing(r.id);
      document.getElementById(`reason-${r.id}`)?.focus();
      return;
    }
    void act(() => what(given), done);
  }

  async function askErase(r: DsRequest) {
    setProblem(null);
    try {
      setErasing({ request: r, preview: await get<ErasurePreview>(`/api/v1/contacts/${r.contactId}/erasure`) });
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  return (
    <>
      <h1 tabIndex={-1}>{t('requests.title')}</h1>
      <p>{t('requests.intro')}</p>
      <p>{t('requests.anonymity')}</p>
      <ProblemAlert problem={problem} />
      {status && <p role="status">{status}</p>}
      {erasing && (
        <section aria-labelledby="erase-title" className="card">
          <h2 id="erase-title" tabIndex={-1} ref={eraseTitle}>
            {t('requests.eraseTitle')}
          </h2>
          <p>
            {t('requests.erasePreview', {
              contact: erasing.preview.contact ? 'yes' : 'no',
              invitations: erasing.preview.invitations,
              responses: erasing.preview.responses,
              requests: erasing.preview.requests,
              images: erasing.preview.logImagesUnreadable,
            })}
          </p>
          <button
            type="button"
            className="danger"
            disabled={busy}
            onClick={() =>
              void act(async () => {
                await post(`/api/v1/contacts/${erasing.request.contactId}/erasure`);
                setErasing(null);
              }, t('requests.erased'))
            }
          >
            {t('requests.eraseConfirm')}
          </button>{' '}
          <button type="button" className="secondary" onClick={() => setErasing(null)}>
            {t('requests.cancel')}
          </button>
        </section>
      )}
      {list && list.length === 0 && <p>{t('requests.none')}</p>}
      {list && list.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('requests.col.kind')}</th>
              <th scope="col">{t('requests.col.from')}</th>
              <th scope="col">{t('requests.col.received')}</th>
              <th scope="col">{t('requests.col.due')}</th>
              <th scope="col">{t('requests.col.status')}</th>
              {owner && <th scope="col">{t('requests.col.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {list.map((r) => (
              <tr key={r.id}>
                <td>
                  {t(`requests.kind.${r.kind}`)}
                  {r.message && <div className="hint">{r.message}</div>}
                </td>
                <td>
                  {r.email ?? t('requests.erasedEmail')}
                  <div className="hint">{r.contactId ? t('requests.contactFound') : t('requests.noContact')}</div>
                </td>
                <td>{r.receivedAt ? formatDateTime(r.receivedAt) : ''}</td>
                <td>
                  {r.dueOn ? formatDay(r.dueOn) : ''}
                  {r.overdue && <strong>{t('requests.overdue')}</strong>}
                  {r.extensionReason && (
                    <div className="hint">{t('requests.extended', { reason: r.extensionReason })}</div>
                  )}
                </td>
                <td>
                  {t(`requests.status.${r.status}`)}
                  {r.decisionReason && <div className="hint">{r.decisionReason}</div>}
                </td>
                {owner && (
                  <td>
                    {r.contactId && r.email && (
                      <p>
                        <a href={`/api/v1/contacts/${r.contactId}/export?format=json`} download>
                          {t('requests.exportJson')}
                        </a>{' '}
                        ·{' '}
                        <a href={`/api/v1/contacts/${r.contactId}/export?format=csv`} download>
                          {t('requests.exportCsv')}
                        </a>{' '}
                        · <Link to="/app/contacts">{t('requests.correct')}</Link> ·{' '}
                        <button type="button" className="danger" onClick={() => void askErase(r)}>
                          {t('requests.erase')}
                        </button>
                      </p>
                    )}
                    {(r.status === 'received' || r.status === 'extended') && (
                      <>
                        <label htmlFor={`reason-${r.id}`}>{t('requests.reason')}</label>
                        <input
                          id={`reason-${r.id}`}
                          maxLength={2000}
                          value={reason[r.id] ?? ''}
                          aria-invalid={missing === r.id ? true : undefined}
                          aria-describedby={missing === r.id ? `reason-${r.id}-err` : undefined}
                          onChange={(e) => setReason({ ...reason, [r.id]: e.target.value })}
                        />
                        {missing === r.id && (
                          <p className="field-error" id={`reason-${r.id}-err`}>
                            {t('requests.reasonMissing')}
                          </p>
                        )}
                        <button
                          type="button"
                          disabled={busy}
                          onClick={() =>
                            void act(
                              () =>
                                post(`/api/v1/requests/${r.id}/decision`, {
                                  decision: 'done',
                                  reason: reason[r.id] || undefined,
                                }),
                              t('requests.recordedDone'),
                            )
                          }
                        >
                          {t('requests.done')}
                        </button>{' '}
                        <button
                          type="button"
                          className="secondary"
                          disabled={busy}
                          onClick={() =>
                            withReason(
                              r,
                              (why) => post(`/api/v1/requests/${r.id}/decision`, { decision: 'refused', reason: why }),
                              t('requests.recordedRefused'),
                            )
                          }
                        >
                          {t('requests.refuse')}
                        </button>{' '}
                        {r.status === 'received' && (
                          <button
                            type="button"
                            className="secondary"
                            disabled={busy}
                            onClick={() =>
                              withReason(
                                r,
                                (why) => post(`/api/v1/requests/${r.id}/extension`, { reason: why }),
                                t('requests.extendedStatus'),
                              )
                            }
                          >
                            {t('requests.extend')}
                          </button>
                        )}
                      </>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
