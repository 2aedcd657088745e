import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, toProblem } from '../../api';
import { formatNumber } from '../../format';
import { uiText, surveyText } from '../../surveyText';
import { ProblemAlert } from '../../components/ProblemAlert';
import type { BreakdownGroup, BreakdownTable, CrossTabTable, Groupings, Problem, Survey } from '../../types';

/**
 * Breakdowns and cross-tabs (OBLIGATIONS SVC-4, ACC-2): the key score, or a question's answers, by a
 * contact field, a profile field or the answer to a closed question. Identified surveys: live. A
 * confidential or anonymous survey: once it is closed, one grouping, computed once and kept; no
 * cross-tabs.
 */
export function BreakdownPanel({ survey }: { survey: Survey }) {
  const { t } = useTranslation(['results', 'common']);
  if (survey.anonymity !== 'identified' && survey.status !== 'closed') {
    return (
      <section aria-labelledby="breakdown-heading">
        <h3 id="breakdown-heading">{t('breakdown.heading')}</h3>
        <p className="hint">{t('breakdown.later', { mode: t(`mode.${survey.anonymity}`) })}</p>
      </section>
    );
  }
  return <Breakdown survey={survey} />;
}

// Field names are the app's (the user's language); question and answer texts are the survey's.
const both = (l: { nl: string; en: string }) => uiText(l);
const pm = (m: number | null | undefined) => (m === null || m === undefined ? '' : ` ± ${formatNumber(m)}`);
const num = (v: number | null | undefined) => (v === null || v === undefined ? '–' : formatNumber(v));

