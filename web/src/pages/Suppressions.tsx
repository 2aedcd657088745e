import { useEffect, useState, type FormEvent } from 'react';
import { get, post, put, toProblem } from '../api';
import { useLoad } from '../components/useLoad';
import { ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { formatDateTime } from '../format';
import { useCan } from '../session';
import type { Problem, Suppression } from '../types';

const REASONS: Record<Suppression['reason'], string> = {
  unsubscribed: 'Unsubscribed (link in a mail)',
  erased: 'Contact deleted',
  bounced: 'Refused by the mail server',
  manual: 'Added by hand',
};

/** DSR-3: the suppression list, adding an address by hand, lifting with a reason; and the throttle setting. */
export function SuppressionsPage() {
  useTitle('Suppression list');
  const can = useCan();
  const [list, setList] = useState<{ total: number; suppressions: Suppression[] } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [message, setMessage] = useState('');
  const [email, setEmail] = useState('');
  const [note, setNote] = useState('');

  const load = useLoad(async () => {
    setList(await get<{ total: number; suppressions: Suppression[] }>('/api/v1/suppressions?limit=1000'));
  }, setProblem);

  async function add(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    try {
      await post('/api/v1/suppressions', { email, ...(note ? { note } : {}) });
      setMessage(`${email} gets no more invitations.`);
      setEmail('');
      setNote('');
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  async function lift(s: Suppression) {
    const reason = window.prompt(`Why may ${s.email ?? 'this address'} be mailed again? (required)`);
    if (!reason) return;
    setProblem(null);
    try {
      await post(`/api/v1/suppressions/${s.id}/lift`, { reason });
      setMessage(`The suppression of ${s.email ?? 'the address'} was lifted.`);
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  return (
    <>
      <h1 tabIndex={-1}>Suppression list</h1>
      <p>
        Addresses on this list get no invitations or reminders from your organisation: people who unsubscribed with the link in a mail, deleted contacts,
        addresses the mail server refused, and addresses added by hand. The list is kept by a keyed fingerprint of the address, so a new import of the same
        address does not undo it.
      </p>
      <ProblemAlert problem={problem} />
      <p role="status" className="status-line">
        {message}
      </p>
      <Throttle />
      {can('invitations:send') && (
        <section className="card" aria-labelledby="add-heading">
          <h2 id="add-heading">Add an address</h2>
          <form onSubmit={add}>
            <div className="field">
              <label htmlFor="sup-email">Email address</label>
              <input id="sup-email" type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
            </div>
            <div className="field">
              <label htmlFor="sup-note">Note (optional)</label>
              <input id="sup-note" maxLength={500} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
            </div>
            <button type="submit">Add to the suppression list</button>
          </form>
        </section>
      )}
      <section aria-labelledby="list-heading">
        <h2 id="list-heading">Suppressed addresses{list ? ` (${list.total})` : ''}</h2>
        {!list ? (
          <p>Loading…</p>
        ) : list.suppressions.length === 0 ? (
          <p>No address is suppressed.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption>Newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Address</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Since</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {list.suppressions.map((s) => (
                  <tr key={s.id}>
                    <td>{s.email === undefined ? <span className="muted">hidden (needs access to contact details)</span> : s.email ?? <span className="muted">deleted contact</span>}</td>
                    <td>{REASONS[s.reason]}</td>
                    <td>{formatDateTime(s.createdAt)}</td>
                    <td>
                      {can('contacts:write') && (
                        <button type="button" className="button-quiet" onClick={() => void lift(s)}>
                          Lift{s.email ? ` for ${s.email}` : ''}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function Throttle() {
  const can = useCan();
  const [days, setDays] = useState<number | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  useEffect(() => {
    get<{ throttleDays: number }>('/api/v1/distribution-settings')
      .then((r) => setDays(r.throttleDays))
      .catch((err: unknown) => setProblem(toProblem(err)));
  }, []);
  async function save(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    try {
      const r = await put<{ throttleDays: number }>('/api/v1/distribution-settings', { throttleDays: days ?? 0 });
      setStatus(r.throttleDays ? `A contact is now invited at most once per ${r.throttleDays} days.` : 'Throttling is off.');
    } catch (err) {
      setProblem(toProblem(err));
    }
  }
  return (
    <section className="card" aria-labelledby="throttle-heading">
      <h2 id="throttle-heading">Throttling</h2>
      <p className="hint">A contact is invited at most once per so many days, across all surveys (0: off). Only the owner can change this.</p>
      <ProblemAlert problem={problem} />
      {days !== null && (
        <form onSubmit={save}>
          <div className="field">
            <label htmlFor="throttle-days">Days between invitations</label>
            <input id="throttle-days" type="number" min={0} max={365} value={days} disabled={!can('tenant:manage')} onChange={(e) => setDays(Number(e.currentTarget.value))} />
          </div>
          {can('tenant:manage') && <button type="submit">Save throttling</button>}
        </form>
      )}
      <p role="status" className="status-line">
        {status}
      </p>
    </section>
  );
}
