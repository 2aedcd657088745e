import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
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

/** The second step, for accounts with an authenticator app: a 6-digit code, or a recovery code. */
type Step = 'password' | 'code';

/** "123 456" → "123456"; "abcd efgh" → "ABCD-EFGH" (the server accepts either form of a recovery code). */
function normaliseCode(raw: string, recovery: boolean): string {
  if (!recovery) return raw.replace(/\s+/g, '');
  const plain = raw.replace(/[\s-]+/g, '').toUpperCase();
  return plain.length === 8 ? `${plain.slice(0, 4)}-${plain.slice(4)}` : plain;
}

export function SignInPage({ operator, onSignedIn }: { operator: boolean; onSignedIn: () => Promise<void> }) {
  const { t } = useTranslation('auth');
  useTitle(operator ? t('signIn.operatorTitle') : t('signIn.title'));
  const [flash] = useState(takeFlash);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  // When one email belongs to several customers, the server answers 409 with the list to choose from.
  const [tenants, setTenants] = useState<TenantChoice[] | null>(null);
  const [tenant, setTenant] = useState('');
  const [step, setStep] = useState<Step>('password');
  const [recovery, setRecovery] = useState(false);
  const [code, setCode] = useState('');
  const codeRef = useRef<HTMLInputElement>(null);

  // Keyboard and screen-reader users land in the code field when the second step appears or changes.
  useEffect(() => {
    if (step === 'code') codeRef.current?.focus();
  }, [step, recovery]);

  function startAgain() {
    setStep('password');
    setRecovery(false);
    setCode('');
    setPassword('');
    setProblem(null);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    const sentCode = step === 'code' ? normaliseCode(code, recovery) : undefined;
    try {
      if (operator) await post('/api/v1/operator/sign-in', { email, password });
      else
        await post('/api/v1/auth/sign-in', {
          email,
          password,
          ...(tenants && tenant ? { tenant } : {}),
          ...(sentCode ? { code: sentCode } : {}),
        });
      await onSignedIn();
    } catch (err) {
      if (!operator && err instanceof ApiError && err.status === 409 && Array.isArray(err.problem.tenants)) {
        const list = err.problem.tenants as TenantChoice[];
        setTenants(list);
        setTenant(list[0]?.slug ?? '');
      } else if (
        !operator &&
        err instanceof ApiError &&
        err.status === 401 &&
        err.problem.secondFactorRequired === true
      ) {
        // The password was right; the account has an authenticator app. Without a code this is the
        // normal second step, not an error; with a code, the code was wrong.
        if (sentCode) {
          setProblem(err.problem);
          setCode('');
        }
        setStep('code');
      } else {
        if (err instanceof ApiError && err.status === 401 && step === 'code') {
          // Not a code problem (the account may be locked now): start from the password again.
          setStep('password');
          setRecovery(false);
          setCode('');
          setPassword('');
        }
        setProblem(toProblem(err));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="narrow">
      <h1 tabIndex={-1}>{operator ? t('signIn.operatorTitle') : t('signIn.heading')}</h1>
      {flash && step === 'password' && (
        <p className="alert alert-info" role="status">
          {flash}
        </p>
      )}
      <ProblemAlert
        problem={problem}
        heading={
          problem?.status === 429 ? t('signIn.tooMany') : step === 'code' ? t('signIn.codeFailed') : t('signIn.failed')
        }
      />
      <form onSubmit={submit} className="card">
        {step === 'password' ? (
          <>
            <Field
              label={t('signIn.email')}
              type="email"
              name="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
            />
            <Field
              label={t('signIn.password')}
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            {tenants && (
              <fieldset>
                <legend>{t('signIn.customer')}</legend>
                <p className="hint">{t('signIn.customerHint')}</p>
                {tenants.map((c) => (
                  <label key={c.slug} className="choice">
                    <input
                      type="radio"
                      name="tenant"
                      value={c.slug}
                      checked={tenant === c.slug}
                      onChange={() => setTenant(c.slug)}
                    />
                    {c.name} <span className="muted">({c.slug})</span>
                  </label>
                ))}
              </fieldset>
            )}
          </>
        ) : (
          <fieldset className="second-step">
            <legend>{t('signIn.twoStep')}</legend>
            <p className="hint" role="status">
              {recovery ? t('signIn.recoveryHint') : t('signIn.codeHint', { email })}
            </p>
            {recovery ? (
              <Field
                key="recovery"
                ref={codeRef}
                label={t('signIn.recoveryCode')}
                name="recovery-code"
                required
                autoComplete="off"
                autoCapitalize="characters"
                spellCheck={false}
                pattern="\s*[A-Za-z0-9]{4}[\s\-]?[A-Za-z0-9]{4}\s*"
                title={t('signIn.recoveryFormat')}
                hint={t('signIn.recoveryFormatHint')}
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
              />
            ) : (
              <Field
                key="totp"
                ref={codeRef}
                label={t('signIn.appCode')}
                name="code"
                required
                autoComplete="one-time-code"
                inputMode="numeric"
                pattern="\s*[0-9]{3}\s?[0-9]{3}\s*"
                title={t('signIn.sixDigits')}
                maxLength={9}
                className="code-input"
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
              />
            )}
            <p className="second-step-links">
              <button
                type="button"
                className="linklike"
                onClick={() => {
                  setRecovery((r) => !r);
                  setCode('');
                  setProblem(null);
                }}
              >
                {recovery ? t('signIn.useApp') : t('signIn.useRecovery')}
              </button>
              <button type="button" className="linklike" onClick={startAgain}>
                {t('signIn.startAgain')}
              </button>
            </p>
          </fieldset>
        )}
        <button type="submit" disabled={busy}>
          {busy ? t('signIn.busy') : step === 'code' ? t('signIn.verify') : t('signIn.submit')}
        </button>
      </form>
      <p className="below-card">
        {operator ? (
          <Link to="/app/sign-in">{t('signIn.asUser')}</Link>
        ) : (
          <Link to="/app/operator/sign-in">{t('signIn.asOperator')}</Link>
        )}
      </p>
    </main>
  );
}
