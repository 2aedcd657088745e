import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { api, get, patch, post, toProblem } from '../api';
import { useLoad } from '../components/useLoad';
import { Field } from '../components/Field';
import { fieldErrors, ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { formatDateTime, formatLogTime, formatNumber } from '../format';
import type { Problem } from '../types';

/**
 * Integrations (OBLIGATIONS SVC-5): API keys for other systems, and webhooks that tell them about
 * completed responses. Keys and webhook secrets are shown once, when they are made.
 */
interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  revokedAt: string | null;
}
interface Webhook {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  createdAt: string;
  deliveries: { pending: number; delivered: number; failed: number };
  secretScheme: 'standard' | 'legacy';
  previousSecretUntil: string | null;
  lastAttempts: {
    deliveryId: string;
    eventType: string;
    at: string;
    statusCode: number | null;
    ok: boolean;
    error: string | null;
  }[];
}
/** Issue 15: the event types a webhook can receive (named in integrations:event.<type with _>). */
const EVENT_TYPES = [
  'response.completed',
  'invitation.bounced',
  'contact.unsubscribed',
  'survey.closed',
  'followup.created',
] as const;
/** A scope or event type as a catalogue key: `contacts:read` → `contacts_read` (i18next reads `:` and `.`). */
const keyOf = (name: string) => name.replace(/[:.]/g, '_');
interface Attempt {
  attempt: number;
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  excerpt: string | null;
}
interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
  log: Attempt[];
}

export function IntegrationsPage() {
  const { t } = useTranslation('integrations');
  useTitle(t('title'));
  return (
    <>
      <h1 tabIndex={-1}>{t('title')}</h1>
      <p>
        <Trans
          t={t}
          i18nKey="lead"
          components={{ strong: <strong />, api: <a href="/api/openapi.json">/api/openapi.json</a> }}
        />
      </p>
      <ApiKeys />
      <Webhooks />
    </>
  );
}

function CopyValue({ value, label }: { value: string; label: string }) {
  const { t } = useTranslation('integrations');
  const [copied, setCopied] = useState(false);
  return (
    <p>
      <code className="secret" aria-label={label}>
        {value}
      </code>{' '}
      <button
        type="button"
        className="button-quiet"
        onClick={() => {
          void navigator.clipboard?.writeText(value).then(() => setCopied(true));
        }}
      >
        {copied ? t('copied') : t('copy')}
      </button>
    </p>
  );
}

// ------------------------------------------------------------------ API keys

