import { useEffect, useState } from 'react';
import { get, toProblem } from '../../api';
import { ProblemAlert } from '../../components/ProblemAlert';
import type { BreakdownGroup, BreakdownTable, CrossTabTable, Groupings, Problem, Survey } from '../../types';

/**
 * Breakdowns and cross-tabs (OBLIGATIONS SVC-4, ACC-2): the key score, or a question's answers, by a
 * contact field, a profile field or the answer to a closed question. Identified surveys: live. A
 * confidential or anonymous survey: once it is closed, one grouping, computed once and kept; no
 * cross-tabs.
 */
export function BreakdownPanel({ survey }: { survey: Survey }) {
  if (survey.anonymity !== 'identified' && survey.status !== 'closed') {
    return (
      <section aria-labelledby="breakdown-heading">
        <h3 id="breakdown-heading">Uitsplitsen / Breakdown</h3>
        <p className="hint">
          Een {survey.anonymity === 'confidential' ? 'vertrouwelijke' : 'anonieme'} vragenlijst kan na het sluiten één keer worden uitgesplitst, naar één indeling. / A {survey.anonymity} survey can be broken down
          once it is closed, by one grouping; the table is then computed once and kept, so that no two tables can be subtracted from each other.
        </p>
      </section>
    );
  }
  return <Breakdown survey={survey} />;
}

const both = (l: { nl: string; en: string }) => (l.nl === l.en ? l.nl : `${l.nl} / ${l.en}`);
const pm = (m: number | null | undefined) => (m === null || m === undefined ? '' : ` ± ${m}`);

