import { useCan } from '../../session';
import type { Survey } from '../../types';

/** The downloads of a survey's responses (OBLIGATIONS SVC-4, ACC-2). */
export function ExportLinks({ survey, hidden }: { survey: Survey; hidden: boolean }) {
  const can = useCan();
  return (
    <>
          {/* A confidential survey below its minimum group size has no export (the server refuses it too). */}
          {can('responses:export') && !hidden && (
            <a className="button-link" href={`/api/v1/surveys/${survey.id}/responses.csv`} download>
              Download responses (CSV)
            </a>
          )}
          {can('responses:export-contacts') && survey.anonymity === 'identified' && (
            <a className="button-link" href={`/api/v1/surveys/${survey.id}/responses.csv?contacts=true`} download>
              Download with contact details (CSV)
            </a>
          )}
    </>
  );
}
