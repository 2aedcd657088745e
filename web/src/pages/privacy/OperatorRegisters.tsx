import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { currentLanguage } from '../../i18n';
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
  const { t } = useTranslation('privacy');
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
      <h2 id="op-registers">{t('opRegisters.title')}</h2>
      <ProblemAlert problem={problem} />
      <label className="field">
        {t('opRegisters.customer')}
        <select value={chosen} onChange={(e) => setChosen(e.target.value)}>
          <option value="">{t('opRegisters.choose')}</option>
          {tenants?.map((tn) => (
            <option key={tn.id} value={tn.id}>
              {tn.name}
            </option>
          ))}
        </select>
      </label>
      {register && (
        <>
          <p>
            {register.drift.length === 0
              ? t('opRegisters.noDrift')
              : t('opRegisters.drift', { count: register.drift.length })}{' '}
            {register.special.allowed ? t('opRegisters.specialAllowed') : t('opRegisters.specialRefused')}
          </p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('opRegisters.col.category')}</th>
                  <th scope="col">{t('opRegisters.col.code')}</th>
                  <th scope="col">{t('opRegisters.col.inRegister')}</th>
                </tr>
              </thead>
              <tbody>
                {register.categories.map((c) => (
                  <tr key={c.code}>
                    <th scope="row">
                      {c.label[currentLanguage()]}
                      {c.special ? t('opRegisters.special') : ''}
                    </th>
                    <td className="mono">{c.code}</td>
                    <td>{c.inRegister ? t('opRegisters.yes') : t('opRegisters.no')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {flagged.length > 0 && (
            <p>
              {t('opRegisters.flagged', {
                list: flagged
                  .map((f) =>
                    t('opRegisters.flaggedItem', { name: f.name, bsn: f.bsn, iban: f.iban, health: f.health }),
                  )
                  .join('; '),
              })}
            </p>
          )}
        </>
      )}
    </section>
  );
}
