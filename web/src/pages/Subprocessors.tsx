import { useState } from 'react';
import { api, get, post, toProblem } from '../api';
import { useLoad } from '../components/useLoad';
import { ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { formatDateTime } from '../format';
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
  useTitle('Sub-processors');
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
      setStatus(`Toestemming vastgelegd voor ${s.name}. / Consent recorded for ${s.name}.`);
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(null);
    }
  }

  async function withdraw(s: Subprocessor) {
    if (!window.confirm(`Toestemming voor ${s.name} intrekken? Peil gebruikt deze subverwerker dan niet meer voor uw organisatie. / Withdraw the consent for ${s.name}? Peil then no longer uses it for your organisation.`)) return;
    setBusy(s.id);
    setProblem(null);
    setStatus('');
    try {
      await api('DELETE', `/api/v1/subprocessors/${s.id}/consent`);
      setStatus(`Toestemming ingetrokken voor ${s.name}. / Consent withdrawn for ${s.name}.`);
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
      setStatus(`Bezwaar vastgelegd tegen ${s.name}. / Objection recorded against ${s.name}.`);
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
      <h1 tabIndex={-1}>Subverwerkers / Sub-processors</h1>
      <ProblemAlert problem={problem} />
      {status && <p role="status">{status}</p>}
      {list && (
        <>
          <p>
            Opslag en verwerking / Storage and processing: <strong>{list.processingLocation.location} ({list.processingLocation.country})</strong>,{' '}
            {list.processingLocation.insideEea ? 'binnen de EER / inside the EEA' : 'buiten de EER / outside the EEA'}.
          </p>
          {list.subprocessors.length === 0 ? (
            <p>Geen subverwerkers. / No sub-processors.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Naam / Name</th>
                  <th scope="col">Dienst / Service</th>
                  <th scope="col">Locatie / Location</th>
                  <th scope="col">EER / EEA</th>
                  <th scope="col">Waarborgen / Safeguards</th>
                  <th scope="col">Status</th>
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
                    <td>{s.insideEea ? 'ja / yes' : 'nee / no'}</td>
                    <td>
                      {s.safeguards.join(', ')}
                      {s.safeguardsNote ? ` (${s.safeguardsNote})` : ''}
                    </td>
                    <td>
                      {s.statusText.nl} / {s.statusText.en}
                      {s.change?.previous && (
                        <div>
                          Was: {s.change.previous.location} ({s.change.previous.country}), {s.change.previous.service}
                        </div>
                      )}
                      {s.change?.objection && <div>Bezwaar op / Objected on {formatDateTime(s.change.objection.at)}</div>}
                      {s.consent && <div>{formatDateTime(s.consent.at)}</div>}
                      {s.status === 'objection_window' && s.change?.status === 'pending' && owner && objecting !== s.id && (
                        <div>
                          <button type="button" disabled={busy !== null} onClick={() => setObjecting(s.id)}>
                            Bezwaar maken / Object
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
                          <label htmlFor={`reason-${s.id}`}>Reden / Reason</label>
                          <textarea id={`reason-${s.id}`} required maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} />
                          <button type="submit" disabled={busy !== null || reason.trim() === ''}>
                            Bezwaar indienen / Submit objection
                          </button>{' '}
                          <button type="button" onClick={() => setObjecting(null)}>
                            Annuleren / Cancel
                          </button>
                        </form>
                      )}
                      {s.status === 'awaiting_consent' && owner && (
                        <div>
                          <button type="button" disabled={busy !== null} onClick={() => void consent(s)}>
                            Toestemming geven / Give consent
                          </button>
                        </div>
                      )}
                      {s.consent && !s.insideEea && owner && (
                        <div>
                          <button type="button" className="button-secondary button-small" disabled={busy !== null} onClick={() => void withdraw(s)}>
                            Toestemming intrekken / Withdraw consent
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
