import { useEffect, useRef, useState, type ReactNode } from 'react';
import { get } from '../api';
import { useLoad } from '../components/useLoad';
import { ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { formatDateTime } from '../format';
import type { OutboxMessage, Problem } from '../types';

const KINDS: Record<string, string> = { invitation: 'Survey invitation', reminder: 'Survey reminder', test: 'Test mail', 'user-invite': 'Colleague invitation' };

export function OutboxPage() {
  useTitle('Outbox');
  const [data, setData] = useState<{ mode: 'smtp' | 'outbox'; messages: OutboxMessage[] } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const reader = useRef<HTMLElement>(null);

  const load = useLoad(async () => {
    setData(await get<{ mode: 'smtp' | 'outbox'; messages: OutboxMessage[] }>('/api/v1/outbox?limit=200'));
    setProblem(null);
  }, setProblem);
  useEffect(() => {
    if (openId) reader.current?.focus();
  }, [openId]);

  const open = data?.messages.find((m) => m.id === openId) ?? null;
  return (
    <>
      <h1 tabIndex={-1}>Outbox</h1>
      {data?.mode === 'smtp' ? (
        <p>
          Mail is sent through the mail server set in <code>SMTP_URL</code>. Messages below were kept here earlier, when no mail server was
          set.
        </p>
      ) : (
        <p className="alert alert-info">
          No mail server is set (<code>SMTP_URL</code>), so Peil sends no email: every message is kept here instead, where you can read it
          and open its links. Set <code>SMTP_URL</code> to send real email.
        </p>
      )}
      <ProblemAlert problem={problem} />
      <div className="actions-row">
        <button type="button" className="button-quiet" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      {data && data.messages.length === 0 && <p>The outbox is empty.</p>}
      {data && data.messages.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Messages, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
                <th scope="col">Kind</th>
              </tr>
            </thead>
            <tbody>
              {data.messages.map((m) => (
                <tr key={m.id} aria-selected={m.id === openId}>
                  <td>{formatDateTime(m.createdAt)}</td>
                  <td>{m.to}</td>
                  <td>
                    <button type="button" className="linklike" onClick={() => setOpenId(m.id)} aria-pressed={m.id === openId}>
                      {m.subject || '(no subject)'}
                    </button>
                  </td>
                  <td>{KINDS[m.kind] ?? m.kind}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open && (
        <article className="card message" aria-labelledby="message-subject" tabIndex={-1} ref={reader}>
          <h2 id="message-subject">{open.subject || '(no subject)'}</h2>
          <dl className="headers">
            <div>
              <dt>From</dt>
              <dd>{open.from}</dd>
            </div>
            <div>
              <dt>To</dt>
              <dd>{open.to}</dd>
            </div>
            <div>
              <dt>Date</dt>
              <dd>{formatDateTime(open.createdAt)}</dd>
            </div>
          </dl>
          <h3>Text</h3>
          <pre className="mail-text">{linkify(open.text)}</pre>
          {open.html && (
            <>
              <h3>As HTML</h3>
              {/* A document of its own (its policy allows the mail's inline style); sandbox="": no
                  scripts, no forms, no navigation of this page. */}
              <iframe className="mail-html" title={`HTML version of “${open.subject}”`} sandbox="" src={`/api/v1/outbox/${encodeURIComponent(open.id)}/html`} />
            </>
          )}
          <button type="button" className="button-quiet" onClick={() => setOpenId(null)}>
            Close message
          </button>
        </article>
      )}
    </>
  );
}

/** Plain text with its http(s) links made clickable; everything else stays text. */
function linkify(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  const re = /https?:\/\/[^\s<>"]+/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const url = m[0].replace(/[.,;:!?)]+$/, '');
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(
      <a key={m.index} href={url} target="_blank" rel="noopener noreferrer">
        {url}
      </a>,
    );
    last = m.index + url.length;
    re.lastIndex = last;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