function Breakdown({ survey }: { survey: Survey }) {
  const { t } = useTranslation(['results', 'common']);
  const [options, setOptions] = useState<Groupings | null>(null);
  const [by, setBy] = useState('');
  const [question, setQuestion] = useState('');
  const [asked, setAsked] = useState<{ by: string; question: string } | null>(null);
  const [table, setTable] = useState<BreakdownTable | CrossTabTable | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    get<Groupings>(`/api/v1/surveys/${survey.id}/groupings`)
      .then((g) => {
        setOptions(g);
        if (g.released) setBy(g.released);
      })
      .catch((err: unknown) => setProblem(toProblem(err)));
  }, [survey.id]);

  useEffect(() => {
    if (!asked) return;
    const q = asked.question ? `&question=${encodeURIComponent(asked.question)}` : '';
    get<BreakdownTable | CrossTabTable>(`/api/v1/surveys/${survey.id}/breakdown?by=${encodeURIComponent(asked.by)}${q}`)
      .then((res) => {
        setTable(res);
        setProblem(null);
      })
      .catch((err: unknown) => {
        setTable(null);
        setProblem(toProblem(err));
      });
  }, [survey.id, asked]);

  const contact = options?.contact.filter((f) => f.allowed) ?? [];
  const profile = options?.profile.filter((f) => f.allowed) ?? [];
  const answers = options?.answers ?? [];
  return (
    <section aria-labelledby="breakdown-heading">
      <h3 id="breakdown-heading">{t('breakdown.heading')}</h3>
      {options?.released && <p className="hint">{t('breakdown.releasedAlready')}</p>}
      <form
        className="row"
        // The selects carry long question texts: they may shrink to the screen (375 px) instead.
        onSubmit={(e) => {
          e.preventDefault();
          if (by) setAsked({ by, question });
        }}
      >
        <div className="field" style={{ minWidth: 0 }}>
          <label htmlFor="breakdown-by">{t('breakdown.by')}</label>
          <select id="breakdown-by" value={by} onChange={(e) => setBy(e.target.value)}>
            <option value="">{t('breakdown.choose')}</option>
            {contact.length > 0 && (
              <optgroup label={t('breakdown.contactFields')}>
                {contact.map((f) => (
                  <option key={f.id} value={f.id}>
                    {both(f.label)}
                  </option>
                ))}
              </optgroup>
            )}
            {profile.length > 0 && (
              <optgroup label={t('breakdown.profileFields')}>
                {profile.map((f) => (
                  <option key={f.id} value={f.id}>
                    {both(f.label)}
                  </option>
                ))}
              </optgroup>
            )}
            {answers.length > 0 && (
              <optgroup label={t('breakdown.answers')}>
                {answers.map((f) => (
                  <option key={f.id} value={f.id}>
                    {surveyText(f.label, survey.defaultLanguage)}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </div>
        {options?.crossTabs && (
          <div className="field" style={{ minWidth: 0 }}>
            <label htmlFor="breakdown-question">{t('breakdown.crossWith')}</label>
            <select id="breakdown-question" value={question} onChange={(e) => setQuestion(e.target.value)}>
              <option value="">{t('breakdown.noneKey')}</option>
              {options.questions.map((q) => (
                <option key={q.id} value={q.id}>
                  {surveyText(q.text, survey.defaultLanguage)}
                </option>
              ))}
            </select>
          </div>
        )}
        <button type="submit" className="button-secondary" disabled={!by}>
          {t('breakdown.show')}
        </button>
      </form>
      <ProblemAlert problem={problem} />
      {table &&
        ('groups' in table ? (
          <ScoreTable t={table} lang={survey.defaultLanguage} />
        ) : (
          <CrossTab t={table} lang={survey.defaultLanguage} />
        ))}
    </section>
  );
}

function Hidden({
  minGroupSize,
  hiddenGroups,
  hiddenCells,
}: {
  minGroupSize: number | null;
  hiddenGroups: number;
  hiddenCells?: number;
}) {
  const { t } = useTranslation(['results', 'common']);
  if (minGroupSize === null) return null;
  return (
    <p className="hint">
      {t('breakdown.hidden', { min: minGroupSize })}
      {hiddenGroups ? t('breakdown.hiddenGroups', { count: hiddenGroups }) : ''}
      {hiddenCells ? t('breakdown.hiddenCells', { count: hiddenCells }) : ''}.
    </p>
  );
}

function headline(t: BreakdownTable, g: BreakdownGroup): string {
  const kind = t.score?.kind;
  if (kind === 'nps' || kind === 'enps')
    return g.nps === null || g.nps === undefined ? '–' : `${num(g.nps)}${pm(g.npsMargin)}`;
  if ((kind === 'csat' || kind === 'ces') && g.percent)
    return `${num(g.percent.value)}% (${num(g.percent.low)}–${num(g.percent.high)})`;
  return '–';
}

function ScoreTable({ t: table, lang }: { t: BreakdownTable; lang: 'nl' | 'en' }) {
  const { t } = useTranslation(['results', 'common']);
  // Groups of an answer are the survey's texts; other groupings are the app's fields.
  const group = (l: { nl: string; en: string }) => (table.grouping.kind === 'answer' ? surveyText(l, lang) : uiText(l));
  const kind = table.score?.kind;
  const head =
    kind === 'nps' || kind === 'enps'
      ? uiText(table.score!.name)
      : kind === 'csat'
        ? t('breakdown.satisfied')
        : kind === 'ces'
          ? t('breakdown.easy')
          : null;
  return (
    <>
      <Hidden minGroupSize={table.minGroupSize} hiddenGroups={table.hiddenGroups} />
      {table.grouping.overlapping && <p className="hint">{t('breakdown.multiple')}</p>}
      <div className="table-wrap">
        <table>
          <caption>
            {t('breakdown.caption', {
              what: table.score ? both(table.score.name) : t('breakdown.responses'),
              grouping: group(table.grouping.label),
            })}
            {table.released !== null ? t('breakdown.releasedCount', { count: formatNumber(table.released) }) : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">{group(table.grouping.label)}</th>
              <th scope="col">n</th>
              {head && <th scope="col">{head} (95%)</th>}
              <th scope="col">{t('breakdown.mean')}</th>
              {table.groups[0]?.shares.map((s) => (
                <th scope="col" key={s.category}>
                  {both(s.label)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.groups.map((g) => (
              <tr key={String(g.value)}>
                <th scope="row">
                  {group(g.label)}
                  {g.smallBase && (
                    <span className="hint" title={t('breakdown.fewer30')}>
                      {' '}
                      {t('breakdown.smallBase')}
                    </span>
                  )}
                </th>
                <td>{formatNumber(g.n)}</td>
                {head && <td>{headline(table, g)}</td>}
                <td>
                  {num(g.mean)}
                  {g.meanInterval ? ` (${num(g.meanInterval.low)}–${num(g.meanInterval.high)})` : ''}
                </td>
                {g.shares.map((s) => (
                  <td key={s.category}>{num(s.percent)}%</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function CrossTab({ t: table, lang }: { t: CrossTabTable; lang: 'nl' | 'en' }) {
  const { t } = useTranslation(['results', 'common']);
  const group = (l: { nl: string; en: string }) => (table.grouping.kind === 'answer' ? surveyText(l, lang) : uiText(l));
  const numeric = table.rows.length === 0;
  return (
    <>
      <Hidden minGroupSize={table.minGroupSize} hiddenGroups={table.hiddenGroups} hiddenCells={table.hiddenCells} />
      <div className="table-wrap">
        <table>
          <caption>
            {t('breakdown.caption', {
              what: surveyText(table.question.text, lang),
              grouping: group(table.grouping.label),
            })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{numeric ? '' : t('breakdown.answer')}</th>
              {table.columns.map((c) => (
                <th scope="col" key={String(c.value)}>
                  {group(c.label)}
                  {c.smallBase ? ' *' : ''}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((r) => (
              <tr key={r.value}>
                <th scope="row">{surveyText(r.label, lang)}</th>
                {r.cells.map((c, j) => (
                  <td key={j}>
                    {c.count === null ? (
                      <span title={t('breakdown.hiddenCell')}>–</span>
                    ) : (
                      `${formatNumber(c.count)} (${num(c.percent)}%)`
                    )}
                  </td>
                ))}
              </tr>
            ))}
            {table.columns.some((c) => c.mean !== undefined) && (
              <tr>
                <th scope="row">{t('breakdown.mean')}</th>
                {table.columns.map((c) => (
                  <td key={String(c.value)}>
                    {num(c.mean)}
                    {c.meanInterval ? ` (${num(c.meanInterval.low)}–${num(c.meanInterval.high)})` : ''}
                  </td>
                ))}
              </tr>
            )}
            <tr>
              <th scope="row">n</th>
              {table.columns.map((c) => (
                <td key={String(c.value)}>{formatNumber(c.n)}</td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
      {table.columns.some((c) => c.smallBase) && <p className="hint">{t('breakdown.careful')}</p>}
    </>
  );
}
