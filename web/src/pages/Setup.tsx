import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { post, toProblem } from '../api';
import { Field } from '../components/Field';
import { fieldErrors, ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import type { Problem } from '../types';

/** First run: the operator account and the first customer with its owner, in one form. */
export function SetupPage({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation('auth');
  const PASSWORD_HINT = t('setup.passwordHint');
  useTitle(t('setup.title'));
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
  // Issue 14: the alert names each field as the form does, not by its JSON path.
  const op = (label: string) => `${t('setup.operator')} › ${label}`;
  const own = (label: string) => `${t('setup.owner')} › ${label}`;
  const fields = {
    '/body/operator/email': op(t('setup.email')),
    '/body/operator/name': op(t('setup.name')),
    '/body/operator/password': op(t('setup.password')),
    '/body/tenant/name': t('setup.orgName'),
    '/body/tenant/slug': t('setup.slug'),
    '/body/tenant/owner/email': own(t('setup.email')),
    '/body/tenant/owner/name': own(t('setup.name')),
    '/body/tenant/owner/password': own(t('setup.password')),
  };
  return (
    <main id="main" className="narrow">
      <h1 tabIndex={-1}>{t('setup.title')}</h1>
      <p>{t('setup.intro')}</p>
      <ProblemAlert problem={problem} heading={t('setup.failed')} fields={fields} />
      <form onSubmit={submit}>
        <fieldset>
          <legend>{t('setup.operator')}</legend>
          <Field
            label={t('setup.email')}
            name="opEmail"
            type="email"
            autoComplete="email"
            required
            errors={err('/body/operator/email')}
          />
          <Field
            label={t('setup.name')}
            name="opName"
            autoComplete="name"
            required
            errors={err('/body/operator/name')}
          />
          <Field
            label={t('setup.password')}
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
          <legend>{t('setup.firstCustomer')}</legend>
          <Field
            label={t('setup.orgName')}
            name="tenantName"
            required
            errors={err('/body/tenant/name')}
            onChange={(e) => {
              if (!slugTouched) setSlug(toSlug(e.currentTarget.value));
            }}
          />
          <Field
            label={t('setup.slug')}
            name="tenantSlug"
            required
            pattern="[a-z0-9][a-z0-9\-]{1,62}"
            hint={t('setup.slugHint')}
            value={slug}
            onChange={(e) => {
              setSlugTouched(true);
              setSlug(e.currentTarget.value);
            }}
            errors={err('/body/tenant/slug')}
          />
        </fieldset>
        <fieldset>
          <legend>{t('setup.owner')}</legend>
          <Field
            label={t('setup.email')}
            name="ownerEmail"
            type="email"
            autoComplete="off"
            required
            errors={err('/body/tenant/owner/email')}
          />
          <Field
            label={t('setup.name')}
            name="ownerName"
            autoComplete="off"
            required
            errors={err('/body/tenant/owner/name')}
          />
          <Field
            label={t('setup.password')}
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
          {busy ? t('setup.busy') : t('setup.submit')}
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
