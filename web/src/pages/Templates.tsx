import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, get, post, put, toProblem } from '../api';
import { ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { formatDateTime } from '../format';
import { useCan } from '../session';
import type { EmailTemplate, Problem, Survey } from '../types';
import { MailPreview } from './SendOptions';

type Draft = Omit<EmailTemplate, 'id' | 'updatedAt'> & { id?: string };
const EMPTY: Draft = {
  kind: 'invitation',
  name: '',
  isDefault: false,
  subject: { nl: '{organisatie} hoort graag je mening', en: '{organisation} would like to hear from you' },
  body: { nl: 'Beste {voornaam},\n\nWil je {vragenlijst} invullen? Het kost een minuut.\n\n{link}', en: 'Dear {first_name},\n\nWould you fill in {survey}? It takes a minute.\n\n{link}' },
};

/** Email templates: invitation and reminder texts per language, with placeholders; preview and test-send. */
export function TemplatesPage() {
  useTitle('Email templates');
  const can = useCan();
  const [templates, setTemplates] = useState<EmailTemplate[] | null>(null);
  const [placeholders, setPlaceholders] = useState<string[]>([]);
  const [surveys, setSurveys] = useState<Survey[]>([]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [message, setMessage] = useState('');

  const load = useCallback(async () => {
    try {
      const r = await get<{ templates: EmailTemplate[]; placeholders: string[] }>('/api/v1/email-templates');
      setTemplates(r.templates);
      setPlaceholders(r.placeholders);
    } catch (err) {
      setProblem(toProblem(err));
    }
  }, []);
  useEffect(() => {
    void load();
    get<{ surveys: Survey[] }>('/api/v1/surveys')
      .then((r) => setSurveys(r.surveys))
      .catch(() => setSurveys([]));
  }, [load]);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!draft) return;
    setProblem(null);
    const { id, ...body } = draft;
    try {
      if (id) await put(`/api/v1/email-templates/${id}`, body);
      else await post('/api/v1/email-templates', body);
      setMessage(`Template “${draft.name}” saved.`);
      setDraft(null);
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  async function remove(t: EmailTemplate) {
    if (!window.confirm(`Delete the template “${t.name}”?`)) return;
    try {
      await api('DELETE', `/api/v1/email-templates/${t.id}`);
      setMessage(`Template “${t.name}” deleted.`);
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  const text = (lang: 'nl' | 'en', part: 'subject' | 'body', v: string) => draft && setDraft({ ...draft, [part]: { ...draft[part], [lang]: v } });

  return (
    <>
      <h1 tabIndex={-1}>Email templates</h1>
      <p>
        The texts of invitations and reminders, in Dutch and English. Placeholders: {placeholders.join(' ')}. Every mail also gets the answer button and an
        unsubscribe link. Without a template, the survey's own invitation text is used.
      </p>
      <ProblemAlert problem={problem} heading="The template was not saved" />
      <p role="status" className="status-line">
        {message}
      </p>
      {!templates ? (
        <p>Loading…</p>
      ) : templates.length === 0 ? (
        <p>There are no templates yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>Templates</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Default</th>
                <th scope="col">Changed</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {templates.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td>{t.kind}</td>
                  <td>{t.isDefault ? 'yes' : 'no'}</td>
                  <td>{formatDateTime(t.updatedAt)}</td>
                  <td>
                    {can('invitations:send') && (
                      <>
                        <button type="button" className="button-quiet" onClick={() => setDraft({ ...t })}>
                          Edit {t.name}
                        </button>{' '}
                        <button type="button" className="button-quiet" onClick={() => void remove(t)}>
                          Delete {t.name}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {can('invitations:send') && !draft && (
        <button type="button" onClick={() => setDraft({ ...EMPTY })}>
          New template
        </button>
      )}
      {draft && (
        <section className="card" aria-labelledby="tpl-heading">
          <h2 id="tpl-heading">{draft.id ? `Edit “${draft.name}”` : 'New template'}</h2>
          <form onSubmit={save}>
            <div className="field">
              <label htmlFor="tpl-name">Name</label>
              <input id="tpl-name" required maxLength={200} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })} />
            </div>
            <div className="field">
              <label htmlFor="tpl-kind">Kind</label>
              <select id="tpl-kind" value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.currentTarget.value as 'invitation' | 'reminder' })}>
                <option value="invitation">Invitation</option>
                <option value="reminder">Reminder</option>
              </select>
            </div>
            <label className="choice">
              <input type="checkbox" checked={draft.isDefault} onChange={(e) => setDraft({ ...draft, isDefault: e.currentTarget.checked })} /> Default for this kind
            </label>
            {(['nl', 'en'] as const).map((lang) => (
              <fieldset key={lang}>
                <legend>{lang === 'nl' ? 'Dutch (Nederlands)' : 'English'}</legend>
                <div className="field">
                  <label htmlFor={`tpl-subject-${lang}`}>Subject</label>
                  <input id={`tpl-subject-${lang}`} required value={draft.subject[lang]} onChange={(e) => text(lang, 'subject', e.currentTarget.value)} />
                </div>
                <div className="field">
                  <label htmlFor={`tpl-body-${lang}`}>Text</label>
                  <textarea id={`tpl-body-${lang}`} required rows={8} value={draft.body[lang]} onChange={(e) => text(lang, 'body', e.currentTarget.value)} />
                </div>
              </fieldset>
            ))}
            <div className="actions-row">
              <button type="submit">Save template</button>
              <button type="button" className="button-quiet" onClick={() => setDraft(null)}>
                Cancel
              </button>
            </div>
          </form>
          {surveys[0] ? (
            <>
              <h3>Preview with the survey “{surveys[0].name}”</h3>
              <MailPreview surveyId={surveys[0].id} kind={draft.kind} subject={draft.subject} body={draft.body} />
            </>
          ) : (
            <p className="hint">Create a survey to preview this template.</p>
          )}
        </section>
      )}
    </>
  );
}
