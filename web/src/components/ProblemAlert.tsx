import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { i18n } from '../i18n';
import type { Problem, ProblemItem } from '../types';

/**
 * "Row 5, column B (e-mailadres): invalid email", "Wachtwoord: te kort" (a field the page names in
 * `fields`, by its pointer), or else "tenant › owner › password: te kort".
 */
export function describeItem(e: ProblemItem, fields: Record<string, string> = {}): string {
  if (e.pointer && fields[e.pointer]) return `${fields[e.pointer]}: ${e.reason}`;
  if (e.row !== undefined) {
    const column = e.columnLetter ? `${e.columnLetter}${e.column ? ` (${e.column})` : ''}` : e.column;
    const where = column
      ? i18n.t('common:problem.rowColumn', { row: e.row, column })
      : i18n.t('common:problem.row', { row: e.row });
    return `${where}: ${e.reason}`;
  }
  if (e.pointer) {
    const path = e.pointer
      .replace(/^\/(body|querystring|params)\/?/, '')
      .split('/')
      .filter(Boolean)
      .join(' › ');
    return path ? `${path}: ${e.reason}` : e.reason;
  }
  return e.reason;
}

const MAX_LISTED = 50;

/**
 * Shows an API problem: its detail, and the individual problems (fields, or rows and columns of a
 * file). Announced to screen readers and focused, so keyboard users land on it.
 */
export function ProblemAlert({
  problem,
  heading,
  listItems = true,
  fields,
}: {
  problem: Problem | null;
  heading?: string | undefined;
  listItems?: boolean;
  /** The page's own names for the fields, by pointer (`/body/tenant/slug` → "Korte naam"), for the list. */
  fields?: Record<string, string>;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problem) ref.current?.focus();
  }, [problem]);
  if (!problem) return null;
  const items = listItems ? (problem.errors ?? []) : [];
  return (
    <div className="alert alert-error" role="alert" tabIndex={-1} ref={ref}>
      <p className="alert-title">{heading ?? problem.title}</p>
      <p>{problem.detail}</p>
      {items.length > 0 && (
        <ul>
          {items.slice(0, MAX_LISTED).map((e, i) => (
            <li key={i}>{describeItem(e, fields)}</li>
          ))}
          {items.length > MAX_LISTED && <li>{t('problem.more', { count: items.length - MAX_LISTED })}</li>}
        </ul>
      )}
      {problem.requestId && <p className="muted small">{t('problem.requestId', { id: problem.requestId })}</p>}
    </div>
  );
}

/** The problem's reasons for one field, to show under that field (pointer such as `/body/tenant/slug`). */
export function fieldErrors(problem: Problem | null, pointer: string): string[] {
  return (problem?.errors ?? []).filter((e) => e.pointer === pointer).map((e) => e.reason);
}
