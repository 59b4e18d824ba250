import type { JSX } from 'preact';
import { Button, EmptyState, useT } from '@nuage/ui';
import type { CalendarDoc, TodoDoc } from './api.js';
import { CheckField } from './fields.js';
import type { Formats } from './format.js';
import { dueWall, holdsTodos, isDone, priorityLevel } from './todos.js';
import { TodoCheck } from './views/todo-chip.js';

export interface TodoListProps {
  /** The calendars shown (those the owner did not hide), each a list. */
  calendars: CalendarDoc[];
  /** Their to-dos, in the order to show them. */
  todos: TodoDoc[];
  zone: string;
  f: Formats;
  hideCompleted: boolean;
  onHideCompleted: (hide: boolean) => void;
  onOpen: (todo: TodoDoc) => void;
  onTick: (todo: TodoDoc, done: boolean) => void;
  onNew: (calendar: string) => void;
}

/**
 * The to-dos, one list per calendar in its colour, as a phone's reminders app groups them. A to-do
 * whose calendar is gone (written by another app) is listed apart rather than lost.
 */
export function TodoList(props: TodoListProps): JSX.Element {
  const t = useT();
  const { calendars, todos, f } = props;
  const ids = new Set(calendars.map((c) => c._id));
  const groups = [...calendars]
    .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''))
    .filter((c) => holdsTodos(c) || todos.some((todo) => todo.calendar === c._id))
    .map((c) => ({ calendar: c, todos: todos.filter((todo) => todo.calendar === c._id) }));
  const orphans = todos.filter((todo) => !ids.has(todo.calendar ?? ''));
  const due = (todo: TodoDoc): string | null => {
    if (!todo.due) return null;
    const calendar = calendars.find((c) => c._id === todo.calendar);
    const wall = dueWall(todo.due, props.zone, calendar?.timezone ?? props.zone);
    if (Number.isNaN(wall)) return null;
    return todo.due.date.includes('T') ? `${f.dayShort(wall)} ${f.time(wall)}` : f.dayShort(wall);
  };
  const item = (todo: TodoDoc) => {
    const done = isDone(todo);
    const when = due(todo);
    const level = priorityLevel(todo.priority);
    return (
      <li key={todo._id} class={['cal-todos__item', done ? 'cal-todos__item--done' : ''].join(' ')}>
        <TodoCheck todo={todo} done={done} onTick={props.onTick} />
        <button type="button" class="cal-todos__open" onClick={() => props.onOpen(todo)}>
          <span class="cal-todos__summary">{todo.summary || t('event.untitled')}</span>
          {when || level !== 'none' || todo.tags?.length ? (
            <span class="cal-todos__meta">
              {when ? <span>{t('todo.dueOn', { when })}</span> : null}
              {level !== 'none' ? (
                <span class={`cal-todos__priority cal-todos__priority--${level}`}>
                  {t(`priority.${level}`)}
                </span>
              ) : null}
              {todo.tags?.length ? <span class="cal-todos__tags">{todo.tags.join(', ')}</span> : null}
            </span>
          ) : null}
        </button>
      </li>
    );
  };
  return (
    <div class="cal-todos">
      <div class="cal-todos__bar">
        <CheckField
          label={t('todos.hideCompleted')}
          checked={props.hideCompleted}
          onChecked={props.onHideCompleted}
        />
      </div>
      {todos.length === 0 ? (
        <EmptyState icon="check" title={t('todos.empty.title')}>
          {t('todos.empty.text')}
        </EmptyState>
      ) : null}
      {groups.map(({ calendar, todos: mine }) => {
        const name = calendar.name || calendar._id;
        return (
          <section
            key={calendar._id}
            class="cal-todos__group"
            style={{ '--cal-color': (calendar.color ?? '#2f6fed').slice(0, 7) }}
            aria-label={name}
          >
            <h3 class="cal-todos__name">
              <span class="cal-list__swatch" aria-hidden="true" />
              <span class="cal-list__name">{name}</span>
              <Button
                variant="ghost"
                icon="plus"
                aria-label={t('todos.newIn', { name })}
                title={t('todos.newIn', { name })}
                onClick={() => props.onNew(calendar._id)}
              />
            </h3>
            <ul class="cal-todos__items">{mine.map(item)}</ul>
          </section>
        );
      })}
      {orphans.length ? (
        <section class="cal-todos__group" aria-label={t('todos.noList')}>
          <h3 class="cal-todos__name">{t('todos.noList')}</h3>
          <ul class="cal-todos__items">{orphans.map(item)}</ul>
        </section>
      ) : null}
    </div>
  );
}
