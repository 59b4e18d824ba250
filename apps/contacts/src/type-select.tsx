import { useT } from '@nuage/ui';
import type { JSX } from 'preact';
import { useId } from 'preact/hooks';
import type { Typed } from './types.js';

/**
 * The kind of an email, phone or address (home, work…). Only the first TYPE is shown and chosen;
 * choosing replaces the types the entry had, leaving it alone keeps them all (voice, internet…).
 */
export function TypeSelect<T extends Typed>({
  entry,
  choices,
  onChange,
}: {
  entry: T;
  choices: readonly string[];
  onChange: (entry: T) => void;
}): JSX.Element {
  const t = useT();
  const id = useId();
  const current = entry.types?.find((type) => choices.includes(type)) ?? entry.types?.[0] ?? '';
  const options = current && !choices.includes(current) ? [...choices, current] : choices;
  return (
    <div class="nu-field type-select">
      <label class="nu-field__label" for={id}>
        {t('field.type')}
      </label>
      <select
        id={id}
        class="nu-field__input"
        value={current}
        onChange={(event) => {
          const type = event.currentTarget.value;
          const { types: _old, ...rest } = entry;
          onChange((type ? { ...rest, types: [type] } : rest) as T);
        }}
      >
        <option value="">—</option>
        {options.map((type) => (
          <option key={type} value={type}>
            {choices.includes(type) ? t(`type.${type}`) : type}
          </option>
        ))}
      </select>
    </div>
  );
}
