import { useState, type FormEvent } from 'react';
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
const KINDS: [string, string][] = [
  ['hosting', 'Hosting'],
  ['smtp', 'E-mail / Mail relay'],
  ['ai', 'AI-labelling / AI labelling'],
  ['other', 'Overig / Other'],
];

/**
 * OBLIGATIONS SUB-1, SUB-3 in the operator console: the register of sub-processors, which customers
 * each applies to, consents outside the EEA, and configured services the register lacks.
 */
export function OperatorSubprocessorRegister() {
  const [register, setRegister] = useState<Register | null>(null);
  const [tenants, setTenants] = useState<Tenant[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const load = useLoad(async () => {
    setRegister(await get<Register>('/api/v1/operator/subprocessors'));
    setTenants((await get<{ tenants: Tenant[] }>('/api/v1/operator/tenants')).tenants);
  }, setProblem);
  const nameOf = (id: string) => tenants.find((t) => t.id === id)?.name ?? id;

  async function remove(e: Entry) {
    if (!window.confirm(`${e.name} uit het register verwijderen? / Remove ${e.name} from the register?`)) return;
    setProblem(null);
    try {
      await api('DELETE', `/api/v1/operator/subprocessors/${encodeURIComponent(e.id)}`);
      setStatus(`${e.name} verwijderd / removed.`);
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  return (
    <section className="card" aria-labelledby="op-subs">
      <h2 id="op-subs">Subverwerkers / Sub-processors</h2>
      <ProblemAlert problem={problem} />
      <p role="status" className="status-line">
        {status}
      </p>
      {register && register.implied.some((i) => !i.registered) && (
        <div className="alert" role="alert">
          <p>
            <strong>Niet in het register / Missing from the register:</strong>{' '}
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
                <th scope="col">Naam / Name</th>
                <th scope="col">Dienst / Service</th>
                <th scope="col">Locatie / Location</th>
                <th scope="col">Waarborgen / Safeguards</th>
                <th scope="col">Geldt voor / Applies to</th>
                <th scope="col">
                  <span className="visually-hidden">Acties / Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {register.subprocessors.length === 0 && (
                <tr>
                  <td colSpan={6} className="muted">
                    Het register is leeg. / The register is empty.
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
                    {e.location} ({e.country}) · {e.insideEea ? 'binnen de EER / inside the EEA' : 'buiten de EER / outside the EEA'}
                  </td>
                  <td className="small">{e.safeguards.join(', ') || '—'}</td>
                  <td className="small">
                    {e.appliesTo === 'all' ? 'alle klanten / all customers' : e.appliesTo.map(nameOf).join(', ') || '—'}
                    {!e.insideEea && <div className="muted">toestemming / consent: {e.consents.map((c) => nameOf(c.tenantId)).join(', ') || '—'}</div>}
                  </td>
                  <td>
                    <button type="button" className="button-secondary button-small" onClick={() => void remove(e)} aria-label={`Verwijderen / Remove: ${e.name}`}>
                      Verwijderen / Remove
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
          setStatus(`${name} toegevoegd / added.`);
          await load();
        }}
      />
    </section>
  );
}

function AddEntry({ tenants, onAdded }: { tenants: Tenant[]; onAdded: (name: string) => Promise<void> }) {
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
      <h3 id="op-subs-add">Subverwerker toevoegen / Add a sub-processor</h3>
      <ProblemAlert problem={problem} heading="Niet toegevoegd / Not added" />
      <Field label="Naam / Name" name="name" required errors={fieldErrors(problem, '/body/name')} />
      <Field label="Dienst / Service" name="service" required errors={fieldErrors(problem, '/body/service')} />
      <Field label="Plaats of regio / City or region" name="location" required errors={fieldErrors(problem, '/body/location')} />
      <Field label="Land (ISO-code, bv. NL) / Country (ISO code, e.g. NL)" name="country" required maxLength={2} errors={fieldErrors(problem, '/body/country')} />
      <label className="field">
        Soort / Kind
        <select name="kind" defaultValue="other">
          {KINDS.map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>Waarborgen / Safeguards</legend>
        {SAFEGUARDS.map((g) => (
          <label key={g} className="inline-check">
            <input type="checkbox" name="safeguards" value={g} /> {g}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Geldt voor / Applies to</legend>
        <label className="inline-check">
          <input type="radio" name="scope" checked={scope === 'all'} onChange={() => setScope('all')} /> Alle klanten / All customers
        </label>
        <label className="inline-check">
          <input type="radio" name="scope" checked={scope === 'some'} onChange={() => setScope('some')} /> Gekozen klanten / Chosen customers
        </label>
        {scope === 'some' &&
          tenants.map((t) => (
            <label key={t.id} className="inline-check">
              <input type="checkbox" name="tenants" value={t.id} /> {t.name}
            </label>
          ))}
      </fieldset>
      <button type="submit" disabled={busy}>
        {busy ? 'Toevoegen… / Adding…' : 'Toevoegen / Add'}
      </button>
    </form>
  );
}
