import { useState, type FormEvent } from 'react';
import { post, toProblem } from '../api';
import { Field } from '../components/Field';
import { fieldErrors, ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import type { Problem } from '../types';

const PASSWORD_HINT = 'At least 10 characters, and not the part of the email address before the @.';

/** First run: the operator account and the first customer with its owner, in one form. */
export function SetupPage({ onDone }: { onDone: () => void }) {
  useTitle('Set up Peil');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [slug, setSlug] = useState('');
  const [slugTouched, setSlugTouched] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const s = (k: string) => String(f.get(k) ?? '').trim();
    setBusy(true);
    setProblem(null);
    try {
      await post('/api/v1/setup', {
        operator: { email: s('opEmail'), name: s('opName'), password: String(f.get('opPassword') ?? '') },
        tenant: {
          name: s('tenantName'),
          slug: s('tenantSlug'),
          owner: { email: s('ownerEmail'), name: s('ownerName'), password: String(f.get('ownerPassword') ?? '') },
        },
      });
      onDone();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  const err = (pointer: string) => fieldErrors(problem, pointer);
  return (
    <main id="main" className="narrow">
      <h1 tabIndex={-1}>Set up Peil</h1>
      <p>
        Peil has no accounts yet. Create the operator account (the person who runs Peil for its customers) and the first customer with
        its owner.
      </p>
      <ProblemAlert problem={problem} heading="Set-up did not work" />
      <form onSubmit={submit}>
        <fieldset>
          <legend>Operator account</legend>
          <Field label="Email" name="opEmail" type="email" autoComplete="email" required errors={err('/body/operator/email')} />
          <Field label="Name" name="opName" autoComplete="name" required errors={err('/body/operator/name')} />
          <Field
            label="Password"
            name="opPassword"
            type="password"
            autoComplete="new-password"
            minLength={10}
            required
            hint={PASSWORD_HINT}
            errors={err('/body/operator/password')}
          />
        </fieldset>
        <fieldset>
          <legend>First customer</legend>
          <Field
            label="Organisation name"
            name="tenantName"
            required
            errors={err('/body/tenant/name')}
            onChange={(e) => {
              if (!slugTouched) setSlug(toSlug(e.currentTarget.value));
            }}
          />
          <Field
            label="Short name"
            name="tenantSlug"
            required
            pattern="[a-z0-9][a-z0-9\-]{1,62}"
            hint="Lower-case letters, digits and dashes; used when one email address belongs to several customers."
            value={slug}
            onChange={(e) => {
              setSlugTouched(true);
              setSlug(e.currentTarget.value);
            }}
            errors={err('/body/tenant/slug')}
          />
        </fieldset>
        <fieldset>
          <legend>Owner of the customer</legend>
          <Field label="Email" name="ownerEmail" type="email" autoComplete="off" required errors={err('/body/tenant/owner/email')} />
          <Field label="Name" name="ownerName" autoComplete="off" required errors={err('/body/tenant/owner/name')} />
          <Field
            label="Password"
            name="ownerPassword"
            type="password"
            autoComplete="new-password"
            minLength={10}
            required
            hint={PASSWORD_HINT}
            errors={err('/body/tenant/owner/password')}
          />
        </fieldset>
        <button type="submit" disabled={busy}>
          {busy ? 'Setting up…' : 'Set up Peil'}
        </button>
      </form>
    </main>
  );
}

/** A suggestion for the short name: "Zorggroep Oost-Brabant" → "zorggroep-oost-brabant". */
export function toSlug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}
