import type { TodoDoc } from '../api.js';
import type { Formats } from '../format.js';
import type { Placed } from '../placed.js';
import type { PlacedTodo } from '../todos.js';

/** What every view gets from the app. Times are wall times of the viewer's zone (timezone.ts). */
export interface ViewProps {
  /** The first day shown (wall midnight). */
  from: number;
  items: Placed[];
  today: number;
  f: Formats;
  onOpen: (p: Placed) => void;
  /** Create an event at this wall time (all-day when `allDay`). */
  onCreate: (wall: number, allDay: boolean) => void;
  /** A dragged occurrence dropped to start at this wall time. */
  onMove: (key: string, wall: number) => void;
  /** The to-dos due in the range, drawn on their due day. */
  todos: PlacedTodo[];
  onOpenTodo: (todo: TodoDoc) => void;
  onTick: (todo: TodoDoc, done: boolean) => void;
}
