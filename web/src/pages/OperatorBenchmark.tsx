import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { get, patch, post, put, toProblem } from '../api';
import { ProblemAlert } from '../components/ProblemAlert';
import { useLoad } from '../components/useLoad';
import { useTitle } from '../components/useTitle';
import { formatNumber } from '../format';
import { currentLanguage } from '../i18n';
import type { BenchmarkRules, OperatorBenchmark, Problem } from '../types';

/**
 * Issue 13 (OBLIGATIONS BEN-1): the operator's benchmark: sectors, the disclosure rules, each customer's
 * sector, and the computed cells with why a cell is suppressed. A cell never names a customer.
 */
export function OperatorBenchmarkPage() {
  const { t } = useTranslation('operator');
  useTitle(t('benchmark.title'));
  const [data, setData] = useState<OperatorBenchmark | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [message, setMessage] = useState('');
  const load = useLoad(async () => {
    setData(await get<OperatorBenchmark>('/api/v1/operator/benchmark'));
  }, setProblem);

  async function call(fn: () => Promise<unknown>, done: (r: unknown) => string) {
    setProblem(null);
    setMessage('');
    try {
      const r = await fn();
      setMessage(done(r));
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  function addSector(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const form = e.currentTarget;
    const code = String(f.get('code') ?? '').trim();
    void call(
      () =>
        post('/api/v1/operator/benchmark/sectors', {
          code,
          name: { nl: String(f.get('nl') ?? '').trim(), en: String(f.get('en') ?? '').trim() },
        }),
      () => {
        form.reset();
        return t('benchmark.sectorAdded', { code });
      },
    );
  }

  function rename(e: FormEvent<HTMLFormElement>, code: string) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    void call(
      () =>
        patch(`/api/v1/operator/benchmark/sectors/${encodeURIComponent(code)}`, {
          name: { nl: String(f.get('nl') ?? '').trim(), en: String(f.get('en') ?? '').trim() },
        }),
      () => t('benchmark.sectorSaved', { code }),
    );
  }

  function saveRules(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const n = (k: keyof BenchmarkRules) => Number(f.get(k));
    const rules: BenchmarkRules = {
      minCustomers: n('minCustomers'),
      minRespondents: n('minRespondents'),
      dominanceOnePercent: n('dominanceOnePercent'),
      dominanceTwoPercent: n('dominanceTwoPercent'),
      quartileMinCustomers: n('quartileMinCustomers'),
    };
    void call(
      () => put('/api/v1/operator/benchmark/settings', rules),
      (r) => {
        const x = r as { published: number; suppressed: number };
        return t('benchmark.rulesSaved', { published: x.published, suppressed: x.suppressed });
      },
    );
  }

  function assign(tenantId: string, name: string, sector: string) {
    void call(
      () => put(`/api/v1/operator/tenants/${tenantId}/sector`, { sector: sector === '' ? null : sector }),
      () => t('benchmark.assigned', { name, sector: sector || '—' }),
    );
  }

  function recompute() {
    void call(
      () => post('/api/v1/operator/benchmark/recompute'),
      (r) => {
        const x = r as { customers: number; answers: number; cellsComputed: number; failed: number };
        return t('benchmark.recomputed', {
          customers: x.customers,
          answers: x.answers,
          cells: x.cellsComputed,
          failed: x.failed,
        });
      },
    );
  }

  return (
    <>
      <h1>{t('benchmark.title')}</h1>
      <ProblemAlert problem={problem} />
      <p role="status" className="status-line">
        {message}
      </p>
      {data && (
        <>
          <section aria-labelledby="bm-rules" className="card">
            <h2 id="bm-rules">{t('benchmark.rules')}</h2>
            <form onSubmit={saveRules} className="form-grid">
              <label>
                {t('benchmark.minCustomers')}
                <input
                  name="minCustomers"
                  type="number"
                  min={3}
                  max={1000}
                  defaultValue={data.rules.minCustomers}
                  required
                />
              </label>
              <label>
                {t('benchmark.minRespondents')}
                <input name="minRespondents" type="number" min={10} defaultValue={data.rules.minRespondents} required />
              </label>
              <label>
                {t('benchmark.dominanceOne')}
                <input
                  name="dominanceOnePercent"
                  type="number"
                  min={10}
                  max={100}
                  defaultValue={data.rules.dominanceOnePercent}
                  required
                />
              </label>
              <label>
                {t('benchmark.dominanceTwo')}
                <input
                  name="dominanceTwoPercent"
                  type="number"
                  min={20}
                  max={100}
                  defaultValue={data.rules.dominanceTwoPercent}
                  required
                />
              </label>
              <label>
                {t('benchmark.quartiles')}
                <input
                  name="quartileMinCustomers"
                  type="number"
                  min={5}
                  max={1000}
                  defaultValue={data.rules.quartileMinCustomers}
                  required
                />
              </label>
              <button type="submit">{t('benchmark.save')}</button>
            </form>
            <button type="button" className="button-secondary" onClick={recompute}>
              {t('benchmark.recompute')}
            </button>
          </section>

          <section aria-labelledby="bm-sectors" className="card">
            <h2 id="bm-sectors">{t('benchmark.sectors')}</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('benchmark.col.code')}</th>
                  <th scope="col">{t('benchmark.col.name')}</th>
                  <th scope="col">{t('benchmark.col.customers')}</th>
                </tr>
              </thead>
              <tbody>
                {data.sectors.map((s) => (
                  <tr key={s.code}>
                    <th scope="row">{s.code}</th>
                    <td>
                      <form onSubmit={(e) => rename(e, s.code)} className="inline-form">
                        <input
                          name="nl"
                          aria-label={t('benchmark.nameNl', { code: s.code })}
                          defaultValue={s.name.nl}
                          required
                          maxLength={200}
                        />
                        <input
                          name="en"
                          aria-label={t('benchmark.nameEn', { code: s.code })}
                          defaultValue={s.name.en}
                          required
                          maxLength={200}
                        />
                        <button type="submit" className="button-small">
                          {t('benchmark.save')}
                        </button>
                      </form>
                    </td>
                    <td>{s.customers}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <form onSubmit={addSector} className="inline-form">
              <input
                name="code"
                aria-label={t('benchmark.code')}
                placeholder={t('benchmark.codePlaceholder')}
                required
                pattern="[a-z0-9][a-z0-9\-]{0,39}"
              />
              <input
                name="nl"
                aria-label={t('benchmark.newNameNl')}
                placeholder={t('benchmark.newNameNlPlaceholder')}
                required
                maxLength={200}
              />
              <input
                name="en"
                aria-label={t('benchmark.newNameEn')}
                placeholder={t('benchmark.newNameEnPlaceholder')}
                required
                maxLength={200}
              />
              <button type="submit" className="button-small">
                {t('benchmark.addSector')}
              </button>
            </form>
          </section>

          <section aria-labelledby="bm-customers" className="card">
            <h2 id="bm-customers">{t('benchmark.customers')}</h2>
            <p className="hint">{t('benchmark.countsFrom')}</p>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('benchmark.col.customer')}</th>
                  <th scope="col">{t('benchmark.col.sector')}</th>
                </tr>
              </thead>
              <tbody>
                {data.customers.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">{c.name}</th>
                    <td>
                      <select
                        aria-label={t('benchmark.sectorOf', { name: c.name })}
                        value={c.sector ?? ''}
                        onChange={(e) => assign(c.id, c.name, e.target.value)}
                      >
                        <option value="">—</option>
                        {c.sector && !data.sectors.some((s) => s.code === c.sector) && (
                          <option value={c.sector}>{t('benchmark.unknown', { sector: c.sector })}</option>
                        )}
                        {data.sectors.map((s) => (
                          <option key={s.code} value={s.code}>
                            {s.name[currentLanguage()]}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>

          <section aria-labelledby="bm-cells" className="card">
            <h2 id="bm-cells">{t('benchmark.cells')}</h2>
            {data.cells.length === 0 ? (
              <p>{t('benchmark.noCells')}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('benchmark.col.quarter')}</th>
                    <th scope="col">{t('benchmark.col.sector')}</th>
                    <th scope="col">{t('benchmark.col.score')}</th>
                    <th scope="col">{t('benchmark.col.customers')}</th>
                    <th scope="col">{t('benchmark.col.respondents')}</th>
                    <th scope="col">{t('benchmark.col.value')}</th>
                    <th scope="col">{t('benchmark.col.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.cells.map((c) => (
                    <tr key={`${c.sector}-${c.kind}-${c.period}`}>
                      <th scope="row">{c.period}</th>
                      <td>{c.sector}</td>
                      <td>{c.kind.toUpperCase()}</td>
                      <td>{c.customers}</td>
                      <td>{c.respondents}</td>
                      <td>
                        {c.value === null
                          ? '–'
                          : `${formatNumber(c.value)}${c.margin !== null ? ` ± ${formatNumber(c.margin)}` : ''}`}
                      </td>
                      <td>
                        {c.published
                          ? t('benchmark.published')
                          : t('benchmark.suppressed', { reason: c.reason ? t(`benchmark.reason.${c.reason}`) : '' })}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </>
  );
}
