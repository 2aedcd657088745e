import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { api, get, toProblem } from '../../api';
import { fieldErrors, ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { useTitle } from '../../components/useTitle';
import { formatDateTime, languageName } from '../../format';
import { currentLanguage, intlLocale } from '../../i18n';
import type { Problem } from '../../types';

type Lang = 'nl' | 'en';
type Block =
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; head: string[]; rows: string[][] }
  | { kind: 'subheading'; text: string };
interface Section {
  id: string;
  title: string;
  blocks: Block[];
}
interface AgreementDocument {
  lang: Lang;
  title: string;
  subtitle: string;
  sections: Section[];
  annexes: Section[];
  version: string;
  sha256: string;
}
interface Text {
  nl: string;
  en: string;
}
interface Announcement {
  id: string;
  fromVersion: string;
  toVersion: string;
  summary: Text;
  changes: Array<{ term: string; label: Text; from: Text; to: Text }>;
  announcedAt: string | null;
  deadline: string | null;
  workingDays: number;
  state: 'pending' | 'objected' | 'accepted' | 'withdrawn' | 'reannounced';
  stateText: Text;
  objection: { at: string; reason: string } | null;
}
interface Versions {
  version: string;
  accepted: boolean;
  deemedAccepted: boolean;
  acceptances: Array<{
    id: string;
    version: string;
    lang: Lang;
    sha256: string;
    acceptedAt: string;
    acceptedBy: { name: string };
  }>;
  announcements: Announcement[];
}

