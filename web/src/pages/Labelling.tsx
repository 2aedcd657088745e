import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { get, patch, post, toProblem } from '../api';
import { useLoad } from '../components/useLoad';
import { Field } from '../components/Field';
import { fieldErrors, ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { formatDateTime, formatMonth, formatNumber } from '../format';
import { currentLanguage } from '../i18n';
import { useCan } from '../session';
import { uiText } from '../surveyText';
import type { Label, LabellingState, Problem } from '../types';

/** The labelling module: terms and switch (owner), usage, and the organisation's labels. */
export function LabellingPage() {
  const { t } = useTranslation('labelling');
  useTitle(t('page.title'));
  const can = useCan();
  const [state, setState] = useState<LabellingState | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useLoad(async () => {
    setState(await get<LabellingState>('/api/v1/labelling'));
    setProblem(null);
  }, setProblem);

  return (
    <>
      <h1 tabIndex={-1}>{t('page.title')}</h1>
      <p className="lead">{t('page.lead')}</p>
      <ProblemAlert problem={problem} />
      {state && (
        <>
          <section className="card" aria-labelledby="status-heading">
            <h2 id="status-heading">{t('page.statusHeading')}</h2>
            <p className="labelling-status" data-status={state.status} data-testid="labelling-status">
              {t(`status.${state.status}`)}
            </p>
            {state.operator.blocked && state.operator.reason && (
              <p>{t('page.reason', { reason: state.operator.reason })}</p>
            )}
            {!state.global.enabled && state.global.reason && <p>{t('page.reason', { reason: state.global.reason })}</p>}
            <dl className="facts">
              <div>
                <dt>{t('page.usedMonth', { month: formatMonth(state.quota.month) })}</dt>
                <dd>
                  {t('page.used', {
                    used: formatNumber(state.quota.used),
                    monthly: formatNumber(state.quota.monthly),
                  })}
                </dd>
              </div>
              <div>
                <dt>{t('page.provider')}</dt>
                <dd>
                  {!state.externalProvider.configured
                    ? t('page.providerNone')
                    : state.allowExternalProvider
                      ? t('page.providerAllowed', { name: state.externalProvider.name })
                      : t('page.providerNotAllowed', { name: state.externalProvider.name })}
                </dd>
              </div>
              {state.acceptance && (
                <div>
                  <dt>{t('page.accepted')}</dt>
                  <dd>
                    {t('page.acceptedBy', {
                      version: state.acceptance.termsVersion,
                      name: state.acceptance.acceptedBy.name ?? t('page.formerUser'),
                      at: formatDateTime(state.acceptance.acceptedAt),
                    })}
                    {!state.acceptance.current && t('page.olderVersion')}
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
  const { t } = useTranslation(['labelling', 'common']);
  const [lang, setLang] = useState<'nl' | 'en'>(currentLanguage());
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
      setMessage(t('switch.switchedOn'));
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
      setMessage(t('switch.switchedOff'));
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="terms-heading">
      <h2 id="terms-heading">{t('switch.heading', { version: state.terms.version })}</h2>
      <div className="actions-row" role="group" aria-label={t('switch.termsLanguage')}>
        {(['nl', 'en'] as const).map((l) => (
          <button
            key={l}
            type="button"
            lang={l}
            className={lang === l ? '' : 'button-quiet'}
            aria-pressed={lang === l}
            onClick={() => setLang(l)}
          >
            {t(`common:language.${l}`)}
          </button>
        ))}
      </div>
      <p className="pre" lang={lang} data-testid="labelling-terms">
        {state.terms.text[lang]}
      </p>
      <ProblemAlert problem={problem} />
      <p className="status-line" role="status">
        {message}
      </p>
      {!canSwitch ? (
        <p className="muted">{t('switch.ownerOnly')}</p>
      ) : (
        <>
          {(!state.enabled || !state.acceptance?.current) && (
            <form onSubmit={(e) => void activate(e)}>
              {!state.acceptance && (
                <div className="field">
                  <label htmlFor="taxonomy">{t('switch.taxonomy')}</label>
                  <select id="taxonomy" name="taxonomy" defaultValue={state.taxonomy}>
                    <option value="customer">{t('switch.customer')}</option>
                    <option value="employee">{t('switch.employee')}</option>
                  </select>
                </div>
              )}
              {state.externalProvider.configured && (
                <label className="choice">
                  <input type="checkbox" name="external" defaultChecked={state.allowExternalProvider} />{' '}
                  {t('switch.external', { name: state.externalProvider.name })}
                </label>
              )}
              <label className="choice">
                <input type="checkbox" name="accept" required /> {t('switch.accept')}
              </label>
              <div className="actions-row">
                <button type="submit" disabled={busy}>
                  {t('switch.on')}
                </button>
              </div>
            </form>
          )}
          {state.enabled && (
            <div className="actions-row">
              <button type="button" className="button-secondary" onClick={() => void deactivate()} disabled={busy}>
                {t('switch.off')}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function Labels({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation('labelling');
  const other = currentLanguage() === 'nl' ? 'en' : 'nl';
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
      <h2 id="labels-heading">{t('labels.heading')}</h2>
      <p className="muted">
        {t('labels.intro')}
        {!stored && t('labels.notStored')}
      </p>
      <ProblemAlert problem={problem} />
      {labels && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t('labels.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('labels.name')}</th>
                <th scope="col">{t('labels.otherName')}</th>
                <th scope="col">{t('labels.definition')}</th>
                <th scope="col">{t('labels.status')}</th>
                {canManage && stored && <th scope="col">{t('labels.actions')}</th>}
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
                      {uiText(l.name)} <span className="muted small mono">{l.id}</span>
                    </th>
                    <td lang={other}>{l.name[other]}</td>
                    <td className="small">{uiText(l.definition)}</td>
                    <td>
                      <span className={`status status-${l.status}`}>{t(`labels.${l.status}`)}</span>{' '}
                      {!l.standard && <span className="muted small">{t('labels.own')}</span>}
                    </td>
                    {canManage && stored && (
                      <td className="actions">
                        <button
                          type="button"
                          className="button-quiet"
                          onClick={() => setEditing(l.id)}
                          aria-label={t('labels.renameLabel', { name: uiText(l.name) })}
                        >
                          {t('labels.rename')}
                        </button>
                        <button
                          type="button"
                          className="button-quiet"
                          onClick={() => void change(l.id, { retired: l.status === 'active' })}
                          aria-label={t(l.status === 'active' ? 'labels.retireLabel' : 'labels.bringBackLabel', {
                            name: uiText(l.name),
                          })}
                        >
                          {l.status === 'active' ? t('labels.retire') : t('labels.bringBack')}
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
  const { t } = useTranslation(['labelling', 'common']);
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const s = (k: string) => String(f.get(k) ?? '').trim();
    void onSave({ name: { en: s('en'), nl: s('nl') }, definition: { en: s('den'), nl: s('dnl') } });
  }
  return (
    <form onSubmit={submit} aria-label={t('labels.renameLabel', { name: uiText(label.name) })}>
      <div className="text-pair">
        <Field label={t('labels.nameNl')} name="nl" defaultValue={label.name.nl} required maxLength={100} />
        <Field label={t('labels.nameEn')} name="en" defaultValue={label.name.en} required maxLength={100} />
      </div>
      <div className="text-pair">
        <Field label={t('labels.definitionNl')} name="dnl" defaultValue={label.definition.nl} maxLength={500} />
        <Field label={t('labels.definitionEn')} name="den" defaultValue={label.definition.en} maxLength={500} />
      </div>
      <div className="actions-row">
        <button type="submit">{t('common:actions.save')}</button>
        <button type="button" className="button-quiet" onClick={onCancel}>
          {t('common:actions.cancel')}
        </button>
      </div>
    </form>
  );
}

function AddLabel({ onAdded }: { onAdded: () => Promise<void> }) {
  const { t } = useTranslation('labelling');
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
      setMessage(t('add.added', { name: uiText(l.name) }));
      await onAdded();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="add-label-heading">
      <h3 id="add-label-heading">{t('add.heading')}</h3>
      <ProblemAlert problem={problem} />
      <div className="text-pair">
        <Field
          label={t('labels.nameNl')}
          name="nl"
          required
          maxLength={100}
          errors={fieldErrors(problem, '/body/name/nl')}
        />
        <Field
          label={t('labels.nameEn')}
          name="en"
          required
          maxLength={100}
          errors={fieldErrors(problem, '/body/name/en')}
        />
      </div>
      <div className="text-pair">
        <Field label={t('labels.definitionNl')} name="dnl" maxLength={500} />
        <Field label={t('labels.definitionEn')} name="den" maxLength={500} />
      </div>
      <p className="muted small">{t('add.hint')}</p>
      <div className="actions-row">
        <button type="submit">{t('add.submit')}</button>
      </div>
      <p className="status-line" role="status">
        {message}
      </p>
    </form>
  );
}
