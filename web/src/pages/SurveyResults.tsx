import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, toProblem } from '../api';
import { formatNumber } from '../format';
import { intlLocale } from '../i18n';
import { ProblemAlert } from '../components/ProblemAlert';
import type { Problem, Results, Survey, TrendInterval } from '../types';
import { LabelsOverview, SurveyLabelSetPicker } from './ResultLabels';
import { BreakdownPanel } from './results/Breakdown';
import { AlertSettings } from './followups/AlertSettings';
import { FollowUpSummary } from './followups/FollowUpSummary';
import { useCan } from '../session';
import { ExportLinks } from './results/Exports';
import { KeyScoreCards } from './results/KeyScore';
import { QuestionCards } from './results/QuestionCards';
import { TrendPanel } from './results/Trend';
import { PublishPanel } from './results/Publish';

export function ResultsTab({ survey }: { survey: Survey }) {
  const { t } = useTranslation(['results', 'common']);
  const can = useCan();
  const [results, setResults] = useState<Results | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [loading, setLoading] = useState(false);
  const [loadedAt, setLoadedAt] = useState<Date | null>(null);
  const [label, setLabel] = useState('');
  const [interval, setTrendInterval] = useState<TrendInterval>('day');

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const q = new URLSearchParams();
      if (label) q.set('label', label);
      if (interval !== 'day') q.set('interval', interval);
      setResults(await get<Results>(`/api/v1/surveys/${survey.id}/results${q.size ? `?${q}` : ''}`));
      setLoadedAt(new Date());
      setProblem(null);
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setLoading(false);
    }
  }, [survey.id, label, interval]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section aria-labelledby="results-heading">
      <div className="section-head">
        <h2 id="results-heading">{t('heading')}</h2>
        <div className="actions-row">
          <button type="button" className="button-quiet" onClick={() => void load()} disabled={loading}>
            {loading ? t('refreshing') : t('refresh')}
          </button>
          <ExportLinks survey={survey} hidden={results?.hidden ?? false} />
        </div>
      </div>
      <p className="visually-hidden" role="status">
        {loadedAt && !loading
          ? t('updatedAt', { time: loadedAt.toLocaleTimeString(intlLocale(), { timeZone: 'Europe/Amsterdam' }) })
          : ''}
      </p>
      <ProblemAlert problem={problem} />
      {results?.hidden && (
        <p className="notice">
          {t('hidden', { mode: t(`mode.${survey.anonymity}`), min: results.minGroupSize, count: results.responses })}
        </p>
      )}
      {results && !results.hidden && results.released !== null && (
        <p className="notice" data-testid="release-notice">
          {t('released', {
            mode: t(`mode.${survey.anonymity}`),
            released: formatNumber(results.released),
            total: formatNumber(results.responses),
            min: results.minGroupSize,
            next: results.nextRelease == null ? '—' : formatNumber(results.nextRelease),
          })}
        </p>
      )}
      {results && !results.hidden && (
        <>
          <KeyScoreCards r={results} />
          <TrendPanel r={results} interval={interval} onInterval={setTrendInterval} />
          <LabelsOverview labelling={results.labelling} onPick={setLabel} />
          {results.labelling.enabled && <SurveyLabelSetPicker surveyId={survey.id} onChanged={() => void load()} />}
          <QuestionCards lang={survey.defaultLanguage} r={results} label={label} onLabel={setLabel} onChanged={load} />
          <BreakdownPanel survey={survey} />
          {survey.anonymity === 'identified' && <FollowUpSummary surveyId={survey.id} />}
          {survey.anonymity === 'identified' && can('alerts:manage') && <AlertSettings surveyId={survey.id} />}
        </>
      )}
      {results && can('publications:manage') && <PublishPanel survey={survey} />}
    </section>
  );
}
