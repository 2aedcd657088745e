import { useState, type FormEvent } from 'react';
import { get, patch, post, toProblem } from '../../api';
import { Field } from '../../components/Field';
import { fieldErrors, ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { formatDateTime } from '../../format';
import type { Problem } from '../../types';
import type { BreachFields as Fields } from './breach-types';

interface Summary {
  id: string;
  number: number;
  status: 'open' | 'closed';
  fields: Fields;
  customers: number;
  notified: number;
}
interface Impact {
  tenantId: string;
  tenantName: string;
  contacts: number;
  responses: number;
  users: number;
  categories: string[];
  basis: Record<string, number>;
}
interface Part extends Impact {
  noticeHours: number;
  deadline: string;
  notifiedAt: string | null;
}
interface Detail extends Omit<Summary, 'customers' | 'notified'> {
  history: Array<{ seq: number; at: string; kind: string; note: string | null; changes: Record<string, unknown> }>;
  customers: Part[];
}
interface BoardItem {
  breachId: string;
  number: number;
  tenantName: string;
  deadline: string;
  hoursLeft: number;
  state: 'overdue' | 'near' | 'pending';
}

const EMPTY = { startedAt: '', discoveredAt: '', description: '', cause: '', categories: 'contact.email, contact.name', consequences: '', encrypted: false, measuresTaken: '', planned: '', expectedRecovery: '', contactName: '', contactEmail: '', contactPhone: '', subjectsApprox: '', recordsApprox: '' };
type Form = typeof EMPTY;

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
const toIso = (local: string) => (local ? new Date(local).toISOString() : '');
/** "2026-03-09: what" per line → the timeline. */
const timeline = (s: string) => s.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => ({ when: l.slice(0, 10), what: l.slice(11).trim() }));

function fieldsOf(f: Form) {
  return {
    startedAt: toIso(f.startedAt),
    discoveredAt: toIso(f.discoveredAt),
    description: f.description,
    cause: f.cause,
    categories: list(f.categories),
    subjectsApprox: f.subjectsApprox === '' ? null : Number(f.subjectsApprox),
    recordsApprox: f.recordsApprox === '' ? null : Number(f.recordsApprox),
    consequences: f.consequences,
    encrypted: f.encrypted,
    measuresTaken: f.measuresTaken,
    measuresPlanned: timeline(f.planned),
    expectedRecovery: f.expectedRecovery,
    contactPoint: { name: f.contactName, email: f.contactEmail, phone: f.contactPhone || null },
  };
}

const STATUS: Record<Summary['status'], string> = { open: 'open', closed: 'gesloten / closed' };
const HISTORY: Record<string, string> = {
  created: 'vastgelegd / recorded',
  updated: 'bijgewerkt / updated',
  scope: 'getroffenen berekend / affected computed',
  notified: 'klanten gemeld / customers notified',
  closed: 'afgesloten / closed',
};
/** The fields an update may change, named as in the form. */
const UPDATABLE: Array<[string, string]> = [
  ['description', 'Omschrijving / Description'],
  ['cause', 'Oorzaak / Cause'],
  ['consequences', 'Waarschijnlijke gevolgen / Likely consequences'],
  ['measuresTaken', 'Genomen maatregelen / Measures taken'],
  ['expectedRecovery', 'Verwacht herstel / Expected recovery'],
];
const STATE: Record<BoardItem['state'], string> = { overdue: 'Te laat / Overdue', near: 'Bijna / Near due', pending: 'Open / Pending' };

/**
 * Operator console, OBLIGATIONS BRE-1..BRE-4: the breach register. Record a breach, update it (each
 * change kept with a note), compute who is affected from a scope (preview, then record), notify the
 * affected customers, close it; the board of notifications that are overdue or near due.
 */
