import { useState, type FormEvent } from 'react';
import { get, patch, post, toProblem } from '../api';
import { useLoad } from '../components/useLoad';
import { Field } from '../components/Field';
import { fieldErrors, ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { formatDateTime } from '../format';
import { useCan } from '../session';
import type { Label, LabellingState, LabellingStatus, Problem } from '../types';

export const STATUS_TEXT: Record<LabellingStatus, string> = {
  off: 'Off. Answers are not labelled.',
  active: 'On. New answers get labels and a sentiment in the background.',
  blocked_by_operator: 'Switched off by Peil for your organisation. New answers are not labelled.',
  switched_off_for_all: 'Switched off by Peil for all customers for now. New answers are not labelled.',
  quota_reached:
    "This month's maximum is reached. New answers are labelled next month, or when Peil raises the maximum.",
};

/** The labelling module: terms and switch (owner), usage, and the organisation's labels. */
export function LabellingPage() {
  useTitle('Labelling');
  const can = useCan();
  const [state, setState] = useState<LabellingState | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useLoad(async () => {
    setState(await get<LabellingState>('/api/v1/labelling'));
    setProblem(null);
  }, setProblem);

  return (
    <>
      <h1 tabIndex={-1}>Labelling</h1>
      <p className="lead">
        Peil can give every free-text answer labels (what it is about) and a sentiment, so results show what drives the
        score. You can correct any label; corrections teach your organisation&apos;s model.
      </p>
      <ProblemAlert problem={problem} />
      {state && (
        <>
          <section className="card" aria-labelledby="status-heading">
            <h2 id="status-heading">Status</h2>
            <p className="labelling-status" data-status={state.status} data-testid="labelling-status">
              {STATUS_TEXT[state.status]}
            </p>
            {state.operator.blocked && state.operator.reason && <p>Reason given by Peil: {state.operator.reason}</p>}
            {!state.global.enabled && state.global.reason && <p>Reason given by Peil: {state.global.reason}</p>}
            <dl className="facts">
              <div>
                <dt>Labelled this month ({state.quota.month})</dt>
                <dd>
                  {state.quota.used.toLocaleString('en-GB')} of {state.quota.monthly.toLocaleString('en-GB')}
                </dd>
              </div>
              <div>
                <dt>External AI provider</dt>
                <dd>
                  {!state.externalProvider.configured
                    ? 'None: the built-in labeller does all the work on Peil’s servers.'
                    : state.allowExternalProvider
                      ? `Allowed: ${state.externalProvider.name} (a sub-processor). Personal data is removed from each text before it is sent.`
                      : `Not allowed: ${state.externalProvider.name} is not used for your organisation.`}
                </dd>
              </div>
              {state.acceptance && (
                <div>
                  <dt>Terms accepted</dt>
                  <dd>
                    Version {state.acceptance.termsVersion} by {state.acceptance.acceptedBy.name ?? 'a former user'} on{' '}
                    {formatDateTime(state.acceptance.acceptedAt)}
                    {!state.acceptance.current && ' (an older version)'}
                  </dd>
                </div>
              )}
            </dl>
          </section>
          <Switch state={state} onChange={setState} canSwitch={can('labelling:activate')} />
          {/* Activation stores the labels: load them again when the switch changes. */}
          <Labels key={String(state.enabled)} canManage={can('labels:manage')} />
        </>
      )}
    </>
  );
}

function Switch({
  state,
  onChange,
  canSwitch,
}: {
  state: LabellingState;
  onChange: (s: LabellingState) => void;
  canSwitch: boolean;
}) {
  const [lang, setLang] = useState<'nl' | 'en'>('en');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');

  async function activate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    setProblem(null);
    setMessage('');
    try {
      const s = await post<LabellingState>('/api/v1/labelling/activate', {
        termsVersion: state.terms.version,
        acceptTerms: f.get('accept') === 'on',
        allowExternalProvider: f.get('external') === 'on',
        ...(f.get('taxonomy') ? { taxonomy: f.get('taxonomy') } : {}),
      });
      onChange(s);
      setMessage('Labelling is switched on. Answers are labelled in the background.');
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  async function deactivate() {
    setBusy(true);
    setProblem(null);
    try {
      onChange(await post<LabellingState>('/api/v1/labelling/deactivate'));
      setMessage('Labelling is switched off. Existing labels stay in the results.');
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="terms-heading">
      <h2 id="terms-heading">Terms of the labelling module (version {state.terms.version})</h2>
      <div className="actions-row" role="group" aria-label="Language of the terms">
        <button
          type="button"
          className={lang === 'en' ? '' : 'button-quiet'}
          aria-pressed={lang === 'en'}
          onClick={() => setLang('en')}
        >
          English
        </button>
        <button
          type="button"
          className={lang === 'nl' ? '' : 'button-quiet'}
          aria-pressed={lang === 'nl'}
          onClick={() => setLang('nl')}
        >
          Nederlands
        </button>
      </div>
      <p className="pre" lang={lang} data-testid="labelling-terms">
        {state.terms.text[lang]}
      </p>
      <ProblemAlert problem={problem} />
      <p className="status-line" role="status">
        {message}
      </p>
      {!canSwitch ? (
        <p className="muted">Only an owner of your organisation can switch labelling on or off.</p>
      ) : (
        <>
          {(!state.enabled || !state.acceptance?.current) && (
            <form onSubmit={(e) => void activate(e)}>
              {!state.acceptance && (
                <div className="field">
                  <label htmlFor="taxonomy">Label set</label>
                  <select id="taxonomy" name="taxonomy" defaultValue={state.taxonomy}>
                    <option value="customer">Customer experience (service, staff, waiting time, price, …)</option>
                    <option value="employee">Employee experience (workload, leadership, colleagues, …)</option>
                  </select>
                </div>
              )}
              {state.externalProvider.configured && (
                <label className="choice">
                  <input type="checkbox" name="external" defaultChecked={state.allowExternalProvider} /> Allow the
                  external AI provider {state.externalProvider.name} (a sub-processor; texts are sent with personal data
                  removed)
                </label>
              )}
              <label className="choice">
                <input type="checkbox" name="accept" required /> I accept these terms on behalf of my organisation
              </label>
              <div className="actions-row">
                <button type="submit" disabled={busy}>
                  Switch labelling on
                </button>
              </div>
            </form>
          )}
          {state.enabled && (
            <div className="actions-row">
              <button type="button" className="button-secondary" onClick={() => void deactivate()} disabled={busy}>
                Switch labelling off
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function Labels({ canManage }: { canManage: boolean }) {
  const [labels, setLabels] = useState<Label[] | null>(null);
  const [stored, setStored] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [editing, setEditing] = useState<string | null>(null);

  const load = useLoad(async () => {
    const r = await get<{ stored: boolean; labels: Label[] }>('/api/v1/labels');
    setLabels(r.labels);
    setStored(r.stored);
  }, setProblem);

  async function change(id: string, body: unknown) {
    setProblem(null);
    try {
      await patch(`/api/v1/labels/${encodeURIComponent(id)}`, body);
      setEditing(null);
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  return (
    <section aria-labelledby="labels-heading">
      <h2 id="labels-heading">Labels</h2>
      <p className="muted">
        Label ids never change: renaming a label keeps its answers. A retired label is given to no new answer, and keeps
        its answers in the results.
        {!stored && ' These are the standard labels; you can change them once labelling has been switched on.'}
      </p>
      <ProblemAlert problem={problem} />
      {labels && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Labels</caption>
            <thead>
              <tr>
                <th scope="col">Name (English)</th>
                <th scope="col">Name (Dutch)</th>
                <th scope="col">What belongs here</th>
                <th scope="col">Status</th>
                {canManage && stored && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {labels.map((l) =>
                editing === l.id ? (
                  <tr key={l.id}>
                    <td colSpan={5}>
                      <RenameForm label={l} onSave={(body) => change(l.id, body)} onCancel={() => setEditing(null)} />
                    </td>
                  </tr>
                ) : (
                  <tr key={l.id}>
                    <th scope="row">
                      {l.name.en} <span className="muted small mono">{l.id}</span>
                    </th>
                    <td lang="nl">{l.name.nl}</td>
                    <td className="small">{l.definition.en}</td>
                    <td>
                      <span className={`status status-${l.status}`}>{l.status}</span>{' '}
                      {!l.standard && <span className="muted small">own label</span>}
                    </td>
                    {canManage && stored && (
                      <td className="actions">
                        <button
                          type="button"
                          className="button-quiet"
                          onClick={() => setEditing(l.id)}
                          aria-label={`Rename ${l.name.en}`}
                        >
                          Rename
                        </button>
                        <button
                          type="button"
                          className="button-quiet"
                          onClick={() => void change(l.id, { retired: l.status === 'active' })}
                          aria-label={`${l.status === 'active' ? 'Retire' : 'Bring back'} ${l.name.en}`}
                        >
                          {l.status === 'active' ? 'Retire' : 'Bring back'}
                        </button>
                      </td>
                    )}
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
      {canManage && stored && <AddLabel onAdded={load} />}
    </section>
  );
}

function RenameForm({
  label,
  onSave,
  onCancel,
}: {
  label: Label;
  onSave: (body: unknown) => Promise<void>;
  onCancel: () => void;
}) {
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const s = (k: string) => String(f.get(k) ?? '').trim();
    void onSave({ name: { en: s('en'), nl: s('nl') }, definition: { en: s('den'), nl: s('dnl') } });
  }
  return (
    <form onSubmit={submit} aria-label={`Rename ${label.name.en}`}>
      <div className="text-pair">
        <Field label="Name (English)" name="en" defaultValue={label.name.en} required maxLength={100} />
        <Field label="Name (Dutch)" name="nl" defaultValue={label.name.nl} required maxLength={100} />
      </div>
      <div className="text-pair">
        <Field label="What belongs here (English)" name="den" defaultValue={label.definition.en} maxLength={500} />
        <Field label="What belongs here (Dutch)" name="dnl" defaultValue={label.definition.nl} maxLength={500} />
      </div>
      <div className="actions-row">
        <button type="submit">Save</button>
        <button type="button" className="button-quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function AddLabel({ onAdded }: { onAdded: () => Promise<void> }) {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [message, setMessage] = useState('');

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const s = (k: string) => String(f.get(k) ?? '').trim();
    setProblem(null);
    setMessage('');
    try {
      const l = await post<Label>('/api/v1/labels', {
        name: { en: s('en'), nl: s('nl') },
        definition: { en: s('den'), nl: s('dnl') },
      });
      form.reset();
      setMessage(`Label “${l.name.en}” added.`);
      await onAdded();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="add-label-heading">
      <h3 id="add-label-heading">Add a label of your own</h3>
      <ProblemAlert problem={problem} />
      <div className="text-pair">
        <Field
          label="Name (English)"
          name="en"
          required
          maxLength={100}
          errors={fieldErrors(problem, '/body/name/en')}
        />
        <Field label="Name (Dutch)" name="nl" required maxLength={100} errors={fieldErrors(problem, '/body/name/nl')} />
      </div>
      <div className="text-pair">
        <Field label="What belongs here (English)" name="den" maxLength={500} />
        <Field label="What belongs here (Dutch)" name="dnl" maxLength={500} />
      </div>
      <p className="muted small">The built-in labeller learns a label of your own from your corrections.</p>
      <div className="actions-row">
        <button type="submit">Add label</button>
      </div>
      <p className="status-line" role="status">
        {message}
      </p>
    </form>
  );
}
