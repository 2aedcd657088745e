import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { post, toProblem } from '../api';
import { ProblemAlert } from '../components/ProblemAlert';
import type { Problem, Tenant } from '../types';

/**
 * OBLIGATIONS AGR-6: suspend or resume a customer, with a reason (kept in the system log and in the
 * customer's own log). While suspended nobody of the customer signs in, API keys are refused, sends and
 * webhooks wait and respondent links show "temporarily unavailable"; nothing is deleted.
 */
export function SuspensionControl({ tenant, onChanged }: { tenant: Tenant; onChanged: () => Promise<void> }) {
  const { t } = useTranslation('operator');
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  if (tenant.status !== 'active' && tenant.status !== 'suspended') return null;
  const suspend = tenant.status === 'active';
  const label = suspend ? t('suspension.suspend') : t('suspension.resume');

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const reason = String(new FormData(e.currentTarget).get('reason') ?? '').trim();
    setBusy(true);
    setProblem(null);
    try {
      await post(`/api/v1/operator/tenants/${encodeURIComponent(tenant.id)}/${suspend ? 'suspend' : 'resume'}`, {
        reason,
      });
      setOpen(false);
      await onChanged();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <button
        type="button"
        className="button-secondary button-small"
        onClick={() => setOpen(true)}
        aria-label={t('suspension.buttonLabel', { action: label, name: tenant.name })}
      >
        {label}
      </button>
    );
  }
  const id = `reason-${tenant.id}`;
  return (
    <form onSubmit={(e) => void submit(e)} className="confirm">
      <ProblemAlert problem={problem} />
      <label htmlFor={id} className="visually-hidden">
        {t('suspension.reasonLabel', { what: suspend ? 'suspend' : 'resume', name: tenant.name })}
      </label>
      <input id={id} name="reason" required maxLength={1000} placeholder={t('suspension.reason')} />
      <button type="submit" className="button-small" disabled={busy}>
        {label}
      </button>
      <button type="button" className="button-secondary button-small" onClick={() => setOpen(false)}>
        {t('suspension.cancel')}
      </button>
    </form>
  );
}
