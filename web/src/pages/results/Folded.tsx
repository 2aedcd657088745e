import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Long text folded after `limit` characters, with a button that shows the rest (and folds it again). */
export const FOLD_AT = 280;

export function Folded({ text, limit = FOLD_AT }: { text: string; limit?: number }) {
  const { t } = useTranslation(['results', 'common']);
  const [open, setOpen] = useState(false);
  const id = useId();
  if (text.length <= limit) return <p className="comment-text">{text}</p>;
  return (
    <>
      {/* Respondents' text is shown as text, never as HTML. */}
      <p className="comment-text" id={id}>
        {open ? text : `${text.slice(0, limit).trimEnd()}…`}
      </p>
      <button
        type="button"
        className="button-quiet fold-toggle"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
      >
        {open ? t('fold.less') : t('fold.more')}
      </button>
    </>
  );
}
