import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> & {
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  ref?: Ref<HTMLInputElement>;
};

/** A labelled input with an optional hint and inline errors, wired with aria-describedby. */
export function Field({ label, hint, errors = [], ref, ...input }: Props) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errId = `${id}-err`;
  const describedBy = [hint ? hintId : '', errors.length ? errId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      <input
        ref={ref}
        id={id}
        aria-describedby={describedBy}
        aria-invalid={errors.length ? true : undefined}
        {...input}
      />
      {errors.length > 0 && (
        <p className="field-error" id={errId}>
          {errors.join('; ')}
        </p>
      )}
    </div>
  );
}
