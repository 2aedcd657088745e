import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { post, toProblem } from '../api';
import type { Problem, SecondFactorSetup as Enrolment } from '../types';
import { Field } from './Field';
import { fieldErrors, ProblemAlert } from './ProblemAlert';

/** "JBSWY3DPEHPK3PXP…" in groups of four, easier to type over from the screen. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * Setting up an authenticator app (ACC-4), in three steps: start (the server makes a secret), scan
 * the QR code or type the key, confirm with a code from the app. The ten recovery codes come back
 * once and are shown until the user says they have saved them; only then is `onDone` called.
 */
export function SecondFactorSetup({
  account,
  onEnabled,
  onDone,
  startLabel,
}: {
  account: string;
  /** Called as soon as the app is on (the recovery codes are then on screen). */
  onEnabled?: () => void;
  /** Called when the user has saved the recovery codes. */
  onDone: () => void | Promise<void>;
  startLabel?: string;
}) {
  const { t } = useTranslation('security');
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [code, setCode] = useState('');
  const scanHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (enrolment) scanHeading.current?.focus();
  }, [enrolment]);

  async function start() {
    setBusy(true);
    setProblem(null);
    try {
      setEnrolment(await post<Enrolment>('/api/v1/auth/second-factor/setup'));
      setCode('');
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  async function confirm(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const r = await post<{ recoveryCodes: string[] }>('/api/v1/auth/second-factor/enable', {
        code: code.replace(/\s+/g, ''),
      });
      setCodes(r.recoveryCodes);
      onEnabled?.();
    } catch (err) {
      setProblem(toProblem(err));
      setCode('');
    } finally {
      setBusy(false);
    }
  }

  if (codes) return <RecoveryCodes codes={codes} account={account} onDone={onDone} />;

  if (!enrolment) {
    return (
      <>
        <ProblemAlert problem={problem} heading={t('setup.couldNotStart')} />
        <button type="button" onClick={() => void start()} disabled={busy}>
          {busy ? t('setup.starting') : (startLabel ?? t('setup.start'))}
        </button>
      </>
    );
  }

  const qrSrc = `data:image/svg+xml;utf8,${encodeURIComponent(enrolment.qrSvg)}`;
  return (
    <div className="enrol">
      <ol className="steps">
        <li>
          <h3>{t('setup.install')}</h3>
          <p>{t('setup.installText')}</p>
        </li>
        <li>
          <h3 tabIndex={-1} ref={scanHeading}>
            {t('setup.scan')}
          </h3>
          <div className="qr-row">
            <img className="qr" src={qrSrc} width={200} height={200} alt={t('setup.qrAlt', { account })} />
            <div>
              <p className="hint" id="secret-hint">
                {t('setup.cannotScan')}
              </p>
              <p>
                <code className="secret" data-testid="totp-secret" aria-describedby="secret-hint">
                  {groupSecret(enrolment.secret)}
                </code>
              </p>
              <p className="small">
                <a href={enrolment.uri}>{t('setup.openApp')}</a>
              </p>
            </div>
          </div>
        </li>
        <li>
          <h3>{t('setup.enter')}</h3>
          <ProblemAlert problem={problem} heading={t('setup.notYet')} listItems={false} />
          <form onSubmit={confirm}>
            <Field
              label={t('setup.code')}
              name="code"
              required
              autoComplete="one-time-code"
              inputMode="numeric"
              pattern="\s*[0-9]{3}\s?[0-9]{3}\s*"
              title={t('setup.sixDigits')}
              maxLength={9}
              className="code-input"
              hint={t('setup.codeHint')}
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              errors={fieldErrors(problem, '/body/code')}
            />
            <div className="actions-row">
              <button type="submit" disabled={busy}>
                {busy ? t('setup.checking') : t('setup.turnOn')}
              </button>
              <button type="button" className="button-quiet" onClick={() => void start()} disabled={busy}>
                {t('setup.newQr')}
              </button>
            </div>
          </form>
        </li>
      </ol>
    </div>
  );
}

/** The recovery codes, shown once: copy, download, and a confirmation before leaving. */
function RecoveryCodes({
  codes,
  account,
  onDone,
}: {
  codes: string[];
  account: string;
  onDone: () => void | Promise<void>;
}) {
  const { t } = useTranslation('security');
  const [saved, setSaved] = useState(false);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const text = `${t('recovery.file', { account })}\n\n${codes.join('\n')}\n`;
  const fileName = t('recovery.fileName');

  useEffect(() => {
    heading.current?.focus();
  }, []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setStatus(t('recovery.copied'));
    } catch {
      // No clipboard access (an older browser, or a page served over plain HTTP): select the codes instead.
      const range = document.createRange();
      if (listRef.current) {
        range.selectNodeContents(listRef.current);
        const sel = window.getSelection();
        sel?.removeAllRanges();
        sel?.addRange(range);
      }
      setStatus(t('recovery.copyBlocked'));
    }
  }

  function download() {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    setStatus(t('recovery.downloaded', { file: fileName }));
  }

  return (
    <section aria-labelledby="recovery-heading" className="recovery">
      <p className="alert alert-success" role="status">
        {t('recovery.on')}
      </p>
      <h3 id="recovery-heading" tabIndex={-1} ref={heading}>
        {t('recovery.title')}
      </h3>
      <div className="alert alert-warning">
        <p className="alert-title">{t('recovery.once')}</p>
        <p>{t('recovery.explain')}</p>
      </div>
      <ol className="recovery-codes" ref={listRef} aria-label={t('recovery.list')}>
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <div className="actions-row">
        <button type="button" className="button-secondary" onClick={() => void copy()}>
          {t('recovery.copy')}
        </button>
        <button type="button" className="button-secondary" onClick={download}>
          {t('recovery.download')}
        </button>
      </div>
      <p role="status" className="status-line">
        {status}
      </p>
      <label className="choice">
        <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.currentTarget.checked)} />{' '}
        {t('recovery.saved')}
      </label>
      <button
        type="button"
        disabled={!saved || busy}
        onClick={() => {
          setBusy(true);
          void Promise.resolve(onDone()).finally(() => setBusy(false));
        }}
      >
        {t('recovery.done')}
      </button>
    </section>
  );
}
