import { useCallback, useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { Trans, useTranslation } from 'react-i18next';
import { api, get, post, toProblem } from '../api';
import { useLoad } from '../components/useLoad';
import { fieldErrors, ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { formatDateTime, formatLogTime } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import type { Problem, SupportGrant, SupportScope, SupportUse, Survey, User } from '../types';

/**
 * The owner's security settings: require a second factor (ACC-4), and support access, "meekijken"
 * (ACC-3): who at Peil may look along, at what, why, until when, and what they looked at.
 */
export function SecurityPage() {
  const { t } = useTranslation('security');
  useTitle(t('title'));
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
      <h1 tabIndex={-1}>{t('title')}</h1>
      <p>{t('intro')}</p>
      <RequireSecondFactor users={users} />
      <SupportAccess users={users ?? []} surveys={surveys} />
    </>
  );
}

// ------------------------------------------------------------------ second factor for everyone

function RequireSecondFactor({ users }: { users: User[] | null }) {
  const { t } = useTranslation('security');
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
      const s = await api<{ requireSecondFactor: boolean }>('PATCH', '/api/v1/tenant/settings', {
        requireSecondFactor: !on,
      });
      setOn(s.requireSecondFactor);
      setStatus(s.requireSecondFactor ? t('require.nowOn') : t('require.nowOff'));
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
      <h2 id="require-heading">{t('require.title')}</h2>
      <p id={hintId}>
        <Trans t={t} i18nKey="require.hint" values={{ tenant: me.tenant?.name ?? '' }} components={{ em: <em /> }} />
      </p>
      <ProblemAlert problem={problem} heading={t('require.notChanged')} />
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
            {on ? t('require.on') : t('require.off')}
          </span>
        </button>
        <span id={labelId} className="switch-label">
          {t('require.label')}
        </span>
      </div>
      {users && (
        <p className="muted small">
          <Trans
            t={t}
            i18nKey="require.withApp"
            values={{ withApp, active: active.length }}
            components={{ team: <Link to="/app/team" /> }}
          />
        </p>
      )}
      {!ownHasApp && !on && (
        <p className="hint">
          <Trans t={t} i18nKey="require.ownFirst" components={{ account: <Link to="/app/account" /> }} />
        </p>
      )}
      <p role="status" className="status-line">
        {status}
      </p>
    </section>
  );
}

// ------------------------------------------------------------------ support access (meekijken)

/** What support staff may see (names and explanations: security:scope.<scope>). */
const SCOPES: SupportScope[] = ['results', 'contacts'];

const MAX_HOURS = 7 * 24;