function ApiKeys() {
  const { t } = useTranslation('integrations');
  const [data, setData] = useState<{ keys: ApiKey[]; scopes: string[] } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');

  const load = useLoad(async () => {
    setData(await get<{ keys: ApiKey[]; scopes: string[] }>('/api/v1/api-keys'));
  }, setProblem);

  async function create(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    setStatus('');
    try {
      const r = await post<{ name: string; key: string }>('/api/v1/api-keys', { name: name.trim(), scopes });
      setCreated(r);
      setName('');
      setScopes([]);
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  async function revoke(k: ApiKey) {
    setProblem(null);
    try {
      await api('DELETE', `/api/v1/api-keys/${k.id}`);
      await load();
      setStatus(t('keys.revoked', { name: k.name }));
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  return (
    <section aria-labelledby="keys-heading">
      <h2 id="keys-heading">{t('keys.heading')}</h2>
      <form onSubmit={create} className="card">
        <h3>{t('keys.new')}</h3>
        <Field
          label={t('keys.name')}
          hint={t('keys.nameHint')}
          value={name}
          maxLength={100}
          required
          onChange={(e) => setName(e.currentTarget.value)}
          errors={fieldErrors(problem, '/body/name')}
        />
        <fieldset>
          <legend>{t('keys.may')}</legend>
          {(data?.scopes ?? []).map((s) => (
            <label key={s} className="choice">
              <input
                type="checkbox"
                checked={scopes.includes(s)}
                onChange={(e) => setScopes(e.currentTarget.checked ? [...scopes, s] : scopes.filter((x) => x !== s))}
              />
              <span>
                {t(`scope.${keyOf(s)}` as 'scope.contacts_read', { defaultValue: s })} <code>{s}</code>
              </span>
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={busy || scopes.length === 0 || !name.trim()}>
          {t('keys.create')}
        </button>
      </form>
      {created && (
        <div className="card" role="alert">
          <h3>{t('keys.created', { name: created.name })}</h3>
          <p>
            <Trans t={t} i18nKey="keys.createdText" components={{ strong: <strong />, code: <code /> }} />
          </p>
          <CopyValue value={created.key} label={t('keys.newKey')} />
          <button type="button" className="button-quiet" onClick={() => setCreated(null)}>
            {t('copiedIt')}
          </button>
        </div>
      )}
      <p role="status" className="status-line">
        {status}
      </p>
      <ProblemAlert problem={problem} />
      {!data ? (
        <p>{t('loading')}</p>
      ) : data.keys.length === 0 ? (
        <p className="muted">{t('keys.none')}</p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="keys-heading">
            <thead>
              <tr>
                <th scope="col">{t('keys.name')}</th>
                <th scope="col">{t('keys.key')}</th>
                <th scope="col">{t('keys.mayColumn')}</th>
                <th scope="col">{t('keys.createdAt')}</th>
                <th scope="col">{t('keys.lastUsed')}</th>
                <th scope="col">{t('keys.status')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.keys.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td>
                    <code>{k.prefix}…</code>
                  </td>
                  <td className="small">{k.scopes.join(', ')}</td>
                  <td>{formatDateTime(k.createdAt)}</td>
                  <td>
                    {k.lastUsedAt ? (
                      <>
                        {formatDateTime(k.lastUsedAt)}
                        <div className="small muted">{t('keys.from', { ip: k.lastUsedIp ?? '—' })}</div>
                      </>
                    ) : (
                      <span className="muted">{t('never')}</span>
                    )}
                  </td>
                  <td>
                    <span className={`status status-${k.revokedAt ? 'revoked' : 'active'}`}>
                      {k.revokedAt ? t('status.revoked') : t('status.active')}
                    </span>
                  </td>
                  <td className="actions">
                    {!k.revokedAt && (
                      <button
                        type="button"
                        className="button-quiet"
                        onClick={() => void revoke(k)}
                        aria-label={t('keys.revokeLabel', { name: k.name })}
                      >
                        {t('keys.revoke')}
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
  );
}

// ------------------------------------------------------------------ webhooks

function Webhooks() {
  const { t } = useTranslation('integrations');
  const [hooks, setHooks] = useState<Webhook[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [url, setUrl] = useState('');
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [events, setEvents] = useState<string[]>(['response.completed']);
  const [editing, setEditing] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);

  const load = useLoad(async () => {
    setHooks((await get<{ webhooks: Webhook[] }>('/api/v1/webhooks')).webhooks);
  }, setProblem);

  async function create(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const r = await post<{ url: string; secret: string }>('/api/v1/webhooks', { url: url.trim(), events });
      setCreated(r);
      setUrl('');
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  async function act(run: () => Promise<void>) {
    setProblem(null);
    setNote(null);
    try {
      await run();
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }
  const toggle = (h: Webhook) => act(async () => void (await patch(`/api/v1/webhooks/${h.id}`, { active: !h.active })));
  const setHookEvents = (h: Webhook, list: string[]) => {
    if (!list.length) return;
    setHooks((all) => all && all.map((x) => (x.id === h.id ? { ...x, events: list } : x)));
    void act(async () => void (await patch(`/api/v1/webhooks/${h.id}`, { events: list })));
  };
  const ping = (h: Webhook) =>
    act(async () => {
      const r = await post<{ ok: boolean; statusCode: number | null; error: string | null }>(
        `/api/v1/webhooks/${h.id}/ping`,
      );
      setNote(
        r.ok
          ? t('hooks.testOk', { status: String(r.statusCode) })
          : t('hooks.testFailed', { reason: String(r.statusCode ?? r.error ?? '—') }),
      );
    });
  const rotate = (h: Webhook) =>
    act(async () => {
      if (!window.confirm(t('hooks.confirmRotate'))) return;
      const r = await post<{ secret: string }>(`/api/v1/webhooks/${h.id}/rotate-secret`, {});
      setCreated({ url: h.url, secret: r.secret });
    });
  const remove = (h: Webhook) =>
    act(async () => {
      if (!window.confirm(t('hooks.confirmDelete', { url: h.url }))) return;
      await api('DELETE', `/api/v1/webhooks/${h.id}`);
      if (open === h.id) setOpen(null);
    });

  return (
    <section aria-labelledby="hooks-heading">
      <h2 id="hooks-heading">{t('hooks.heading')}</h2>
      <p>
        <Trans
          t={t}
          i18nKey="hooks.lead"
          components={{
            code: <code />,
            spec: <a href="https://www.standardwebhooks.com">Standard Webhooks</a>,
          }}
        />
      </p>
      <form onSubmit={create} className="card">
        <h3>{t('hooks.new')}</h3>
        <Field
          label={t('hooks.url')}
          type="url"
          hint={t('hooks.urlHint')}
          placeholder="https://…"
          value={url}
          required
          onChange={(e) => setUrl(e.currentTarget.value)}
          errors={fieldErrors(problem, '/body/url')}
        />
        <EventChoice value={events} onChange={setEvents} legend={t('hooks.events')} />
        <button type="submit" disabled={busy || !url.trim()}>
          {t('hooks.add')}
        </button>
      </form>
      {created && (
        <div className="card" role="alert">
          <h3>{t('hooks.secretFor', { url: created.url })}</h3>
          <p>
            <Trans t={t} i18nKey="hooks.secretText" components={{ strong: <strong />, code: <code /> }} />
          </p>
          <CopyValue value={created.secret} label={t('hooks.secretLabel')} />
          <button type="button" className="button-quiet" onClick={() => setCreated(null)}>
            {t('copiedIt')}
          </button>
        </div>
      )}
      <ProblemAlert problem={problem} />
      {note && <p role="status">{note}</p>}
      {!hooks ? (
        <p>{t('loading')}</p>
      ) : hooks.length === 0 ? (
        <p className="muted">{t('hooks.none')}</p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="hooks-heading">
            <thead>
              <tr>
                <th scope="col">{t('hooks.url')}</th>
                <th scope="col">{t('keys.status')}</th>
                <th scope="col" className="num">
                  {t('hooks.delivered')}
                </th>
                <th scope="col" className="num">
                  {t('hooks.waiting')}
                </th>
                <th scope="col" className="num">
                  {t('hooks.failed')}
                </th>
                <th scope="col">{t('hooks.lastAttempt')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {hooks.map((h) => (
                <tr key={h.id}>
                  <td className="mono">{h.url}</td>
                  <td>
                    <span className={`status status-${h.active ? 'active' : 'off'}`}>
                      {h.active ? t('status.active') : t('status.off')}
                    </span>
                  </td>
                  <td className="num">{formatNumber(h.deliveries.delivered)}</td>
                  <td className="num">{formatNumber(h.deliveries.pending)}</td>
                  <td className="num">{formatNumber(h.deliveries.failed)}</td>
                  <td>
                    {h.lastAttempts[0]
                      ? t(h.lastAttempts[0].ok ? 'hooks.attemptOk' : 'hooks.attemptFailed', {
                          status: String(h.lastAttempts[0].statusCode ?? '—'),
                          at: formatDateTime(h.lastAttempts[0].at),
                        })
                      : '—'}
                    {h.previousSecretUntil && (
                      <div className="muted">
                        {t('hooks.oldSecret', { until: formatDateTime(h.previousSecretUntil) })}
                      </div>
                    )}
                    {editing === h.id && (
                      <EventChoice
                        value={h.events}
                        onChange={(list) => setHookEvents(h, list)}
                        legend={t('hooks.eventsFor', { url: h.url })}
                      />
                    )}
                  </td>
                  <td className="actions">
                    <button
                      type="button"
                      className="button-quiet"
                      onClick={() => setOpen(open === h.id ? null : h.id)}
                      aria-expanded={open === h.id}
                    >
                      {t('hooks.log')}
                    </button>{' '}
                    <button type="button" className="button-quiet" onClick={() => void toggle(h)}>
                      {h.active ? t('hooks.deactivate') : t('hooks.activate')}
                    </button>{' '}
                    <button
                      type="button"
                      className="button-quiet"
                      onClick={() => setEditing(editing === h.id ? null : h.id)}
                      aria-expanded={editing === h.id}
                    >
                      {t('hooks.events')}
                    </button>{' '}
                    <button type="button" className="button-quiet" onClick={() => void ping(h)}>
                      {t('hooks.test')}
                    </button>{' '}
                    <button type="button" className="button-quiet" onClick={() => void rotate(h)}>
                      {t('hooks.rotate')}
                    </button>{' '}
                    <button type="button" className="button-quiet" onClick={() => void remove(h)}>
                      {t('hooks.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open && <DeliveryLog key={open} webhookId={open} />}
    </section>
  );
}

function EventChoice({
  value,
  onChange,
  legend,
}: {
  value: string[];
  onChange: (list: string[]) => void;
  legend: string;
}) {
  const { t } = useTranslation('integrations');
  return (
    <fieldset>
      <legend>{legend}</legend>
      {EVENT_TYPES.map((type) => (
        <label key={type}>
          <input
            type="checkbox"
            checked={value.includes(type)}
            onChange={(e) => onChange(e.currentTarget.checked ? [...value, type] : value.filter((v) => v !== type))}
          />{' '}
          {t(`event.${keyOf(type)}` as 'event.response_completed')} <code>{type}</code>
        </label>
      ))}
    </fieldset>
  );
}

function DeliveryLog({ webhookId }: { webhookId: string }) {
  const { t } = useTranslation('integrations');
  const [deliveries, setDeliveries] = useState<Delivery[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');

  const load = useLoad(
    async () => {
      setDeliveries((await get<{ deliveries: Delivery[] }>(`/api/v1/webhooks/${webhookId}/deliveries`)).deliveries);
    },
    setProblem,
    [webhookId],
  );

  async function redeliver(d: Delivery) {
    setProblem(null);
    setStatus('');
    try {
      const r = await post<{ status: string }>(`/api/v1/webhook-deliveries/${d.id}/redeliver`);
      await load();
      setStatus(r.status === 'delivered' ? t('log.redelivered') : t('log.notAccepted'));
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  return (
    <section aria-labelledby="log-heading" className="card">
      <h3 id="log-heading">{t('log.heading')}</h3>
      <p role="status" className="status-line">
        {status}
      </p>
      <ProblemAlert problem={problem} />
      {!deliveries ? (
        <p>{t('loading')}</p>
      ) : deliveries.length === 0 ? (
        <p className="muted">{t('log.none')}</p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="log-heading">
            <thead>
              <tr>
                <th scope="col">{t('log.event')}</th>
                <th scope="col">{t('log.status')}</th>
                <th scope="col">{t('log.attempts')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id}>
                  <td>
                    {d.eventType}
                    <div className="small muted">{formatDateTime(d.createdAt)}</div>
                  </td>
                  <td>
                    <span
                      className={`status status-${d.status === 'delivered' ? 'active' : d.status === 'failed' ? 'locked' : 'invited'}`}
                    >
                      {t(`status.${d.status}`)}
                    </span>
                    {d.nextAttemptAt && (
                      <div className="small muted">{t('log.nextTry', { at: formatDateTime(d.nextAttemptAt) })}</div>
                    )}
                  </td>
                  <td>
                    <ol className="small">
                      {d.log.map((a) => (
                        <li key={a.attempt}>
                          {t('log.attempt', {
                            at: formatLogTime(a.at),
                            result: String(a.statusCode ?? a.error ?? '—'),
                            ms: formatNumber(a.durationMs),
                          })}
                        </li>
                      ))}
                    </ol>
                  </td>
                  <td className="actions">
                    <button type="button" className="button-quiet" onClick={() => void redeliver(d)}>
                      {t('log.redeliver')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
