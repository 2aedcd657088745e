import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
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

const EMPTY = {
  startedAt: '',
  discoveredAt: '',
  description: '',
  cause: '',
  categories: 'contact.email, contact.name',
  consequences: '',
  encrypted: false,
  measuresTaken: '',
  planned: '',
  expectedRecovery: '',
  contactName: '',
  contactEmail: '',
  contactPhone: '',
  subjectsApprox: '',
  recordsApprox: '',
};
type Form = typeof EMPTY;

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
const toIso = (local: string) => (local ? new Date(local).toISOString() : '');
/** "2026-03-09: what" per line → the timeline. */
const timeline = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => ({ when: l.slice(0, 10), what: l.slice(11).trim() }));

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

const HISTORY = ['created', 'updated', 'scope', 'notified', 'closed'] as const;
/** The fields an update may change (their names: privacy:opBreaches.field.<name>). */
const UPDATABLE = ['description', 'cause', 'consequences', 'measuresTaken', 'expectedRecovery'] as const;

/**
 * Operator console, OBLIGATIONS BRE-1..BRE-4: the breach register. Record a breach, update it (each
 * change kept with a note), compute who is affected from a scope (preview, then record), notify the
 * affected customers, close it; the board of notifications that are overdue or near due.
 */
export function OperatorBreaches() {
  const { t } = useTranslation('privacy');
  const historyName = (kind: string) =>
    (HISTORY as readonly string[]).includes(kind) ? t(`opBreaches.history.${kind as (typeof HISTORY)[number]}`) : kind;
  const [breaches, setBreaches] = useState<Summary[] | null>(null);
  const [board, setBoard] = useState<BoardItem[]>([]);
  const [selected, setSelected] = useState<Detail | null>(null);
  const [form, setForm] = useState<Form>(EMPTY);
  const [scope, setScope] = useState({
    customers: 'all',
    categories: '',
    tables: '',
    from: '',
    to: '',
    actorKind: '',
    actorValue: '',
    records: 'existing',
  });
  const [preview, setPreview] = useState<Impact[] | null>(null);
  const [update, setUpdate] = useState({ field: 'measuresTaken', value: '', note: '' });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useLoad(async () => {
    setBreaches((await get<{ breaches: Summary[] }>('/api/v1/operator/breaches')).breaches);
    const b = await get<{ overdue: BoardItem[]; near: BoardItem[]; pending: BoardItem[] }>(
      '/api/v1/operator/breaches/board',
    );
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
      return t('opBreaches.recorded', { number: b.number });
    });
  }

  function scopeBody() {
    const actor =
      scope.actorKind === ''
        ? undefined
        : scope.actorKind === 'email'
          ? { kind: 'email', email: scope.actorValue }
          : scope.actorKind === 'ip'
            ? { kind: 'ip', ip: scope.actorValue }
            : { kind: scope.actorKind, id: scope.actorValue };
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
      <h2>{t('opBreaches.title')}</h2>
      <ProblemAlert problem={problem} />
      {status && <p role="status">{status}</p>}

      <h3>{t('opBreaches.board')}</h3>
      {board.length === 0 ? (
        <p>{t('opBreaches.nothingOpen')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('opBreaches.col.breach')}</th>
              <th scope="col">{t('opBreaches.col.customer')}</th>
              <th scope="col">{t('opBreaches.col.deadline')}</th>
              <th scope="col">{t('opBreaches.col.hoursLeft')}</th>
              <th scope="col">{t('opBreaches.col.status')}</th>
            </tr>
          </thead>
          <tbody>
            {board.map((i) => (
              <tr key={`${i.breachId}-${i.tenantName}`}>
                <td>{i.number}</td>
                <td>{i.tenantName}</td>
                <td>{formatDateTime(i.deadline)}</td>
                <td>{i.hoursLeft}</td>
                <td>{t(`opBreaches.state.${i.state}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>{t('opBreaches.register')}</h3>
      {breaches && breaches.length === 0 && <p>{t('opBreaches.none')}</p>}
      {breaches && breaches.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('opBreaches.col.number')}</th>
              <th scope="col">{t('opBreaches.col.description')}</th>
              <th scope="col">{t('opBreaches.col.discovered')}</th>
              <th scope="col">{t('opBreaches.col.customersTold')}</th>
              <th scope="col">{t('opBreaches.col.status')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('opBreaches.col.open')}</span>
              </th>
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
                <td>{t(`opBreaches.status.${b.status}`)}</td>
                <td>
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => void act(async () => (await open(b.id), ''))}
                  >
                    {t('opBreaches.open', { number: b.number })}
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
            {t('opBreaches.detail', { number: selected.number, status: t(`opBreaches.status.${selected.status}`) })}
          </h3>
          <h4>{t('opBreaches.historyTitle')}</h4>
          <ol>
            {selected.history.map((h) => (
              <li key={h.seq}>
                {formatDateTime(h.at)} — {historyName(h.kind)}
                {h.note ? `: ${h.note}` : ''}{' '}
                {Object.keys(h.changes).length ? `(${Object.keys(h.changes).join(', ')})` : ''}
              </li>
            ))}
          </ol>
          <h4>{t('opBreaches.affected')}</h4>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('opBreaches.col.customer')}</th>
                <th scope="col">{t('opBreaches.col.contacts')}</th>
                <th scope="col">{t('opBreaches.col.responses')}</th>
                <th scope="col">{t('opBreaches.col.users')}</th>
                <th scope="col">{t('opBreaches.col.deadline')}</th>
                <th scope="col">{t('opBreaches.col.told')}</th>
              </tr>
            </thead>
            <tbody>
              {selected.customers.map((p) => (
                <tr key={p.tenantId}>
                  <td>{p.tenantName}</td>
                  <td>{p.contacts}</td>
                  <td>{p.responses}</td>
                  <td>{p.users}</td>
                  <td>{t('opBreaches.hours', { deadline: formatDateTime(p.deadline), hours: p.noticeHours })}</td>
                  <td>{p.notifiedAt ? formatDateTime(p.notifiedAt) : t('opBreaches.no')}</td>
                </tr>
              ))}
            </tbody>
          </table>

          {selected.status === 'open' && (
            <>
              <h4>{t('opBreaches.who')}</h4>
              <Field
                label={t('opBreaches.scopeCustomers')}
                value={scope.customers}
                onChange={(e) => setScope({ ...scope, customers: e.target.value })}
              />
              <Field
                label={t('opBreaches.scopeCategories')}
                value={scope.categories}
                onChange={(e) => setScope({ ...scope, categories: e.target.value })}
              />
              <Field
                label={t('opBreaches.scopeTables')}
                value={scope.tables}
                onChange={(e) => setScope({ ...scope, tables: e.target.value })}
              />
              <Field
                label={t('opBreaches.windowFrom')}
                type="datetime-local"
                value={scope.from}
                onChange={(e) => setScope({ ...scope, from: e.target.value })}
                errors={errs('/body/window/from')}
              />
              <Field
                label={t('opBreaches.windowTo')}
                type="datetime-local"
                value={scope.to}
                onChange={(e) => setScope({ ...scope, to: e.target.value })}
                errors={errs('/body/window/to')}
              />
              <div className="field">
                <label htmlFor="breach-actor-kind">{t('opBreaches.accessLog')}</label>
                <select
                  id="breach-actor-kind"
                  value={scope.actorKind}
                  onChange={(e) => setScope({ ...scope, actorKind: e.target.value })}
                >
                  <option value="">{t('opBreaches.atRest')}</option>
                  <option value="user">{t('opBreaches.actorUser')}</option>
                  <option value="apikey">{t('opBreaches.actorKey')}</option>
                  <option value="email">{t('opBreaches.actorEmail')}</option>
                  <option value="ip">{t('opBreaches.actorIp')}</option>
                </select>
              </div>
              {scope.actorKind && (
                <Field
                  label={t('opBreaches.actorValue')}
                  value={scope.actorValue}
                  onChange={(e) => setScope({ ...scope, actorValue: e.target.value })}
                />
              )}
              <div className="actions">
                <button
                  type="button"
                  className="secondary"
                  disabled={busy}
                  onClick={() =>
                    void act(async () => {
                      setPreview(
                        (
                          await post<{ customers: Impact[] }>(
                            `/api/v1/operator/breaches/${selected.id}/scope?preview=true`,
                            scopeBody(),
                          )
                        ).customers,
                      );
                      return t('opBreaches.previewed');
                    })
                  }
                >
                  {t('opBreaches.preview')}
                </button>
                <button
                  type="button"
                  disabled={busy}
                  onClick={() =>
                    void act(async () => {
                      const r = await post<{ customers: Impact[] }>(
                        `/api/v1/operator/breaches/${selected.id}/scope`,
                        scopeBody(),
                      );
                      setPreview(null);
                      await open(selected.id);
                      return t('opBreaches.recordedFor', { count: r.customers.length });
                    })
                  }
                >
                  {t('opBreaches.recordAffected')}
                </button>
              </div>
              {preview && (
                <ul aria-label={t('opBreaches.preview')}>
                  {preview.length === 0 && <li>{t('opBreaches.noneAffected')}</li>}
                  {preview.map((i) => (
                    <li key={i.tenantId}>
                      {t('opBreaches.impact', {
                        name: i.tenantName,
                        contacts: i.contacts,
                        responses: i.responses,
                        users: i.users,
                        categories: i.categories.join(', '),
                      })}
                    </li>
                  ))}
                </ul>
              )}

              <h4>{t('opBreaches.updateTitle')}</h4>
              <div className="field">
                <label htmlFor="breach-update-field">{t('opBreaches.updateField')}</label>
                <select
                  id="breach-update-field"
                  value={update.field}
                  onChange={(e) => setUpdate({ ...update, field: e.target.value })}
                >
                  {UPDATABLE.map((f) => (
                    <option key={f} value={f}>
                      {t(`opBreaches.field.${f}`)}
                    </option>
                  ))}
                </select>
              </div>
              <Field
                label={t('opBreaches.newValue')}
                value={update.value}
                onChange={(e) => setUpdate({ ...update, value: e.target.value })}
              />
              <Field
                label={t('opBreaches.note')}
                value={update.note}
                onChange={(e) => setUpdate({ ...update, note: e.target.value })}
                errors={errs('/body/note')}
              />
              <div className="actions">
                <button
                  type="button"
                  disabled={busy}
                  onClick={() =>
                    void act(async () => {
                      const r = await patch<{ mailed: number }>(`/api/v1/operator/breaches/${selected.id}`, {
                        [update.field]: update.value,
                        note: update.note,
                      });
                      await open(selected.id);
                      return t('opBreaches.updated', { count: r.mailed });
                    })
                  }
                >
                  {t('opBreaches.update')}
                </button>
                <button
                  type="button"
                  disabled={busy}
                  onClick={() =>
                    void act(async () => {
                      const r = await post<{ notified: number }>(`/api/v1/operator/breaches/${selected.id}/notify`);
                      await open(selected.id);
                      return t('opBreaches.notified', { count: r.notified });
                    })
                  }
                >
                  {t('opBreaches.notify')}
                </button>
                <button
                  type="button"
                  className="secondary"
                  disabled={busy}
                  onClick={() => {
                    const note = window.prompt(t('opBreaches.whyClosed'));
                    if (!note?.trim()) return;
                    void act(async () => {
                      const r = await post<{ mailed: number }>(`/api/v1/operator/breaches/${selected.id}/close`, {
                        note,
                      });
                      await open(selected.id);
                      return t('opBreaches.closedMailed', { count: r.mailed });
                    });
                  }}
                >
                  {t('opBreaches.close')}
                </button>
              </div>
            </>
          )}
        </section>
      )}

      <h3>{t('opBreaches.newTitle')}</h3>
      <form onSubmit={create} noValidate>
        <Field
          label={t('opBreaches.started')}
          type="datetime-local"
          required
          value={form.startedAt}
          onChange={set('startedAt')}
          errors={errs('/body/startedAt')}
        />
        <Field
          label={t('opBreaches.discovered')}
          type="datetime-local"
          required
          value={form.discoveredAt}
          onChange={set('discoveredAt')}
          errors={errs('/body/discoveredAt')}
        />
        <Field
          label={t('opBreaches.field.description')}
          required
          value={form.description}
          onChange={set('description')}
          errors={errs('/body/description')}
        />
        <Field
          label={t('opBreaches.field.cause')}
          required
          value={form.cause}
          onChange={set('cause')}
          errors={errs('/body/cause')}
        />
        <Field
          label={t('opBreaches.categories')}
          value={form.categories}
          onChange={set('categories')}
          errors={problem?.errors?.filter((e) => e.pointer?.startsWith('/body/categories')).map((e) => e.reason) ?? []}
        />
        <Field
          label={t('opBreaches.subjectsApprox')}
          type="number"
          min={0}
          value={form.subjectsApprox}
          onChange={set('subjectsApprox')}
        />
        <Field
          label={t('opBreaches.recordsApprox')}
          type="number"
          min={0}
          value={form.recordsApprox}
          onChange={set('recordsApprox')}
        />
        <Field
          label={t('opBreaches.field.consequences')}
          required
          value={form.consequences}
          onChange={set('consequences')}
          errors={errs('/body/consequences')}
        />
        <div className="field">
          <label>
            <input
              type="checkbox"
              checked={form.encrypted}
              onChange={(e) => setForm({ ...form, encrypted: e.target.checked })}
            />{' '}
            {t('opBreaches.encrypted')}
          </label>
        </div>
        <Field
          label={t('opBreaches.field.measuresTaken')}
          required
          value={form.measuresTaken}
          onChange={set('measuresTaken')}
          errors={errs('/body/measuresTaken')}
        />
        <div className="field">
          <label htmlFor="breach-planned">{t('opBreaches.planned')}</label>
          <textarea id="breach-planned" rows={3} value={form.planned} onChange={set('planned')} />
        </div>
        <Field
          label={t('opBreaches.field.expectedRecovery')}
          required
          value={form.expectedRecovery}
          onChange={set('expectedRecovery')}
          errors={errs('/body/expectedRecovery')}
        />
        <Field
          label={t('opBreaches.contactName')}
          required
          value={form.contactName}
          onChange={set('contactName')}
          errors={errs('/body/contactPoint/name')}
        />
        <Field
          label={t('opBreaches.contactEmail')}
          type="email"
          required
          value={form.contactEmail}
          onChange={set('contactEmail')}
          errors={errs('/body/contactPoint/email')}
        />
        <Field label={t('opBreaches.contactPhone')} value={form.contactPhone} onChange={set('contactPhone')} />
        <button type="submit" disabled={busy}>
          {t('opBreaches.submit')}
        </button>
      </form>
    </>
  );
}
