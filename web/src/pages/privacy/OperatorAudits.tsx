import { useState } from 'react';
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

const STATUS: Record<Request['status'], string> = { accepted: 'Geaccepteerd / Accepted', done: 'Uitgevoerd / Done', cancelled: 'Geannuleerd / Cancelled' };

/**
 * Operator console, OBLIGATIONS AUD-1 and SUB-2: audit requests across customers (mark done or
 * cancelled), and the open sub-processor changes with their objection windows and objections
 * (withdraw for that customer, or override after agreement, with a note).
 */
export function OperatorAuditsPage() {
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
    const note = window.prompt(resolution === 'override' ? 'Wat is met de klant afgesproken? / What was agreed with the customer?' : 'Waarom ingetrokken? / Why withdrawn?');
    if (!note?.trim()) return;
    void act(`/api/v1/operator/subprocessors/changes/${c.tenantId}/${c.id}/resolve`, { resolution, note }, `${c.entry.name} (${c.tenantName}): ${resolution === 'override' ? 'doorgevoerd / overridden' : 'ingetrokken / withdrawn'}.`);
  }

  return (
    <>
      <h2>Audits en bezwaren / Audits and objections</h2>
      <ProblemAlert problem={problem} />
      {status && <p role="status">{status}</p>}
      <h3>Auditverzoeken / Audit requests</h3>
      {requests && requests.length === 0 && <p>Geen verzoeken. / No requests.</p>}
      {requests && requests.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Klant / Customer</th>
              <th scope="col">Datum / Date</th>
              <th scope="col">Auditor</th>
              <th scope="col">Reikwijdte / Scope</th>
              <th scope="col">Status</th>
              <th scope="col">Actie / Action</th>
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
                  {STATUS[r.status]}
                  <div>{formatDateTime(r.requestedAt)}</div>
                </td>
                <td>
                  {r.status === 'accepted' && (
                    <>
                      <button type="button" disabled={busy} onClick={() => void act(`/api/v1/operator/audits/${r.tenantId}/${r.id}/status`, { status: 'done' }, 'Gemarkeerd als uitgevoerd. / Marked done.')}>
                        Uitgevoerd / Done
                      </button>{' '}
                      <button type="button" disabled={busy} onClick={() => void act(`/api/v1/operator/audits/${r.tenantId}/${r.id}/status`, { status: 'cancelled' }, 'Geannuleerd. / Cancelled.')}>
                        Annuleren / Cancel
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Open wijzigingen subverwerkers / Open sub-processor changes</h3>
      {changes && changes.length === 0 && <p>Niets open. / Nothing open.</p>}
      {changes && changes.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Klant / Customer</th>
              <th scope="col">Subverwerker / Sub-processor</th>
              <th scope="col">Status</th>
              <th scope="col">Bezwaar / Objection</th>
              <th scope="col">Actie / Action</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c) => (
              <tr key={`${c.tenantId}-${c.id}`}>
                <td>{c.tenantName}</td>
                <td>
                  {c.entry.name} ({c.entry.location}, {c.entry.country}) — {c.change === 'added' ? 'nieuw / new' : 'gewijzigd / changed'}
                </td>
                <td>
                  {c.status === 'objected' ? 'Bezwaar ingediend / Objected' : c.windowEndsOn ? `Bezwaartermijn t/m / Window until ${formatDay(c.windowEndsOn)}` : 'Aankondiging nog niet verstuurd / Notice not sent yet'}
                </td>
                <td>{c.objection ? `${formatDateTime(c.objection.at)}: ${c.objection.reason}` : '—'}</td>
                <td>
                  <button type="button" disabled={busy} onClick={() => resolve(c, 'withdraw')}>
                    Intrekken voor deze klant / Withdraw for this customer
                  </button>{' '}
                  {c.status === 'objected' && (
                    <button type="button" disabled={busy} onClick={() => resolve(c, 'override')}>
                      Doorvoeren na akkoord / Override after agreement
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
