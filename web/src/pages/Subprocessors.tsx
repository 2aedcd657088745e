import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { api, get, post, toProblem } from '../api';
import { useLoad } from '../components/useLoad';
import { ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { formatDateTime } from '../format';
import { currentLanguage } from '../i18n';
import { useSession } from '../session';
import type { Problem } from '../types';

interface Subprocessor {
  id: string;
  name: string;
  service: string;
  location: string;
  country: string;
  insideEea: boolean;
  safeguards: string[];
  safeguardsNote: string | null;
  kind: string;
  status: 'applied' | 'awaiting_consent' | 'objection_window' | 'objected';
  statusText: { nl: string; en: string };
  consent: { by: string; at: string; country: string } | null;
  /** OBLIGATIONS SUB-2: the announced change of this entry, while its window runs or an objection is open. */
  change: {
    id: string;
    change: 'added' | 'changed';
    status: 'pending' | 'objected';
    windowEndsOn: string | null;
    previous: { name: string; service: string; location: string; country: string; safeguards: string[] } | null;
    objection: { by: string; at: string } | null;
  } | null;
}
interface List {
  processingLocation: { location: string; country: string; insideEea: boolean };
  subprocessors: Subprocessor[];
}

/**
 * OBLIGATIONS SUB-1, SUB-2, SUB-3, SUB-4: the sub-processors that apply to this organisation, where
 * its data is stored and processed, the objection window of an announced change and (owners) an
 * objection to it, and (owners) consent to a sub-processor outside the EEA.
 */
export function SubprocessorsPage() {
  const { t } = useTranslation('privacy');
  useTitle(t('subprocessors.title'));
  const { me } = useSession();
  const owner = me?.permissions?.includes('tenant:manage') ?? false;
  const [list, setList] = useState<List | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [objecting, setObjecting] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const load = useLoad(async () => setList(await get<List>('/api/v1/subprocessors')), setProblem);

  async function consent(s: Subprocessor) {
    setBusy(s.id);
    setProblem(null);
    setStatus('');
    try {
      await post(`/api/v1/subprocessors/${s.id}/consent`, {});
      setStatus(t('subprocessors.consented', { name: s.name }));
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(null);
    }
  }

  async function withdraw(s: Subprocessor) {
    if (!window.confirm(t('subprocessors.confirmWithdraw', { name: s.name }))) return;
    setBusy(s.id);
    setProblem(null);
    setStatus('');
    try {
      await api('DELETE', `/api/v1/subprocessors/${s.id}/consent`);
      setStatus(t('subprocessors.withdrawn', { name: s.name }));
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(null);
    }
  }

  async function object(s: Subprocessor) {
    setBusy(s.id);
    setProblem(null);
    setStatus('');
    try {
      await post(`/api/v1/subprocessors/${s.id}/objection`, { reason });
      setStatus(t('subprocessors.objected', { name: s.name }));
      setObjecting(null);
      setReason('');
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      <h1 tabIndex={-1}>{t('subprocessors.title')}</h1>
      <ProblemAlert problem={problem} />
      {status && <p role="status">{status}</p>}
      {list && (
        <>
          <p>
            <Trans
              t={t}
              i18nKey="subprocessors.location"
              values={{
                location: list.processingLocation.location,
                country: list.processingLocation.country,
                eea: t(list.processingLocation.insideEea ? 'subprocessors.insideEea' : 'subprocessors.outsideEea'),
              }}
              components={{ strong: <strong /> }}
            />
          </p>
          {list.subprocessors.length === 0 ? (
            <p>{t('subprocessors.none')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('subprocessors.col.name')}</th>
                  <th scope="col">{t('subprocessors.col.service')}</th>
                  <th scope="col">{t('subprocessors.col.location')}</th>
                  <th scope="col">{t('subprocessors.col.eea')}</th>
                  <th scope="col">{t('subprocessors.col.safeguards')}</th>
                  <th scope="col">{t('subprocessors.col.status')}</th>
                </tr>
              </thead>
              <tbody>
                {list.subprocessors.map((s) => (
                  <tr key={s.id}>
                    <td>{s.name}</td>
                    <td>{s.service}</td>
                    <td>
                      {s.location} ({s.country})
                    </td>
                    <td>{s.insideEea ? t('yes') : t('no')}</td>
                    <td>
                      {s.safeguards.join(', ')}
                      {s.safeguardsNote ? ` (${s.safeguardsNote})` : ''}
                    </td>
                    <td>
                      {s.statusText[currentLanguage()]}
                      {s.change?.previous && (
                        <div>
                          {t('subprocessors.was', {
                            location: s.change.previous.location,
                            country: s.change.previous.country,
                            service: s.change.previous.service,
                          })}
                        </div>
                      )}
                      {s.change?.objection && (
                        <div>{t('subprocessors.objectedOn', { at: formatDateTime(s.change.objection.at) })}</div>
                      )}
                      {s.consent && <div>{formatDateTime(s.consent.at)}</div>}
                      {s.status === 'objection_window' &&
                        s.change?.status === 'pending' &&
                        owner &&
                        objecting !== s.id && (
                          <div>
                            <button type="button" disabled={busy !== null} onClick={() => setObjecting(s.id)}>
                              {t('subprocessors.object')}
                            </button>
                          </div>
                        )}
                      {objecting === s.id && (
                        <form
                          onSubmit={(e) => {
                            e.preventDefault();
                            void object(s);
                          }}
                        >
                          <label htmlFor={`reason-${s.id}`}>{t('subprocessors.reason')}</label>
                          <textarea
                            id={`reason-${s.id}`}
                            required
                            maxLength={2000}
                            value={reason}
                            onChange={(e) => setReason(e.target.value)}
                          />
                          <button type="submit" disabled={busy !== null || reason.trim() === ''}>
                            {t('subprocessors.submitObjection')}
                          </button>{' '}
                          <button type="button" onClick={() => setObjecting(null)}>
                            {t('subprocessors.cancel')}
                          </button>
                        </form>
                      )}
                      {s.status === 'awaiting_consent' && owner && (
                        <div>
                          <button type="button" disabled={busy !== null} onClick={() => void consent(s)}>
                            {t('subprocessors.giveConsent')}
                          </button>
                        </div>
                      )}
                      {s.consent && !s.insideEea && owner && (
                        <div>
                          <button
                            type="button"
                            className="button-secondary button-small"
                            disabled={busy !== null}
                            onClick={() => void withdraw(s)}
                          >
                            {t('subprocessors.withdrawConsent')}
                          </button>
                        </div>
                      )}
                    </td>
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
