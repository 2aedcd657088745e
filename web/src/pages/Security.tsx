import { useCallback, useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { api, get, post, toProblem } from '../api';
import { useLoad } from '../components/useLoad';
import { fieldErrors, ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { formatDateTime, formatLogTime, plural } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import type { Problem, SupportGrant, SupportScope, SupportUse, Survey, User } from '../types';

/**
 * The owner's security settings: require a second factor (ACC-4), and support access, "meekijken"
 * (ACC-3): who at Peil may look along, at what, why, until when, and what they looked at.
 */
export function SecurityPage() {
  useTitle('Security');
  const [users, setUsers] = useState<User[] | null>(null);
  const [surveys, setSurveys] = useState<Survey[]>([]);

  const loadUsers = useCallback(async () => {
    try {
      setUsers((await get<{ users: User[] }>('/api/v1/users')).users);
    } catch {
      setUsers([]);
    }
  }, []);
  useEffect(() => {
    void loadUsers();
    // Survey names turn logged paths into words ("Results of Klanttevredenheid"); without them the path is shown.
    get<{ surveys: Survey[] }>('/api/v1/surveys')
      .then((r) => setSurveys(r.surveys))
      .catch(() => setSurveys([]));
  }, [loadUsers]);

  return (
    <>
      <h1 tabIndex={-1}>Security</h1>
      <p>Settings that protect your organisation’s data in Peil. Only owners can change them.</p>
      <RequireSecondFactor users={users} />
      <SupportAccess users={users ?? []} surveys={surveys} />
    </>
  );
}

// ------------------------------------------------------------------ second factor for everyone

function RequireSecondFactor({ users }: { users: User[] | null }) {
  const { me, refresh } = useSession();
  const [on, setOn] = useState<boolean | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const labelId = useId();
  const hintId = useId();

  useEffect(() => {
    get<{ requireSecondFactor: boolean }>('/api/v1/tenant/settings')
      .then((s) => setOn(s.requireSecondFactor))
      .catch((err: unknown) => setProblem(toProblem(err)));
  }, []);

  async function toggle() {
    if (on === null) return;
    setBusy(true);
    setProblem(null);
    setStatus('');
    try {
      const s = await api<{ requireSecondFactor: boolean }>('PATCH', '/api/v1/tenant/settings', { requireSecondFactor: !on });
      setOn(s.requireSecondFactor);
      setStatus(
        s.requireSecondFactor
          ? 'Two-step sign-in is now required for everyone. Colleagues without an authenticator app are asked to set one up before they can continue.'
          : 'Two-step sign-in is no longer required. Colleagues who set up an app keep using it.',
      );
      await refresh();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  const active = users?.filter((u) => u.status === 'active') ?? [];
  const withApp = active.filter((u) => u.secondFactor).length;
  const ownHasApp = me.secondFactor?.enabled ?? false;

  return (
    <section aria-labelledby="require-heading" className="card">
      <h2 id="require-heading">Two-step sign-in</h2>
      <p id={hintId}>
        When this is on, everyone in {me.tenant?.name} signs in with their password <em>and</em> a 6-digit code from an authenticator app on their phone. A stolen or
        guessed password is then not enough to get in. Colleagues who have no app yet must set one up before they can do anything else.
      </p>
      <ProblemAlert problem={problem} heading="The setting was not changed" />
      <div className="switch-row">
        <button
          type="button"
          role="switch"
          aria-checked={on ?? false}
          aria-labelledby={labelId}
          aria-describedby={hintId}
          className="switch"
          disabled={on === null || busy}
          onClick={() => void toggle()}
        >
          <span className="switch-track" aria-hidden="true">
            <span className="switch-thumb" />
          </span>
          <span className="switch-state" aria-hidden="true">
            {on ? 'On' : 'Off'}
          </span>
        </button>
        <span id={labelId} className="switch-label">
          Require a second factor for everyone
        </span>
      </div>
      {users && (
        <p className="muted small">
          {withApp} of {plural(active.length, 'active colleague')} {withApp === 1 ? 'has' : 'have'} set up an authenticator app. <Link to="/app/team">See the team</Link>.
        </p>
      )}
      {!ownHasApp && !on && (
        <p className="hint">
          Set up your own app first (on <Link to="/app/account">your account page</Link>), so that the requirement cannot lock you out.
        </p>
      )}
      <p role="status" className="status-line">
        {status}
      </p>
    </section>
  );
}

// ------------------------------------------------------------------ support access (meekijken)

const SCOPES: Record<SupportScope, { title: string; text: string }> = {
  results: {
    title: 'Surveys and results',
    text: 'Questions, scores, response rates and the comments respondents wrote. No names, email addresses or phone numbers of your contacts.',
  },
  contacts: {
    title: 'Surveys, results and contact details',
    text: 'Everything above, plus the names, email addresses and phone numbers of your contacts. Choose this only when the question is about your contact list or an import.',
  },
};

const MAX_HOURS = 7 * 24;

function SupportAccess({ users, surveys }: { users: User[]; surveys: Survey[] }) {
  const [data, setData] = useState<{ grants: SupportGrant[]; uses: SupportUse[] } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');

  const load = useLoad(async () => {
    setData(await get<{ grants: SupportGrant[]; uses: SupportUse[] }>('/api/v1/support-access'));
  }, setProblem);

  async function revoke(g: SupportGrant) {
    setProblem(null);
    setStatus('');
    try {
      await api('DELETE', `/api/v1/support-access/${g.id}`);
      await load();
      setStatus('The support access is revoked. Support staff who were looking have been signed out of your environment.');
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  const userName = (id: string) => users.find((u) => u.id === id)?.name ?? 'an owner';
  const grantOf = (id: string | null) => data?.grants.find((g) => g.id === id);

  return (
    <section aria-labelledby="support-heading">
      <h2 id="support-heading">
        Support access <span lang="nl">(meekijken)</span>
      </h2>
      <div className="card explain">
        <p>
          Peil’s support staff <strong>cannot see</strong> your contacts, answers or results. When you ask us for help with something we can only understand by looking
          along with you (<span lang="nl">meekijken</span>), you can give them access here, for a short time.
        </p>
        <ul>
          <li>You choose what they may see, why, and for how long: at most 7 days.</li>
          <li>They can only look. They cannot change, send, export or delete anything.</li>
          <li>Access ends by itself at the time you set. You can end it sooner with “Revoke”.</li>
          <li>Every page they open is recorded with the time, and listed below. These records are also kept in your organisation’s audit log.</li>
        </ul>
      </div>
      <GrantForm
        onGranted={async (expiresAt) => {
          await load();
          setStatus(`Support access is given until ${formatDateTime(expiresAt)}.`);
        }}
      />
      <p role="status" className="status-line">
        {status}
      </p>
      <ProblemAlert problem={problem} />

      <h3 id="grants-heading">Access given</h3>
      {!data ? (
        <p>Loading…</p>
      ) : data.grants.length === 0 ? (
        <p className="muted">You have not given support access yet.</p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="grants-heading">
            <thead>
              <tr>
                <th scope="col">Access to</th>
                <th scope="col">Reason</th>
                <th scope="col">Given</th>
                <th scope="col">Until</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Uses
                </th>
                <th scope="col">Last use</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.grants.map((g) => (
                <GrantRow key={g.id} grant={g} grantedBy={userName(g.grantedBy)} onRevoke={() => revoke(g)} />
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h3 id="uses-heading">What support staff looked at</h3>
      {data &&
        (data.uses.length === 0 ? (
          <p className="muted">Nothing yet.</p>
        ) : (
          <div className="table-wrap">
            <table aria-labelledby="uses-heading" data-testid="support-uses">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">What</th>
                  <th scope="col">Under the access for</th>
                </tr>
              </thead>
              <tbody>
                {data.uses.map((u, i) => {
                  const g = grantOf(u.grantId);
                  return (
                    <tr key={`${u.at}-${i}`}>
                      <td className="nowrap">{formatLogTime(u.at)}</td>
                      <td>{describeUse(u, surveys)}</td>
                      <td>{g ? `${SCOPES[g.scope].title}: ${g.reason}` : '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}

function GrantRow({ grant: g, grantedBy, onRevoke }: { grant: SupportGrant; grantedBy: string; onRevoke: () => Promise<void> }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const state = g.active ? 'active' : g.revokedAt ? 'revoked' : 'ended';
  return (
    <tr>
      <td>{SCOPES[g.scope].title}</td>
      <td className="pre">{g.reason}</td>
      <td>
        {formatDateTime(g.createdAt)}
        <div className="small muted">by {grantedBy}</div>
      </td>
      <td>{formatDateTime(g.revokedAt && g.revokedAt < g.expiresAt ? g.revokedAt : g.expiresAt)}</td>
      <td>
        <span className={`status status-${state}`}>{state === 'active' ? 'active' : state === 'revoked' ? 'revoked' : 'ended'}</span>
      </td>
      <td className="num">{g.uses}</td>
      <td>{g.lastUsedAt ? formatDateTime(g.lastUsedAt) : <span className="muted">never</span>}</td>
      <td className="actions">
        {g.active &&
          (confirming ? (
            <span className="confirm">
              <span>Revoke?</span>
              <button
                type="button"
                className="button-danger"
                disabled={busy}
                onClick={() => {
                  setBusy(true);
                  void onRevoke().finally(() => setBusy(false));
                }}
              >
                Yes, revoke
              </button>
              <button type="button" className="button-quiet" onClick={() => setConfirming(false)} autoFocus>
                Cancel
              </button>
            </span>
          ) : (
            <button type="button" className="button-quiet" onClick={() => setConfirming(true)} aria-label={`Revoke support access: ${SCOPES[g.scope].title}, ${g.reason}`}>
              Revoke
            </button>
          ))}
      </td>
    </tr>
  );
}

/** A logged API path in words, for the owner ("Results of “Klanttevredenheid”"). */
export function describeUse(u: SupportUse, surveys: Survey[]): string {
  if (u.action === 'support.session_started') return 'Started looking along (signed in to your environment)';
  const path = u.path ?? '';
  const name = (id: string) => {
    const s = surveys.find((x) => x.id === id);
    return s ? `“${s.name}”` : 'a survey';
  };
  let m: RegExpExecArray | null;
  if (path === '/api/v1/surveys') return 'The list of surveys';
  if (path === '/api/v1/surveys/defaults') return 'The standard survey texts';
  if (path === '/api/v1/contacts') return 'The contact list (names and email addresses)';
  if (path === '/api/v1/contacts/summary') return 'The number of contacts';
  if (/^\/api\/v1\/contacts\/[^/]+$/.test(path)) return 'The details of one contact';
  if ((m = /^\/api\/v1\/surveys\/([^/]+)$/.exec(path))) return `Survey ${name(m[1]!)}`;
  if ((m = /^\/api\/v1\/surveys\/([^/]+)\/results$/.exec(path))) return `Results of ${name(m[1]!)}`;
  if ((m = /^\/api\/v1\/surveys\/([^/]+)\/distributions$/.exec(path))) return `Sending progress of ${name(m[1]!)}`;
  if ((m = /^\/api\/v1\/surveys\/([^/]+)\/invitations$/.exec(path))) return `Invitations of ${name(m[1]!)}`;
  return path || u.action;
}

function GrantForm({ onGranted }: { onGranted: (expiresAt: string) => Promise<void> }) {
  const [scope, setScope] = useState<SupportScope>('results');
  const [reason, setReason] = useState('');
  const [amount, setAmount] = useState('4');
  const [unit, setUnit] = useState<'hours' | 'days'>('hours');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const reasonId = useId();
  const durationHint = useId();

  const hours = useMemo(() => {
    const n = Number(amount);
    return Number.isInteger(n) && n > 0 ? n * (unit === 'days' ? 24 : 1) : NaN;
  }, [amount, unit]);
  const valid = Number.isFinite(hours) && hours >= 1 && hours <= MAX_HOURS;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!valid) {
      setProblem({
        type: 'about:blank',
        title: 'Duration',
        status: 0,
        code: 'client_error',
        detail: 'Choose a whole number of hours or days, from 1 hour up to 7 days.',
        errors: [{ pointer: '/body/hours', reason: 'from 1 hour up to 7 days' }],
      });
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const r = await post<{ id: string; expiresAt: string }>('/api/v1/support-access', { scope, reason: reason.trim(), hours });
      setReason('');
      await onGranted(r.expiresAt);
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  const durationErrors = fieldErrors(problem, '/body/hours');
  const reasonErrors = fieldErrors(problem, '/body/reason');
  return (
    <section aria-labelledby="grant-heading" className="card">
      <h3 id="grant-heading">Give support access</h3>
      <ProblemAlert problem={problem} heading="Support access was not given" listItems={false} />
      <form onSubmit={submit}>
        <fieldset>
          <legend>What may support staff see?</legend>
          {(Object.keys(SCOPES) as SupportScope[]).map((s) => (
            <label key={s} className="choice choice-block">
              <input type="radio" name="scope" value={s} checked={scope === s} onChange={() => setScope(s)} />
              <span>
                <span className="choice-title">{SCOPES[s].title}</span>
                <span className="hint choice-text">{SCOPES[s].text}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor={reasonId}>Reason</label>
          <p className="hint" id={`${reasonId}-hint`}>
            Why support needs to look, for example the ticket number and your question. Support staff see this, and it is kept with the record.
          </p>
          <textarea
            id={reasonId}
            name="reason"
            rows={2}
            maxLength={500}
            required
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            aria-describedby={`${reasonId}-hint${reasonErrors.length ? ` ${reasonId}-err` : ''}`}
            aria-invalid={reasonErrors.length ? true : undefined}
          />
          {reasonErrors.length > 0 && (
            <p className="field-error" id={`${reasonId}-err`}>
              {reasonErrors.join('; ')}
            </p>
          )}
        </div>
        <fieldset aria-describedby={durationHint}>
          <legend>For how long?</legend>
          <div className="inline-fields">
            <div className="field">
              <label htmlFor={`${durationHint}-amount`}>Duration</label>
              <input
                id={`${durationHint}-amount`}
                name="amount"
                type="number"
                min={1}
                max={unit === 'days' ? 7 : MAX_HOURS}
                step={1}
                required
                className="narrow-input"
                value={amount}
                onChange={(e) => setAmount(e.currentTarget.value)}
                aria-invalid={durationErrors.length || !valid ? true : undefined}
              />
            </div>
            <div className="field">
              <label htmlFor={`${durationHint}-unit`}>Unit</label>
              <select id={`${durationHint}-unit`} name="unit" value={unit} onChange={(e) => setUnit(e.currentTarget.value as 'hours' | 'days')}>
                <option value="hours">hours</option>
                <option value="days">days</option>
              </select>
            </div>
          </div>
          <p className="hint" id={durationHint} aria-live="polite">
            {valid ? `Access ends by itself on ${formatDateTime(new Date(Date.now() + hours * 3600_000).toISOString())}.` : 'Choose from 1 hour up to 7 days.'}
          </p>
        </fieldset>
        <button type="submit" disabled={busy}>
          {busy ? 'Giving access…' : 'Give support access'}
        </button>
      </form>
    </section>
  );
}
