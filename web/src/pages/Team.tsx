import { useState, type FormEvent } from 'react';
import { api, get, post, toProblem } from '../api';
import { useLoad } from '../components/useLoad';
import { Field } from '../components/Field';
import { ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { formatDateTime, formatSoon } from '../format';
import { useCan, useSession } from '../session';
import { ROLES, type Me, type Problem, type Role, type User } from '../types';

const ROLE_TEXT: Record<Role, string> = {
  owner: 'Owner: everything, including giving the owner role',
  admin: 'Admin: everything except making owners',
  analyst: 'Analyst: surveys and results, no contact details',
  viewer: 'Viewer: reads results only',
};

/** Mirrors the server's rule (it decides): only an owner gives or takes away the owner role. */
function mayAssign(actor: Me['role'], target: Role): boolean {
  if (actor === 'owner') return true;
  if (actor === 'admin') return target !== 'owner';
  return false;
}

export function TeamPage() {
  useTitle('Team');
  const can = useCan();
  const { me, refresh } = useSession();
  const [users, setUsers] = useState<User[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');

  const load = useLoad(async () => {
    setUsers((await get<{ users: User[] }>('/api/v1/users')).users);
  }, setProblem);

  async function unlock(u: User) {
    setProblem(null);
    setStatus('');
    try {
      await post(`/api/v1/users/${u.id}/unlock`);
      // The message comes with the updated list, so what it says is what the table shows.
      await load();
      setStatus(`${u.name} can sign in again.`);
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  async function changeRole(u: User, role: Role) {
    setProblem(null);
    setStatus('');
    try {
      await api('PATCH', `/api/v1/users/${u.id}`, { role });
      await load();
      setStatus(`${u.name} is now ${role}.`);
      if (u.id === me.id) await refresh();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  // Issue 14: a colleague who leaves loses access at once (sessions end); asked first, since it signs them out.
  async function deactivate(u: User) {
    if (!window.confirm(`${u.name} deactiveren? Alle sessies eindigen direct en inloggen kan niet meer. / Deactivate ${u.name}? Their sessions end at once and they can no longer sign in.`)) return;
    setProblem(null);
    setStatus('');
    try {
      await post(`/api/v1/users/${u.id}/deactivate`);
      await load();
      setStatus(`${u.name} is gedeactiveerd en kan niet meer inloggen. / ${u.name} is deactivated and can no longer sign in.`);
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  async function reactivate(u: User) {
    setProblem(null);
    setStatus('');
    try {
      await post(`/api/v1/users/${u.id}/reactivate`);
      await load();
      setStatus(`${u.name} kan weer inloggen. / ${u.name} can sign in again.`);
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  const manage = can('users:manage');
  const required = me.tenant?.requireSecondFactor ?? false;
  return (
    <>
      <h1 tabIndex={-1}>Team</h1>
      <p>Colleagues who can sign in to {me.tenant?.name}. What each person may do follows from their role.</p>
      {users && users.some((u) => u.lockedUntil) && (
        <p className="hint">An account is locked for a while after repeated wrong passwords or codes. Unlock it when you know it was your colleague.</p>
      )}
      <ProblemAlert problem={problem} />
      <p role="status" className="status-line">
        {status}
      </p>
      {users && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Colleagues</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Status</th>
                <th scope="col">Role</th>
                <th scope="col">
                  <abbr title="Two-step sign-in with an authenticator app">2FA</abbr>
                </th>
                <th scope="col">Since</th>
                {manage && <th scope="col"><span className="visually-hidden">Toegang / Access</span></th>}
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <th scope="row">
                    {u.name}
                    {u.id === me.id && <span className="muted"> (you)</span>}
                  </th>
                  <td>{u.email}</td>
                  <td>
                    <span className={`status status-${u.status}`}>{u.status}</span>
                    {u.lockedUntil && (
                      <div className="lock">
                        <span className="status status-locked">
                          Locked until {formatSoon(u.lockedUntil)}
                        </span>
                        {manage && (
                          <button type="button" className="button-quiet button-small" onClick={() => void unlock(u)} aria-label={`Unlock ${u.name}`}>
                            Unlock
                          </button>
                        )}
                      </div>
                    )}
                  </td>
                  <td>{manage && mayAssign(me.role, u.role) ? <RoleChanger user={u} actor={me.role} onChange={(r) => changeRole(u, r)} /> : u.role}</td>
                  <td>
                    {u.secondFactor ? (
                      <span className="status status-active">on</span>
                    ) : (
                      <span className="status status-off">
                        off<span className="visually-hidden"> (no authenticator app)</span>
                      </span>
                    )}
                    {!u.secondFactor && required && <div className="small muted">Will be asked to set it up</div>}
                  </td>
                  <td>{formatDateTime(u.createdAt)}</td>
                  {manage && (
                    <td>
                      {u.id !== me.id && mayAssign(me.role, u.role) && u.status !== 'disabled' && (
                        <button type="button" className="button-quiet button-small" onClick={() => void deactivate(u)} aria-label={`Deactiveren / Deactivate ${u.name}`}>
                          Deactiveren
                        </button>
                      )}
                      {mayAssign(me.role, u.role) && u.status === 'disabled' && (
                        <button type="button" className="button-quiet button-small" onClick={() => void reactivate(u)} aria-label={`Heractiveren / Reactivate ${u.name}`}>
                          Heractiveren
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {manage && <InviteForm actor={me.role} onInvited={load} />}
    </>
  );
}

function RoleChanger({ user, actor, onChange }: { user: User; actor: Me['role']; onChange: (r: Role) => Promise<void> }) {
  const [role, setRole] = useState<Role>(user.role);
  const [busy, setBusy] = useState(false);
  const id = `role-${user.id}`;
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        void onChange(role).finally(() => setBusy(false));
      }}
    >
      <label htmlFor={id} className="visually-hidden">
        Role of {user.name}
      </label>
      <select id={id} value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
        {ROLES.filter((r) => mayAssign(actor, r)).map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <button type="submit" className="button-quiet" disabled={busy || role === user.role} aria-label={`Change role of ${user.name}`}>
        Change
      </button>
    </form>
  );
}

function InviteForm({ actor, onInvited }: { actor: Me['role']; onInvited: () => Promise<void> }) {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const email = String(f.get('email') ?? '').trim();
    setBusy(true);
    setProblem(null);
    setMessage('');
    try {
      await post('/api/v1/users', { email, name: String(f.get('name') ?? '').trim(), role: String(f.get('role') ?? 'viewer') });
      setMessage(`Invitation sent to ${email}. The link in it is valid for 7 days.`);
      form.reset();
      await onInvited();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="invite-heading" className="card">
      <h2 id="invite-heading">Invite a colleague</h2>
      <ProblemAlert problem={problem} heading="The invitation was not sent" />
      <form onSubmit={submit}>
        <Field label="Email" name="email" type="email" required autoComplete="off" />
        <Field label="Name" name="name" required autoComplete="off" />
        <fieldset>
          <legend>Role</legend>
          {ROLES.filter((r) => mayAssign(actor, r)).map((r) => (
            <label key={r} className="choice">
              <input type="radio" name="role" value={r} defaultChecked={r === 'viewer'} /> {ROLE_TEXT[r]}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={busy}>
          {busy ? 'Sending…' : 'Send invitation'}
        </button>
      </form>
      <p role="status" className="status-line">
        {message}
      </p>
    </section>
  );
}