const date = (d: string) =>
  new Date(`${d}T12:00:00Z`).toLocaleDateString(intlLocale(), {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

function BlockView({ b }: { b: Block }) {
  switch (b.kind) {
    case 'paragraph':
      return <p>{b.text}</p>;
    case 'subheading':
      return <h4>{b.text}</h4>;
    case 'list':
      return (
        <ul>
          {b.items.map((i, n) => (
            <li key={n}>{i}</li>
          ))}
        </ul>
      );
    case 'table':
      return (
        <table>
          <thead>
            <tr>
              {b.head.map((h, n) => (
                <th key={n} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {b.rows.map((r, n) => (
              <tr key={n}>
                {r.map((c, m) => (
                  <td key={m}>{c}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      );
  }
}

/**
 * OBLIGATIONS AGR-4, AGR-3: the agreement as a document in the chosen language (generated from live
 * state), downloads as PDF and Markdown, the acceptance state and, for the owner, acceptance of the
 * exact text shown (its SHA-256 comes with the document) and objections to announced versions.
 */
export function AgreementDocumentPage({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation('privacy');
  useTitle(t('document.title'));
  // The document opens in the user's language; the text itself is the server's (the binding text).
  const [lang, setLang] = useState<Lang>(currentLanguage());
  const ui = currentLanguage();
  const [doc, setDoc] = useState<AgreementDocument | null>(null);
  const [versions, setVersions] = useState<Versions | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const load = useLoad(
    async () => {
      const [d, v] = await Promise.all([
        get<AgreementDocument>(`/api/v1/agreement/document?lang=${lang}&format=json`),
        get<Versions>('/api/v1/agreement/versions'),
      ]);
      setDoc(d);
      setVersions(v);
    },
    setProblem,
    [lang],
  );

  async function accept() {
    if (!doc) return;
    setProblem(null);
    try {
      setVersions(
        await api<Versions>('POST', '/api/v1/agreement/accept', {
          version: doc.version,
          lang: doc.lang,
          sha256: doc.sha256,
        }),
      );
      setStatus(t('document.accepted', { version: doc.version }));
    } catch (err) {
      setProblem(toProblem(err));
      // The text changed since it was shown: show the current one, to be read again.
      await load();
    }
  }

  async function object(e: FormEvent<HTMLFormElement>, id: string) {
    e.preventDefault();
    const reason = String(new FormData(e.currentTarget).get('reason') ?? '').trim();
    setProblem(null);
    try {
      setVersions(await api<Versions>('POST', `/api/v1/agreement/versions/${id}/objection`, { reason }));
      setStatus(t('document.objected'));
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  const pending = versions?.announcements.filter((a) => a.state === 'pending' || a.state === 'objected') ?? [];
  const base = `/api/v1/agreement/document?lang=${lang}`;
  return (
    <>
      <h1 tabIndex={-1}>{t('document.title')}</h1>
      <ProblemAlert problem={problem} />
      <p role="status">{status}</p>
      <div className="actions-row">
        <label>
          {t('document.language')}{' '}
          <select value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
            <option value="nl">{languageName('nl')}</option>
            <option value="en">{languageName('en')}</option>
          </select>
        </label>
        <a href={`${base}&format=pdf`} download>
          {t('document.pdf')}
        </a>
        <a href={`${base}&format=md`} download>
          {t('document.markdown')}
        </a>
        <a href={`${base}&format=html`} target="_blank" rel="noopener">
          {t('document.openPage')}
        </a>
      </div>

      {versions && (
        <section aria-labelledby="acceptance">
          <h2 id="acceptance">{t('document.acceptance')}</h2>
          <p>
            <Trans
              t={t}
              i18nKey="document.inForce"
              values={{
                version: versions.version,
                state: t(
                  versions.accepted
                    ? 'document.state.accepted'
                    : versions.deemedAccepted
                      ? 'document.state.deemed'
                      : 'document.state.open',
                ),
              }}
              components={{ strong: <strong /> }}
            />
          </p>
          {versions.acceptances.length > 0 && (
            <ul>
              {versions.acceptances.map((a) => (
                <li key={a.id}>
                  {a.version} ({a.lang}): {a.acceptedBy.name}, {formatDateTime(a.acceptedAt)} — SHA-256{' '}
                  <code>{a.sha256.slice(0, 16)}…</code>{' '}
                  <a href={`/api/v1/agreement/acceptances/${a.id}/text`} download>
                    {t('document.text')}
                  </a>
                </li>
              ))}
            </ul>
          )}
          {canManage && doc && !versions.accepted && (
            <p>
              <button type="button" onClick={() => void accept()}>
                {t('document.accept')}
              </button>{' '}
              <small>
                <Trans
                  t={t}
                  i18nKey="document.acceptHint"
                  values={{ language: languageName(doc.lang), version: doc.version, hash: doc.sha256.slice(0, 16) }}
                  components={{ code: <code /> }}
                />
              </small>
            </p>
          )}
        </section>
      )}

      {pending.length > 0 && (
        <section aria-labelledby="announcements">
          <h2 id="announcements">{t('document.announced')}</h2>
          {pending.map((a) => (
            <article key={a.id}>
              <h3>
                {a.fromVersion} → {a.toVersion}: {a.stateText[ui]}
              </h3>
              <p>{a.summary[ui]}</p>
              <ul>
                {a.changes.map((c) => (
                  <li key={c.term}>
                    {c.label[ui]}: {c.from[ui]} → {c.to[ui]}
                  </li>
                ))}
              </ul>
              {a.deadline && a.state === 'pending' && (
                <p>{t('document.deemedBy', { date: date(a.deadline), days: a.workingDays })}</p>
              )}
              {a.objection && (
                <p>{t('document.objection', { at: formatDateTime(a.objection.at), reason: a.objection.reason })}</p>
              )}
              {canManage && a.state === 'pending' && (
                <form onSubmit={(e) => void object(e, a.id)}>
                  <label>
                    {t('document.reason')}
                    <textarea
                      name="reason"
                      required
                      maxLength={2000}
                      rows={3}
                      aria-invalid={fieldErrors(problem, '/body/reason').length > 0}
                    />
                  </label>
                  <button type="submit" className="button-danger">
                    {t('document.object')}
                  </button>
                </form>
              )}
            </article>
          ))}
        </section>
      )}

      {doc && (
        <article className="agreement-document" lang={doc.lang} aria-labelledby="doc-title">
          <h2 id="doc-title">{doc.title}</h2>
          <p>{doc.subtitle}</p>
          {[...doc.sections, ...doc.annexes].map((s) => (
            <section key={s.id} id={s.id}>
              <h3>{s.title}</h3>
              {s.blocks.map((b, n) => (
                <BlockView key={n} b={b} />
              ))}
            </section>
          ))}
        </article>
      )}
    </>
  );
}
