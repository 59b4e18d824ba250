import type { JSX } from 'preact';
import { useId } from 'preact/hooks';

export interface TextFieldProps {
  label: string;
  type?: 'text' | 'email' | 'password' | 'search' | 'url' | 'tel';
  id?: string;
  name?: string;
  placeholder?: string;
  autocomplete?: string;
  required?: boolean;
  disabled?: boolean;
  autoFocus?: boolean;
  maxLength?: number;
  value: string;
  onValue: (value: string) => void;
  /** Shown under the field and tied to it for screen readers; marks the field invalid. */
  error?: string;
  hint?: string;
}

/** A labelled text input; the label, hint and error are associated with the input. */
export function TextField({
  label,
  value,
  onValue,
  error,
  hint,
  id,
  type = 'text',
  ...rest
}: TextFieldProps): JSX.Element {
  const generated = useId();
  const inputId = id ?? generated;
  const describedBy = [hint ? `${inputId}-hint` : '', error ? `${inputId}-error` : ''].join(' ').trim();
  return (
    <div class={['nu-field', error ? 'nu-field--invalid' : ''].join(' ').trim()}>
      <label class="nu-field__label" for={inputId}>
        {label}
      </label>
      <input
        {...rest}
        // Preact 11 types an input's attributes per literal `type`; tsc needs a run-time type narrowed
        // to one of them (ours all take the same attributes), though the lint rule believes otherwise.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
        type={type as 'text'}
        id={inputId}
        class="nu-field__input"
        value={value}
        onInput={(event) => onValue(event.currentTarget.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
      />
      {hint ? (
        <p class="nu-field__hint" id={`${inputId}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="nu-field__error" id={`${inputId}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
