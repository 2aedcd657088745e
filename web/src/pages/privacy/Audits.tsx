import { useState, type FormEvent } from 'react';
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

const STATUS: Record<AuditRequest['status'], string> = {
  accepted: 'Geaccepteerd / Accepted',
  done: 'Uitgevoerd / Done',
  cancelled: 'Geannuleerd / Cancelled',
};

/**
 * OBLIGATIONS AUD-1: the organisation's audit requests. Owners request one (within the agreed number
 * per calendar year and with the agreed notice); owners and admins read the list and download the
 * signed audit pack.
 */
export function AuditsPage() {
  useTitle('Audits');
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
      setStatus(`Auditverzoek voor ${formatDay(form.proposedDate)} geaccepteerd. / Audit request for ${formatDay(form.proposedDate)} accepted.`);
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
      <h1 tabIndex={-1}>Audits</h1>
      <ProblemAlert problem={problem} />
      {earliest && (
        <p>
          Vroegst toegestane datum / Earliest allowed date: <strong>{formatDay(earliest)}</strong>
        </p>
      )}
      {status && <p role="status">{status}</p>}
      {data && (
        <>
          <p>
            Afgesproken / Agreed: {data.rules.auditsPerYear} audit(s) per kalenderjaar / per calendar year, {data.rules.auditNoticeDays} dagen vooraf aangekondigd / days&apos; notice.{' '}
            {data.rules.earliestAllowedDate
              ? `Vroegst mogelijke datum nu / Earliest possible date now: ${formatDay(data.rules.earliestAllowedDate)}.`
              : 'De overeenkomst staat geen audits toe. / The agreement allows no audits.'}
          </p>
          <p>
            <a className="button-link" href="/api/v1/audits/pack" download>
              Auditpakket downloaden (ZIP, ondertekend) / Download the audit pack (ZIP, signed)
            </a>
          </p>
          {owner && (
            <form onSubmit={(e) => void submit(e)} noValidate>
              <h2>Audit aanvragen / Request an audit</h2>
              <Field
                label="Voorgestelde datum / Proposed date"
                type="date"
                required
                min={data.rules.earliestAllowedDate ?? undefined}
                value={form.proposedDate}
                onChange={(e) => setForm({ ...form, proposedDate: e.target.value })}
                errors={fieldErrors(problem, '/body/proposedDate')}
              />
              <Field label="Auditor / Auditor" required maxLength={200} value={form.auditorName} onChange={(e) => setForm({ ...form, auditorName: e.target.value })} errors={fieldErrors(problem, '/body/auditorName')} />
              <div className="field">
                <label htmlFor="audit-scope">Reikwijdte en opmerkingen / Scope and notes</label>
                <textarea id="audit-scope" maxLength={4000} value={form.scope} onChange={(e) => setForm({ ...form, scope: e.target.value })} />
              </div>
              <button type="submit" disabled={busy}>
                Aanvragen / Request
              </button>
            </form>
          )}
          <h2>Verzoeken / Requests</h2>
          {data.requests.length === 0 ? (
            <p>Nog geen auditverzoeken. / No audit requests yet.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Datum / Date</th>
                  <th scope="col">Auditor</th>
                  <th scope="col">Reikwijdte / Scope</th>
                  <th scope="col">Status</th>
                  <th scope="col">Aangevraagd / Requested</th>
                </tr>
              </thead>
              <tbody>
                {data.requests.map((r) => (
                  <tr key={r.id}>
                    <td>{formatDay(r.proposedDate)}</td>
                    <td>{r.auditorName}</td>
                    <td>{r.scope}</td>
                    <td>{STATUS[r.status]}</td>
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
