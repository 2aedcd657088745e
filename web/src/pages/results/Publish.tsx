import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post, toProblem } from '../../api';
import { surveyText } from '../../surveyText';
import { ProblemAlert, fieldErrors } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { formatDateTime, formatNumber, formatPercent } from '../../format';
import type {
  Problem,
  Publication,
  PublicationKind,
  PublicationOptions,
  PublicationPreview,
  Survey,
} from '../../types';

/**
 * Issue 13 (OBLIGATIONS BEN-2): publishing a survey's results, for owners (publications:manage). The
 * owner chooses what is shown, sees the preview (exactly what the public routes will send: the badge
 * as its own bytes, the widget and page as their content and HTML), approves it by publishing, copies
 * the embed code, refreshes or withdraws. Published forms are shown live (same origin: /p/… may be framed).
 */
const CLOSED = new Set(['single', 'multiple', 'nps', 'enps', 'csat', 'ces', 'rating']);
const KINDS: PublicationKind[] = ['page', 'widget', 'badge'];

/** The admin app and the public routes share an origin: show the live forms by their path. */
const local = (url: string) => new URL(url).pathname;

const svgData = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

function headline(c: PublicationPreview['content']): string {
  const k = c.keyScore;
  if (!c.shown || !k || k.value === null) return '–';
  if (k.unit === 'nps') return `${k.value > 0 ? '+' : ''}${formatNumber(k.value)}`;
  if (k.unit === 'percent') return formatPercent(k.value / 100, k.value % 1 === 0 ? 0 : 1);
  return formatNumber(k.value);
}

