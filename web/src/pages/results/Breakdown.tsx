import { useEffect, useState } from 'react';
import { get, toProblem } from '../../api';
import { ProblemAlert } from '../../components/ProblemAlert';
import type { Problem, ProfileField, Results, Survey } from '../../types';

/**
 * The key score by a profile field (OBLIGATIONS SVC-4, ACC-2). Identified surveys: live; a
 * confidential survey: once it is closed, one field, computed once and kept; anonymous: none.
 */
export function BreakdownPanel({ survey }: { survey: Survey }) {
  if (survey.anonymity === 'anonymous') return null;
  if (survey.anonymity === 'confidential' && survey.status !== 'closed') {
    return <p className="hint">A confidential survey can be broken down by one profile field once it is closed; the breakdown is then computed once and kept, so that no two tables can be subtracted from each other.</p>;
  }
  return <Breakdown survey={survey} />;
}

function Breakdown({ survey }: { survey: Survey }) {
  const [field, setField] = useState('');
  const [draft, setDraft] = useState('');
  const [r, setR] = useState<Results | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useEffect(() => {
    if (!field) return;
    get<Results>(`/api/v1/surveys/${survey.id}/results?comments=0&breakdown=${encodeURIComponent(field)}`)
      .then((res) => {
        setR(res);
        setProblem(null);
      })
      .catch((err: unknown) => setProblem(toProblem(err)));
  }, [survey.id, field]);
  // The customer's profile fields (SVC-1); a key typed by hand still works when the list is empty.
  const [fields, setFields] = useState<ProfileField[] | null>(null);
  useEffect(() => {
    get<{ fields: ProfileField[] }>('/api/v1/profile-fields')
      .then((res) => setFields(res.fields))
      .catch(() => setFields([]));
  }, []);
  return (
    <section aria-labelledby="breakdown-heading">
      <h3 id="breakdown-heading">Breakdown by profile field</h3>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setField(draft.trim());
        }}
        className="row"
      >
        <div className="field">
          <label htmlFor="breakdown-field">Profile field</label>
          {fields && fields.length > 0 ? (
            <select id="breakdown-field" value={draft} onChange={(e) => setDraft(e.target.value)}>
              <option value="">Choose a field…</option>
              {fields.map((f) => (
                <option key={f.key} value={f.key}>
                  {f.label.en || f.key} ({f.key})
                </option>
              ))}
            </select>
          ) : (
            <input id="breakdown-field" value={draft} pattern="[a-z0-9_]{1,64}" placeholder="for example afdeling" onChange={(e) => setDraft(e.target.value)} />
          )}
        </div>
        <button type="submit" className="button-secondary">
          Show breakdown
        </button>
      </form>
      <ProblemAlert problem={problem} />
      {r?.breakdown && (
        <>
          {r.breakdown.minGroupSize !== null && (
            <p className="hint">
              Groups smaller than {r.breakdown.minGroupSize} are not shown{r.breakdown.hiddenGroups ? ` (${r.breakdown.hiddenGroups} left out)` : ''}.
            </p>
          )}
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Score by {r.breakdown.field}</caption>
              <thead>
                <tr>
                  <th scope="col">{r.breakdown.field}</th>
                  <th scope="col">Responses</th>
                  <th scope="col">Mean score</th>
                  <th scope="col">NPS</th>
                </tr>
              </thead>
              <tbody>
                {r.breakdown.groups.map((g) => (
                  <tr key={String(g.value)}>
                    <th scope="row">{g.value ?? '(none)'}</th>
                    <td>{g.responses}</td>
                    <td>{g.mean ?? '–'}</td>
                    <td>{g.nps ?? '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
