import { Button, useT } from '@nuage/ui';
import type { JSX } from 'preact';
import { useId, useState } from 'preact/hooks';

export interface GroupsEditorProps {
  groups: readonly string[];
  /** Every group in use, offered as suggestions. */
  known: readonly string[];
  onChange: (groups: string[]) => void;
  busy?: boolean;
}

/** A contact's groups as removable chips, and a field to add it to a group (known ones suggested). */
export function GroupsEditor({ groups, known, onChange, busy = false }: GroupsEditorProps): JSX.Element {
  const t = useT();
  const [name, setName] = useState('');
  const id = useId();
  const add = (event: Event) => {
    event.preventDefault();
    const group = name.trim();
    if (group && !groups.includes(group)) onChange([...groups, group]);
    setName('');
  };
  return (
    <div class="groups">
      {groups.length === 0 ? <p class="muted">{t('groups.none')}</p> : null}
      <ul class="chips">
        {groups.map((group) => (
          <li key={group} class="chip">
            {group}
            <button
              type="button"
              class="chip__remove"
              aria-label={t('groups.remove', { group })}
              disabled={busy}
              onClick={() => onChange(groups.filter((g) => g !== group))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <form class="inline-form" onSubmit={add}>
        <label class="visually-hidden" for={`${id}-group`}>
          {t('groups.add')}
        </label>
        <input
          id={`${id}-group`}
          class="nu-field__input"
          list={`${id}-known`}
          placeholder={t('groups.add')}
          value={name}
          onInput={(event) => setName(event.currentTarget.value)}
        />
        <datalist id={`${id}-known`}>
          {known
            .filter((g) => !groups.includes(g))
            .map((g) => (
              <option key={g} value={g} />
            ))}
        </datalist>
        <Button type="submit" icon="plus" busy={busy} disabled={!name.trim()}>
          {t('groups.addButton')}
        </Button>
      </form>
    </div>
  );
}
