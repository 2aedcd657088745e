import { useState, type FormEvent } from 'react';
import { get, patch, post, put, toProblem } from '../api';
import { ProblemAlert } from '../components/ProblemAlert';
import { useLoad } from '../components/useLoad';
import { useTitle } from '../components/useTitle';
import type { BenchmarkRules, OperatorBenchmark, Problem } from '../types';

const REASONS = { customers: 'te weinig klanten / too few customers', respondents: 'te weinig respondenten / too few respondents', dominance: 'één of twee klanten domineren / one or two customers dominate' };

/**
 * Issue 13 (OBLIGATIONS BEN-1): the operator's benchmark: sectors, the disclosure rules, each customer's
 * sector, and the computed cells with why a cell is suppressed. A cell never names a customer.
 */
export function OperatorBenchmarkPage() {
  useTitle('Benchmark');
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
    void call(() => post('/api/v1/operator/benchmark/sectors', { code, name: { nl: String(f.get('nl') ?? '').trim(), en: String(f.get('en') ?? '').trim() } }), () => {
      form.reset();
      return `Sector ${code} toegevoegd / added.`;
    });
  }

  function rename(e: FormEvent<HTMLFormElement>, code: string) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    void call(() => patch(`/api/v1/operator/benchmark/sectors/${encodeURIComponent(code)}`, { name: { nl: String(f.get('nl') ?? '').trim(), en: String(f.get('en') ?? '').trim() } }), () => `Sector ${code} opgeslagen / saved.`);
  }

  function saveRules(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const n = (k: keyof BenchmarkRules) => Number(f.get(k));
    const rules: BenchmarkRules = { minCustomers: n('minCustomers'), minRespondents: n('minRespondents'), dominanceOnePercent: n('dominanceOnePercent'), dominanceTwoPercent: n('dominanceTwoPercent'), quartileMinCustomers: n('quartileMinCustomers') };
    void call(() => put('/api/v1/operator/benchmark/settings', rules), (r) => {
      const x = r as { published: number; suppressed: number };
      return `Regels opgeslagen: ${x.published} cellen gepubliceerd, ${x.suppressed} onderdrukt. / Rules saved: ${x.published} cells published, ${x.suppressed} suppressed.`;
    });
  }

  function assign(tenantId: string, name: string, sector: string) {
    void call(() => put(`/api/v1/operator/tenants/${tenantId}/sector`, { sector: sector === '' ? null : sector }), () => `${name}: sector ${sector || '—'} (telt vanaf nu / counts from now on).`);
  }

  function recompute() {
    void call(() => post('/api/v1/operator/benchmark/recompute'), (r) => {
      const x = r as { customers: number; answers: number; cellsComputed: number; failed: number };
      return `Herberekend / Recomputed: ${x.customers} klanten / customers, ${x.answers} nieuwe antwoorden / new answers, ${x.cellsComputed} nieuwe cellen / new cells${x.failed ? `, ${x.failed} mislukt / failed` : ''}.`;
    });
  }

  return (
    <>
      <h1>Benchmark</h1>
      <ProblemAlert problem={problem} />
      <p role="status" className="status-line">
        {message}
      </p>
      {data && (
        <>
          <section aria-labelledby="bm-rules" className="card">
            <h2 id="bm-rules">Regels / Disclosure rules</h2>
            <form onSubmit={saveRules} className="form-grid">
              <label>
                K: minimum klanten / customers
                <input name="minCustomers" type="number" min={3} max={1000} defaultValue={data.rules.minCustomers} required />
              </label>
              <label>
                M: minimum respondenten / respondents
                <input name="minRespondents" type="number" min={10} defaultValue={data.rules.minRespondents} required />
              </label>
              <label>
                Grootste klant max. % / Largest customer max. %
                <input name="dominanceOnePercent" type="number" min={10} max={100} defaultValue={data.rules.dominanceOnePercent} required />
              </label>
              <label>
                Twee grootste max. % / Two largest max. %
                <input name="dominanceTwoPercent" type="number" min={20} max={100} defaultValue={data.rules.dominanceTwoPercent} required />
              </label>
              <label>
                Kwartielen vanaf klanten / Quartiles from customers
                <input name="quartileMinCustomers" type="number" min={5} max={1000} defaultValue={data.rules.quartileMinCustomers} required />
              </label>
              <button type="submit">Opslaan / Save</button>
            </form>
            <button type="button" className="button-secondary" onClick={recompute}>
              Nu herberekenen / Recompute now
            </button>
          </section>

          <section aria-labelledby="bm-sectors" className="card">
            <h2 id="bm-sectors">Sectoren / Sectors</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Naam / Name</th>
                  <th scope="col">Klanten / Customers</th>
                </tr>
              </thead>
              <tbody>
                {data.sectors.map((s) => (
                  <tr key={s.code}>
                    <th scope="row">{s.code}</th>
                    <td>
                      <form onSubmit={(e) => rename(e, s.code)} className="inline-form">
                        <input name="nl" aria-label={`Nederlandse naam van ${s.code}`} defaultValue={s.name.nl} required maxLength={200} />
                        <input name="en" aria-label={`English name of ${s.code}`} defaultValue={s.name.en} required maxLength={200} />
                        <button type="submit" className="button-small">
                          Opslaan / Save
                        </button>
                      </form>
                    </td>
                    <td>{s.customers}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <form onSubmit={addSector} className="inline-form">
              <input name="code" aria-label="Code" placeholder="code (zorg)" required pattern="[a-z0-9][a-z0-9\-]{0,39}" />
              <input name="nl" aria-label="Naam (Nederlands)" placeholder="Naam" required maxLength={200} />
              <input name="en" aria-label="Name (English)" placeholder="Name" required maxLength={200} />
              <button type="submit" className="button-small">
                Sector toevoegen / Add sector
              </button>
            </form>
          </section>

          <section aria-labelledby="bm-customers" className="card">
            <h2 id="bm-customers">Klanten / Customers</h2>
            <p className="hint">Een klant telt mee vanaf het moment dat hij in een sector komt, nooit terug in de tijd. / A customer counts from the moment it joins a sector, never back in time.</p>
            <table>
              <thead>
                <tr>
                  <th scope="col">Klant / Customer</th>
                  <th scope="col">Sector</th>
                </tr>
              </thead>
              <tbody>
                {data.customers.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">{c.name}</th>
                    <td>
                      <select aria-label={`Sector van ${c.name}`} value={c.sector ?? ''} onChange={(e) => assign(c.id, c.name, e.target.value)}>
                        <option value="">—</option>
                        {c.sector && !data.sectors.some((s) => s.code === c.sector) && <option value={c.sector}>{c.sector} (onbekend / unknown)</option>}
                        {data.sectors.map((s) => (
                          <option key={s.code} value={s.code}>
                            {s.name.nl}
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
            <h2 id="bm-cells">Cellen / Cells</h2>
            {data.cells.length === 0 ? (
              <p>Nog geen cellen: een kwartaal wordt berekend zodra het is afgesloten. / No cells yet: a quarter is computed once it has closed.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Kwartaal / Quarter</th>
                    <th scope="col">Sector</th>
                    <th scope="col">Score</th>
                    <th scope="col">Klanten / Customers</th>
                    <th scope="col">Respondenten / Respondents</th>
                    <th scope="col">Waarde / Value</th>
                    <th scope="col">Status</th>
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
                      <td>{c.value === null ? '–' : `${c.value}${c.margin !== null ? ` ± ${c.margin}` : ''}`}</td>
                      <td>{c.published ? 'gepubliceerd / published' : `onderdrukt / suppressed: ${c.reason ? REASONS[c.reason] : ''}`}</td>
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
