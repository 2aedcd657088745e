import { useState, type FormEvent } from 'react';
import { get, patch, toProblem } from '../../api';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { formatDateTime, fullName } from '../../format';
import { Link } from '../../router';
import { useCan } from '../../session';
import type { FollowUpDetail, FollowUpStatus, Problem, User } from '../../types';
import { STATUS_LABELS } from './labels';

/** One follow-up: the answer (as the role may see it), its status, owner and notes (issue 12). */
export function FollowUpDetailView({ id, onChanged }: { id: string; onChanged: () => Promise<void> }) {
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
    await change({ note }, 'Notitie opgeslagen. / Note saved.');
    setNote('');
  }

  const owners = users.filter(
    (u) => u.status === 'active' && (u.role === 'owner' || u.role === 'admin' || u.role === 'analyst'),
  );
  return (
    <>
      <p>
        <Link to="/app/follow-ups">← Alle opvolgingen / All follow-ups</Link>
      </p>
      <h1 tabIndex={-1}>Opvolging / Follow-up{f ? `: ${f.surveyName}` : ''}</h1>
      <ProblemAlert problem={problem} />
      <p role="status" className="status-line">
        {message}
      </p>
      {f && (
        <>
          <dl className="facts">
            <dt>Status</dt>
            <dd data-testid="followup-status">{STATUS_LABELS[f.status]}</dd>
            <dt>Eigenaar / Owner</dt>
            <dd>{f.owner?.name ?? '—'}</dd>
            <dt>Beantwoord / Answered</dt>
            <dd>{formatDateTime(f.answeredAt)}</dd>
            <dt>Uiterlijk / Due</dt>
            <dd>
              {formatDateTime(f.dueAt)} {f.overdue && <strong>te laat / overdue</strong>}
            </dd>
            {f.doneAt && (
              <>
                <dt>Afgehandeld / Done</dt>
                <dd>{formatDateTime(f.doneAt)}</dd>
              </>
            )}
            {f.score !== null && (
              <>
                <dt>Score</dt>
                <dd>
                  {f.score}
                  {f.category ? ` (${f.category.nl} / ${f.category.en})` : ''}
                </dd>
              </>
            )}
          </dl>

          <section className="card" aria-labelledby="fu-contact">
            <h2 id="fu-contact">Contact</h2>
            {f.contact ? (
              <dl className="facts">
                <dt>Naam / Name</dt>
                <dd>{fullName(f.contact) || '—'}</dd>
                <dt>E-mail</dt>
                <dd>{f.contact.email ?? '—'}</dd>
                <dt>Telefoon / Phone</dt>
                <dd>{f.contact.phone ?? '—'}</dd>
              </dl>
            ) : (
              <p className="hint">
                {f.access.contact
                  ? 'Geen contact meer (verwijderd). / The contact no longer exists.'
                  : 'Uw rol ziet geen contactgegevens. / Your role does not see contact details.'}
              </p>
            )}
          </section>

          {f.answers && (
            <section className="card" aria-labelledby="fu-answers">
              <h2 id="fu-answers">Antwoorden / Answers</h2>
              <dl className="facts">
                {f.answers.map((a) => (
                  <div key={a.questionId}>
                    <dt>{a.text.nl}</dt>
                    <dd>{a.label ?? (Array.isArray(a.value) ? a.value.join(', ') : String(a.value))}</dd>
                  </div>
                ))}
              </dl>
            </section>
          )}

          {f.access.update && (
            <section className="card" aria-labelledby="fu-work">
              <h2 id="fu-work">Afhandelen / Handle</h2>
              <div className="actions-row">
                {f.status !== 'in_progress' && (
                  <button
                    type="button"
                    className="button-secondary"
                    disabled={busy}
                    onClick={() => void change({ status: 'in_progress' }, 'In behandeling. / In progress.')}
                  >
                    In behandeling nemen / Start
                  </button>
                )}
                {f.status !== 'done' && (
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() => void change({ status: 'done' }, 'Afgehandeld. / Done.')}
                  >
                    Afgehandeld / Mark done
                  </button>
                )}
                {f.status === 'done' && (
                  <button
                    type="button"
                    className="button-secondary"
                    disabled={busy}
                    onClick={() => void change({ status: 'open' }, 'Heropend. / Reopened.')}
                  >
                    Heropenen / Reopen
                  </button>
                )}
              </div>
              {owners.length > 0 && (
                <div className="field">
                  <label htmlFor="fu-owner-change">Eigenaar / Owner</label>
                  <select
                    id="fu-owner-change"
                    value={f.owner?.id ?? ''}
                    disabled={busy}
                    onChange={(e) =>
                      void change(
                        { ownerId: e.target.value || null },
                        'Eigenaar gewijzigd; die krijgt een mail. / Owner changed; they are mailed.',
                      )
                    }
                  >
                    <option value="">Niemand / Nobody</option>
                    {owners.map((u) => (
                      <option key={u.id} value={u.id}>
                        {u.name} ({u.role})
                      </option>
                    ))}
                  </select>
                </div>
              )}
              <form onSubmit={addNote}>
                <div className="field">
                  <label htmlFor="fu-note">Notitie / Note</label>
                  <textarea
                    id="fu-note"
                    rows={3}
                    maxLength={5000}
                    value={note}
                    onChange={(e) => setNote(e.target.value)}
                    aria-describedby="fu-note-hint"
                  />
                  <p className="hint" id="fu-note-hint">
                    Versleuteld opgeslagen; niet in het logboek. / Stored encrypted; never in the log.
                  </p>
                </div>
                <button type="submit" className="button-secondary" disabled={busy || !note.trim()}>
                  Notitie toevoegen / Add note
                </button>
              </form>
            </section>
          )}

          {f.notes && f.notes.length > 0 && (
            <section className="card" aria-labelledby="fu-notes">
              <h2 id="fu-notes">Notities / Notes</h2>
              <ul>
                {f.notes.map((n, i) => (
                  <li key={i}>
                    <span className="muted">
                      {formatDateTime(n.at)} — {n.byName ?? '?'}:
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