export function OperatorBreaches() {
  const [breaches, setBreaches] = useState<Summary[] | null>(null);
  const [board, setBoard] = useState<BoardItem[]>([]);
  const [selected, setSelected] = useState<Detail | null>(null);
  const [form, setForm] = useState<Form>(EMPTY);
  const [scope, setScope] = useState({ customers: 'all', categories: '', tables: '', from: '', to: '', actorKind: '', actorValue: '', records: 'existing' });
  const [preview, setPreview] = useState<Impact[] | null>(null);
  const [update, setUpdate] = useState({ field: 'measuresTaken', value: '', note: '' });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useLoad(async () => {
    setBreaches((await get<{ breaches: Summary[] }>('/api/v1/operator/breaches')).breaches);
    const b = await get<{ overdue: BoardItem[]; near: BoardItem[]; pending: BoardItem[] }>('/api/v1/operator/breaches/board');
    setBoard([...b.overdue, ...b.near, ...b.pending]);
  }, setProblem);

  async function open(id: string) {
    setPreview(null);
    setSelected(await get<Detail>(`/api/v1/operator/breaches/${id}`));
  }

  async function act(fn: () => Promise<string>) {
    setBusy(true);
    setProblem(null);
    setStatus('');
    try {
      setStatus(await fn());
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  function create(e: FormEvent) {
    e.preventDefault();
    void act(async () => {
      const b = await post<Summary>('/api/v1/operator/breaches', fieldsOf(form));
      setForm(EMPTY);
      await open(b.id);
      return `Datalek nr. ${b.number} vastgelegd. / Breach no. ${b.number} recorded.`;
    });
  }

  function scopeBody() {
    const actor = scope.actorKind === '' ? undefined : scope.actorKind === 'email' ? { kind: 'email', email: scope.actorValue } : scope.actorKind === 'ip' ? { kind: 'ip', ip: scope.actorValue } : { kind: scope.actorKind, id: scope.actorValue };
    return {
      customers: scope.customers.trim() === 'all' ? 'all' : list(scope.customers),
      ...(scope.categories ? { categories: list(scope.categories) } : {}),
      ...(scope.tables ? { tables: list(scope.tables) } : {}),
      window: { from: toIso(scope.from), to: toIso(scope.to) },
      records: scope.records,
      ...(actor ? { actor } : {}),
    };
  }

  const set = (k: keyof Form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const errs = (p: string) => fieldErrors(problem, p);

  return (
    <>
      <h2>Datalekken / Breaches</h2>
      <ProblemAlert problem={problem} />
      {status && <p role="status">{status}</p>}

      <h3>Meldingen die nog uit moeten / Notifications still to send</h3>
      {board.length === 0 ? (
        <p>Niets open. / Nothing open.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Datalek / Breach</th>
              <th scope="col">Klant / Customer</th>
              <th scope="col">Termijn / Deadline</th>
              <th scope="col">Uren over / Hours left</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {board.map((i) => (
              <tr key={`${i.breachId}-${i.tenantName}`}>
                <td>{i.number}</td>
                <td>{i.tenantName}</td>
                <td>{formatDateTime(i.deadline)}</td>
                <td>{i.hoursLeft}</td>
                <td>{STATE[i.state]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>Register</h3>
      {breaches && breaches.length === 0 && <p>Geen datalekken. / No breaches.</p>}
      {breaches && breaches.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Nr.</th>
              <th scope="col">Omschrijving / Description</th>
              <th scope="col">Ontdekt / Discovered</th>
              <th scope="col">Klanten (gemeld) / Customers (told)</th>
              <th scope="col">Status</th>
              <th scope="col"><span className="visually-hidden">Openen / Open</span></th>
            </tr>
          </thead>
          <tbody>
            {breaches.map((b) => (
              <tr key={b.id}>
                <td>{b.number}</td>
                <td>{b.fields.description}</td>
                <td>{formatDateTime(b.fields.discoveredAt)}</td>
                <td>
                  {b.customers} ({b.notified})
                </td>
                <td>{STATUS[b.status]}</td>
                <td>
                  <button type="button" className="secondary" onClick={() => void act(async () => (await open(b.id), ''))}>
                    Openen nr. {b.number} / Open no. {b.number}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {selected && (
        <section aria-labelledby="breach-detail">
          <h3 id="breach-detail">
            Datalek nr. {selected.number} / Breach no. {selected.number} ({STATUS[selected.status]})
          </h3>
          <h4>Geschiedenis / History</h4>
          <ol>
            {selected.history.map((h) => (
              <li key={h.seq}>
                {formatDateTime(h.at)} — {HISTORY[h.kind] ?? h.kind}
                {h.note ? `: ${h.note}` : ''} {Object.keys(h.changes).length ? `(${Object.keys(h.changes).join(', ')})` : ''}
              </li>
            ))}
          </ol>
          <h4>Getroffen klanten / Affected customers</h4>
          <table>
            <thead>
              <tr>
                <th scope="col">Klant / Customer</th>
                <th scope="col">Contacten / Contacts</th>
                <th scope="col">Antwoorden / Responses</th>
                <th scope="col">Gebruikers / Users</th>
                <th scope="col">Termijn / Deadline</th>
                <th scope="col">Gemeld / Told</th>
              </tr>
            </thead>
            <tbody>
              {selected.customers.map((p) => (
                <tr key={p.tenantId}>
                  <td>{p.tenantName}</td>
                  <td>{p.contacts}</td>
                  <td>{p.responses}</td>
                  <td>{p.users}</td>
                  <td>
                    {formatDateTime(p.deadline)} ({p.noticeHours} h)
                  </td>
                  <td>{p.notifiedAt ? formatDateTime(p.notifiedAt) : 'nee / no'}</td>
                </tr>
              ))}
            </tbody>
          </table>

          {selected.status === 'open' && (
            <>
              <h4>Wie is getroffen? / Who is affected?</h4>
              <Field label="Klanten: all of ids met komma's / Customers: all or ids, comma-separated" value={scope.customers} onChange={(e) => setScope({ ...scope, customers: e.target.value })} />
              <Field label="Categorieën (codes) / Categories (codes)" value={scope.categories} onChange={(e) => setScope({ ...scope, categories: e.target.value })} />
              <Field label="Tabellen / Tables (contacts, invitations, responses, users, audit_events)" value={scope.tables} onChange={(e) => setScope({ ...scope, tables: e.target.value })} />
              <Field label="Venster vanaf / Window from" type="datetime-local" value={scope.from} onChange={(e) => setScope({ ...scope, from: e.target.value })} errors={errs('/body/window/from')} />
              <Field label="Venster tot / Window to" type="datetime-local" value={scope.to} onChange={(e) => setScope({ ...scope, to: e.target.value })} errors={errs('/body/window/to')} />
              <div className="field">
                <label htmlFor="breach-actor-kind">Toegangslog van / Access log of</label>
                <select id="breach-actor-kind" value={scope.actorKind} onChange={(e) => setScope({ ...scope, actorKind: e.target.value })}>
                  <option value="">— (gegevens in rust / data at rest)</option>
                  <option value="user">Gebruiker (id) / User (id)</option>
                  <option value="apikey">API-sleutel (id) / API key (id)</option>
                  <option value="email">E-mailadres / Email address</option>
                  <option value="ip">IP-adres / IP address</option>
                </select>
              </div>
              {scope.actorKind && <Field label="Id, adres of IP / Id, address or IP" value={scope.actorValue} onChange={(e) => setScope({ ...scope, actorValue: e.target.value })} />}
              <div className="actions">
                <button type="button" className="secondary" disabled={busy} onClick={() => void act(async () => {
                  setPreview((await post<{ customers: Impact[] }>(`/api/v1/operator/breaches/${selected.id}/scope?preview=true`, scopeBody())).customers);
                  return 'Voorbeeld berekend (niets vastgelegd). / Preview computed (nothing recorded).';
                })}>
                  Voorbeeld / Preview
                </button>
                <button type="button" disabled={busy} onClick={() => void act(async () => {
                  const r = await post<{ customers: Impact[] }>(`/api/v1/operator/breaches/${selected.id}/scope`, scopeBody());
                  setPreview(null);
                  await open(selected.id);
                  return `Vastgelegd voor ${r.customers.length} klant(en). / Recorded for ${r.customers.length} customer(s).`;
                })}>
                  Getroffenen vastleggen / Record affected
                </button>
              </div>
              {preview && (
                <ul aria-label="Voorbeeld / Preview">
                  {preview.length === 0 && <li>Geen klant getroffen. / No customer affected.</li>}
                  {preview.map((i) => (
                    <li key={i.tenantId}>
                      {i.tenantName}: {i.contacts} contacten / contacts, {i.responses} antwoorden / responses, {i.users} gebruikers / users; {i.categories.join(', ')}
                    </li>
                  ))}
                </ul>
              )}

              <h4>Bijwerken / Update</h4>
              <div className="field">
                <label htmlFor="breach-update-field">Veld / Field</label>
                <select id="breach-update-field" value={update.field} onChange={(e) => setUpdate({ ...update, field: e.target.value })}>
                  {UPDATABLE.map(([f, label]) => (
                    <option key={f} value={f}>
                      {label}
                    </option>
                  ))}
                </select>
              </div>
              <Field label="Nieuwe waarde / New value" value={update.value} onChange={(e) => setUpdate({ ...update, value: e.target.value })} />
              <Field label="Toelichting (gaat mee in de mail) / Note (mailed)" value={update.note} onChange={(e) => setUpdate({ ...update, note: e.target.value })} errors={errs('/body/note')} />
              <div className="actions">
                <button type="button" disabled={busy} onClick={() => void act(async () => {
                  const r = await patch<{ mailed: number }>(`/api/v1/operator/breaches/${selected.id}`, { [update.field]: update.value, note: update.note });
                  await open(selected.id);
                  return `Bijgewerkt, ${r.mailed} klant(en) gemaild. / Updated, ${r.mailed} customer(s) mailed.`;
                })}>
                  Bijwerken / Update
                </button>
                <button type="button" disabled={busy} onClick={() => void act(async () => {
                  const r = await post<{ notified: number }>(`/api/v1/operator/breaches/${selected.id}/notify`);
                  await open(selected.id);
                  return `${r.notified} klant(en) gemeld. / ${r.notified} customer(s) notified.`;
                })}>
                  Klanten melden / Notify customers
                </button>
                <button type="button" className="secondary" disabled={busy} onClick={() => {
                  const note = window.prompt('Waarom afgesloten? / Why closed?');
                  if (!note?.trim()) return;
                  void act(async () => {
                    const r = await post<{ mailed: number }>(`/api/v1/operator/breaches/${selected.id}/close`, { note });
                    await open(selected.id);
                    return `Afgesloten, ${r.mailed} klant(en) gemaild. / Closed, ${r.mailed} customer(s) mailed.`;
                  });
                }}>
                  Afsluiten / Close
                </button>
              </div>
            </>
          )}
        </section>
      )}

      <h3>Nieuw datalek / New breach</h3>
      <form onSubmit={create} noValidate>
        <Field label="Begin / Started" type="datetime-local" required value={form.startedAt} onChange={set('startedAt')} errors={errs('/body/startedAt')} />
        <Field label="Ontdekt / Discovered" type="datetime-local" required value={form.discoveredAt} onChange={set('discoveredAt')} errors={errs('/body/discoveredAt')} />
        <Field label="Omschrijving / Description" required value={form.description} onChange={set('description')} errors={errs('/body/description')} />
        <Field label="Oorzaak / Cause" required value={form.cause} onChange={set('cause')} errors={errs('/body/cause')} />
        <Field label="Categorieën (codes, komma's) / Categories (codes, commas)" value={form.categories} onChange={set('categories')} errors={problem?.errors?.filter((e) => e.pointer?.startsWith('/body/categories')).map((e) => e.reason) ?? []} />
        <Field label="Geschat aantal betrokkenen (totaal, intern) / Estimated data subjects (overall, internal)" type="number" min={0} value={form.subjectsApprox} onChange={set('subjectsApprox')} />
        <Field label="Geschat aantal records (totaal, intern) / Estimated records (overall, internal)" type="number" min={0} value={form.recordsApprox} onChange={set('recordsApprox')} />
        <Field label="Waarschijnlijke gevolgen / Likely consequences" required value={form.consequences} onChange={set('consequences')} errors={errs('/body/consequences')} />
        <div className="field">
          <label>
            <input type="checkbox" checked={form.encrypted} onChange={(e) => setForm({ ...form, encrypted: e.target.checked })} /> Gegevens waren versleuteld / Data was encrypted
          </label>
        </div>
        <Field label="Genomen maatregelen / Measures taken" required value={form.measuresTaken} onChange={set('measuresTaken')} errors={errs('/body/measuresTaken')} />
        <div className="field">
          <label htmlFor="breach-planned">Voorgenomen maatregelen, per regel "JJJJ-MM-DD: wat" / Measures planned, one per line "YYYY-MM-DD: what"</label>
          <textarea id="breach-planned" rows={3} value={form.planned} onChange={set('planned')} />
        </div>
        <Field label="Verwacht herstel / Expected recovery" required value={form.expectedRecovery} onChange={set('expectedRecovery')} errors={errs('/body/expectedRecovery')} />
        <Field label="Contactpunt: naam / Contact point: name" required value={form.contactName} onChange={set('contactName')} errors={errs('/body/contactPoint/name')} />
        <Field label="Contactpunt: e-mail / Contact point: email" type="email" required value={form.contactEmail} onChange={set('contactEmail')} errors={errs('/body/contactPoint/email')} />
        <Field label="Contactpunt: telefoon / Contact point: phone" value={form.contactPhone} onChange={set('contactPhone')} />
        <button type="submit" disabled={busy}>
          Datalek vastleggen / Record breach
        </button>
      </form>
    </>
  );
}
