import { useMemo } from 'preact/hooks';
import type { CalendarDoc, TodoDoc } from './api.js';
import { compareTodos, isDone, placeTodos, type PlacedTodo } from './todos.js';
import { useStoredFlag } from './use-stored-flag.js';

export interface TodoView {
  /** The to-dos of the calendars shown, in list order, completed ones left out when asked. */
  list: TodoDoc[];
  /** Those of them due in the range, on their days. */
  placed: PlacedTodo[];
  hideCompleted: boolean;
  setHideCompleted: (hide: boolean) => void;
}

/**
 * The to-dos as the app shows them. Hiding a calendar hides its to-dos too, and "hide completed" (a
 * choice remembered on this device) applies to the lists and the calendar views alike.
 */
export function useTodoView(
  todos: TodoDoc[],
  calendars: ReadonlyMap<string, CalendarDoc>,
  hidden: ReadonlySet<string>,
  range: { from: number; to: number },
  zone: string,
  colorOf: (calendar: string | undefined) => string,
): TodoView {
  const [hideCompleted, setHideCompleted] = useStoredFlag('nuage.calendar.hideCompleted');
  const floatingZoneOf = (id: string | undefined) => calendars.get(id ?? '')?.timezone ?? zone;
  const list = useMemo(
    () =>
      todos
        .filter((todo) => !hidden.has(todo.calendar ?? '') && !(hideCompleted && isDone(todo)))
        .sort(compareTodos(zone, (todo) => floatingZoneOf(todo.calendar))),
    // floatingZoneOf reads `calendars` and `zone` only.
    [todos, hidden, hideCompleted, calendars, zone],
  );
  const placed = placeTodos(list, range, zone, (id) => ({ color: colorOf(id), zone: floatingZoneOf(id) }));
  return { list, placed, hideCompleted, setHideCompleted };
}
