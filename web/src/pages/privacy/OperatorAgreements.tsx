import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get, toProblem } from '../../api';
import { Field } from '../../components/Field';
import { fieldErrors, ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { formatDay } from '../../format';
import type { Problem } from '../../types';

type Terms = Record<string, number | string | boolean>;
interface Agreement {
  tenantId: string;
  parties: { controller: { name: string } };
  customer: { slug: string; status: string };
  version: string;
  preset: string | null;
  currentTermStart: string;
  currentTermEnd: string;
  noticeDeadline: string;
  notice: { late: boolean; endsOn: string } | null;
  endsOn: string | null;
  status: 'running' | 'ended';
  terms: Terms;
}

/** The numeric terms of AGR-2 with their bounds (the server checks them again: migrations/0013); names: privacy:opAgreements.terms.<term>. */
const NUMERIC = [
  ['breachNoticeHours', 1, 72],
  ['subprocessorObjectionDays', 1, 90],
  ['dpaChangeObjectionWorkingDays', 1, 30],
  ['auditsPerYear', 0, 12],
  ['auditNoticeDays', 0, 90],
  ['returnWindowDays', 0, 365],
  ['choiceDeadlineDays', 0, 365],
  ['logRetentionMonths', 2, 120],
] as const;
const PRESETS = ['focus-feedback', 'kmo-solutions', 'generic-eu', 'maat-it', 'lets-develop'];

/** OBLIGATIONS AGR-1, AGR-2, AGR-5 in the operator console: every customer's agreement, its deadlines, and its terms set within their bounds. */
export function OperatorAgreements() {
  const { t } = useTranslation('privacy');
  const [list, setList] = useState<Agreement[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const load = useLoad(
    async () => setList((await get<{ agreements: Agreement[] }>('/api/v1/operator/agreements')).agreements),
    setProblem,
  );

  return (
    <section className="card" aria-labelledby="op-agreements">
      <h2 id="op-agreements">{t('opAgreements.title')}</h2>
      <ProblemAlert problem={problem} />
      {list && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('opAgreements.col.customer')}</th>
                <th scope="col">{t('opAgreements.col.version')}</th>
                <th scope="col">{t('opAgreements.col.term')}</th>
                <th scope="col">{t('opAgreements.col.noticeDeadline')}</th>
                <th scope="col">{t('opAgreements.col.status')}</th>
                <th scope="col">{t('opAgreements.col.terms')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((a) => (
                <tr key={a.tenantId}>
                  <th scope="row">
                    {a.parties.controller.name} <span className="muted mono small">{a.customer.slug}</span>
                  </th>
                  <td>
                    {a.version}
                    {a.preset ? <span className="muted small"> ({a.preset})</span> : null}
                  </td>
                  <td>
                    {formatDay(a.currentTermStart)} – {formatDay(a.currentTermEnd)}
                  </td>
                  <td>{formatDay(a.noticeDeadline)}</td>
                  <td>
                    {a.status === 'ended'
                      ? t('opAgreements.ended')
                      : a.notice
                        ? t('opAgreements.noticeGiven', {
                            late: a.notice.late ? 'yes' : 'no',
                            date: formatDay(a.notice.endsOn),
                          })
                        : t('opAgreements.running')}
                  </td>
                  <td>
                    <span className="small">
                      {String(a.terms.breachNoticeHours)} h · {String(a.terms.processingLocation)}
                    </span>{' '}
                    <button
                      type="button"
                      className="button-secondary button-small"
                      aria-expanded={editing === a.tenantId}
                      aria-label={t('opAgreements.changeLabel', { name: a.parties.controller.name })}
                      onClick={() => setEditing(editing === a.tenantId ? null : a.tenantId)}
                    >
                      {t('opAgreements.change')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list
        ?.filter((a) => a.tenantId === editing)
        .map((a) => (
          <TermsForm
            key={a.tenantId}
            agreement={a}
            onSaved={async () => {
              setEditing(null);
              await load();
            }}
          />
        ))}
    </section>
  );
}

function TermsForm({ agreement, onSaved }: { agreement: Agreement; onSaved: () => Promise<void> }) {
  const { t } = useTranslation('privacy');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const body: Record<string, unknown> = {};
    const preset = String(f.get('preset') ?? '');
    if (preset) body.preset = preset;
    for (const [key] of NUMERIC) {
      const v = Number(f.get(key));
      if (!preset || v !== agreement.terms[key]) body[key] = v;
    }
    const location = String(f.get('processingLocation'));
    const special = f.get('specialCategoriesAllowed') === 'on';
    // With a preset, only what the operator changed here overrides it.
    if (!preset || location !== agreement.terms.processingLocation) body.processingLocation = location;
    if (!preset || special !== agreement.terms.specialCategoriesAllowed) body.specialCategoriesAllowed = special;
    setBusy(true);
    setProblem(null);
    try {
      await api('PUT', `/api/v1/operator/tenants/${encodeURIComponent(agreement.tenantId)}/agreement`, body);
      await onSaved();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      onSubmit={submit}
      aria-label={t('opAgreements.formLabel', { name: agreement.parties.controller.name })}
      className="card"
    >
      <h3>{t('opAgreements.formTitle', { name: agreement.parties.controller.name })}</h3>
      <ProblemAlert problem={problem} heading={t('opAgreements.notSaved')} />
      <label className="field">
        {t('opAgreements.preset')}
        <select name="preset" defaultValue="">
          <option value="">{t('opAgreements.none')}</option>
          {PRESETS.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      {NUMERIC.map(([key, min, max]) => (
        <Field
          key={key}
          label={t(`opAgreements.terms.${key}`)}
          name={key}
          type="number"
          min={min}
          max={max}
          step={1}
          required
          defaultValue={Number(agreement.terms[key])}
          errors={fieldErrors(problem, `/body/${key}`)}
        />
      ))}
      <label className="field">
        {t('opAgreements.location')}
        <select name="processingLocation" defaultValue={String(agreement.terms.processingLocation)}>
          <option value="EU">EU</option>
          <option value="NL">NL</option>
        </select>
      </label>
      <label className="field">
        <input
          type="checkbox"
          name="specialCategoriesAllowed"
          defaultChecked={agreement.terms.specialCategoriesAllowed === true}
        />{' '}
        {t('opAgreements.special')}
      </label>
      <button type="submit" disabled={busy}>
        {busy ? t('opAgreements.saving') : t('opAgreements.save')}
      </button>
    </form>
  );
}
