import { forwardRef, useRef, useState, type InputHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'id'> & {
  /** The input's id: the field's `<label htmlFor>` names it (and Playwright's getByLabel finds it). */
  id: string;
  /** The id of that label: the button is described by it (its own name stays "Bestand kiezen"). */
  labelId: string;
};

/**
 * Issue 14: a file field in the reader's language. The browser's own control says "Choose File / No
 * file chosen" in the browser's language (English in most installations); here the native input is
 * visually hidden and out of the tab order, and a real button ("Bestand kiezen" / "Choose file") opens
 * it, with the chosen file's name beside it ("Geen bestand gekozen" / "No file chosen"), announced when
 * it changes. The button is described by the field's label and hint, so it is announced with them; a
 * click on the label or focus() on the input (after a problem) lands on the button.
 */
export const FilePicker = forwardRef<HTMLInputElement, Props>(function FilePicker(
  { id, labelId, onChange, disabled, multiple, 'aria-describedby': describedBy, ...rest },
  ref,
) {
  const { t } = useTranslation('common');
  const input = useRef<HTMLInputElement | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const [names, setNames] = useState<string[]>([]);
  const chosenId = `${id}-chosen`;
  return (
    <div className="file-picker">
      <input
        {...rest}
        ref={(el) => {
          input.current = el;
          if (typeof ref === 'function') ref(el);
          else if (ref) ref.current = el;
        }}
        id={id}
        type="file"
        multiple={multiple}
        className="visually-hidden"
        tabIndex={-1}
        disabled={disabled}
        onFocus={() => button.current?.focus()}
        onChange={(e) => {
          setNames([...(e.currentTarget.files ?? [])].map((f) => f.name));
          onChange?.(e);
        }}
      />
      <button
        ref={button}
        type="button"
        className="button-secondary"
        disabled={disabled}
        aria-describedby={[labelId, chosenId, describedBy].filter(Boolean).join(' ')}
        onClick={() => input.current?.click()}
      >
        {t(multiple ? 'filePicker.chooseMany' : 'filePicker.choose')}
      </button>{' '}
      <span id={chosenId} className="file-picker-name" aria-live="polite">
        {names.length ? names.join(', ') : t(multiple ? 'filePicker.noneMany' : 'filePicker.none')}
      </span>
    </div>
  );
});
