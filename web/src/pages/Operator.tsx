import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post, toProblem } from '../api';
import { useLoad } from '../components/useLoad';
import { Field } from '../components/Field';
import { fieldErrors, ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { formatDateTime } from '../format';
import { useSession } from '../session';
import type { OperatorGrant, Problem, Tenant } from '../types';
import { toSlug } from './Setup';
import { OperatorLabellingSection } from './OperatorLabelling';
import { SuspensionControl } from './OperatorSuspension';

const STATUSES = ['active', 'suspended', 'ended'] as const;

export function OperatorPage() {
  const { t } = useTranslation('operator');
  useTitle(t('customers.title'));
  const statusName = (s: string) =>
    (STATUSES as readonly string[]).includes(s) ? t(`customers.status.${s as (typeof STATUSES)[number]}`) : s;
  const [tenants, setTenants] = useState<Tenant[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  const load = useLoad(async () => {
    setTenants((await get<{ tenants: Tenant[] }>('/api/v1/operator/tenants')).tenants);
  }, setProblem);

  return (
    <>
      <h1 tabIndex={-1}>{t('customers.title')}</h1>
      <p>{t('customers.intro')}</p>
      <ProblemAlert problem={problem} />
      {tenants && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t('customers.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('customers.col.name')}</th>
                <th scope="col">{t('customers.col.slug')}</th>
                <th scope="col">{t('customers.col.status')}</th>
                <th scope="col">{t('customers.col.created')}</th>
                <th scope="col">{t('customers.col.support')}</th>
              </tr>
            </thead>
            <tbody>
              {tenants.map((tn) => (
                <tr key={tn.id}>
                  <th scope="row">{tn.name}</th>
                  <td className="mono">{tn.slug}</td>
                  <td>
                    <span className={`status status-${tn.status}`}>{statusName(tn.status)}</span>{' '}
                    <SuspensionControl tenant={tn} onChanged={load} />
                  </td>
                  <td>{formatDateTime(tn.createdAt)}</td>
                  <td>
                    <TenantGrants tenant={tn} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <CreateTenant onCreated={load} />
      <OperatorLabellingSection />
    </>
  );
}

const SCOPES = ['results', 'contacts'] as const;

/** The customer's active support grants, each with a button to enter its environment read-only. */
function TenantGrants({ tenant }: { tenant: Tenant }) {
  const { t } = useTranslation('operator');
  const scopeText = (s: string) =>
    (SCOPES as readonly string[]).includes(s) ? t(`grants.scope.${s as (typeof SCOPES)[number]}`) : s;
  const { refresh } = useSession();
  const [grants, setGrants] = useState<OperatorGrant[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const ac = new AbortController();
    get<{ grants: OperatorGrant[] }>(
      `/api/v1/operator/tenants/${encodeURIComponent(tenant.id)}/support-grants`,
      ac.signal,
    )
      .then((r) => setGrants(r.grants))
      .catch((err: unknown) => {
        if ((err as Error).name !== 'AbortError') setProblem(toProblem(err));
      });
    return () => ac.abort();
  }, [tenant.id]);

  async function enter(g: OperatorGrant) {
    setBusy(true);
    setProblem(null);
    try {
      await post(`/api/v1/operator/tenants/${encodeURIComponent(tenant.id)}/support-session`, { grantId: g.id });
      // The browser's session is now a support session: reload who is signed in; the app moves to the customer's pages.
      await refresh();
    } catch (err) {
      setProblem(toProblem(err));
      setBusy(false);
    }
  }

  if (problem) return <ProblemAlert problem={problem} heading={t('grants.heading')} />;
  if (!grants) return <span className="muted">{t('grants.checking')}</span>;
  if (grants.length === 0) return <span className="muted">{t('grants.none')}</span>;
  return (
    <ul className="grant-list">
      {grants.map((g) => (
        <li key={g.id}>
          <div>
            <span className="status status-active">{scopeText(g.scope)}</span>{' '}
            {t('grants.until', { at: formatDateTime(g.expiresAt) })}
          </div>
          <div className="small pre">“{g.reason}”</div>
          <button
            type="button"
            className="button-secondary button-small"
            disabled={busy}
            onClick={() => void enter(g)}
            aria-label={t('grants.enterLabel', {
              name: tenant.name,
              scope: scopeText(g.scope),
              at: formatDateTime(g.expiresAt),
            })}
          >
            {t('grants.enter')}
          </button>
        </li>
      ))}
    </ul>
  );
}

function CreateTenant({ onCreated }: { onCreated: () => Promise<void> }) {
  const { t } = useTranslation('operator');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [slug, setSlug] = useState('');
  const [slugTouched, setSlugTouched] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const s = (k: string) => String(f.get(k) ?? '').trim();
    setBusy(true);
    setProblem(null);
    setMessage('');
    try {
      await post('/api/v1/operator/tenants', {
        name: s('name'),
        slug: s('slug'),
        owner: { email: s('ownerEmail'), name: s('ownerName'), password: String(f.get('ownerPassword') ?? '') },
      });
      setMessage(t('create.created', { name: s('name') }));
      form.reset();
      setSlug('');
      setSlugTouched(false);
      await onCreated();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="new-tenant-heading" className="card">
      <h2 id="new-tenant-heading">{t('create.title')}</h2>
      <ProblemAlert problem={problem} heading={t('create.notCreated')} />
      <form onSubmit={submit}>
        <Field
          label={t('create.name')}
          name="name"
          required
          errors={fieldErrors(problem, '/body/name')}
          onChange={(e) => {
            if (!slugTouched) setSlug(toSlug(e.currentTarget.value));
          }}
        />
        <Field
          label={t('create.slug')}
          name="slug"
          required
          pattern="[a-z0-9][a-z0-9\-]{1,62}"
          hint={t('create.slugHint')}
          value={slug}
          onChange={(e) => {
            setSlugTouched(true);
            setSlug(e.currentTarget.value);
          }}
          errors={fieldErrors(problem, '/body/slug')}
        />
        <fieldset>
          <legend>{t('create.owner')}</legend>
          <Field
            label={t('create.email')}
            name="ownerEmail"
            type="email"
            required
            autoComplete="off"
            errors={fieldErrors(problem, '/body/owner/email')}
          />
          <Field
            label={t('create.ownerName')}
            name="ownerName"
            required
            autoComplete="off"
            errors={fieldErrors(problem, '/body/owner/name')}
          />
          <Field
            label={t('create.password')}
            name="ownerPassword"
            type="password"
            required
            minLength={10}
            autoComplete="new-password"
            hint={t('create.passwordHint')}
            errors={fieldErrors(problem, '/body/owner/password')}
          />
        </fieldset>
        <button type="submit" disabled={busy}>
          {busy ? t('create.creating') : t('create.submit')}
        </button>
      </form>
      <p role="status" className="status-line">
        {message}
      </p>
    </section>
  );
}
