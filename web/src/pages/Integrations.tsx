import { useState, type FormEvent } from 'react';
import { api, get, patch, post, toProblem } from '../api';
import { useLoad } from '../components/useLoad';
import { Field } from '../components/Field';
import { fieldErrors, ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { formatDateTime, formatLogTime } from '../format';
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
/** Issue 15: the event types a webhook can receive (Dutch first, English beside it). */
const EVENT_TEXT: Record<string, string> = {
  'response.completed': 'Antwoord binnen / Response completed (identified surveys only)',
  'invitation.bounced': 'Mail geweigerd / Invitation bounced',
  'contact.unsubscribed': 'Afgemeld / Contact unsubscribed',
  'survey.closed': 'Onderzoek gesloten / Survey closed',
  'followup.created': 'Opvolging gemaakt / Follow-up created',
};
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

const SCOPE_TEXT: Record<string, string> = {
  'contacts:read': 'Read contacts (names and email addresses)',
  'contacts:write': 'Import, update and delete contacts',
  'surveys:read': 'Read surveys',
  'surveys:write': 'Create surveys',
  'invitations:send': 'Invite contacts to a survey',
  'results:read': 'Read results',
  'responses:export': 'Read responses (one by one only for identified surveys)',
};

export function IntegrationsPage() {
  useTitle('Integrations');
  return (
    <>
      <h1 tabIndex={-1}>
        Integrations{' '}
        <span lang="nl" className="muted">
          (Integraties)
        </span>
      </h1>
      <p>
        Connect other systems to Peil: they call the API with an <strong>API key</strong>, and a{' '}
        <strong>webhook</strong> tells them when a response comes in. The API is described at{' '}
        <a href="/api/openapi.json">/api/openapi.json</a>.
      </p>
      <ApiKeys />
      <Webhooks />
    </>
  );
}

function CopyValue({ value, label }: { value: string; label: string }) {
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
        {copied ? 'Copied' : 'Copy'}
      </button>
    </p>
  );
}

// ------------------------------------------------------------------ API keys

