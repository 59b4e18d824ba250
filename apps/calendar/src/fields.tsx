import type { ComponentChildren, JSX } from 'preact';
import { useId } from 'preact/hooks';

/**
 * Labelled form controls in @nuage/ui's look (`nu-field`), for the input types its TextField does not
 * offer (date, time, color, select, checkbox, textarea).
 */
export function InputField(props: {
  label: string;
  type: 'date' | 'time' | 'color' | 'text';
  value: string;
  onValue: (value: string) => void;
  required?: boolean;
}): JSX.Element {
  const id = useId();
  return (
    <div class="nu-field">
      <label class="nu-field__label" for={id}>
        {props.label}
      </label>
      <input
        id={id}
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- Preact types inputs per literal type
        type={props.type as 'text'}
        class="nu-field__input"
        value={props.value}
        required={props.required}
        onInput={(event) => props.onValue(event.currentTarget.value)}
      />
    </div>
  );
}

export function SelectField(props: {
  label: string;
  value: string;
  onValue: (value: string) => void;
  children: ComponentChildren;
}): JSX.Element {
  const id = useId();
  return (
    <div class="nu-field">
      <label class="nu-field__label" for={id}>
        {props.label}
      </label>
      <select
        id={id}
        class="nu-field__input"
        value={props.value}
        onChange={(event) => props.onValue(event.currentTarget.value)}
      >
        {props.children}
      </select>
    </div>
  );
}

export function CheckField(props: {
  label: string;
  checked: boolean;
  onChecked: (checked: boolean) => void;
}): JSX.Element {
  return (
    <label class="cal-check">
      <input
        type="checkbox"
        checked={props.checked}
        onChange={(event) => props.onChecked(event.currentTarget.checked)}
      />
      {props.label}
    </label>
  );
}

export function AreaField(props: {
  label: string;
  value: string;
  onValue: (value: string) => void;
}): JSX.Element {
  const id = useId();
  return (
    <div class="nu-field">
      <label class="nu-field__label" for={id}>
        {props.label}
      </label>
      <textarea
        id={id}
        class="nu-field__input cal-textarea"
        rows={3}
        value={props.value}
        onInput={(event) => props.onValue(event.currentTarget.value)}
      />
    </div>
  );
}
