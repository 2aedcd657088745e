import { useEffect, useRef, useState, type FormEvent } from 'react';
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
  startLabel = 'Set up an authenticator app',
}: {
  account: string;
  /** Called as soon as the app is on (the recovery codes are then on screen). */
  onEnabled?: () => void;
  /** Called when the user has saved the recovery codes. */
  onDone: () => void | Promise<void>;
  startLabel?: string;
}) {
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
      const r = await post<{ recoveryCodes: string[] }>('/api/v1/auth/second-factor/enable', { code: code.replace(/\s+/g, '') });
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
        <ProblemAlert problem={problem} heading="The set-up could not start" />
        <button type="button" onClick={() => void start()} disabled={busy}>
          {busy ? 'Starting…' : startLabel}
        </button>
      </>
    );
  }

  const qrSrc = `data:image/svg+xml;utf8,${encodeURIComponent(enrolment.qrSvg)}`;
  return (
    <div className="enrol">
      <ol className="steps">
        <li>
          <h3>Install an authenticator app</h3>
          <p>
            Any app for one-time codes (TOTP) works, for example Microsoft Authenticator, Google Authenticator, or the password manager you already use.
          </p>
        </li>
        <li>
          <h3 tabIndex={-1} ref={scanHeading}>
            Scan this QR code with the app
          </h3>
          <div className="qr-row">
            <img className="qr" src={qrSrc} width={200} height={200} alt={`QR code to add Peil (${account}) to an authenticator app. The key below contains the same.`} />
            <div>
              <p className="hint" id="secret-hint">
                Cannot scan? Choose “enter a key” in the app and type this key (spaces do not matter). The type is “time-based”.
              </p>
              <p>
                <code className="secret" data-testid="totp-secret" aria-describedby="secret-hint">
                  {groupSecret(enrolment.secret)}
                </code>
              </p>
              <p className="small">
                <a href={enrolment.uri}>Open in an authenticator app on this device</a>
              </p>
            </div>
          </div>
        </li>
        <li>
          <h3>Enter the code the app shows</h3>
          <ProblemAlert problem={problem} heading="The app is not set up yet" listItems={false} />
          <form onSubmit={confirm}>
            <Field
              label="6-digit code"
              name="code"
              required
              autoComplete="one-time-code"
              inputMode="numeric"
              pattern="\s*[0-9]{3}\s?[0-9]{3}\s*"
              title="Six digits"
              maxLength={9}
              className="code-input"
              hint="The code changes every 30 seconds; any current code works."
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              errors={fieldErrors(problem, '/body/code')}
            />
            <div className="actions-row">
              <button type="submit" disabled={busy}>
                {busy ? 'Checking…' : 'Turn on two-step sign-in'}
              </button>
              <button type="button" className="button-quiet" onClick={() => void start()} disabled={busy}>
                Show a new QR code
              </button>
            </div>
          </form>
        </li>
      </ol>
    </div>
  );
}

/** The recovery codes, shown once: copy, download, and a confirmation before leaving. */
function RecoveryCodes({ codes, account, onDone }: { codes: string[]; account: string; onDone: () => void | Promise<void> }) {
  const [saved, setSaved] = useState(false);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const text = `Peil recovery codes for ${account}\nEach code can be used once, instead of the code from the authenticator app.\n\n${codes.join('\n')}\n`;

  useEffect(() => {
    heading.current?.focus();
  }, []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setStatus('The codes are copied. Paste them into your password manager or another safe place.');
    } catch {
      // No clipboard access (an older browser, or a page served over plain HTTP): select the codes instead.
      const range = document.createRange();
      if (listRef.current) {
        range.selectNodeContents(listRef.current);
        const sel = window.getSelection();
        sel?.removeAllRanges();
        sel?.addRange(range);
      }
      setStatus('Copying is not allowed here. The codes are selected: press Ctrl+C (or ⌘C) to copy them.');
    }
  }

  function download() {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'peil-recovery-codes.txt';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    setStatus('The file peil-recovery-codes.txt is downloaded. Keep it somewhere safe, away from your phone.');
  }

  return (
    <section aria-labelledby="recovery-heading" className="recovery">
      <p className="alert alert-success" role="status">
        Two-step sign-in is on. From now on you sign in with your password and a code from the app.
      </p>
      <h3 id="recovery-heading" tabIndex={-1} ref={heading}>
        Save your recovery codes
      </h3>
      <div className="alert alert-warning">
        <p className="alert-title">These codes are shown only this once.</p>
        <p>
          If you lose your phone, each code lets you sign in once instead of the code from the app. Keep them somewhere safe, for example in a password manager, and not on
          the same phone. Without the app and without these codes you cannot sign in.
        </p>
      </div>
      <ol className="recovery-codes" ref={listRef} aria-label="Recovery codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <div className="actions-row">
        <button type="button" className="button-secondary" onClick={() => void copy()}>
          Copy codes
        </button>
        <button type="button" className="button-secondary" onClick={download}>
          Download as a text file
        </button>
      </div>
      <p role="status" className="status-line">
        {status}
      </p>
      <label className="choice">
        <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.currentTarget.checked)} /> I have saved my recovery codes
      </label>
      <button
        type="button"
        disabled={!saved || busy}
        onClick={() => {
          setBusy(true);
          void Promise.resolve(onDone()).finally(() => setBusy(false));
        }}
      >
        Done
      </button>
    </section>
  );
}
