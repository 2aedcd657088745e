import { useState, type FormEvent } from 'react';
import { post, toProblem } from '../api';
import { Field } from '../components/Field';
import { ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import type { Problem } from '../types';

/** The token is in the URL fragment, so it never reaches a server log or a Referer header. */
function tokenFromHash(): string {
  return new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token') ?? '';
}

export function AcceptInvitePage({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  useTitle('Accept invitation');
  const [token] = useState(tokenFromHash);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const name = String(f.get('name') ?? '').trim();
    setBusy(true);
    setProblem(null);
    try {
      await post('/api/v1/auth/accept-invite', { token, password: String(f.get('password') ?? ''), ...(name ? { name } : {}) });
      // The token is used up; keep it out of the history.
      window.history.replaceState(null, '', window.location.pathname);
      await onSignedIn();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="narrow">
      <h1 tabIndex={-1}>Accept your invitation</h1>
      {!token ? (
        <p className="alert alert-error" role="alert">
          This link has no invitation code. Open the whole link from the invitation email.
        </p>
      ) : (
        <>
          <p>Choose a password to finish your account. You are signed in straight away.</p>
          <ProblemAlert problem={problem} heading="The invitation could not be accepted" />
          <form onSubmit={submit} className="card">
            <Field label="Your name (optional)" name="name" autoComplete="name" hint="Leave empty to keep the name your colleague entered." />
            <Field
              label="Password"
              name="password"
              type="password"
              autoComplete="new-password"
              required
              minLength={10}
              hint="At least 10 characters, and not the part of your email address before the @."
            />
            <button type="submit" disabled={busy}>
              {busy ? 'Saving…' : 'Accept invitation'}
            </button>
          </form>
        </>
      )}
    </main>
  );
}
