import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post, toProblem } from '../../api';
import { Field } from '../../components/Field';
import { fieldErrors, ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { formatDateTime, formatDay } from '../../format';
import { currentLanguage } from '../../i18n';
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
  const { t } = useTranslation('privacy');
  const ui = currentLanguage();
  const [list, setList] = useState<Announcement[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const load = useLoad(
    async () =>
      setList((await get<{ announcements: Announcement[] }>('/api/v1/operator/agreement/versions')).announcements),
    setProblem,
  );

  async function publish(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const s = (k: string) => String(f.get(k) ?? '').trim();
    setBusy(true);
    setProblem(null);
    setStatus('');
    try {
      const r = await post<{ customers: Array<{ outcome: string }> }>('/api/v1/operator/agreement/versions', {
        version: s('version'),
        summary: { nl: s('summaryNl'), en: s('summaryEn') },
        tenants: 'all',
      });
      const n = (o: string) => r.customers.filter((c) => c.outcome === o).length;
      setStatus(
        t('opVersions.published', {
          version: s('version'),
          announced: n('announced'),
          applied: n('applied'),
          unchanged: n('unchanged'),
        }),
      );
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
      await post(
        `/api/v1/operator/tenants/${encodeURIComponent(a.tenant.id)}/agreement/versions/${encodeURIComponent(a.id)}/resolve`,
        { action },
      );
      setStatus(t(action === 'withdraw' ? 'opVersions.withdrawn' : 'opVersions.reannounced', { name: a.tenant.name }));
      await load();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="op-versions">
      <h2 id="op-versions">{t('opVersions.title')}</h2>
      <ProblemAlert problem={problem} />
      <p role="status" className="status-line">
        {status}
      </p>
      {list && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('opVersions.col.customer')}</th>
                <th scope="col">{t('opVersions.col.version')}</th>
                <th scope="col">{t('opVersions.col.change')}</th>
                <th scope="col">{t('opVersions.col.deadline')}</th>
                <th scope="col">{t('opVersions.col.status')}</th>
              </tr>
            </thead>
            <tbody>
              {list.length === 0 && (
                <tr>
                  <td colSpan={5} className="muted">
                    {t('opVersions.none')}
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
                    {a.summary[ui]}
                    {a.changes.length > 0 && (
                      <div className="muted">
                        {a.changes.map((c) => `${c.label[ui]}: ${c.from[ui]} → ${c.to[ui]}`).join('; ')}
                      </div>
                    )}
                  </td>
                  <td>{a.deadline ? formatDay(a.deadline) : a.announcedAt ? '—' : t('opVersions.notSent')}</td>
                  <td>
                    {a.stateText[ui]}
                    {a.objection && (
                      <div className="small">
                        “{a.objection.reason}” ({formatDateTime(a.objection.at)})
                        <div className="actions-row">
                          <button
                            type="button"
                            className="button-secondary button-small"
                            disabled={busy}
                            onClick={() => void resolve(a, 'withdraw')}
                          >
                            {t('opVersions.withdraw')}
                          </button>
                          <button
                            type="button"
                            className="button-secondary button-small"
                            disabled={busy}
                            onClick={() => void resolve(a, 'reannounce')}
                          >
                            {t('opVersions.reannounce')}
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
        <h3 id="op-publish">{t('opVersions.publishTitle')}</h3>
        <p className="muted small">{t('opVersions.publishHint')}</p>
        <Field
          label={t('opVersions.version')}
          name="version"
          required
          maxLength={40}
          errors={fieldErrors(problem, '/body/version')}
        />
        <Field
          label={t('opVersions.summaryNl')}
          name="summaryNl"
          required
          errors={fieldErrors(problem, '/body/summary/nl')}
        />
        <Field
          label={t('opVersions.summaryEn')}
          name="summaryEn"
          required
          errors={fieldErrors(problem, '/body/summary/en')}
        />
        <button type="submit" disabled={busy}>
          {t('opVersions.publish')}
        </button>
      </form>
    </section>
  );
}
