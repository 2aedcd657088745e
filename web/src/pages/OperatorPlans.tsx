import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get, post, put, toProblem } from '../api';
import { fieldErrors, ProblemAlert } from '../components/ProblemAlert';
import { useLoad } from '../components/useLoad';
import { useTitle } from '../components/useTitle';
import { currentLanguage } from '../i18n';
import type { Plan, Problem, Tenant, Usage, UsageMetric } from '../types';
import { METRIC_NAMES, UsageBar } from './Usage';

const METRICS: UsageMetric[] = ['contacts', 'responses', 'surveys', 'users', 'labelled'];
const metricName = (m: UsageMetric) => METRIC_NAMES[m][currentLanguage()];

function limitsOf(form: FormData): Record<UsageMetric, number | null> {
  const out = {} as Record<UsageMetric, number | null>;
  for (const m of METRICS) {
    const v = String(form.get(m) ?? '').trim();
    out[m] = v === '' ? null : Number(v);
  }
  return out;
}

/** One plan's form: new (plan undefined) or an edit. Empty limit: unlimited. */
function PlanForm({ plan, onDone }: { plan?: Plan; onDone: () => Promise<void> }) {
  const { t } = useTranslation('operator');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const id = plan?.id ?? 'new';
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const body = {
      name: String(form.get('name') ?? '').trim(),
      limits: limitsOf(form),
      features: { ai: form.get('ai') === 'on', api: form.get('api') === 'on' },
    };
    setBusy(true);
    setProblem(null);
    try {
      if (plan) await put(`/api/v1/operator/plans/${encodeURIComponent(plan.id)}`, body);
      else await post('/api/v1/operator/plans', body);
      if (!plan) (e.target as HTMLFormElement).reset();
      await onDone();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form
      onSubmit={(e) => void submit(e)}
      className="card"
      aria-label={plan ? t('plans.planLabel', { name: plan.name }) : t('plans.newPlan')}
    >
      <ProblemAlert problem={problem} />
      <label htmlFor={`name-${id}`}>{t('plans.name')}</label>
      <input id={`name-${id}`} name="name" required maxLength={200} defaultValue={plan?.name ?? ''} />
      {fieldErrors(problem, '/body/name').map((m) => (
        <p key={m} className="field-error">
          {m}
        </p>
      ))}
      {METRICS.map((m) => (
        <div key={m}>
          <label htmlFor={`${m}-${id}`}>{t('plans.limit', { metric: metricName(m) })}</label>
          <input
            id={`${m}-${id}`}
            name={m}
            type="number"
            min={m === 'users' ? 1 : 0}
            defaultValue={plan?.limits[m] ?? ''}
          />
        </div>
      ))}
      <label>
        <input type="checkbox" name="ai" defaultChecked={plan?.features.ai ?? true} /> {t('plans.ai')}
      </label>
      <label>
        <input type="checkbox" name="api" defaultChecked={plan?.features.api ?? true} /> {t('plans.api')}
      </label>
      <button type="submit" disabled={busy}>
        {plan ? t('plans.save') : t('plans.add')}
      </button>
    </form>
  );
}