function Breakdown({ survey }: { survey: Survey }) {
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
      <h3 id="breakdown-heading">Uitsplitsen / Breakdown</h3>
      {options?.released && (
        <p className="hint">
          Deze vragenlijst is al uitgesplitst naar één indeling; een tweede is niet mogelijk. / This survey has been broken down by one grouping already; a second one is not available.
        </p>
      )}
      <form
        className="row"
        // The selects carry long question texts: they may shrink to the screen (375 px) instead.
        onSubmit={(e) => {
          e.preventDefault();
          if (by) setAsked({ by, question });
        }}
      >
        <div className="field" style={{ minWidth: 0 }}>
          <label htmlFor="breakdown-by">Uitsplitsen naar / Break down by</label>
          <select id="breakdown-by" value={by} onChange={(e) => setBy(e.target.value)}>
            <option value="">Kies… / Choose…</option>
            {contact.length > 0 && (
              <optgroup label="Contactvelden / Contact fields">
                {contact.map((f) => (
                  <option key={f.id} value={f.id}>
                    {both(f.label)}
                  </option>
                ))}
              </optgroup>
            )}
            {profile.length > 0 && (
              <optgroup label="Profielvelden / Profile fields">
                {profile.map((f) => (
                  <option key={f.id} value={f.id}>
                    {both(f.label)}
                  </option>
                ))}
              </optgroup>
            )}
            {answers.length > 0 && (
              <optgroup label="Antwoorden / Answers">
                {answers.map((f) => (
                  <option key={f.id} value={f.id}>
                    {both(f.label)}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </div>
        {options?.crossTabs && (
          <div className="field" style={{ minWidth: 0 }}>
            <label htmlFor="breakdown-question">Kruistabel met vraag / Cross-tab with question</label>
            <select id="breakdown-question" value={question} onChange={(e) => setQuestion(e.target.value)}>
              <option value="">Geen: de kernscore / None: the key score</option>
              {options.questions.map((q) => (
                <option key={q.id} value={q.id}>
                  {both(q.text)}
                </option>
              ))}
            </select>
          </div>
        )}
        <button type="submit" className="button-secondary" disabled={!by}>
          Toon / Show
        </button>
      </form>
      <ProblemAlert problem={problem} />
      {table && ('groups' in table ? <ScoreTable t={table} /> : <CrossTab t={table} />)}
    </section>
  );
}

function Hidden({ minGroupSize, hiddenGroups, hiddenCells }: { minGroupSize: number | null; hiddenGroups: number; hiddenCells?: number }) {
  if (minGroupSize === null) return null;
  return (
    <p className="hint">
      Groepen en cellen kleiner dan {minGroupSize} worden niet getoond, en ook niet als ze uit de totalen zouden volgen
      {hiddenGroups ? ` (${hiddenGroups} groep(en) weggelaten)` : ''}
      {hiddenCells ? ` (${hiddenCells} cel(len) verborgen)` : ''}. / Groups and cells smaller than {minGroupSize} are not shown, nor any that would follow from the totals
      {hiddenGroups ? ` (${hiddenGroups} group(s) left out)` : ''}
      {hiddenCells ? ` (${hiddenCells} cell(s) hidden)` : ''}.
    </p>
  );
}

function headline(t: BreakdownTable, g: BreakdownGroup): string {
  const kind = t.score?.kind;
  if (kind === 'nps' || kind === 'enps') return g.nps === null || g.nps === undefined ? '–' : `${g.nps}${pm(g.npsMargin)}`;
  if ((kind === 'csat' || kind === 'ces') && g.percent) return `${g.percent.value}% (${g.percent.low}–${g.percent.high})`;
  return '–';
}

function ScoreTable({ t }: { t: BreakdownTable }) {
  const kind = t.score?.kind;
  const head = kind === 'nps' || kind === 'enps' ? t.score!.name.en : kind === 'csat' ? '% tevreden / % satisfied' : kind === 'ces' ? '% makkelijk / % easy' : null;
  return (
    <>
      <Hidden minGroupSize={t.minGroupSize} hiddenGroups={t.hiddenGroups} />
      {t.grouping.overlapping && <p className="hint">Meerkeuze: één respondent kan in meer groepen vallen. / Multiple choice: one respondent can be in several groups.</p>}
      <div className="table-wrap">
        <table>
          <caption>
            {t.score ? both(t.score.name) : 'Respons / Responses'} naar / by {both(t.grouping.label)}
            {t.released !== null ? ` (${t.released} vrijgegeven antwoorden / released responses)` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">{both(t.grouping.label)}</th>
              <th scope="col">n</th>
              {head && <th scope="col">{head} (95%)</th>}
              <th scope="col">Gemiddelde / Mean (95%)</th>
              {t.groups[0]?.shares.map((s) => (
                <th scope="col" key={s.category}>
                  {both(s.label)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {t.groups.map((g) => (
              <tr key={String(g.value)}>
                <th scope="row">
                  {both(g.label)}
                  {g.smallBase && (
                    <span className="hint" title="Minder dan 30 antwoorden / Fewer than 30 answers">
                      {' '}
                      (kleine basis / small base)
                    </span>
                  )}
                </th>
                <td>{g.n}</td>
                {head && <td>{headline(t, g)}</td>}
                <td>
                  {g.mean ?? '–'}
                  {g.meanInterval ? ` (${g.meanInterval.low}–${g.meanInterval.high})` : ''}
                </td>
                {g.shares.map((s) => (
                  <td key={s.category}>{s.percent}%</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function CrossTab({ t }: { t: CrossTabTable }) {
  const numeric = t.rows.length === 0;
  return (
    <>
      <Hidden minGroupSize={t.minGroupSize} hiddenGroups={t.hiddenGroups} hiddenCells={t.hiddenCells} />
      <div className="table-wrap">
        <table>
          <caption>
            {both(t.question.text)} naar / by {both(t.grouping.label)}
          </caption>
          <thead>
            <tr>
              <th scope="col">{numeric ? '' : 'Antwoord / Answer'}</th>
              {t.columns.map((c) => (
                <th scope="col" key={String(c.value)}>
                  {both(c.label)}
                  {c.smallBase ? ' *' : ''}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {t.rows.map((r) => (
              <tr key={r.value}>
                <th scope="row">{both(r.label)}</th>
                {r.cells.map((c, j) => (
                  <td key={j}>{c.count === null ? <span title="Verborgen / Hidden">–</span> : `${c.count} (${c.percent}%)`}</td>
                ))}
              </tr>
            ))}
            {t.columns.some((c) => c.mean !== undefined) && (
              <tr>
                <th scope="row">Gemiddelde / Mean (95%)</th>
                {t.columns.map((c) => (
                  <td key={String(c.value)}>
                    {c.mean ?? '–'}
                    {c.meanInterval ? ` (${c.meanInterval.low}–${c.meanInterval.high})` : ''}
                  </td>
                ))}
              </tr>
            )}
            <tr>
              <th scope="row">n</th>
              {t.columns.map((c) => (
                <td key={String(c.value)}>{c.n}</td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
      {t.columns.some((c) => c.smallBase) && <p className="hint">* Minder dan 30 antwoorden: lees met voorzichtigheid. / Fewer than 30 answers: read with care.</p>}
    </>
  );
}
