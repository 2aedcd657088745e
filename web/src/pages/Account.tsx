import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { patch, post, toProblem } from '../api';
import { currentLanguage, setLanguage } from '../i18n';
import { LANGUAGES, type Language } from '../locales';
import { Field } from '../components/Field';
import { fieldErrors, ProblemAlert } from '../components/ProblemAlert';
import { SecondFactorSetup } from '../components/SecondFactorSetup';
import { useTitle } from '../components/useTitle';
import { useSession } from '../session';
import type { Problem } from '../types';

/** The signed-in user's own account: password and two-step sign-in. */
export function AccountPage() {
  const { t } = useTranslation(['auth', 'common']);
  useTitle(t('account.title'));
  const { me } = useSession();
  return (
    <>
      <h1 tabIndex={-1}>{t('account.title')}</h1>
      <dl className="facts">
        <div>
          <dt>{t('account.name')}</dt>
          <dd>{me.name}</dd>
        </div>
        <div>
          <dt>{t('account.email')}</dt>
          <dd>{me.email}</dd>
        </div>
        <div>
          <dt>{t('account.organisation')}</dt>
          <dd>{me.tenant?.name}</dd>
        </div>
        <div>
          <dt>{t('account.role')}</dt>
          <dd>{me.role ? t(`common:roles.${me.role}`) : ''}</dd>
        </div>
      </dl>
      <LanguageChoice />
      <TwoStep />
      <ChangePassword />
    </>
  );
}

/** Issue 14: the user's language, kept on the server (PATCH /auth/me) and applied at once. */
function LanguageChoice() {
  const { t } = useTranslation(['auth', 'common']);
  const [problem, setProblem] = useState<Problem | null>(null);
  // A flag, not the text: the message is rendered in the language just chosen.
  const [saved, setSaved] = useState(false);
  // The choice shows at once (a controlled radio that waits for the server looks unclicked);
  // it goes back if the server refuses it.
  const [current, setCurrent] = useState<Language>(currentLanguage());
  async function choose(lng: Language) {
    const before = current;
    setCurrent(lng);
    setProblem(null);
    setSaved(false);
    try {
      await patch('/api/v1/auth/me', { locale: lng });
      await setLanguage(lng);
      setSaved(true);
    } catch (err) {
      setCurrent(before);
      setProblem(toProblem(err));
    }
  }
  return (
    <section aria-labelledby="language-heading" className="card">
      <h2 id="language-heading">{t('account.language.heading')}</h2>
      <ProblemAlert problem={problem} />
      <fieldset>
        <legend className="visually-hidden">{t('account.language.heading')}</legend>
        <p className="hint">{t('account.language.hint')}</p>
        {LANGUAGES.map((l) => (
          <label key={l} className="choice" lang={l}>
            <input type="radio" name="locale" value={l} checked={current === l} onChange={() => void choose(l)} />{' '}
            {t(`common:language.${l}`)}
          </label>
        ))}
      </fieldset>
      <p role="status" className="status-line">
        {saved ? t('account.language.saved') : ''}
      </p>
    </section>
  );
}

function TwoStep() {
  const { t } = useTranslation(['auth', 'common']);
  const { me, refresh } = useSession();
  // On as soon as the app is confirmed, while the recovery codes are still on screen.
  const [justEnabled, setJustEnabled] = useState(false);
  const enabled = (me.secondFactor?.enabled ?? false) || justEnabled;
  const required = me.tenant?.requireSecondFactor ?? false;
  return (
    <section aria-labelledby="two-step-heading" className="card">
      <h2 id="two-step-heading">{t('account.twoStep.heading')}</h2>
      <p>
        {t('account.twoStep.status')}{' '}
        <span className={`status ${enabled ? 'status-active' : 'status-off'}`} data-testid="two-step-status">
          {enabled ? t('account.twoStep.on') : t('account.twoStep.off')}
        </span>
        {required && (
          <span className="muted">{t('account.twoStep.requiredBy', { tenant: me.tenant?.name ?? '' })}</span>
        )}
      </p>
      {me.secondFactor?.enabled ? (
        <>
          <p>{t('account.twoStep.enabledText')}</p>
          {required ? (
            <p className="muted">{t('account.twoStep.requiredNoRemove')}</p>
          ) : (
            <RemoveSecondFactor onRemoved={refresh} />
          )}
        </>
      ) : (
        <>
          {!justEnabled && <p>{t('account.twoStep.why')}</p>}
          <SecondFactorSetup account={me.email} onEnabled={() => setJustEnabled(true)} onDone={refresh} />
        </>
      )}
    </section>
  );
}

function RemoveSecondFactor({ onRemoved }: { onRemoved: () => Promise<void> }) {
  const { t } = useTranslation(['auth', 'common']);
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
        {t('account.remove.open')}
      </button>
    );
  }
  return (
    <form onSubmit={submit} className="subform">
      <h3>{t('account.remove.heading')}</h3>
      <p>{t('account.remove.text')}</p>
      <ProblemAlert problem={problem} heading={t('account.remove.failed')} listItems={false} />
      <Field
        label={t('account.remove.password')}
        name="password"
        type="password"
        autoComplete="current-password"
        required
        autoFocus
        errors={fieldErrors(problem, '/body/password')}
      />
      <div className="actions-row">
        <button type="submit" className="button-danger" disabled={busy}>
          {busy ? t('account.remove.busy') : t('account.remove.submit')}
        </button>
        <button type="button" className="button-quiet" onClick={() => setOpen(false)}>
          {t('common:actions.cancel')}
        </button>
      </div>
    </form>
  );
}

function ChangePassword() {
  const { t } = useTranslation(['auth', 'common']);
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
        title: t('account.password.differTitle'),
        status: 0,
        code: 'client_error',
        detail: t('account.password.differDetail'),
        errors: [{ pointer: '/body/repeat', reason: t('account.password.differReason') }],
      });
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await post('/api/v1/auth/password', { current, password });
      form.reset();
      setMessage(t('account.password.changed'));
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="password-heading" className="card">
      <h2 id="password-heading">{t('account.password.heading')}</h2>
      <ProblemAlert problem={problem} heading={t('account.password.failed')} listItems={false} />
      <form onSubmit={submit}>
        <Field
          label={t('account.password.current')}
          name="current"
          type="password"
          autoComplete="current-password"
          required
          errors={fieldErrors(problem, '/body/current')}
        />
        <Field
          label={t('account.password.new')}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          hint={t('account.password.newHint')}
          errors={fieldErrors(problem, '/body/password')}
        />
        <Field
          label={t('account.password.repeat')}
          name="repeat"
          type="password"
          autoComplete="new-password"
          required
          errors={fieldErrors(problem, '/body/repeat')}
        />
        <button type="submit" disabled={busy}>
          {busy ? t('account.password.busy') : t('account.password.submit')}
        </button>
      </form>
      <p role="status" className="status-line">
        {message}
      </p>
    </section>
  );
}
