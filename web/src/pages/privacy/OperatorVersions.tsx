import { useState, type FormEvent } from 'react';
import { get, post, toProblem } from '../../api';
import { Field } from '../../components/Field';
import { fieldErrors, ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { formatDateTime, formatDay } from '../../format';
import type { Problem } from '../../types';

interface Text {
  nl: string;
  en: string;
}
interface Announcement {
  id: string;
  tenant: { id: string; name: string; slug: string };
  origin: 'release' | 'terms';
  fromVersion: string;
  toVersion: string;
  summary: Text;
  changes: Array<{ term: string; label: Text; from: Text; to: Text }>;
  announcedAt: string | null;
  deadline: string | null;
  state: 'pending' | 'objected' | 'accepted' | 'withdrawn' | 'reannounced';
  stateText: Text;
  objection: { at: string; reason: string } | null;
}

/**
 * OBLIGATIONS AGR-3 in the operator console: publish a new version of the agreement, follow each
 * customer's announcement to its deadline (Dutch working days), and resolve objections.
 */
export function OperatorVersions() {
  const [list, setList] = useState<Announcement[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const load = useLoad(async () => setList((await get<{ announcements: Announcement[] }>('/api/v1/operator/agreement/versions')).announcements), setProblem);

  async function publish(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const s = (k: string) => String(f.get(k) ?? '').trim();
    setBusy(true);
    setProblem(null);
    setStatus('');
    try {
      const r = await post<{ customers: Array<{ outcome: string }> }>('/api/v1/operator/agreement/versions', { version: s('version'), summary: { nl: s('summaryNl'), en: s('summaryEn') }, tenants: 'all' });
      const n = (o: string) => r.customers.filter((c) => c.outcome === o).length;
      setStatus(`Versie ${s('version')}: ${n('announced')} aangekondigd / announced, ${n('applied')} direct toegepast / applied at once, ${n('unchanged')} ongewijzigd / unchanged.`);
      form.reset();
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  async function resolve(a: Announcement, action: 'withdraw' | 'reannounce') {
    setBusy(true);
    setProblem(null);
    try {
      await post(`/api/v1/operator/tenants/${encodeURIComponent(a.tenant.id)}/agreement/versions/${encodeURIComponent(a.id)}/resolve`, { action });
      setStatus(`${a.tenant.name}: ${action === 'withdraw' ? 'ingetrokken / withdrawn' : 'opnieuw aangekondigd / announced again'}.`);
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="op-versions">
      <h2 id="op-versions">Versies van de overeenkomst / Agreement versions</h2>
      <ProblemAlert problem={problem} />
      <p role="status" className="status-line">
        {status}
      </p>
      {list && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Klant / Customer</th>
                <th scope="col">Versie / Version</th>
                <th scope="col">Wijziging / Change</th>
                <th scope="col">Bezwaar uiterlijk / Objection deadline</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {list.length === 0 && (
                <tr>
                  <td colSpan={5} className="muted">
                    Geen aankondigingen. / No announcements.
                  </td>
                </tr>
              )}
              {list.map((a) => (
                <tr key={a.id}>
                  <th scope="row">{a.tenant.name}</th>
                  <td>
                    {a.fromVersion} → {a.toVersion}
                  </td>
                  <td className="small">
                    {a.summary.nl}
                    {a.changes.length > 0 && <div className="muted">{a.changes.map((c) => `${c.label.nl}: ${c.from.nl} → ${c.to.nl}`).join('; ')}</div>}
                  </td>
                  <td>{a.deadline ? formatDay(a.deadline) : a.announcedAt ? '—' : 'nog niet verstuurd / not sent yet'}</td>
                  <td>
                    {a.stateText.nl} / {a.stateText.en}
                    {a.objection && (
                      <div className="small">
                        “{a.objection.reason}” ({formatDateTime(a.objection.at)})
                        <div className="actions-row">
                          <button type="button" className="button-secondary button-small" disabled={busy} onClick={() => void resolve(a, 'withdraw')}>
                            Intrekken / Withdraw
                          </button>
                          <button type="button" className="button-secondary button-small" disabled={busy} onClick={() => void resolve(a, 'reannounce')}>
                            Opnieuw aankondigen / Announce again
                          </button>
                        </div>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form onSubmit={publish} aria-labelledby="op-publish">
        <h3 id="op-publish">Nieuwe versie publiceren / Publish a new version</h3>
        <p className="muted small">
          Elke klant krijgt een e-mail en kan bezwaar maken binnen de afgesproken werkdagen; een klant die nog geen versie accepteerde krijgt de versie direct. / Every
          customer is mailed and can object within its agreed working days; a customer that has not accepted a version yet gets it at once.
        </p>
        <Field label="Versie / Version" name="version" required maxLength={40} errors={fieldErrors(problem, '/body/version')} />
        <Field label="Samenvatting (Nederlands) / Summary (Dutch)" name="summaryNl" required errors={fieldErrors(problem, '/body/summary/nl')} />
        <Field label="Samenvatting (Engels) / Summary (English)" name="summaryEn" required errors={fieldErrors(problem, '/body/summary/en')} />
        <button type="submit" disabled={busy}>
          Publiceren voor alle klanten / Publish to all customers
        </button>
      </form>
    </section>
  );
}
