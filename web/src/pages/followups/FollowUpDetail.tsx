import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { get, patch, toProblem } from '../../api';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { formatDateTime, fullName } from '../../format';
import { Link } from '../../router';
import { useCan } from '../../session';
import { surveyText, uiText } from '../../surveyText';
import type { FollowUpDetail, FollowUpStatus, Lang, Problem, User } from '../../types';
import { useRoleName } from './labels';

const other = (lang: Lang): Lang => (lang === 'nl' ? 'en' : 'nl');

/** One follow-up: the answer (as the role may see it), its status, owner and notes (issue 12). */
export function FollowUpDetailView({ id, onChanged }: { id: string; onChanged: () => Promise<void> }) {
  const { t, i18n } = useTranslation('followups');
  const lang: Lang = i18n.language === 'en' ? 'en' : 'nl';
  const roleName = useRoleName();
  const can = useCan();
  const [f, setF] = useState<FollowUpDetail | null>(null);
  const [users, setUsers] = useState<User[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [note, setNote] = useState('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  useLoad(
    async () => {
      setF(await get<FollowUpDetail>(`/api/v1/follow-ups/${id}`));
      if (can('followups:update') && can('users:read')) setUsers((await get<{ users: User[] }>('/api/v1/users')).users);
    },
    setProblem,
    [id],
  );

  async function change(body: { status?: FollowUpStatus; ownerId?: string | null; note?: string }, done: string) {
    setBusy(true);
    setProblem(null);
    setMessage('');
    try {
      setF(await patch<FollowUpDetail>(`/api/v1/follow-ups/${id}`, body));
      setMessage(done);
      await onChanged();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  async function addNote(e: FormEvent) {
    e.preventDefault();
    if (!note.trim()) return;
    await change({ note }, t('detail.noteSaved'));
    setNote('');
  }

  const owners = users.filter(
    (u) => u.status === 'active' && (u.role === 'owner' || u.role === 'admin' || u.role === 'analyst'),
  );
  return (
    <>
      <p>
        <Link to="/app/follow-ups">{t('detail.back')}</Link>
      </p>
      <h1 tabIndex={-1}>{f ? t('detail.headingOf', { survey: f.surveyName }) : t('detail.heading')}</h1>
      <ProblemAlert problem={problem} />
      <p role="status" className="status-line">
        {message}
      </p>
      {f && (
        <>
          <dl className="facts">
            <dt>{t('list.status')}</dt>
            <dd data-testid="followup-status">{t(`status.${f.status}`)}</dd>
            <dt>{t('list.owner')}</dt>
            <dd>{f.owner?.name ?? '—'}</dd>
            <dt>{t('detail.answered')}</dt>
            <dd>{formatDateTime(f.answeredAt)}</dd>
            <dt>{t('list.due')}</dt>
            <dd>
              {formatDateTime(f.dueAt)} {f.overdue && <strong>{t('list.overdue')}</strong>}
            </dd>
            {f.doneAt && (
              <>
                <dt>{t('detail.doneAt')}</dt>
                <dd>{formatDateTime(f.doneAt)}</dd>
              </>
            )}
            {f.score !== null && (
              <>
                <dt>{t('list.score')}</dt>
                <dd>
                  {f.score}
                  {f.category ? ` (${uiText(f.category)})` : ''}
                </dd>
              </>
            )}
          </dl>

          <section className="card" aria-labelledby="fu-contact">
            <h2 id="fu-contact">{t('detail.contact')}</h2>
            {f.contact ? (
              <dl className="facts">
                <dt>{t('detail.name')}</dt>
                <dd>{fullName(f.contact) || '—'}</dd>
                <dt>{t('detail.email')}</dt>
                <dd>{f.contact.email ?? '—'}</dd>
                <dt>{t('detail.phone')}</dt>
                <dd>{f.contact.phone ?? '—'}</dd>
              </dl>
            ) : (
              <p className="hint">{f.access.contact ? t('detail.contactGone') : t('detail.noContactAccess')}</p>
            )}
          </section>

          {f.answers && (
            <section className="card" aria-labelledby="fu-answers">
              <h2 id="fu-answers">{t('detail.answers')}</h2>
              {/* Issue 14: the question and a choice's labels in the user's language when the survey has it. */}
              <dl className="facts">
                {f.answers.map((a) => (
                  <div key={a.questionId} lang={a.text[lang] ? lang : other(lang)}>
                    <dt>{surveyText(a.text, lang)}</dt>
                    <dd>
                      {a.labels
                        ? surveyText(a.labels, lang)
                        : Array.isArray(a.value)
                          ? a.value.join(', ')
                          : String(a.value)}
                    </dd>
                  </div>
                ))}
              </dl>
            </section>
          )}

          {f.access.update && (
            <section className="card" aria-labelledby="fu-work">
              <h2 id="fu-work">{t('detail.handle')}</h2>
              <div className="actions-row">
                {f.status !== 'in_progress' && (
                  <button
                    type="button"
                    className="button-secondary"
                    disabled={busy}
                    onClick={() => void change({ status: 'in_progress' }, t('detail.started'))}
                  >
                    {t('detail.start')}
                  </button>
                )}
                {f.status !== 'done' && (
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() => void change({ status: 'done' }, t('detail.marked'))}
                  >
                    {t('detail.markDone')}
                  </button>
                )}
                {f.status === 'done' && (
                  <button
                    type="button"
                    className="button-secondary"
                    disabled={busy}
                    onClick={() => void change({ status: 'open' }, t('detail.reopened'))}
                  >
                    {t('detail.reopen')}
                  </button>
                )}
              </div>
              {owners.length > 0 && (
                <div className="field">
                  <label htmlFor="fu-owner-change">{t('list.owner')}</label>
                  <select
                    id="fu-owner-change"
                    value={f.owner?.id ?? ''}
                    disabled={busy}
                    onChange={(e) =>
                      void change(
                        { ownerId: e.target.value || null },
                        e.target.value ? t('detail.ownerChanged') : t('detail.ownerRemoved'),
                      )
                    }
                  >
                    <option value="">{t('list.nobody')}</option>
                    {owners.map((u) => (
                      <option key={u.id} value={u.id}>
                        {t('alerts.candidate', { name: u.name, role: roleName(u.role) })}
                      </option>
                    ))}
                  </select>
                </div>
              )}
              <form onSubmit={addNote}>
                <div className="field">
                  <label htmlFor="fu-note">{t('detail.note')}</label>
                  <textarea
                    id="fu-note"
                    rows={3}
                    maxLength={5000}
                    value={note}
                    onChange={(e) => setNote(e.target.value)}
                    aria-describedby="fu-note-hint"
                  />
                  <p className="hint" id="fu-note-hint">
                    {t('detail.noteHint')}
                  </p>
                </div>
                <button type="submit" className="button-secondary" disabled={busy || !note.trim()}>
                  {t('detail.addNote')}
                </button>
              </form>
            </section>
          )}

          {f.notes && f.notes.length > 0 && (
            <section className="card" aria-labelledby="fu-notes">
              <h2 id="fu-notes">{t('detail.notes')}</h2>
              <ul>
                {f.notes.map((n, i) => (
                  <li key={i}>
                    <span className="muted">
                      {t('detail.noteBy', { at: formatDateTime(n.at), name: n.byName ?? t('detail.unknown') })}
                    </span>{' '}
                    {n.text}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </>
  );
}
