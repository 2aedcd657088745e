import { useEffect, useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { get, post, toProblem } from '../api';
import { Field } from '../components/Field';
import { ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { formatDateTime, languageName } from '../format';
import { Link, navigate } from '../router';
import { useCan } from '../session';
import type { Anonymity, Lang, Localized, Problem, Survey, SurveyKind } from '../types';

type TextKey = 'score' | 'why' | 'subject' | 'body';
const TEXTS: Array<{ key: TextKey; multiline?: boolean }> = [
  { key: 'score' },
  { key: 'why' },
  { key: 'subject' },
  { key: 'body', multiline: true },
];
const KINDS: SurveyKind[] = ['nps', 'enps', 'csat', 'ces', 'custom'];
export const ANONYMITIES: Anonymity[] = ['identified', 'confidential', 'anonymous'];
type Shown = 'false' | 'true' | 'all';

/** The status of a survey in the user's language (draft, open, closed). */
export function useStatusLabel(): (status: string) => string {
  const { t } = useTranslation('surveys');
  return (status) => (status === 'draft' || status === 'open' || status === 'closed' ? t(`status.${status}`) : status);
}

export function SurveysPage() {
  const { t } = useTranslation('surveys');
  useTitle(t('list.title'));
  const can = useCan();
  const statusLabel = useStatusLabel();
  const [shown, setShown] = useState<Shown>('false');
  const [surveys, setSurveys] = useState<Survey[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    const ac = new AbortController();
    setSurveys(null);
    get<{ surveys: Survey[] }>(`/api/v1/surveys${shown === 'false' ? '' : `?archived=${shown}`}`, ac.signal)
      .then((r) => setSurveys(r.surveys))
      .catch((err: unknown) => {
        if ((err as Error).name !== 'AbortError') setProblem(toProblem(err));
      });
    return () => ac.abort();
  }, [shown]);

  return (
    <>
      <h1 tabIndex={-1}>{t('list.title')}</h1>
      <ProblemAlert problem={problem} />
      <div className="field field-inline">
        <label htmlFor="survey-filter">{t('list.show')}</label>
        <select id="survey-filter" value={shown} onChange={(e) => setShown(e.currentTarget.value as Shown)}>
          <option value="false">{t('list.showCurrent')}</option>
          <option value="true">{t('list.showArchived')}</option>
          <option value="all">{t('list.showAll')}</option>
        </select>
      </div>
      {!surveys ? (
        <p>{t('list.loading')}</p>
      ) : surveys.length === 0 ? (
        <p>
          {shown === 'true' ? t('list.emptyArchived') : can('surveys:write') ? t('list.emptyCreate') : t('list.empty')}
        </p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t('list.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('list.name')}</th>
                <th scope="col">{t('list.type')}</th>
                <th scope="col">{t('list.status')}</th>
                <th scope="col">{t('list.defaultLanguage')}</th>
                <th scope="col">{t('list.created')}</th>
              </tr>
            </thead>
            <tbody>
              {surveys.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    <Link to={`/app/surveys/${s.id}`}>{s.name}</Link>
                    {s.archivedAt && <span className="badge">{t('list.archivedBadge')}</span>}
                  </th>
                  <td>{t(`list.kindNames.${s.kind}`)}</td>
                  <td>
                    <span className={`status status-${s.status}`}>{statusLabel(s.status)}</span>
                  </td>
                  <td>{languageName(s.defaultLanguage)}</td>
                  <td>{formatDateTime(s.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {can('surveys:write') && <CreateSurvey />}
    </>
  );
}

function CreateSurvey() {
  const { t } = useTranslation('surveys');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const val = (k: string) => String(f.get(k) ?? '').trim();
    const texts: Partial<Record<TextKey, Localized>> = {};
    const missing: string[] = [];
    for (const x of TEXTS) {
      const nl = val(`${x.key}-nl`);
      const en = val(`${x.key}-en`);
      if (nl && en) texts[x.key] = { nl, en };
      else if (nl || en) missing.push(t(`create.texts.${x.key}`));
    }
    if (missing.length) {
      setProblem({
        type: 'about:blank',
        title: t('create.bothTitle'),
        status: 0,
        code: 'client_error',
        detail: t('create.bothDetail', { fields: missing.join(', ') }),
      });
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const survey = await post<Survey>('/api/v1/surveys', {
        name: val('name'),
        kind: (val('kind') || 'nps') as SurveyKind,
        defaultLanguage: (val('defaultLanguage') || 'nl') as Lang,
        anonymity: (val('anonymity') || 'identified') as Anonymity,
        minGroupSize: Number(val('minGroupSize') || 5),
        ...(Object.keys(texts).length && (val('kind') || 'nps') === 'nps' ? { texts } : {}),
      });
      navigate(`/app/surveys/${survey.id}${survey.kind === 'nps' ? '' : '/questions'}`);
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="create-survey-heading" className="card">
      <h2 id="create-survey-heading">{t('create.heading')}</h2>
      <p className="hint">{t('create.hint')}</p>
      <ProblemAlert problem={problem} heading={t('create.notCreated')} />
      <form onSubmit={submit}>
        <Field label={t('create.name')} name="name" required maxLength={200} />
        <div className="field">
          <label htmlFor="survey-kind">{t('create.template')}</label>
          <select id="survey-kind" name="kind" defaultValue="nps">
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`create.kinds.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <fieldset>
          <legend>{t('create.anonymity')}</legend>
          {ANONYMITIES.map((a) => (
            <label className="choice" key={a}>
              <input type="radio" name="anonymity" value={a} defaultChecked={a === 'identified'} />{' '}
              {t(`anonymity.${a}`)}
            </label>
          ))}
        </fieldset>
        <Field
          label={t('create.minGroupSize')}
          name="minGroupSize"
          type="number"
          min={3}
          max={1000}
          defaultValue={5}
          hint={t('create.minGroupSizeHint')}
        />
        <fieldset>
          <legend>{t('create.defaultLanguage')}</legend>
          <p className="hint">{t('create.defaultLanguageHint')}</p>
          <label className="choice">
            <input type="radio" name="defaultLanguage" value="nl" defaultChecked /> {t('create.dutch')}
          </label>
          <label className="choice">
            <input type="radio" name="defaultLanguage" value="en" /> {t('create.english')}
          </label>
        </fieldset>
        <details>
          <summary>{t('create.textsSummary')}</summary>
          <p className="hint">
            <Trans t={t} i18nKey="create.textsHint" components={{ code: <code /> }} />
          </p>
          {TEXTS.map((x) => (
            <fieldset key={x.key} className="text-pair">
              <legend>{t(`create.texts.${x.key}`)}</legend>
              {(['nl', 'en'] as const).map((lang) => (
                <div className="field" key={lang}>
                  <label htmlFor={`text-${x.key}-${lang}`}>
                    {t('create.textIn', {
                      label: t(`create.texts.${x.key}`),
                      language: lang === 'nl' ? t('create.dutch') : t('create.english'),
                    })}
                  </label>
                  {x.multiline ? (
                    <textarea
                      id={`text-${x.key}-${lang}`}
                      name={`${x.key}-${lang}`}
                      lang={lang}
                      rows={4}
                      maxLength={2000}
                    />
                  ) : (
                    <input id={`text-${x.key}-${lang}`} name={`${x.key}-${lang}`} lang={lang} maxLength={2000} />
                  )}
                </div>
              ))}
            </fieldset>
          ))}
        </details>
        <button type="submit" disabled={busy}>
          {busy ? t('create.busy') : t('create.submit')}
        </button>
      </form>
    </section>
  );
}
