import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get, post, toProblem } from '../api';
import { useLoad } from '../components/useLoad';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Field } from '../components/Field';
import { fieldErrors, ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { formatDateTime, formatSoon } from '../format';
import { useCan, useSession } from '../session';
import { ROLES, type Me, type Problem, type Role, type User } from '../types';

const STATUSES = ['active', 'invited', 'disabled'] as const;

/** Mirrors the server's rule (it decides): only an owner gives or takes away the owner role. */
function mayAssign(actor: Me['role'], target: Role): boolean {
  if (actor === 'owner') return true;
  if (actor === 'admin') return target !== 'owner';
  return false;
}

export function TeamPage() {
  const { t } = useTranslation('team');
  useTitle(t('title'));
  const statusName = (s: string) =>
    (STATUSES as readonly string[]).includes(s) ? t(`status.${s as (typeof STATUSES)[number]}`) : s;
  const can = useCan();
  const { me, refresh } = useSession();
  const [users, setUsers] = useState<User[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  // Issue 14: the app's own dialog (Dutch buttons, focus on Cancel), not the browser's confirm().
  const [leaving, setLeaving] = useState<User | null>(null);
  const [busy, setBusy] = useState(false);

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
      setStatus(t('unlocked', { name: u.name }));
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
      setStatus(t('roleChanged', { name: u.name, role: t(`role.${role}`) }));
      if (u.id === me.id) await refresh();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  // Issue 14: a colleague who leaves loses access at once (sessions end); asked first, since it signs them out.
  async function deactivate(u: User) {
    setProblem(null);
    setStatus('');
    setBusy(true);
    try {
      await post(`/api/v1/users/${u.id}/deactivate`);
      await load();
      setStatus(t('deactivated', { name: u.name }));
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
      setLeaving(null);
    }
  }

  async function reactivate(u: User) {
    setProblem(null);
    setStatus('');
    try {
      await post(`/api/v1/users/${u.id}/reactivate`);
      await load();
      setStatus(t('reactivated', { name: u.name }));
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  const manage = can('users:manage');
  const required = me.tenant?.requireSecondFactor ?? false;
  return (
    <>
      <h1 tabIndex={-1}>{t('title')}</h1>
      <p>{t('intro', { tenant: me.tenant?.name ?? '' })}</p>
      {users && users.some((u) => u.lockedUntil) && <p className="hint">{t('lockedHint')}</p>}
      <ProblemAlert problem={problem} />
      <p role="status" className="status-line">
        {status}
      </p>
      {users && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t('colleagues')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('col.name')}</th>
                <th scope="col">{t('col.email')}</th>
                <th scope="col">{t('col.status')}</th>
                <th scope="col">{t('col.role')}</th>
                <th scope="col">
                  <abbr title={t('col.twoFactor')}>2FA</abbr>
                </th>
                <th scope="col">{t('col.since')}</th>
                {manage && (
                  <th scope="col">
                    <span className="visually-hidden">{t('col.access')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <th scope="row">
                    {u.name}
                    {u.id === me.id && <span className="muted">{t('you')}</span>}
                  </th>
                  <td>{u.email}</td>
                  <td>
                    <span className={`status status-${u.status}`}>{statusName(u.status)}</span>
                    {u.lockedUntil && (
                      <div className="lock">
                        <span className="status status-locked">
                          {t('lockedUntil', { until: formatSoon(u.lockedUntil) })}
                        </span>
                        {manage && (
                          <button
                            type="button"
                            className="button-quiet button-small"
                            onClick={() => void unlock(u)}
                            aria-label={t('unlockLabel', { name: u.name })}
                          >
                            {t('unlock')}
                          </button>
                        )}
                      </div>
                    )}
                  </td>
                  <td>
                    {manage && mayAssign(me.role, u.role) ? (
                      <RoleChanger user={u} actor={me.role} onChange={(r) => changeRole(u, r)} />
                    ) : (
                      t(`role.${u.role}`)
                    )}
                  </td>
                  <td>
                    {u.secondFactor ? (
                      <span className="status status-active">{t('on')}</span>
                    ) : (
                      <span className="status status-off">
                        {t('off')}
                        <span className="visually-hidden">{t('noApp')}</span>
                      </span>
                    )}
                    {!u.secondFactor && required && <div className="small muted">{t('willBeAsked')}</div>}
                  </td>
                  <td>{formatDateTime(u.createdAt)}</td>
                  {manage && (
                    <td>
                      {u.id !== me.id && mayAssign(me.role, u.role) && u.status !== 'disabled' && (
                        <button
                          type="button"
                          className="button-quiet button-small"
                          onClick={() => setLeaving(u)}
                          aria-label={t('deactivateLabel', { name: u.name })}
                        >
                          {t('deactivate')}
                        </button>
                      )}
                      {mayAssign(me.role, u.role) && u.status === 'disabled' && (
                        <button
                          type="button"
                          className="button-quiet button-small"
                          onClick={() => void reactivate(u)}
                          aria-label={t('reactivateLabel', { name: u.name })}
                        >
                          {t('reactivate')}
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
      <ConfirmDialog
        open={leaving !== null}
        title={t('deactivateTitle', { name: leaving?.name ?? '' })}
        confirmLabel={t('deactivateYes')}
        busy={busy}
        onConfirm={() => leaving && void deactivate(leaving)}
        onCancel={() => setLeaving(null)}
      >
        <p>{t('deactivateBody', { name: leaving?.name ?? '' })}</p>
      </ConfirmDialog>
    </>
  );
}

function RoleChanger({
  user,
  actor,
  onChange,
}: {
  user: User;
  actor: Me['role'];
  onChange: (r: Role) => Promise<void>;
}) {
  const { t } = useTranslation('team');
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
        {t('roleOf', { name: user.name })}
      </label>
      <select id={id} value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
        {ROLES.filter((r) => mayAssign(actor, r)).map((r) => (
          <option key={r} value={r}>
            {t(`role.${r}`)}
          </option>
        ))}
      </select>
      <button
        type="submit"
        className="button-quiet"
        disabled={busy || role === user.role}
        aria-label={t('changeRoleOf', { name: user.name })}
      >
        {t('change')}
      </button>
    </form>
  );
}

function InviteForm({ actor, onInvited }: { actor: Me['role']; onInvited: () => Promise<void> }) {
  const { t } = useTranslation('team');
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
      await post('/api/v1/users', {
        email,
        name: String(f.get('name') ?? '').trim(),
        role: String(f.get('role') ?? 'viewer'),
      });
      setMessage(t('invited', { email }));
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
      <h2 id="invite-heading">{t('inviteTitle')}</h2>
      <ProblemAlert
        problem={problem}
        heading={t('notSent')}
        fields={{ '/body/email': t('email'), '/body/name': t('name'), '/body/role': t('roleLegend') }}
      />
      <form onSubmit={submit}>
        <Field
          label={t('email')}
          name="email"
          type="email"
          required
          autoComplete="off"
          errors={fieldErrors(problem, '/body/email')}
        />
        <Field label={t('name')} name="name" required autoComplete="off" errors={fieldErrors(problem, '/body/name')} />
        <fieldset>
          <legend>{t('roleLegend')}</legend>
          {ROLES.filter((r) => mayAssign(actor, r)).map((r) => (
            <label key={r} className="choice">
              <input type="radio" name="role" value={r} defaultChecked={r === 'viewer'} /> {t(`roleText.${r}`)}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={busy}>
          {busy ? t('sending') : t('send')}
        </button>
      </form>
      <p role="status" className="status-line">
        {message}
      </p>
    </section>
  );
}
