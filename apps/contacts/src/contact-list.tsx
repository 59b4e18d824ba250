import { EmptyState, Spinner, useT } from '@nuage/ui';
import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Avatar } from './avatar.js';
import { filterEntries, groupsOf, type Entry } from './filter.js';

/** Rows drawn at first: 5000 buttons would make each keystroke slow; more come on demand. */
const SHOWN = 200;

export interface ContactListProps {
  entries: Entry[] | null;
  selected: string | null;
  onSelect: (id: string) => void;
}

/** The search field, the group filter and the matching contacts. */
export function ContactList({ entries, selected, onSelect }: ContactListProps): JSX.Element {
  const t = useT();
  const [query, setQuery] = useState('');
  const [group, setGroup] = useState<string | null>(null);
  const [limit, setLimit] = useState(SHOWN);
  const groups = useMemo(() => groupsOf(entries ?? []), [entries]);
  const matches = useMemo(() => filterEntries(entries ?? [], query, group), [entries, query, group]);
  useEffect(() => setLimit(SHOWN), [query, group]);
  // A group that no contact is in any more (its last member was removed) stops filtering.
  useEffect(() => {
    if (group !== null && !groups.some((g) => g.name === group)) setGroup(null);
  }, [groups, group]);

  return (
    <div class="contact-list">
      <div class="list-tools">
        <label class="visually-hidden" for="contact-search">
          {t('list.search')}
        </label>
        <input
          id="contact-search"
          class="nu-field__input"
          type="search"
          autocomplete="off"
          placeholder={t('list.searchPlaceholder')}
          value={query}
          onInput={(event) => setQuery(event.currentTarget.value)}
        />
        {groups.length > 0 ? (
          <>
            <label class="visually-hidden" for="contact-group">
              {t('list.group')}
            </label>
            <select
              id="contact-group"
              class="nu-field__input"
              value={group ?? ''}
              onChange={(event) => setGroup(event.currentTarget.value || null)}
            >
              <option value="">{t('list.allGroups')}</option>
              {groups.map((g) => (
                <option key={g.name} value={g.name}>{`${g.name} (${g.count})`}</option>
              ))}
            </select>
          </>
        ) : null}
      </div>
      {entries === null ? (
        <div class="center" aria-label={t('list.loading')}>
          <Spinner />
        </div>
      ) : entries.length === 0 ? (
        <EmptyState icon="note" title={t('list.empty.title')}>
          {t('list.empty.text')}
        </EmptyState>
      ) : (
        <>
          <p class="list-count" aria-live="polite">
            {query && matches.length === 0
              ? t('list.noMatch', { query })
              : matches.length === 1
                ? t('list.countOne')
                : t('list.count', { count: matches.length })}
          </p>
          <ul class="contacts" aria-label={t('list.label')}>
            {matches.slice(0, limit).map((entry) => (
              <ContactRow
                key={entry.contact._id}
                entry={entry}
                selected={entry.contact._id === selected}
                onSelect={onSelect}
              />
            ))}
          </ul>
          {matches.length > limit ? (
            <button
              type="button"
              class="nu-button nu-button--ghost more"
              onClick={() => setLimit(limit + SHOWN * 5)}
            >
              {t('list.more', { count: matches.length - limit })}
            </button>
          ) : null}
        </>
      )}
    </div>
  );
}

function ContactRow({
  entry,
  selected,
  onSelect,
}: {
  entry: Entry;
  selected: boolean;
  onSelect: (id: string) => void;
}) {
  const t = useT();
  const { contact } = entry;
  const detail = contact.org ?? contact.emails?.[0]?.address ?? contact.phones?.[0]?.number;
  return (
    <li>
      <button
        type="button"
        class={selected ? 'contact-row selected' : 'contact-row'}
        aria-current={selected ? 'true' : undefined}
        onClick={() => onSelect(contact._id)}
      >
        <Avatar name={entry.name} photo={contact.photo} size={36} />
        <span class="contact-row__text">
          <span class="contact-row__name">{entry.name || t('contact.unnamed')}</span>
          {detail ? <span class="contact-row__detail">{detail}</span> : null}
        </span>
      </button>
    </li>
  );
}
