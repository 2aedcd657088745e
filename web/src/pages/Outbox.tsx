import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { get } from '../api';
import { useLoad } from '../components/useLoad';
import { ProblemAlert } from '../components/ProblemAlert';
import { useTitle } from '../components/useTitle';
import { formatDateTime } from '../format';
import type { OutboxMessage, Problem } from '../types';

const KINDS = ['invitation', 'reminder', 'test', 'user-invite'] as const;
const isKind = (k: string): k is (typeof KINDS)[number] => (KINDS as readonly string[]).includes(k);

export function OutboxPage() {
  const { t } = useTranslation(['mail', 'common']);
  useTitle(t('outbox.title'));
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
      <h1 tabIndex={-1}>{t('outbox.title')}</h1>
      {data?.mode === 'smtp' ? (
        <p>
          <Trans t={t} i18nKey="outbox.smtp" components={{ code: <code /> }} />
        </p>
      ) : (
        <p className="alert alert-info">
          <Trans t={t} i18nKey="outbox.noSmtp" components={{ code: <code /> }} />
        </p>
      )}
      <ProblemAlert problem={problem} />
      <div className="actions-row">
        <button type="button" className="button-quiet" onClick={() => void load()}>
          {t('outbox.refresh')}
        </button>
      </div>
      {data && data.messages.length === 0 && <p>{t('outbox.empty')}</p>}
      {data && data.messages.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t('outbox.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('outbox.date')}</th>
                <th scope="col">{t('outbox.to')}</th>
                <th scope="col">{t('outbox.subject')}</th>
                <th scope="col">{t('outbox.kind')}</th>
              </tr>
            </thead>
            <tbody>
              {data.messages.map((m) => (
                <tr key={m.id} aria-selected={m.id === openId}>
                  <td>{formatDateTime(m.createdAt)}</td>
                  <td>{m.to}</td>
                  <td>
                    <button
                      type="button"
                      className="linklike"
                      onClick={() => setOpenId(m.id)}
                      aria-pressed={m.id === openId}
                    >
                      {m.subject || t('outbox.noSubject')}
                    </button>
                  </td>
                  <td>{isKind(m.kind) ? t(`outbox.kinds.${m.kind}`) : m.kind}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open && (
        <article className="card message" aria-labelledby="message-subject" tabIndex={-1} ref={reader}>
          <h2 id="message-subject">{open.subject || t('outbox.noSubject')}</h2>
          <dl className="headers">
            <div>
              <dt>{t('outbox.from')}</dt>
              <dd>{open.from}</dd>
            </div>
            <div>
              <dt>{t('outbox.to')}</dt>
              <dd>{open.to}</dd>
            </div>
            <div>
              <dt>{t('outbox.date')}</dt>
              <dd>{formatDateTime(open.createdAt)}</dd>
            </div>
          </dl>
          <h3>{t('outbox.text')}</h3>
          <pre className="mail-text">{linkify(open.text)}</pre>
          {open.html && (
            <>
              <h3>{t('outbox.html')}</h3>
              {/* A document of its own (its policy allows the mail's inline style); sandbox="": no
                  scripts, no forms, no navigation of this page. */}
              <iframe
                className="mail-html"
                title={t('outbox.htmlTitle', { subject: open.subject })}
                sandbox=""
                src={`/api/v1/outbox/${encodeURIComponent(open.id)}/html`}
              />
            </>
          )}
          <button type="button" className="button-quiet" onClick={() => setOpenId(null)}>
            {t('outbox.close')}
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
