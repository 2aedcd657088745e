import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get, post, toProblem } from '../../api';
import { Field } from '../../components/Field';
import { fieldErrors, ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import type { Problem, Tenant } from '../../types';

interface Entry {
  id: string;
  name: string;
  service: string;
  location: string;
  country: string;
  insideEea: boolean;
  safeguards: string[];
  kind: string;
  appliesTo: 'all' | string[];
  consents: Array<{ tenantId: string }>;
}
interface Register {
  subprocessors: Entry[];
  implied: Array<{ kind: string; name: string; source: string; registered: boolean }>;
}

const SAFEGUARDS = ['dpa', 'scc', 'bcr', 'adequacy', 'dpf', 'iso27001', 'iso27701', 'soc2', 'nen7510'];
const KINDS = ['hosting', 'smtp', 'ai', 'other'] as const;

/**
 * OBLIGATIONS SUB-1, SUB-3 in the operator console: the register of sub-processors, which customers
 * each applies to, consents outside the EEA, and configured services the register lacks.
 */
export function OperatorSubprocessorRegister() {
  const { t } = useTranslation('privacy');
  const [register, setRegister] = useState<Register | null>(null);
  const [tenants, setTenants] = useState<Tenant[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const load = useLoad(async () => {
    setRegister(await get<Register>('/api/v1/operator/subprocessors'));
    setTenants((await get<{ tenants: Tenant[] }>('/api/v1/operator/tenants')).tenants);
  }, setProblem);
  const nameOf = (id: string) => tenants.find((tn) => tn.id === id)?.name ?? id;

  async function remove(e: Entry) {
    if (!window.confirm(t('opSubprocessors.confirmRemove', { name: e.name }))) return;
    setProblem(null);
    try {
      await api('DELETE', `/api/v1/operator/subprocessors/${encodeURIComponent(e.id)}`);
      setStatus(t('opSubprocessors.removed', { name: e.name }));
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  return (
    <section className="card" aria-labelledby="op-subs">
      <h2 id="op-subs">{t('opSubprocessors.title')}</h2>
      <ProblemAlert problem={problem} />
      <p role="status" className="status-line">
        {status}
      </p>
      {register && register.implied.some((i) => !i.registered) && (
        <div className="alert" role="alert">
          <p>
            <strong>{t('opSubprocessors.missing')}</strong>{' '}
            {register.implied
              .filter((i) => !i.registered)
              .map((i) => `${i.name} (${i.kind}, ${i.source})`)
              .join(', ')}
          </p>
        </div>
      )}
      {register && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('opSubprocessors.col.name')}</th>
                <th scope="col">{t('opSubprocessors.col.service')}</th>
                <th scope="col">{t('opSubprocessors.col.location')}</th>
                <th scope="col">{t('opSubprocessors.col.safeguards')}</th>
                <th scope="col">{t('opSubprocessors.col.appliesTo')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('opSubprocessors.col.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {register.subprocessors.length === 0 && (
                <tr>
                  <td colSpan={6} className="muted">
                    {t('opSubprocessors.empty')}
                  </td>
                </tr>
              )}
              {register.subprocessors.map((e) => (
                <tr key={e.id}>
                  <th scope="row">
                    {e.name} <span className="muted small">({e.kind})</span>
                  </th>
                  <td>{e.service}</td>
                  <td>
                    {e.location} ({e.country}) ·{' '}
                    {e.insideEea ? t('opSubprocessors.insideEea') : t('opSubprocessors.outsideEea')}
                  </td>
                  <td className="small">{e.safeguards.join(', ') || '—'}</td>
                  <td className="small">
                    {e.appliesTo === 'all'
                      ? t('opSubprocessors.allCustomers')
                      : e.appliesTo.map(nameOf).join(', ') || '—'}
                    {!e.insideEea && (
                      <div className="muted">
                        {t('opSubprocessors.consent', {
                          list: e.consents.map((c) => nameOf(c.tenantId)).join(', ') || '—',
                        })}
                      </div>
                    )}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button-secondary button-small"
                      onClick={() => void remove(e)}
                      aria-label={t('opSubprocessors.removeLabel', { name: e.name })}
                    >
                      {t('opSubprocessors.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <AddEntry
        tenants={tenants}
        onAdded={async (name) => {
          setStatus(t('opSubprocessors.added', { name }));
          await load();
        }}
      />
    </section>
  );
}

function AddEntry({ tenants, onAdded }: { tenants: Tenant[]; onAdded: (name: string) => Promise<void> }) {
  const { t } = useTranslation('privacy');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [scope, setScope] = useState<'all' | 'some'>('all');

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const s = (k: string) => String(f.get(k) ?? '').trim();
    setBusy(true);
    setProblem(null);
    try {
      await post('/api/v1/operator/subprocessors', {
        name: s('name'),
        service: s('service'),
        location: s('location'),
        country: s('country'),
        kind: s('kind'),
        safeguards: f.getAll('safeguards').map(String),
        appliesTo: scope === 'all' ? 'all' : f.getAll('tenants').map(String),
      });
      await onAdded(s('name'));
      form.reset();
      setScope('all');
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-labelledby="op-subs-add">
      <h3 id="op-subs-add">{t('opSubprocessors.addTitle')}</h3>
      <ProblemAlert problem={problem} heading={t('opSubprocessors.notAdded')} />
      <Field label={t('opSubprocessors.name')} name="name" required errors={fieldErrors(problem, '/body/name')} />
      <Field
        label={t('opSubprocessors.service')}
        name="service"
        required
        errors={fieldErrors(problem, '/body/service')}
      />
      <Field
        label={t('opSubprocessors.location')}
        name="location"
        required
        errors={fieldErrors(problem, '/body/location')}
      />
      <Field
        label={t('opSubprocessors.country')}
        name="country"
        required
        maxLength={2}
        errors={fieldErrors(problem, '/body/country')}
      />
      <label className="field">
        {t('opSubprocessors.kindLabel')}
        <select name="kind" defaultValue="other">
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`opSubprocessors.kind.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>{t('opSubprocessors.safeguards')}</legend>
        {SAFEGUARDS.map((g) => (
          <label key={g} className="inline-check">
            <input type="checkbox" name="safeguards" value={g} /> {g}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('opSubprocessors.appliesTo')}</legend>
        <label className="inline-check">
          <input type="radio" name="scope" checked={scope === 'all'} onChange={() => setScope('all')} />{' '}
          {t('opSubprocessors.all')}
        </label>
        <label className="inline-check">
          <input type="radio" name="scope" checked={scope === 'some'} onChange={() => setScope('some')} />{' '}
          {t('opSubprocessors.chosen')}
        </label>
        {scope === 'some' &&
          tenants.map((tn) => (
            <label key={tn.id} className="inline-check">
              <input type="checkbox" name="tenants" value={tn.id} /> {tn.name}
            </label>
          ))}
      </fieldset>
      <button type="submit" disabled={busy}>
        {busy ? t('opSubprocessors.adding') : t('opSubprocessors.add')}
      </button>
    </form>
  );
}
