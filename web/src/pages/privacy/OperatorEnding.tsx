import { useState, type FormEvent } from 'react';
import { get, post, toProblem } from '../../api';
import { Field } from '../../components/Field';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { formatDateTime, formatDay } from '../../format';
import type { Problem } from '../../types';

interface Tenant {
  id: string;
  name: string;
  slug: string;
  status: string;
}
interface Ending {
  status: 'active' | 'suspended' | 'ended';
  endsOn: string | null;
  statement: boolean;
  ended: null | {
    at: string;
    choiceDeadline: string;
    choice: 'return' | 'deletion' | null;
    returnUntil: string | null;
    deletionDueAt: string | null;
    deletedAt: string | null;
  };
}

const STATUS: Record<string, string> = { active: 'actief / active', suspended: 'opgeschort / suspended', ended: 'beëindigd / ended' };
const CHOICE = { return: 'teruggave / return', deletion: 'verwijdering / deletion' } as const;

/**
 * Operator console, OBLIGATIONS END-2..END-4: end a customer's agreement, see its choice and
 * deadline, run the deletion once it is due, and download the signed statement of deletion.
 */
export function OperatorEndingPage() {
  const [tenants, setTenants] = useState<Tenant[] | null>(null);
  const [selected, setSelected] = useState('');
  const [ending, setEnding] = useState<Ending | null>(null);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const loadTenants = useLoad(async () => setTenants((await get<{ tenants: Tenant[] }>('/api/v1/operator/tenants')).tenants), setProblem);
  const show = useLoad(async () => setEnding(selected ? await get<Ending>(`/api/v1/operator/tenants/${selected}/ending`) : null), setProblem, [selected]);

  async function act(path: string, body: unknown, done: string, confirm: string) {
    if (!window.confirm(confirm)) return;
    setBusy(true);
    setProblem(null);
    setStatus('');
    try {
      await post(path, body);
      setStatus(done);
      await show();
      await loadTenants();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  const end = (e: FormEvent) => {
    e.preventDefault();
    void act(`/api/v1/operator/tenants/${selected}/end`, { reason }, 'Beëindigd. / Ended.', 'Deze klant nu beëindigen? Aanmelden stopt, API-sleutels en webhooks worden verwijderd. / End this customer now? Sign-in stops, API keys and webhooks are removed.');
  };
  const e = ending?.ended;
  return (
    <>
      <h2>Einde van klanten / End of customers</h2>
      <ProblemAlert problem={problem} />
      {status && <p role="status">{status}</p>}
      {tenants && (
        <div className="field">
          <label htmlFor="ending-tenant">Klant / Customer</label>
          <select id="ending-tenant" value={selected} onChange={(ev) => setSelected(ev.target.value)}>
            <option value="">—</option>
            {tenants.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} ({t.slug}, {STATUS[t.status] ?? t.status})
              </option>
            ))}
          </select>
        </div>
      )}
      {ending && (
        <>
          <p>
            Status: <strong>{STATUS[ending.status] ?? ending.status}</strong>. Einddatum / End date: {ending.endsOn ? formatDay(ending.endsOn) : '—'}.
          </p>
          {!e && (
            <form onSubmit={end} noValidate>
              <Field label="Reden / Reason" required maxLength={1000} value={reason} onChange={(ev) => setReason(ev.target.value)} />
              <button type="submit" className="danger" disabled={busy || !reason.trim()}>
                Nu beëindigen / End now
              </button>
            </form>
          )}
          {e && (
            <dl>
              <dt>Beëindigd / Ended</dt>
              <dd>{formatDateTime(e.at)}</dd>
              <dt>Keuze / Choice</dt>
              <dd>{e.choice ? CHOICE[e.choice] : 'nog geen / none yet'}</dd>
              <dt>Uiterste keuzedatum / Choice deadline</dt>
              <dd>{formatDateTime(e.choiceDeadline)}</dd>
              {e.returnUntil && (
                <>
                  <dt>Teruggave tot / Return until</dt>
                  <dd>{formatDateTime(e.returnUntil)}</dd>
                </>
              )}
              <dt>Verwijdering / Deletion</dt>
              <dd>{e.deletedAt ? `uitgevoerd / done ${formatDateTime(e.deletedAt)}` : e.deletionDueAt ? `gepland / due ${formatDateTime(e.deletionDueAt)}` : '—'}</dd>
            </dl>
          )}
          {e && !e.deletedAt && (
            <button
              type="button"
              className="danger"
              disabled={busy || !e.deletionDueAt || Date.parse(e.deletionDueAt) > Date.now()}
              onClick={() => void act(`/api/v1/operator/tenants/${selected}/deletion`, {}, 'Verwijderd; de verklaring is opgeslagen. / Deleted; the statement is stored.', 'De sleutel vernietigen en alle rijen verwijderen? Dit kan niet ongedaan worden gemaakt. / Destroy the key and remove every row? This cannot be undone.')}
            >
              Verwijdering uitvoeren / Run deletion
            </button>
          )}
          {ending.statement && (
            <p>
              <a className="button-link" href={`/api/v1/operator/tenants/${selected}/deletion-statement?format=json`} download>
                Verklaring (JSON, ondertekend) / Statement (JSON, signed)
              </a>{' '}
              <a className="button-link" href={`/api/v1/operator/tenants/${selected}/deletion-statement?format=pdf`} download>
                Verklaring (PDF) / Statement (PDF)
              </a>
            </p>
          )}
        </>
      )}
    </>
  );
}
