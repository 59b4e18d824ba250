import type { JSX } from 'preact';
import { useT } from '@nuage/ui';
import type { TodoDoc } from '../api.js';
import type { Formats } from '../format.js';
import type { PlacedTodo } from '../todos.js';

/** The tick box of a to-do: ticking it marks the to-do done, unticking opens it again. */
export function TodoCheck({
  todo,
  done,
  onTick,
}: {
  todo: TodoDoc;
  done: boolean;
  onTick: (todo: TodoDoc, done: boolean) => void;
}): JSX.Element {
  const t = useT();
  return (
    <input
      type="checkbox"
      class="cal-todo__check"
      checked={done}
      aria-label={t('todo.doneNamed', { name: todo.summary || t('event.untitled') })}
      onChange={() => onTick(todo, !done)}
    />
  );
}

export interface TodoChipProps {
  p: PlacedTodo;
  label: string;
  onOpen: (todo: TodoDoc) => void;
  onTick: (todo: TodoDoc, done: boolean) => void;
}

/**
 * A to-do on its due day in a view: a tick box and a button that opens it. Clicks stop here, so they
 * do not also reach the day under it, which would start a new event.
 */
export function TodoChip({ p, label, onOpen, onTick }: TodoChipProps): JSX.Element {
  return (
    <div
      class={['cal-todo', p.done ? 'cal-todo--done' : ''].filter(Boolean).join(' ')}
      style={{ '--cal-color': p.color }}
      onClick={(event) => event.stopPropagation()}
    >
      <TodoCheck todo={p.todo} done={p.done} onTick={onTick} />
      <button type="button" class="cal-todo__open" title={label} onClick={() => onOpen(p.todo)}>
        {label}
      </button>
    </div>
  );
}

/** A to-do's label in a view: its due time first when it has one. */
export const todoLabel = (p: PlacedTodo, f: Formats, untitled: string): string => {
  const name = p.todo.summary || untitled;
  return p.allDay ? name : `${f.time(p.wall)} ${name}`;
};
