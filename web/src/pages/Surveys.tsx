import { useEffect, useState, type FormEvent } from 'react';
import { get, post, toProblem } from '../api';
import { Field } from '../components/Field';
import { ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { formatDateTime, LANGUAGE_NAMES } from '../format';
import { Link, navigate } from '../router';
import { useCan } from '../session';
import type { Anonymity, Lang, Localized, Problem, Survey, SurveyKind } from '../types';
import { ANONYMITY_LABELS } from './SurveyEditor';

type TextKey = 'score' | 'why' | 'subject' | 'body';
const TEXTS: Array<{ key: TextKey; label: string; multiline?: boolean }> = [
  { key: 'score', label: 'Score question (0–10)' },
  { key: 'why', label: 'Open question' },
  { key: 'subject', label: 'Invitation subject' },
  { key: 'body', label: 'Invitation text', multiline: true },
];

export function SurveysPage() {
  useTitle('Surveys');
  const can = useCan();
  const [surveys, setSurveys] = useState<Survey[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    const ac = new AbortController();
    get<{ surveys: Survey[] }>('/api/v1/surveys', ac.signal)
      .then((r) => setSurveys(r.surveys))
      .catch((err: unknown) => {
        if ((err as Error).name !== 'AbortError') setProblem(toProblem(err));
      });
    return () => ac.abort();
  }, []);

  return (
    <>
      <h1 tabIndex={-1}>Surveys</h1>
      <ProblemAlert problem={problem} />
      {!surveys ? (
        <p>Loading surveys…</p>
      ) : surveys.length === 0 ? (
        <p>No surveys yet.{can('surveys:write') ? ' Create the first one below.' : ''}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Surveys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Default language</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {surveys.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    <Link to={`/app/surveys/${s.id}`}>{s.name}</Link>
                  </th>
                  <td>{s.kind.toUpperCase()}</td>
                  <td>
                    <span className={`status status-${s.status}`}>{s.status}</span>
                  </td>
                  <td>{LANGUAGE_NAMES[s.defaultLanguage]}</td>
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
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const val = (k: string) => String(f.get(k) ?? '').trim();
    const texts: Partial<Record<TextKey, Localized>> = {};
    const missing: string[] = [];
    for (const t of TEXTS) {
      const nl = val(`${t.key}-nl`);
      const en = val(`${t.key}-en`);
      if (nl && en) texts[t.key] = { nl, en };
      else if (nl || en) missing.push(t.label);
    }
    if (missing.length) {
      setProblem({
        type: 'about:blank',
        title: 'Both languages needed',
        status: 0,
        code: 'client_error',
        detail: `Respondents can answer in Dutch or English, so a changed text needs both versions. Fill in both, or leave both empty for the standard text: ${missing.join(', ')}.`,
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
      <h2 id="create-survey-heading">New survey</h2>
      <p className="hint">
        Start from a template, then add, change and reorder questions under Questions. An NPS survey asks “How likely are you to recommend us?” on a scale from 0 to 10, and then an open “why?”, in Dutch and English.
      </p>
      <ProblemAlert problem={problem} heading="The survey was not created" />
      <form onSubmit={submit}>
        <Field label="Survey name" name="name" required maxLength={200} />
        <div className="field">
          <label htmlFor="survey-kind">Template</label>
          <select id="survey-kind" name="kind" defaultValue="nps">
            <option value="nps">NPS: customers, 0–10</option>
            <option value="enps">eNPS: employees, 0–10</option>
            <option value="csat">CSAT: satisfaction, 1–5</option>
            <option value="ces">CES: effort, 1–7</option>
            <option value="custom">Custom questionnaire</option>
          </select>
        </div>
        <fieldset>
          <legend>Anonymity</legend>
          {(Object.keys(ANONYMITY_LABELS) as Anonymity[]).map((a) => (
            <label className="choice" key={a}>
              <input type="radio" name="anonymity" value={a} defaultChecked={a === 'identified'} /> {ANONYMITY_LABELS[a]}
            </label>
          ))}
        </fieldset>
        <Field label="Minimum group size (confidential surveys)" name="minGroupSize" type="number" min={3} max={1000} defaultValue={5} hint="At least 3. Once there are responses it can be raised, but not lowered." />
        <fieldset>
          <legend>Default language</legend>
          <p className="hint">For contacts without a language of their own.</p>
          <label className="choice">
            <input type="radio" name="defaultLanguage" value="nl" defaultChecked /> Dutch
          </label>
          <label className="choice">
            <input type="radio" name="defaultLanguage" value="en" /> English
          </label>
        </fieldset>
        <details>
          <summary>Change the NPS question and invitation texts (optional)</summary>
          <p className="hint">
            Leave a pair empty to keep the standard text. In the invitation text, <code>{'{naam}'}</code> or <code>{'{name}'}</code> becomes the contact’s first name.
          </p>
          {TEXTS.map((t) => (
            <fieldset key={t.key} className="text-pair">
              <legend>{t.label}</legend>
              {(['nl', 'en'] as const).map((lang) => (
                <div className="field" key={lang}>
                  <label htmlFor={`text-${t.key}-${lang}`}>
                    {t.label} in {LANGUAGE_NAMES[lang]}
                  </label>
                  {t.multiline ? (
                    <textarea id={`text-${t.key}-${lang}`} name={`${t.key}-${lang}`} lang={lang} rows={4} maxLength={2000} />
                  ) : (
                    <input id={`text-${t.key}-${lang}`} name={`${t.key}-${lang}`} lang={lang} maxLength={2000} />
                  )}
                </div>
              ))}
            </fieldset>
          ))}
        </details>
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create survey'}
        </button>
      </form>
    </section>
  );
}