/** A customer's plan, usage and extensions, for the operator. */
function CustomerPlan({ tenant, plans, onChanged }: { tenant: Tenant; plans: Plan[]; onChanged: () => Promise<void> }) {
  const { t } = useTranslation('operator');
  const [usage, setUsage] = useState<Usage | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [open, setOpen] = useState(false);
  const load = useLoad(
    async () => {
      if (open) setUsage(await get<Usage>(`/api/v1/operator/tenants/${encodeURIComponent(tenant.id)}/usage`));
    },
    setProblem,
    [open],
  );
  async function assign(planId: string) {
    setProblem(null);
    try {
      setUsage(
        await put<Usage>(`/api/v1/operator/tenants/${encodeURIComponent(tenant.id)}/plan`, { planId: planId || null }),
      );
      await onChanged();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }
  async function extend(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setProblem(null);
    try {
      setUsage(
        await post<Usage>(`/api/v1/operator/tenants/${encodeURIComponent(tenant.id)}/plan/extensions`, {
          metric: f.get('metric'),
          extra: Number(f.get('extra')),
          validFrom: f.get('validFrom'),
          validUntil: f.get('validUntil'),
          reason: String(f.get('reason') ?? '').trim(),
        }),
      );
      (e.target as HTMLFormElement).reset();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }
  return (
    <section aria-label={`${tenant.name}`} className="card">
      <h3>{tenant.name}</h3>
      {!open ? (
        <button type="button" className="button-secondary button-small" onClick={() => setOpen(true)}>
          {t('plans.planAndUsage')}
        </button>
      ) : (
        <>
          <ProblemAlert problem={problem} />
          {usage && (
            <>
              <label htmlFor={`plan-${tenant.id}`}>{t('plans.plan')}</label>
              <select
                id={`plan-${tenant.id}`}
                value={usage.plan?.id ?? ''}
                onChange={(e) => void assign(e.target.value)}
              >
                <option value="">{t('plans.none')}</option>
                {plans.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
              {usage.lines.map((l) => (
                <UsageBar key={l.metric} line={l} />
              ))}
              {usage.plan && (
                <form
                  onSubmit={(e) => void extend(e)}
                  className="subform"
                  aria-label={t('plans.extensionOf', { name: tenant.name })}
                >
                  <h4>{t('plans.extension')}</h4>
                  <label htmlFor={`metric-${tenant.id}`}>{t('plans.limitLabel')}</label>
                  <select id={`metric-${tenant.id}`} name="metric">
                    {METRICS.map((m) => (
                      <option key={m} value={m}>
                        {metricName(m)}
                      </option>
                    ))}
                  </select>
                  <label htmlFor={`extra-${tenant.id}`}>{t('plans.extra')}</label>
                  <input id={`extra-${tenant.id}`} name="extra" type="number" min={1} required />
                  <label htmlFor={`from-${tenant.id}`}>{t('plans.from')}</label>
                  <input id={`from-${tenant.id}`} name="validFrom" type="date" required />
                  <label htmlFor={`until-${tenant.id}`}>{t('plans.until')}</label>
                  <input id={`until-${tenant.id}`} name="validUntil" type="date" required />
                  <label htmlFor={`reason-${tenant.id}`}>{t('plans.reason')}</label>
                  <input id={`reason-${tenant.id}`} name="reason" required maxLength={1000} />
                  <button type="submit">{t('plans.extend')}</button>
                </form>
              )}
              <button type="button" className="button-quiet" onClick={() => void load()}>
                {t('plans.refresh')}
              </button>
            </>
          )}
        </>
      )}
    </section>
  );
}

/** OBLIGATIONS SVC-6: the operator's plans, and per customer its plan, usage and extensions. */
export function OperatorPlansPage() {
  const { t } = useTranslation('operator');
  useTitle(t('plans.title'));
  const [plans, setPlans] = useState<Plan[] | null>(null);
  const [tenants, setTenants] = useState<Tenant[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const load = useLoad(async () => {
    setPlans((await get<{ plans: Plan[] }>('/api/v1/operator/plans')).plans);
    setTenants((await get<{ tenants: Tenant[] }>('/api/v1/operator/tenants')).tenants);
  }, setProblem);
  async function remove(p: Plan) {
    setProblem(null);
    try {
      await api('DELETE', `/api/v1/operator/plans/${encodeURIComponent(p.id)}`);
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }
  return (
    <>
      <h1 tabIndex={-1}>{t('plans.title')}</h1>
      <p>{t('plans.intro')}</p>
      <ProblemAlert problem={problem} />
      {plans && (
        <>
          <h2>{t('plans.title')}</h2>
          {plans.map((p) => (
            <details key={p.id}>
              <summary>{t('plans.customersCount', { name: p.name, count: p.customers })}</summary>
              <PlanForm plan={p} onDone={load} />
              {p.customers === 0 && (
                <button type="button" className="button-secondary button-small" onClick={() => void remove(p)}>
                  {t('plans.remove')}
                </button>
              )}
            </details>
          ))}
          <h2>{t('plans.newPlan')}</h2>
          <PlanForm onDone={load} />
          <h2>{t('plans.customers')}</h2>
          {tenants.map((tn) => (
            <CustomerPlan key={tn.id} tenant={tn} plans={plans} onChanged={load} />
          ))}
        </>
      )}
    </>
  );
}
