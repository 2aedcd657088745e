import { useState, type FormEvent } from 'react';
import { get, post, toProblem } from '../../api';
import { ProblemAlert, fieldErrors } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { formatDateTime } from '../../format';
import type { Problem, Publication, PublicationKind, PublicationOptions, PublicationPreview, Survey } from '../../types';

/**
 * Issue 13 (OBLIGATIONS BEN-2): publishing a survey's results, for owners (publications:manage). The
 * owner chooses what is shown, sees the preview (exactly what the public routes will send: the badge
 * as its own bytes, the widget and page as their content and HTML), approves it by publishing, copies
 * the embed code, refreshes or withdraws. Published forms are shown live (same origin: /p/… may be framed).
 */
const CLOSED = new Set(['single', 'multiple', 'nps', 'enps', 'csat', 'ces', 'rating']);
const KIND_LABELS: Record<PublicationKind, string> = { page: 'Pagina / Page', widget: 'Widget (iframe)', badge: 'Badge (SVG)' };

/** The admin app and the public routes share an origin: show the live forms by their path. */
const local = (url: string) => new URL(url).pathname;

const svgData = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

function headline(c: PublicationPreview['content']): string {
  const k = c.keyScore;
  if (!c.shown || !k || k.value === null) return '–';
  if (k.unit === 'nps') return `${k.value > 0 ? '+' : ''}${k.value}`;
  if (k.unit === 'percent') return `${k.value}%`;
  return String(k.value);
}

