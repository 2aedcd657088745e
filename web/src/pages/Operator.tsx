import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { get, post, toProblem } from '../api';
import { Field } from '../components/Field';
import { fieldErrors, ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { formatDateTime } from '../format';
import type { Problem, Tenant } from '../types';
import { toSlug } from './Setup';
import { OperatorLabellingSection } from './OperatorLabelling';

export function OperatorPage() {
  useTitle('Customers');
  const [tenants, setTenants] = useState<Tenant[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  const load = useCallback(async () => {
    try {
      setTenants((await get<{ tenants: Tenant[] }>('/api/v1/operator/tenants')).tenants);
    } catch (err) {
      setProblem(toProblem(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <>
      <h1 tabIndex={-1}>Customers</h1>
      <p>As operator you manage customer environments; you do not see their contacts or answers.</p>
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
              </tr>
            </thead>
            <tbody>
              {tenants.map((t) => (
                <tr key={t.id}>
                  <th scope="row">{t.name}</th>
                  <td className="mono">{t.slug}</td>
                  <td>
                    <span className={`status status-${t.status}`}>{t.status}</span>
                  </td>
                  <td>{formatDateTime(t.createdAt)}</td>
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
