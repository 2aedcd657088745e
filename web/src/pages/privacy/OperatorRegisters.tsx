import { useState } from 'react';
import { get } from '../../api';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import type { Problem, Tenant } from '../../types';

type Bilingual = { nl: string; en: string };
interface Register {
  categories: Array<{ code: string; label: Bilingual; special: boolean; inRegister: boolean }>;
  special: { allowed: boolean; freeText: Array<{ name: string; bsn: number; iban: number; health: number }> };
  drift: Array<{ category: string }>;
}

/**
 * OBLIGATIONS REG-1..3 in the operator console: each customer's register, read-only (the customer
 * keeps it): its categories, drift, and counts of free text that looks like special data. Counts and
 * codes only; the operator sees no personal data here.
 */
export function OperatorRegisters() {
  const [tenants, setTenants] = useState<Tenant[] | null>(null);
  const [chosen, setChosen] = useState('');
  const [register, setRegister] = useState<Register | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useLoad(async () => setTenants((await get<{ tenants: Tenant[] }>('/api/v1/operator/tenants')).tenants), setProblem);
  useLoad(
    async () => {
      setRegister(null);
      if (chosen) setRegister(await get<Register>(`/api/v1/operator/tenants/${encodeURIComponent(chosen)}/register`));
    },
    setProblem,
    [chosen],
  );
  const flagged = register?.special.freeText.filter((f) => f.bsn + f.iban + f.health > 0) ?? [];

  return (
    <section className="card" aria-labelledby="op-registers">
      <h2 id="op-registers">Registers van verwerkingen / Registers of processing</h2>
      <ProblemAlert problem={problem} />
      <label className="field">
        Klant / Customer
        <select value={chosen} onChange={(e) => setChosen(e.target.value)}>
          <option value="">— kies / choose —</option>
          {tenants?.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
      {register && (
        <>
          <p>
            {register.drift.length === 0
              ? 'Geen afwijkingen: het register dekt alles wat is opgeslagen. / No drift: the register covers everything stored.'
              : `${register.drift.length} afwijking(en): opgeslagen categorieën die het register nog niet dekt. / ${register.drift.length} drift item(s): stored categories the register does not cover yet.`}{' '}
            {register.special.allowed ? 'Bijzondere persoonsgegevens toegestaan. / Special categories allowed.' : 'Geen bijzondere persoonsgegevens toegestaan. / No special categories allowed.'}
          </p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Categorie / Category</th>
                  <th scope="col">Code</th>
                  <th scope="col">In register</th>
                </tr>
              </thead>
              <tbody>
                {register.categories.map((c) => (
                  <tr key={c.code}>
                    <th scope="row">
                      {c.label.nl} / {c.label.en}
                      {c.special ? ' (bijzonder / special)' : ''}
                    </th>
                    <td className="mono">{c.code}</td>
                    <td>{c.inRegister ? 'ja / yes' : 'nee: afwijking / no: drift'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {flagged.length > 0 && (
            <p>
              Open antwoorden die op een BSN, IBAN of gezondheidsgegevens lijken / Free text that looks like a BSN, IBAN or health data:{' '}
              {flagged.map((f) => `${f.name}: BSN ${f.bsn}, IBAN ${f.iban}, gezondheid/health ${f.health}`).join('; ')}
            </p>
          )}
        </>
      )}
    </section>
  );
}
