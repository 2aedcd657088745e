import { useState, type FormEvent } from 'react';
import { ApiError, post, toProblem } from '../api';
import { Field } from '../components/Field';
import { ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { Link } from '../router';
import { takeFlash } from '../session';
import type { Problem } from '../types';

interface TenantChoice {
  slug: string;
  name: string;
}

export function SignInPage({ operator, onSignedIn }: { operator: boolean; onSignedIn: () => Promise<void> }) {
  useTitle(operator ? 'Operator sign-in' : 'Sign in');
  const [flash] = useState(takeFlash);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  // When one email belongs to several customers, the server answers 409 with the list to choose from.
  const [tenants, setTenants] = useState<TenantChoice[] | null>(null);
  const [tenant, setTenant] = useState('');

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      if (operator) await post('/api/v1/operator/sign-in', { email, password });
      else await post('/api/v1/auth/sign-in', { email, password, ...(tenants && tenant ? { tenant } : {}) });
      await onSignedIn();
    } catch (err) {
      if (!operator && err instanceof ApiError && err.status === 409 && Array.isArray(err.problem.tenants)) {
        const list = err.problem.tenants as TenantChoice[];
        setTenants(list);
        setTenant(list[0]?.slug ?? '');
      } else {
        setProblem(toProblem(err));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="narrow">
      <h1 tabIndex={-1}>{operator ? 'Operator sign-in' : 'Sign in to Peil'}</h1>
      {flash && (
        <p className="alert alert-info" role="status">
          {flash}
        </p>
      )}
      <ProblemAlert problem={problem} heading="Sign-in did not work" />
      <form onSubmit={submit} className="card">
        <Field label="Email" type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
        <Field
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
        />
        {tenants && (
          <fieldset>
            <legend>Customer</legend>
            <p className="hint">This email address belongs to more than one customer. Choose where to sign in.</p>
            {tenants.map((t) => (
              <label key={t.slug} className="choice">
                <input type="radio" name="tenant" value={t.slug} checked={tenant === t.slug} onChange={() => setTenant(t.slug)} />
                {t.name} <span className="muted">({t.slug})</span>
              </label>
            ))}
          </fieldset>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="below-card">
        {operator ? <Link to="/app/sign-in">Sign in as a customer user</Link> : <Link to="/app/operator/sign-in">Operator sign-in</Link>}
      </p>
    </main>
  );
}