export function PublishPanel({ survey }: { survey: Survey }) {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [message, setMessage] = useState('');
  const [list, setList] = useState<Publication[]>([]);
  const [kinds, setKinds] = useState<PublicationKind[]>(['page', 'widget', 'badge']);
  const [showResponses, setShowResponses] = useState(true);
  const [showTrend, setShowTrend] = useState(false);
  const [questions, setQuestions] = useState<string[]>([]);
  const [titleNl, setTitleNl] = useState('');
  const [titleEn, setTitleEn] = useState('');
  const [preview, setPreview] = useState<PublicationPreview | null>(null);
  const closed = survey.definition.questions.filter((q) => CLOSED.has(q.type));
  const load = useLoad(async () => setList((await get<{ publications: Publication[] }>(`/api/v1/surveys/${survey.id}/publications`)).publications), setProblem, [survey.id]);

  const options = (): PublicationOptions => ({ kinds, showResponses, showTrend, questions, title: titleNl.trim() && titleEn.trim() ? { nl: titleNl.trim(), en: titleEn.trim() } : null });
  const toggle = <T,>(xs: T[], x: T, on: boolean) => (on ? [...xs.filter((y) => y !== x), x] : xs.filter((y) => y !== x));

  async function showPreview(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    setMessage('');
    try {
      setPreview(await post<PublicationPreview>(`/api/v1/surveys/${survey.id}/publications/preview`, options()));
    } catch (err) {
      setProblem(toProblem(err));
    }
  }
  async function publish() {
    if (!preview) return;
    setProblem(null);
    try {
      await post<Publication>(`/api/v1/surveys/${survey.id}/publications`, { ...options(), sha256: preview.sha256 });
      setPreview(null);
      setMessage('Gepubliceerd. / Published.');
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }
  async function act(p: Publication, what: 'withdraw' | 'refresh') {
    setProblem(null);
    setMessage('');
    try {
      if (what === 'withdraw') {
        if (!window.confirm('Publicatie intrekken? De links tonen daarna "niet beschikbaar". / Withdraw? The links then show "not available".')) return;
        await post(`/api/v1/publications/${p.id}/withdraw`);
        setMessage('Ingetrokken. / Withdrawn.');
      } else {
        const pv = await post<PublicationPreview>(`/api/v1/surveys/${survey.id}/publications/preview`, { kinds: p.kinds, showResponses: p.showResponses, showTrend: p.showTrend, questions: p.questions, title: p.title });
        if (pv.sha256 === p.sha256) {
          setMessage('Niets veranderd sinds de vorige momentopname. / Nothing changed since the last snapshot.');
          return;
        }
        if (!window.confirm(`Nieuwe cijfers publiceren: ${headline(pv.content)} (nu ${headline(p.content)})? / Publish the new numbers?`)) return;
        await post(`/api/v1/publications/${p.id}/refresh`, { sha256: pv.sha256 });
        setMessage('Bijgewerkt. / Refreshed.');
      }
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  return (
    <section className="card" aria-labelledby="publish-heading" data-testid="publish">
      <h2 id="publish-heading">Publiceren / Publish</h2>
      <p className="hint">
        Toon gekozen resultaten op uw website: een pagina, een widget en een badge. Alleen totalen, volgens de anonimiteit van de enquête en nooit onder de minimale groepsgrootte
        ({survey.minGroupSize}). Wat u in de voorvertoning ziet, is precies wat openbaar wordt: een momentopname, die u zelf bijwerkt. / Show chosen results on your website: a
        page, a widget and a badge. Aggregates only, under the survey&apos;s anonymity and never below the minimum group size. The preview is exactly what becomes public: a
        snapshot that you refresh yourself.
      </p>
      <ProblemAlert problem={problem} heading="Niet gelukt / Not done" />
      <p role="status" className="status-line">
        {message}
      </p>
      <form onSubmit={showPreview}>
        <fieldset>
          <legend>Vormen / Forms</legend>
          {(Object.keys(KIND_LABELS) as PublicationKind[]).map((k) => (
            <label className="choice" key={k}>
              <input type="checkbox" checked={kinds.includes(k)} onChange={(e) => setKinds(toggle(kinds, k, e.target.checked))} /> {KIND_LABELS[k]}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Wat wordt getoond / What is shown</legend>
          <label className="choice">
            <input type="checkbox" checked={showResponses} onChange={(e) => setShowResponses(e.target.checked)} /> Aantal antwoorden / Number of answers
          </label>
          <label className="choice">
            <input type="checkbox" checked={showTrend} onChange={(e) => setShowTrend(e.target.checked)} /> Verloop / Trend
          </label>
          {closed.map((q, i) => (
            <label className="choice" key={q.id}>
              <input type="checkbox" checked={questions.includes(q.id)} onChange={(e) => setQuestions(toggle(questions, q.id, e.target.checked))} /> {i + 1}. {q.text.nl} / {q.text.en}
            </label>
          ))}
          {fieldErrors(problem, '/body/questions').map((m) => (
            <p className="field-error" key={m}>
              {m}
            </p>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="pub-title-nl">Titel (Nederlands, optioneel) / Title (Dutch, optional)</label>
          <input id="pub-title-nl" value={titleNl} maxLength={120} onChange={(e) => setTitleNl(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="pub-title-en">Titel (Engels) / Title (English)</label>
          <input id="pub-title-en" value={titleEn} maxLength={120} onChange={(e) => setTitleEn(e.target.value)} />
        </div>
        <button type="submit">Voorvertoning / Preview</button>
      </form>

      {preview && (
        <div className="card" data-testid="publication-preview">
          <h3>Voorvertoning / Preview</h3>
          <p>
            <strong>{preview.content.title.nl}</strong> · {preview.content.shown ? headline(preview.content) : 'Nog te weinig antwoorden / Not enough answers yet'}
            {preview.content.responses !== null && ` · ${preview.content.responses} antwoorden / answers`} · stand / as of {preview.content.asOf}
          </p>
          {kinds.includes('badge') && <img src={svgData(preview.rendered.nl.badge)} alt={`Badge: ${headline(preview.content)}`} />}
          {preview.content.questions.map((q) => (
            <p key={q.id}>
              {q.text.nl}: {q.suppressed ? 'te weinig antwoorden / too few answers' : q.distribution.map((d) => `${d.label.nl} ${d.percent}%`).join(' · ')}
            </p>
          ))}
          <details>
            <summary>HTML van de widget en pagina / HTML of the widget and page</summary>
            <pre className="pre">{preview.rendered.nl.widget}</pre>
            <pre className="pre">{preview.rendered.nl.page}</pre>
          </details>
          <button type="button" onClick={() => void publish()}>
            Dit publiceren / Publish this
          </button>
        </div>
      )}

      <h3>Publicaties / Publications</h3>
      {list.length === 0 && <p className="muted">Nog geen. / None yet.</p>}
      <ul className="plain">
        {list.map((p) => (
          <li key={p.id} data-testid="publication">
            <p>
              <span className={`status status-${p.status}`}>{p.status === 'published' ? 'gepubliceerd / published' : 'ingetrokken / withdrawn'}</span> · {headline(p.content)} · momentopname /
              snapshot {formatDateTime(p.publishedAt)}
              {p.withdrawnAt && ` · ingetrokken / withdrawn ${formatDateTime(p.withdrawnAt)}`}
            </p>
            {p.status === 'published' && (
              <>
                {p.urls.page && (
                  <p>
                    <a href={p.urls.page} target="_blank" rel="noopener">
                      {p.urls.page}
                    </a>
                  </p>
                )}
                {p.urls.widget && <iframe src={local(p.urls.widget)} title={`Widget: ${p.content.title.nl}`} width={320} height={200} style={{ border: '1px solid #ddd' }} />}
                {p.urls.badge && <img src={local(p.urls.badge)} alt={`Badge: ${headline(p.content)}`} />}
                {p.embed.iframe && (
                  <div className="field">
                    <label htmlFor={`embed-iframe-${p.id}`}>Insluitcode widget / Embed code widget</label>
                    <textarea id={`embed-iframe-${p.id}`} readOnly rows={3} value={p.embed.iframe} />
                  </div>
                )}
                {p.embed.img && (
                  <div className="field">
                    <label htmlFor={`embed-img-${p.id}`}>Insluitcode badge / Embed code badge</label>
                    <textarea id={`embed-img-${p.id}`} readOnly rows={2} value={p.embed.img} />
                  </div>
                )}
                <button type="button" onClick={() => void act(p, 'refresh')}>
                  Bijwerken / Refresh
                </button>{' '}
                <button type="button" className="danger" onClick={() => void act(p, 'withdraw')}>
                  Intrekken / Withdraw
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
