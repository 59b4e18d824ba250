import type { JSX } from 'preact';
import { Button, useT } from '@nuage/ui';
import { VIEWS, type View } from './navigation.js';

/** What the main area shows: one of the calendar views, or the to-do lists. */
export type Mode = View | 'todos';

export interface ToolbarProps {
  mode: Mode;
  title: string;
  /** The calendars list is open (phones, where it folds away). */
  sidebar: boolean;
  onSidebar: () => void;
  onStep: (direction: -1 | 1) => void;
  onToday: () => void;
  onMode: (mode: Mode) => void;
  /** A new event, or a new to-do in the to-do lists. */
  onNew: () => void;
  canCreate: boolean;
}

/** The bar over the view: calendars (phones), previous/today/next, the title, the views, and "new". */
export function Toolbar(props: ToolbarProps): JSX.Element {
  const t = useT();
  const todos = props.mode === 'todos';
  return (
    <div class="cal-toolbar">
      <Button
        variant="ghost"
        class="cal-toolbar__calendars"
        icon="menu"
        aria-label={t('calendars.title')}
        aria-expanded={props.sidebar}
        onClick={props.onSidebar}
      />
      {todos ? null : (
        <div class="cal-toolbar__nav">
          <Button variant="ghost" aria-label={t('nav.previous')} onClick={() => props.onStep(-1)}>
            ‹
          </Button>
          <Button onClick={props.onToday}>{t('nav.today')}</Button>
          <Button variant="ghost" aria-label={t('nav.next')} onClick={() => props.onStep(1)}>
            ›
          </Button>
        </div>
      )}
      <h2 class="cal-toolbar__title">{props.title}</h2>
      <div class="cal-toolbar__views" role="group" aria-label={t('view.label')}>
        {[...VIEWS, 'todos' as const].map((m) => (
          <Button
            key={m}
            variant={m === props.mode ? 'primary' : 'ghost'}
            aria-pressed={m === props.mode}
            onClick={() => props.onMode(m)}
          >
            {t(`view.${m}`)}
          </Button>
        ))}
      </div>
      <Button variant="primary" icon="plus" disabled={!props.canCreate} onClick={props.onNew}>
        {todos ? t('todo.new') : t('event.new')}
      </Button>
    </div>
  );
}
