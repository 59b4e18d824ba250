import type { JSX } from 'preact';
import { Button, useT } from '@nuage/ui';
import type { CalendarDoc } from './api.js';

export interface CalendarListProps {
  calendars: CalendarDoc[];
  hidden: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onEdit: (calendar: CalendarDoc) => void;
  onNew: () => void;
}

/** The owner's calendars with their colours: a checkbox shows or hides each one. */
export function CalendarList({ calendars, hidden, onToggle, onEdit, onNew }: CalendarListProps): JSX.Element {
  const t = useT();
  return (
    <nav class="cal-list" aria-label={t('calendars.title')}>
      <h2 class="cal-list__title">{t('calendars.title')}</h2>
      <ul>
        {[...calendars]
          .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''))
          .map((c) => (
            <li key={c._id} class="cal-list__item">
              <label class="cal-list__label" style={{ '--cal-color': c.color ?? '#2f6fed' }}>
                <input type="checkbox" checked={!hidden.has(c._id)} onChange={() => onToggle(c._id)} />
                <span class="cal-list__swatch" aria-hidden="true" />
                <span class="cal-list__name">{c.name || c._id}</span>
              </label>
              <button
                type="button"
                class="nu-icon-button"
                aria-label={t('calendars.editNamed', { name: c.name || c._id })}
                onClick={() => onEdit(c)}
              >
                ✎
              </button>
            </li>
          ))}
      </ul>
      <Button variant="ghost" icon="plus" onClick={onNew}>
        {t('calendars.new')}
      </Button>
    </nav>
  );
}