function SupportAccess({ users, surveys }: { users: User[]; surveys: Survey[] }) {
  const { t } = useTranslation('security');
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
      setStatus(t('support.revoked'));
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  const userName = (id: string) => users.find((u) => u.id === id)?.name ?? t('support.anOwner');
  const grantOf = (id: string | null) => data?.grants.find((g) => g.id === id);

  return (
    <section aria-labelledby="support-heading">
      <h2 id="support-heading">
        {t('support.title')} <span lang="nl">{t('support.meekijken')}</span>
      </h2>
      <div className="card explain">
        <p>
          <Trans t={t} i18nKey="support.explain" components={{ strong: <strong />, nl: <span lang="nl" /> }} />
        </p>
        <ul>
          <li>{t('support.rule1')}</li>
          <li>{t('support.rule2')}</li>
          <li>{t('support.rule3')}</li>
          <li>{t('support.rule4')}</li>
        </ul>
      </div>
      <GrantForm
        onGranted={async (expiresAt) => {
          await load();
          setStatus(t('support.given', { until: formatDateTime(expiresAt) }));
        }}
      />
      <p role="status" className="status-line">
        {status}
      </p>
      <ProblemAlert problem={problem} />

      <h3 id="grants-heading">{t('support.grantsTitle')}</h3>
      {!data ? (
        <p>{t('support.loading')}</p>
      ) : data.grants.length === 0 ? (
        <p className="muted">{t('support.noGrants')}</p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="grants-heading">
            <thead>
              <tr>
                <th scope="col">{t('support.col.scope')}</th>
                <th scope="col">{t('support.col.reason')}</th>
                <th scope="col">{t('support.col.given')}</th>
                <th scope="col">{t('support.col.until')}</th>
                <th scope="col">{t('support.col.status')}</th>
                <th scope="col" className="num">
                  {t('support.col.uses')}
                </th>
                <th scope="col">{t('support.col.lastUse')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('support.col.actions')}</span>
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

      <h3 id="uses-heading">{t('support.usesTitle')}</h3>
      {data &&
        (data.uses.length === 0 ? (
          <p className="muted">{t('support.nothingYet')}</p>
        ) : (
          <div className="table-wrap">
            <table aria-labelledby="uses-heading" data-testid="support-uses">
              <thead>
                <tr>
                  <th scope="col">{t('support.col.when')}</th>
                  <th scope="col">{t('support.col.what')}</th>
                  <th scope="col">{t('support.col.under')}</th>
                </tr>
              </thead>
              <tbody>
                {data.uses.map((u, i) => {
                  const g = grantOf(u.grantId);
                  return (
                    <tr key={`${u.at}-${i}`}>
                      <td className="nowrap">{formatLogTime(u.at)}</td>
                      <td>{describeUse(t, u, surveys)}</td>
                      <td>{g ? `${t(`scope.${g.scope}.title`)}: ${g.reason}` : '—'}</td>
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

function GrantRow({
  grant: g,
  grantedBy,
  onRevoke,
}: {
  grant: SupportGrant;
  grantedBy: string;
  onRevoke: () => Promise<void>;
}) {
  const { t } = useTranslation('security');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const state = g.active ? 'active' : g.revokedAt ? 'revoked' : 'ended';
  return (
    <tr>
      <td>{t(`scope.${g.scope}.title`)}</td>
      <td className="pre">{g.reason}</td>
      <td>
        {formatDateTime(g.createdAt)}
        <div className="small muted">{t('support.by', { name: grantedBy })}</div>
      </td>
      <td>{formatDateTime(g.revokedAt && g.revokedAt < g.expiresAt ? g.revokedAt : g.expiresAt)}</td>
      <td>
        <span className={`status status-${state}`}>{t(`support.state.${state}`)}</span>
      </td>
      <td className="num">{g.uses}</td>
      <td>{g.lastUsedAt ? formatDateTime(g.lastUsedAt) : <span className="muted">{t('support.never')}</span>}</td>
      <td className="actions">
        {g.active &&
          (confirming ? (
            <span className="confirm">
              <span>{t('support.revokeQ')}</span>
              <button
                type="button"
                className="button-danger"
                disabled={busy}
                onClick={() => {
                  setBusy(true);
                  void onRevoke().finally(() => setBusy(false));
                }}
              >
                {t('support.yesRevoke')}
              </button>
              <button type="button" className="button-quiet" onClick={() => setConfirming(false)} autoFocus>
                {t('support.cancel')}
              </button>
            </span>
          ) : (
            <button
              type="button"
              className="button-quiet"
              onClick={() => setConfirming(true)}
              aria-label={t('support.revokeLabel', { scope: t(`scope.${g.scope}.title`), reason: g.reason })}
            >
              {t('support.revoke')}
            </button>
          ))}
      </td>
    </tr>
  );
}

/** A logged API path in words, for the owner ("Results of “Klanttevredenheid”"). */
export function describeUse(t: TFunction<'security'>, u: SupportUse, surveys: Survey[]): string {
  if (u.action === 'support.session_started') return t('use.started');
  const path = u.path ?? '';
  const name = (id: string) => {
    const s = surveys.find((x) => x.id === id);
    return s ? `“${s.name}”` : t('use.aSurvey');
  };
  let m: RegExpExecArray | null;
  if (path === '/api/v1/surveys') return t('use.surveys');
  if (path === '/api/v1/surveys/defaults') return t('use.defaults');
  if (path === '/api/v1/contacts') return t('use.contacts');
  if (path === '/api/v1/contacts/summary') return t('use.summary');
  if (/^\/api\/v1\/contacts\/[^/]+$/.test(path)) return t('use.contact');
  if ((m = /^\/api\/v1\/surveys\/([^/]+)$/.exec(path))) return t('use.survey', { name: name(m[1]!) });
  if ((m = /^\/api\/v1\/surveys\/([^/]+)\/results$/.exec(path))) return t('use.results', { name: name(m[1]!) });
  if ((m = /^\/api\/v1\/surveys\/([^/]+)\/distributions$/.exec(path)))
    return t('use.distributions', { name: name(m[1]!) });
  if ((m = /^\/api\/v1\/surveys\/([^/]+)\/invitations$/.exec(path))) return t('use.invitations', { name: name(m[1]!) });
  return path || u.action;
}

function GrantForm({ onGranted }: { onGranted: (expiresAt: string) => Promise<void> }) {
  const { t } = useTranslation('security');
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
        title: t('grant.durationTitle'),
        status: 0,
        code: 'client_error',
        detail: t('grant.durationDetail'),
        errors: [{ pointer: '/body/hours', reason: t('grant.durationReason') }],
      });
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const r = await post<{ id: string; expiresAt: string }>('/api/v1/support-access', {
        scope,
        reason: reason.trim(),
        hours,
      });
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
      <h3 id="grant-heading">{t('grant.title')}</h3>
      <ProblemAlert problem={problem} heading={t('grant.notGiven')} listItems={false} />
      <form onSubmit={submit}>
        <fieldset>
          <legend>{t('grant.what')}</legend>
          {SCOPES.map((s) => (
            <label key={s} className="choice choice-block">
              <input type="radio" name="scope" value={s} checked={scope === s} onChange={() => setScope(s)} />
              <span>
                <span className="choice-title">{t(`scope.${s}.title`)}</span>
                <span className="hint choice-text">{t(`scope.${s}.text`)}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor={reasonId}>{t('grant.reason')}</label>
          <p className="hint" id={`${reasonId}-hint`}>
            {t('grant.reasonHint')}
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
          <legend>{t('grant.howLong')}</legend>
          <div className="inline-fields">
            <div className="field">
              <label htmlFor={`${durationHint}-amount`}>{t('grant.duration')}</label>
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
              <label htmlFor={`${durationHint}-unit`}>{t('grant.unit')}</label>
              <select
                id={`${durationHint}-unit`}
                name="unit"
                value={unit}
                onChange={(e) => setUnit(e.currentTarget.value as 'hours' | 'days')}
              >
                <option value="hours">{t('grant.hours')}</option>
                <option value="days">{t('grant.days')}</option>
              </select>
            </div>
          </div>
          <p className="hint" id={durationHint} aria-live="polite">
            {valid
              ? t('grant.endsOn', { at: formatDateTime(new Date(Date.now() + hours * 3600_000).toISOString()) })
              : t('grant.choose')}
          </p>
        </fieldset>
        <button type="submit" disabled={busy}>
          {busy ? t('grant.giving') : t('grant.submit')}
        </button>
      </form>
    </section>
  );
}
