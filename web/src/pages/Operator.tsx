import { useEffect, useState, type FormEvent } from 'react';
import { get, post, toProblem } from '../api';
import { useLoad } from '../components/useLoad';
import { Field } from '../components/Field';
import { fieldErrors, ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { formatDateTime } from '../format';
import { useSession } from '../session';
import type { OperatorGrant, Problem, Tenant } from '../types';
import { toSlug } from './Setup';
import { OperatorLabellingSection } from './OperatorLabelling';
import { SuspensionControl } from './OperatorSuspension';

export function OperatorPage() {
  useTitle('Customers');
  const [tenants, setTenants] = useState<Tenant[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  const load = useLoad(async () => {
    setTenants((await get<{ tenants: Tenant[] }>('/api/v1/operator/tenants')).tenants);
  }, setProblem);

  return (
    <>
      <h1 tabIndex={-1}>Customers</h1>
      <p>
        As operator you manage customer environments; you do not see their contacts or answers. A customer’s owner can give support access (meekijken) for a
        limited time: you can then look at their environment, read-only, and every page you open is recorded for them.
      </p>
      <ProblemAlert problem={problem} />
      {tenants && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Customers</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Short name</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Support access</th>
              </tr>
            </thead>
            <tbody>
              {tenants.map((t) => (
                <tr key={t.id}>
                  <th scope="row">{t.name}</th>
                  <td className="mono">{t.slug}</td>
                  <td>
                    <span className={`status status-${t.status}`}>{t.status}</span> <SuspensionControl tenant={t} onChanged={load} />
                  </td>
                  <td>{formatDateTime(t.createdAt)}</td>
                  <td>
                    <TenantGrants tenant={t} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <CreateTenant onCreated={load} />
      <OperatorLabellingSection />
    </>
  );
}

const SCOPE_TEXT: Record<string, string> = { results: 'surveys and results', contacts: 'surveys, results and contact details' };

/** The customer's active support grants, each with a button to enter its environment read-only. */
function TenantGrants({ tenant }: { tenant: Tenant }) {
  const { refresh } = useSession();
  const [grants, setGrants] = useState<OperatorGrant[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const ac = new AbortController();
    get<{ grants: OperatorGrant[] }>(`/api/v1/operator/tenants/${encodeURIComponent(tenant.id)}/support-grants`, ac.signal)
      .then((r) => setGrants(r.grants))
      .catch((err: unknown) => {
        if ((err as Error).name !== 'AbortError') setProblem(toProblem(err));
      });
    return () => ac.abort();
  }, [tenant.id]);

  async function enter(g: OperatorGrant) {
    setBusy(true);
    setProblem(null);
    try {
      await post(`/api/v1/operator/tenants/${encodeURIComponent(tenant.id)}/support-session`, { grantId: g.id });
      // The browser's session is now a support session: reload who is signed in; the app moves to the customer's pages.
      await refresh();
    } catch (err) {
      setProblem(toProblem(err));
      setBusy(false);
    }
  }

  if (problem) return <ProblemAlert problem={problem} heading="Support access" />;
  if (!grants) return <span className="muted">Checking…</span>;
  if (grants.length === 0) return <span className="muted">None</span>;
  return (
    <ul className="grant-list">
      {grants.map((g) => (
        <li key={g.id}>
          <div>
            <span className="status status-active">{SCOPE_TEXT[g.scope] ?? g.scope}</span> until {formatDateTime(g.expiresAt)}
          </div>
          <div className="small pre">“{g.reason}”</div>
          <button
            type="button"
            className="button-secondary button-small"
            disabled={busy}
            onClick={() => void enter(g)}
            aria-label={`Enter (read-only): ${tenant.name}, ${SCOPE_TEXT[g.scope] ?? g.scope} until ${formatDateTime(g.expiresAt)}`}
          >
            Enter (read-only)
          </button>
        </li>
      ))}
    </ul>
  );
}

function CreateTenant({ onCreated }: { onCreated: () => Promise<void> }) {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [slug, setSlug] = useState('');
  const [slugTouched, setSlugTouched] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const s = (k: string) => String(f.get(k) ?? '').trim();
    setBusy(true);
    setProblem(null);
    setMessage('');
    try {
      await post('/api/v1/operator/tenants', {
        name: s('name'),
        slug: s('slug'),
        owner: { email: s('ownerEmail'), name: s('ownerName'), password: String(f.get('ownerPassword') ?? '') },
      });
      setMessage(`Customer ${s('name')} created. Its owner can sign in now.`);
      form.reset();
      setSlug('');
      setSlugTouched(false);
      await onCreated();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="new-tenant-heading" className="card">
      <h2 id="new-tenant-heading">New customer</h2>
      <ProblemAlert problem={problem} heading="The customer was not created" />
      <form onSubmit={submit}>
        <Field
          label="Organisation name"
          name="name"
          required
          errors={fieldErrors(problem, '/body/name')}
          onChange={(e) => {
            if (!slugTouched) setSlug(toSlug(e.currentTarget.value));
          }}
        />
        <Field
          label="Short name"
          name="slug"
          required
          pattern="[a-z0-9][a-z0-9\-]{1,62}"
          hint="Lower-case letters, digits and dashes."
          value={slug}
          onChange={(e) => {
            setSlugTouched(true);
            setSlug(e.currentTarget.value);
          }}
          errors={fieldErrors(problem, '/body/slug')}
        />
        <fieldset>
          <legend>Owner</legend>
          <Field label="Email" name="ownerEmail" type="email" required autoComplete="off" errors={fieldErrors(problem, '/body/owner/email')} />
          <Field label="Name" name="ownerName" required autoComplete="off" errors={fieldErrors(problem, '/body/owner/name')} />
          <Field
            label="Password"
            name="ownerPassword"
            type="password"
            required
            minLength={10}
            autoComplete="new-password"
            hint="At least 10 characters, and not the part of the email address before the @. Give it to the owner in a safe way."
            errors={fieldErrors(problem, '/body/owner/password')}
          />
        </fieldset>
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create customer'}
        </button>
      </form>
      <p role="status" className="status-line">
        {message}
      </p>
    </section>
  );
}
