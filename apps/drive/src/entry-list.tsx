import type { FileEntry, NuageClient } from '@nuage/client';
import { useT } from '@nuage/ui';
import type { JSX } from 'preact';
import { formatDate, formatSize } from './format.js';
import { Thumbnail } from './thumbnail.js';

export type Layout = 'list' | 'grid';

export interface EntryListProps {
  client: NuageClient;
  entries: readonly FileEntry[];
  layout: Layout;
  selected: ReadonlySet<string>;
  onSelect: (ids: ReadonlySet<string>) => void;
  /** A folder opens, an image previews, another file downloads. */
  onOpen: (entry: FileEntry) => void;
  /** Search results show where each entry lives. */
  showPath?: boolean;
  label: string;
}

/** Entries as rows or tiles, each with a checkbox, so several can be zipped, moved or trashed at once. */
export function EntryList(props: EntryListProps): JSX.Element {
  const t = useT();
  const { entries, selected, onSelect } = props;
  const all = entries.length > 0 && entries.every((e) => selected.has(e.id));
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (!next.delete(id)) next.add(id);
    onSelect(next);
  };
  return (
    <div class="drive-entries">
      <label class="drive-entries__all">
        <input
          type="checkbox"
          checked={all}
          onChange={() => onSelect(all ? new Set() : new Set(entries.map((e) => e.id)))}
        />
        {t('list.selectAll')}
      </label>
      <ul class={`drive-entries__items drive-entries__items--${props.layout}`} aria-label={props.label}>
        {entries.map((entry) => (
          <EntryItem
            key={entry.id}
            {...props}
            entry={entry}
            checked={selected.has(entry.id)}
            onToggle={() => toggle(entry.id)}
          />
        ))}
      </ul>
    </div>
  );
}

interface EntryItemProps extends EntryListProps {
  entry: FileEntry;
  checked: boolean;
  onToggle: () => void;
}

function EntryItem({ client, entry, checked, onToggle, onOpen, showPath }: EntryItemProps): JSX.Element {
  const t = useT();
  const locale = document.documentElement.lang || 'en';
  const details = [
    entry.type === 'directory' ? t('list.folder') : formatSize(entry.size ?? 0, locale),
    formatDate(entry.updated_at, locale),
  ].join(' · ');
  return (
    <li class={['drive-entry', checked ? 'drive-entry--selected' : ''].join(' ').trim()}>
      <input
        type="checkbox"
        class="drive-entry__check"
        checked={checked}
        onChange={onToggle}
        aria-label={t('list.select', { name: entry.name })}
      />
      <button type="button" class="drive-entry__open" onClick={() => onOpen(entry)}>
        <Thumbnail client={client} entry={entry} />
        <span class="drive-entry__text">
          <span class="drive-entry__name">{entry.name}</span>
          <span class="drive-entry__meta">{showPath ? entry.path : details}</span>
        </span>
      </button>
    </li>
  );
}