export function PublishPanel({ survey }: { survey: Survey }) {
  const { t } = useTranslation(['results', 'common']);
  const lang = survey.defaultLanguage;
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
  const load = useLoad(
    async () =>
      setList((await get<{ publications: Publication[] }>(`/api/v1/surveys/${survey.id}/publications`)).publications),
    setProblem,
    [survey.id],
  );

  const options = (): PublicationOptions => ({
    kinds,
    showResponses,
    showTrend,
    questions,
    title: titleNl.trim() && titleEn.trim() ? { nl: titleNl.trim(), en: titleEn.trim() } : null,
  });
  const toggle = <T,>(xs: T[], x: T, on: boolean) =>
    on ? [...xs.filter((y) => y !== x), x] : xs.filter((y) => y !== x);

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
      setMessage(t('publish.published'));
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
        if (!window.confirm(t('publish.withdrawConfirm'))) return;
        await post(`/api/v1/publications/${p.id}/withdraw`);
        setMessage(t('publish.withdrawn'));
      } else {
        const pv = await post<PublicationPreview>(`/api/v1/surveys/${survey.id}/publications/preview`, {
          kinds: p.kinds,
          showResponses: p.showResponses,
          showTrend: p.showTrend,
          questions: p.questions,
          title: p.title,
        });
        if (pv.sha256 === p.sha256) {
          setMessage(t('publish.unchanged'));
          return;
        }
        if (!window.confirm(t('publish.refreshConfirm', { new: headline(pv.content), old: headline(p.content) })))
          return;
        await post(`/api/v1/publications/${p.id}/refresh`, { sha256: pv.sha256 });
        setMessage(t('publish.refreshed'));
      }
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  return (
    <section className="card" aria-labelledby="publish-heading" data-testid="publish">
      <h2 id="publish-heading">{t('publish.heading')}</h2>
      <p className="hint">{t('publish.intro', { min: survey.minGroupSize })}</p>
      <ProblemAlert problem={problem} heading={t('publish.failed')} />
      <p role="status" className="status-line">
        {message}
      </p>
      <form onSubmit={showPreview}>
        <fieldset>
          <legend>{t('publish.forms')}</legend>
          {KINDS.map((k) => (
            <label className="choice" key={k}>
              <input
                type="checkbox"
                checked={kinds.includes(k)}
                onChange={(e) => setKinds(toggle(kinds, k, e.target.checked))}
              />{' '}
              {t(`publish.kind.${k}`)}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('publish.shown')}</legend>
          <label className="choice">
            <input type="checkbox" checked={showResponses} onChange={(e) => setShowResponses(e.target.checked)} />{' '}
            {t('publish.count')}
          </label>
          <label className="choice">
            <input type="checkbox" checked={showTrend} onChange={(e) => setShowTrend(e.target.checked)} />{' '}
            {t('publish.trend')}
          </label>
          {closed.map((q, i) => (
            <label className="choice" key={q.id}>
              <input
                type="checkbox"
                checked={questions.includes(q.id)}
                onChange={(e) => setQuestions(toggle(questions, q.id, e.target.checked))}
              />{' '}
              {i + 1}. {surveyText(q.text, lang)}
            </label>
          ))}
          {fieldErrors(problem, '/body/questions').map((m) => (
            <p className="field-error" key={m}>
              {m}
            </p>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="pub-title-nl">{t('publish.titleNl')}</label>
          <input id="pub-title-nl" value={titleNl} maxLength={120} onChange={(e) => setTitleNl(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="pub-title-en">{t('publish.titleEn')}</label>
          <input id="pub-title-en" value={titleEn} maxLength={120} onChange={(e) => setTitleEn(e.target.value)} />
        </div>
        <button type="submit">{t('publish.preview')}</button>
      </form>

      {preview && (
        <div className="card" data-testid="publication-preview">
          <h3>{t('publish.preview')}</h3>
          <p>
            <strong>{surveyText(preview.content.title, lang)}</strong> ·{' '}
            {preview.content.shown ? headline(preview.content) : t('publish.tooFew')}
            {preview.content.responses !== null && t('publish.answers', { count: preview.content.responses })}
            {t('publish.asOf', { date: preview.content.asOf })}
          </p>
          {kinds.includes('badge') && (
            <img src={svgData(preview.rendered.nl.badge)} alt={`Badge: ${headline(preview.content)}`} />
          )}
          {preview.content.questions.map((q) => (
            <p key={q.id}>
              {surveyText(q.text, lang)}:{' '}
              {q.suppressed
                ? t('publish.fewAnswers')
                : q.distribution
                    .map(
                      (d) =>
                        `${surveyText(d.label, lang)} ${formatPercent(d.percent / 100, d.percent % 1 === 0 ? 0 : 1)}`,
                    )
                    .join(' · ')}
            </p>
          ))}
          <details>
            <summary>{t('publish.html')}</summary>
            <pre className="pre">{preview.rendered.nl.widget}</pre>
            <pre className="pre">{preview.rendered.nl.page}</pre>
          </details>
          <button type="button" onClick={() => void publish()}>
            {t('publish.publishThis')}
          </button>
        </div>
      )}

      <h3>{t('publish.list')}</h3>
      {list.length === 0 && <p className="muted">{t('publish.none')}</p>}
      <ul className="plain">
        {list.map((p) => (
          <li key={p.id} data-testid="publication">
            <p>
              <span className={`status status-${p.status}`}>
                {p.status === 'published' ? t('publish.statusPublished') : t('publish.statusWithdrawn')}
              </span>{' '}
              · {headline(p.content)} · {t('publish.snapshot', { date: formatDateTime(p.publishedAt) })}
              {p.withdrawnAt && t('publish.withdrawnAt', { date: formatDateTime(p.withdrawnAt) })}
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
                {p.urls.widget && (
                  <iframe
                    src={local(p.urls.widget)}
                    title={`Widget: ${surveyText(p.content.title, lang)}`}
                    width={320}
                    height={200}
                    style={{ border: '1px solid #ddd' }}
                  />
                )}
                {p.urls.badge && <img src={local(p.urls.badge)} alt={`Badge: ${headline(p.content)}`} />}
                {p.embed.iframe && (
                  <div className="field">
                    <label htmlFor={`embed-iframe-${p.id}`}>{t('publish.embedWidget')}</label>
                    <textarea id={`embed-iframe-${p.id}`} readOnly rows={3} value={p.embed.iframe} />
                  </div>
                )}
                {p.embed.img && (
                  <div className="field">
                    <label htmlFor={`embed-img-${p.id}`}>{t('publish.embedBadge')}</label>
                    <textarea id={`embed-img-${p.id}`} readOnly rows={2} value={p.embed.img} />
                  </div>
                )}
                <button type="button" onClick={() => void act(p, 'refresh')}>
                  {t('publish.refresh')}
                </button>{' '}
                <button type="button" className="danger" onClick={() => void act(p, 'withdraw')}>
                  {t('publish.withdraw')}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
