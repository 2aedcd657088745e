import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get, post, put, toProblem } from '../api';
import { ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { formatDateTime, languageName } from '../format';
import { useCan } from '../session';
import type { EmailTemplate, Problem, Survey } from '../types';
import { MailPreview } from './SendOptions';

type Draft = Omit<EmailTemplate, 'id' | 'updatedAt'> & { id?: string };
const EMPTY: Draft = {
  kind: 'invitation',
  name: '',
  isDefault: false,
  subject: {
    nl: '{organisatie} hoort graag je mening over {vragenlijst}',
    en: '{organisation} would like to hear from you about {survey}',
  },
  body: {
    // Issue 14 point 4: the survey's own size ({omvang}, {duur}), not "a minute" for any survey.
    nl: 'Beste {voornaam},\n\nWil je ons helpen met {omvang} over {vragenlijst}? Het kost je {duur}.\n\n{link}',
    en: 'Dear {first_name},\n\nWould you help us with {length} about {survey}? It takes {duration}.\n\n{link}',
  },
};

/** Email templates: invitation and reminder texts per language, with placeholders; preview and test-send. */
export function TemplatesPage() {
  const { t } = useTranslation(['mail', 'common']);
  useTitle(t('templates.title'));
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
      setMessage(t('templates.saved', { name: draft.name }));
      setDraft(null);
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  async function remove(x: EmailTemplate) {
    if (!window.confirm(t('templates.deleteConfirm', { name: x.name }))) return;
    try {
      await api('DELETE', `/api/v1/email-templates/${x.id}`);
      setMessage(t('templates.deleted', { name: x.name }));
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  const text = (lang: 'nl' | 'en', part: 'subject' | 'body', v: string) =>
    draft && setDraft({ ...draft, [part]: { ...draft[part], [lang]: v } });

  return (
    <>
      <h1 tabIndex={-1}>{t('templates.title')}</h1>
      <p>{t('templates.intro', { placeholders: placeholders.join(' ') })}</p>
      <ProblemAlert problem={problem} heading={t('templates.notSaved')} />
      <p role="status" className="status-line">
        {message}
      </p>
      {!templates ? (
        <p>{t('common:actions.loading')}</p>
      ) : templates.length === 0 ? (
        <p>{t('templates.none')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>{t('templates.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('templates.name')}</th>
                <th scope="col">{t('templates.kind')}</th>
                <th scope="col">{t('templates.default')}</th>
                <th scope="col">{t('templates.changed')}</th>
                <th scope="col">{t('templates.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {templates.map((x) => (
                <tr key={x.id}>
                  <td>{x.name}</td>
                  <td>{t(`templates.kinds.${x.kind}`)}</td>
                  <td>{x.isDefault ? t('common:yes') : t('common:no')}</td>
                  <td>{formatDateTime(x.updatedAt)}</td>
                  <td>
                    {can('invitations:send') && (
                      <>
                        <button type="button" className="button-quiet" onClick={() => setDraft({ ...x })}>
                          {t('templates.edit', { name: x.name })}
                        </button>{' '}
                        <button type="button" className="button-quiet" onClick={() => void remove(x)}>
                          {t('templates.delete', { name: x.name })}
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
          {t('templates.new')}
        </button>
      )}
      {draft && (
        <section className="card" aria-labelledby="tpl-heading">
          <h2 id="tpl-heading">{draft.id ? t('templates.editHeading', { name: draft.name }) : t('templates.new')}</h2>
          <form onSubmit={save}>
            <div className="field">
              <label htmlFor="tpl-name">{t('templates.name')}</label>
              <input
                id="tpl-name"
                required
                maxLength={200}
                value={draft.name}
                onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
              />
            </div>
            <div className="field">
              <label htmlFor="tpl-kind">{t('templates.kind')}</label>
              <select
                id="tpl-kind"
                value={draft.kind}
                onChange={(e) => setDraft({ ...draft, kind: e.currentTarget.value as 'invitation' | 'reminder' })}
              >
                <option value="invitation">{t('templates.kinds.invitation')}</option>
                <option value="reminder">{t('templates.kinds.reminder')}</option>
              </select>
            </div>
            <label className="choice">
              <input
                type="checkbox"
                checked={draft.isDefault}
                onChange={(e) => setDraft({ ...draft, isDefault: e.currentTarget.checked })}
              />{' '}
              {t('templates.defaultFor')}
            </label>
            {(['nl', 'en'] as const).map((lang) => (
              <fieldset key={lang}>
                <legend>{languageName(lang)}</legend>
                <div className="field">
                  <label htmlFor={`tpl-subject-${lang}`}>{t('templates.subject')}</label>
                  <input
                    id={`tpl-subject-${lang}`}
                    required
                    value={draft.subject[lang]}
                    onChange={(e) => text(lang, 'subject', e.currentTarget.value)}
                  />
                </div>
                <div className="field">
                  <label htmlFor={`tpl-body-${lang}`}>{t('templates.text')}</label>
                  <textarea
                    id={`tpl-body-${lang}`}
                    required
                    rows={8}
                    value={draft.body[lang]}
                    onChange={(e) => text(lang, 'body', e.currentTarget.value)}
                  />
                </div>
              </fieldset>
            ))}
            <div className="actions-row">
              <button type="submit">{t('templates.save')}</button>
              <button type="button" className="button-quiet" onClick={() => setDraft(null)}>
                {t('common:actions.cancel')}
              </button>
            </div>
          </form>
          {surveys[0] ? (
            <>
              <h3>{t('templates.previewWith', { name: surveys[0].name })}</h3>
              <MailPreview surveyId={surveys[0].id} kind={draft.kind} subject={draft.subject} body={draft.body} />
            </>
          ) : (
            <p className="hint">{t('templates.createSurvey')}</p>
          )}
        </section>
      )}
    </>
  );
}
