/** A labelled progress bar with its numbers in text next to it. */
export function Progress({
  label,
  ariaLabel,
  value,
  max,
  text,
}: {
  label: string;
  ariaLabel?: string;
  value: number;
  max: number;
  text?: string;
}) {
  const pct = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 0;
  return (
    <div className="progress">
      <div className="progress-label">
        <span>{label}</span>
        <span>{text ?? `${pct}%`}</span>
      </div>
      <progress aria-label={ariaLabel ?? label} value={max > 0 ? value : undefined} max={max > 0 ? max : undefined}>
        {pct}%
      </progress>
    </div>
  );
}
