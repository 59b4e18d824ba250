import { Button, useT } from '@nuage/ui';
import type { ComponentChildren, JSX } from 'preact';

export interface EntryListProps<T> {
  legend: string;
  items: readonly T[];
  onChange: (items: T[]) => void;
  /** A new empty entry. */
  make: () => T;
  addLabel: string;
  /** The inputs of one entry; `set` replaces it. */
  children: (item: T, set: (item: T) => void, index: number) => ComponentChildren;
}

/** A repeatable group of inputs (emails, phones, addresses, other fields) with Add and Remove. */
export function EntryList<T>({
  legend,
  items,
  onChange,
  make,
  addLabel,
  children,
}: EntryListProps<T>): JSX.Element {
  const t = useT();
  const replace = (index: number, item: T) => onChange(items.map((old, i) => (i === index ? item : old)));
  return (
    <fieldset class="entry-list">
      <legend>{legend}</legend>
      {items.map((item, index) => (
        <div class="entry" key={index}>
          <div class="entry__inputs">{children(item, (next) => replace(index, next), index)}</div>
          <Button
            variant="ghost"
            icon="close"
            aria-label={`${t('field.remove')} ${legend} ${index + 1}`}
            onClick={() => onChange(items.filter((_, i) => i !== index))}
          />
        </div>
      ))}
      <Button variant="ghost" icon="plus" onClick={() => onChange([...items, make()])}>
        {addLabel}
      </Button>
    </fieldset>
  );
}
