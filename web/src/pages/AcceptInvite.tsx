import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { post, toProblem } from '../api';
import { Field } from '../components/Field';
import { fieldErrors, ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import type { Problem } from '../types';

/** The token is in the URL fragment, so it never reaches a server log or a Referer header. */
function tokenFromHash(): string {
  return new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token') ?? '';
}

export function AcceptInvitePage({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const { t } = useTranslation(['auth', 'common']);
  useTitle(t('invite.title'));
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
      await post('/api/v1/auth/accept-invite', {
        token,
        password: String(f.get('password') ?? ''),
        ...(name ? { name } : {}),
      });
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
      <h1 tabIndex={-1}>{t('invite.heading')}</h1>
      {!token ? (
        <p className="alert alert-error" role="alert">
          {t('invite.noToken')}
        </p>
      ) : (
        <>
          <p>{t('invite.intro')}</p>
          <ProblemAlert
            problem={problem}
            heading={t('invite.failed')}
            fields={{ '/body/name': t('invite.name'), '/body/password': t('invite.password') }}
          />
          <form onSubmit={submit} className="card">
            <Field label={t('invite.name')} name="name" autoComplete="name" hint={t('invite.nameHint')} />
            <Field
              label={t('invite.password')}
              name="password"
              type="password"
              autoComplete="new-password"
              required
              minLength={10}
              hint={t('invite.passwordHint')}
              errors={fieldErrors(problem, '/body/password')}
            />
            <button type="submit" disabled={busy}>
              {busy ? t('common:actions.saving') : t('invite.submit')}
            </button>
          </form>
        </>
      )}
    </main>
  );
}
