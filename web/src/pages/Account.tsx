import { useState, type FormEvent } from 'react';
import { post, toProblem } from '../api';
import { Field } from '../components/Field';
import { fieldErrors, ProblemAlert } from '../components/ProblemAlert';
import { SecondFactorSetup } from '../components/SecondFactorSetup';
import { useTitle } from '../components/useTitle';
import { useSession } from '../session';
import type { Problem } from '../types';

/** The signed-in user's own account: password and two-step sign-in. */
export function AccountPage() {
  useTitle('Your account');
  const { me } = useSession();
  return (
    <>
      <h1 tabIndex={-1}>Your account</h1>
      <dl className="facts">
        <div>
          <dt>Name</dt>
          <dd>{me.name}</dd>
        </div>
        <div>
          <dt>Email</dt>
          <dd>{me.email}</dd>
        </div>
        <div>
          <dt>Organisation</dt>
          <dd>{me.tenant?.name}</dd>
        </div>
        <div>
          <dt>Role</dt>
          <dd>{me.role}</dd>
        </div>
      </dl>
      <TwoStep />
      <ChangePassword />
    </>
  );
}

function TwoStep() {
  const { me, refresh } = useSession();
  // On as soon as the app is confirmed, while the recovery codes are still on screen.
  const [justEnabled, setJustEnabled] = useState(false);
  const enabled = (me.secondFactor?.enabled ?? false) || justEnabled;
  const required = me.tenant?.requireSecondFactor ?? false;
  return (
    <section aria-labelledby="two-step-heading" className="card">
      <h2 id="two-step-heading">Two-step sign-in</h2>
      <p>
        Status:{' '}
        <span className={`status ${enabled ? 'status-active' : 'status-off'}`} data-testid="two-step-status">
          {enabled ? 'on' : 'off'}
        </span>
        {required && <span className="muted"> · required by {me.tenant?.name}</span>}
      </p>
      {me.secondFactor?.enabled ? (
        <>
          <p>You sign in with your password and a 6-digit code from the authenticator app on your phone. If you lose the phone, use one of your recovery codes.</p>
          {required ? (
            <p className="muted">Your organisation requires two-step sign-in, so the app cannot be removed here.</p>
          ) : (
            <RemoveSecondFactor onRemoved={refresh} />
          )}
        </>
      ) : (
        <>
          {!justEnabled && (
            <p>
              With two-step sign-in, a stolen or guessed password is not enough to get in: you also enter a code from an app on your phone. Setting it up takes about
              two minutes.
            </p>
          )}
          <SecondFactorSetup account={me.email} onEnabled={() => setJustEnabled(true)} onDone={refresh} />
        </>
      )}
    </section>
  );
}

function RemoveSecondFactor({ onRemoved }: { onRemoved: () => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const password = String(new FormData(e.currentTarget).get('password') ?? '');
    setBusy(true);
    setProblem(null);
    try {
      await post('/api/v1/auth/second-factor/disable', { password });
      await onRemoved();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <button type="button" className="button-quiet" onClick={() => setOpen(true)}>
        Remove the authenticator app…
      </button>
    );
  }
  return (
    <form onSubmit={submit} className="subform">
      <h3>Remove the authenticator app</h3>
      <p>After this you sign in with your password only, and your recovery codes stop working. Confirm with your password.</p>
      <ProblemAlert problem={problem} heading="The app was not removed" listItems={false} />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required autoFocus errors={fieldErrors(problem, '/body/password')} />
      <div className="actions-row">
        <button type="submit" className="button-danger" disabled={busy}>
          {busy ? 'Removing…' : 'Remove the app'}
        </button>
        <button type="button" className="button-quiet" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ChangePassword() {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const current = String(f.get('current') ?? '');
    const password = String(f.get('password') ?? '');
    const repeat = String(f.get('repeat') ?? '');
    setMessage('');
    if (password !== repeat) {
      setProblem({
        type: 'about:blank',
        title: 'The passwords differ',
        status: 0,
        code: 'client_error',
        detail: 'The new password and its repetition are not the same.',
        errors: [{ pointer: '/body/repeat', reason: 'not the same as the new password' }],
      });
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await post('/api/v1/auth/password', { current, password });
      form.reset();
      setMessage('Your password is changed. Your other sessions (other browsers or devices) are signed out.');
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="password-heading" className="card">
      <h2 id="password-heading">Change your password</h2>
      <ProblemAlert problem={problem} heading="The password was not changed" listItems={false} />
      <form onSubmit={submit}>
        <Field label="Current password" name="current" type="password" autoComplete="current-password" required errors={fieldErrors(problem, '/body/current')} />
        <Field
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          hint="At least 10 characters and not easy to guess. A few unrelated words make a strong password that is easy to remember."
          errors={fieldErrors(problem, '/body/password')}
        />
        <Field label="New password again" name="repeat" type="password" autoComplete="new-password" required errors={fieldErrors(problem, '/body/repeat')} />
        <button type="submit" disabled={busy}>
          {busy ? 'Changing…' : 'Change password'}
        </button>
      </form>
      <p role="status" className="status-line">
        {message}
      </p>
    </section>
  );
}