function ApiKeys() {
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
      setStatus(`The key “${k.name}” is revoked; it no longer works.`);
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  return (
    <section aria-labelledby="keys-heading">
      <h2 id="keys-heading">API keys</h2>
      <form onSubmit={create} className="card">
        <h3>New API key</h3>
        <Field
          label="Name"
          hint="What uses the key, for example “CRM” or “Service desk”."
          value={name}
          maxLength={100}
          required
          onChange={(e) => setName(e.currentTarget.value)}
          errors={fieldErrors(problem, '/body/name')}
        />
        <fieldset>
          <legend>What may the key do?</legend>
          {(data?.scopes ?? []).map((s) => (
            <label key={s} className="choice">
              <input
                type="checkbox"
                checked={scopes.includes(s)}
                onChange={(e) => setScopes(e.currentTarget.checked ? [...scopes, s] : scopes.filter((x) => x !== s))}
              />
              <span>
                {SCOPE_TEXT[s] ?? s} <code>{s}</code>
              </span>
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={busy || scopes.length === 0 || !name.trim()}>
          Create key
        </button>
      </form>
      {created && (
        <div className="card" role="alert">
          <h3>The key “{created.name}”</h3>
          <p>
            Copy it now: it is shown <strong>only this once</strong>. Peil keeps only a fingerprint of it. Send it as{' '}
            <code>Authorization: Bearer …</code>.
          </p>
          <CopyValue value={created.key} label="The new API key" />
          <button type="button" className="button-quiet" onClick={() => setCreated(null)}>
            I have copied it
          </button>
        </div>
      )}
      <p role="status" className="status-line">
        {status}
      </p>
      <ProblemAlert problem={problem} />
      {!data ? (
        <p>Loading…</p>
      ) : data.keys.length === 0 ? (
        <p className="muted">No API keys yet.</p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="keys-heading">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">May</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
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
                        <div className="small muted">from {k.lastUsedIp}</div>
                      </>
                    ) : (
                      <span className="muted">never</span>
                    )}
                  </td>
                  <td>
                    <span className={`status status-${k.revokedAt ? 'revoked' : 'active'}`}>
                      {k.revokedAt ? 'revoked' : 'active'}
                    </span>
                  </td>
                  <td className="actions">
                    {!k.revokedAt && (
                      <button
                        type="button"
                        className="button-quiet"
                        onClick={() => void revoke(k)}
                        aria-label={`Revoke the key ${k.name}`}
                      >
                        Revoke
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
          ? `Test ontvangen (${r.statusCode}) / Test received (${r.statusCode})`
          : `Test mislukt / Test failed: ${r.statusCode ?? r.error ?? '—'}`,
      );
    });
  const rotate = (h: Webhook) =>
    act(async () => {
      if (
        !window.confirm(
          'Nieuw geheim maken? Het oude werkt nog 24 uur. / Issue a new secret? The old one keeps working for 24 hours.',
        )
      )
        return;
      const r = await post<{ secret: string }>(`/api/v1/webhooks/${h.id}/rotate-secret`, {});
      setCreated({ url: h.url, secret: r.secret });
    });
  const remove = (h: Webhook) =>
    act(async () => {
      if (!window.confirm(`Webhook ${h.url} verwijderen? / Delete webhook ${h.url}?`)) return;
      await api('DELETE', `/api/v1/webhooks/${h.id}`);
      if (open === h.id) setOpen(null);
    });

  return (
    <section aria-labelledby="hooks-heading">
      <h2 id="hooks-heading">Webhooks</h2>
      <p>
        When a response to an identified survey comes in, Peil sends it to your URL (event{' '}
        <code>response.completed</code>, naming the contact), signed with a secret so your system can check it came from
        Peil. Confidential and anonymous surveys send no events: an answer sent the moment it arrives could be traced to
        the person who just answered; use their results instead. Failed deliveries are retried with growing pauses.
        Signed to the <a href="https://www.standardwebhooks.com">Standard Webhooks</a> specification (headers{' '}
        <code>webhook-id</code>, <code>webhook-timestamp</code>, <code>webhook-signature</code>).
      </p>
      <form onSubmit={create} className="card">
        <h3>New webhook</h3>
        <Field
          label="URL"
          type="url"
          hint="An https address on the internet."
          placeholder="https://…"
          value={url}
          required
          onChange={(e) => setUrl(e.currentTarget.value)}
          errors={fieldErrors(problem, '/body/url')}
        />
        <EventChoice value={events} onChange={setEvents} legend="Gebeurtenissen / Events" />
        <button type="submit" disabled={busy || !url.trim()}>
          Add webhook
        </button>
      </form>
      {created && (
        <div className="card" role="alert">
          <h3>Signing secret for {created.url}</h3>
          <p>
            Copy it now: it is shown <strong>only this once</strong>. Check the <code>webhook-signature</code> header of
            each request with it, e.g. with a Standard Webhooks library (see the README).
          </p>
          <CopyValue value={created.secret} label="The webhook's signing secret" />
          <button type="button" className="button-quiet" onClick={() => setCreated(null)}>
            I have copied it
          </button>
        </div>
      )}
      <ProblemAlert problem={problem} />
      {note && <p role="status">{note}</p>}
      {!hooks ? (
        <p>Loading…</p>
      ) : hooks.length === 0 ? (
        <p className="muted">No webhooks yet.</p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="hooks-heading">
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Delivered
                </th>
                <th scope="col" className="num">
                  Waiting
                </th>
                <th scope="col" className="num">
                  Failed
                </th>
                <th scope="col">Laatste poging / Last attempt</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {hooks.map((h) => (
                <tr key={h.id}>
                  <td className="mono">{h.url}</td>
                  <td>
                    <span className={`status status-${h.active ? 'active' : 'off'}`}>
                      {h.active ? 'active' : 'off'}
                    </span>
                  </td>
                  <td className="num">{h.deliveries.delivered}</td>
                  <td className="num">{h.deliveries.pending}</td>
                  <td className="num">{h.deliveries.failed}</td>
                  <td>
                    {h.lastAttempts[0]
                      ? `${h.lastAttempts[0].ok ? 'OK' : 'Mislukt / Failed'} (${h.lastAttempts[0].statusCode ?? '—'}), ${formatDateTime(h.lastAttempts[0].at)}`
                      : '—'}
                    {h.previousSecretUntil && (
                      <div className="muted">
                        Oud geheim geldig tot / Old secret valid until {formatDateTime(h.previousSecretUntil)}
                      </div>
                    )}
                    {editing === h.id && (
                      <EventChoice
                        value={h.events}
                        onChange={(list) => setHookEvents(h, list)}
                        legend={`Gebeurtenissen / Events: ${h.url}`}
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
                      Delivery log
                    </button>{' '}
                    <button type="button" className="button-quiet" onClick={() => void toggle(h)}>
                      {h.active ? 'Deactivate' : 'Activate'}
                    </button>{' '}
                    <button
                      type="button"
                      className="button-quiet"
                      onClick={() => setEditing(editing === h.id ? null : h.id)}
                      aria-expanded={editing === h.id}
                    >
                      Gebeurtenissen / Events
                    </button>{' '}
                    <button type="button" className="button-quiet" onClick={() => void ping(h)}>
                      Test sturen / Send test
                    </button>{' '}
                    <button type="button" className="button-quiet" onClick={() => void rotate(h)}>
                      Geheim vernieuwen / Rotate secret
                    </button>{' '}
                    <button type="button" className="button-quiet" onClick={() => void remove(h)}>
                      Verwijderen / Delete
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
  return (
    <fieldset>
      <legend>{legend}</legend>
      {Object.entries(EVENT_TEXT).map(([type, text]) => (
        <label key={type}>
          <input
            type="checkbox"
            checked={value.includes(type)}
            onChange={(e) => onChange(e.currentTarget.checked ? [...value, type] : value.filter((v) => v !== type))}
          />{' '}
          {text} <code>{type}</code>
        </label>
      ))}
    </fieldset>
  );
}

function DeliveryLog({ webhookId }: { webhookId: string }) {
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
      setStatus(
        r.status === 'delivered' ? 'Delivered again.' : 'Sent again; the receiver did not accept it (see the log).',
      );
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  return (
    <section aria-labelledby="log-heading" className="card">
      <h3 id="log-heading">Delivery log</h3>
      <p role="status" className="status-line">
        {status}
      </p>
      <ProblemAlert problem={problem} />
      {!deliveries ? (
        <p>Loading…</p>
      ) : deliveries.length === 0 ? (
        <p className="muted">No events yet.</p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="log-heading">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
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
                      {d.status}
                    </span>
                    {d.nextAttemptAt && <div className="small muted">next try {formatDateTime(d.nextAttemptAt)}</div>}
                  </td>
                  <td>
                    <ol className="small">
                      {d.log.map((a) => (
                        <li key={a.attempt}>
                          {formatLogTime(a.at)}: {a.statusCode ?? a.error} ({a.durationMs} ms)
                        </li>
                      ))}
                    </ol>
                  </td>
                  <td className="actions">
                    <button type="button" className="button-quiet" onClick={() => void redeliver(d)}>
                      Redeliver
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
