import type { TodoDoc } from './api.js';
import { DAY, clockOf, dayKey, instantOf, isAllDay, parseWall } from './dates.js';
import { assign } from './edits.js';
import { toWall } from './timezone.js';
import type { CalTime, TodoFields } from './types.js';

/**
 * What the to-do form edits, and how a to-do is ticked, ordered and placed on a day. The app writes
 * structured fields only, as it does for events: the server rewrites the VTODO text a phone reads from
 * them, keeping every property they do not name (docs/pim.md, "The raw/structured rule"). So `raw` and
 * `rawHash` are carried along untouched, never edited here.
 */

export interface TodoDraft {
  summary: string;
  calendar: string;
  /** `YYYY-MM-DD` in the viewer's zone; '' for no due date. */
  dueDate: string;
  /** `HH:MM`; '' for due some time that day. */
  dueTime: string;
  /** 1 (highest) to 9 (lowest); 0: none. */
  priority: number;
  description: string;
}

/** The priorities the form offers, as iCalendar writes them (RFC 5545 3.8.1.9: 1 high, 5 medium, 9 low). */
export const PRIORITY_CHOICES = [1, 5, 9] as const;

export type PriorityLevel = 'high' | 'medium' | 'low' | 'none';

/** How a priority reads: 1–4 high, 5 medium, 6–9 low (the ranges RFC 5545 gives a three-level UI). */
export function priorityLevel(priority: number | undefined): PriorityLevel {
  if (!priority || priority < 1 || priority > 9) return 'none';
  return priority < 5 ? 'high' : priority === 5 ? 'medium' : 'low';
}

/** Done: STATUS:COMPLETED, or a COMPLETED time from a client that writes no STATUS. */
export const isDone = (todo: TodoFields): boolean =>
  todo.status ? todo.status.toUpperCase() === 'COMPLETED' : !!todo.completed;

/** Whether a calendar may hold to-dos (a calendar that names no components holds both kinds). */
export const holdsTodos = (calendar: { components?: string[] }): boolean =>
  !calendar.components || calendar.components.includes('VTODO');

/** The due time as a wall time of `zone`; a whole-day due date stays on its own day in every zone. */
export function dueWall(due: CalTime, zone: string, floatingZone: string): number {
  return isAllDay(due) ? parseWall(due.date) : toWall(instantOf(due, floatingZone), zone);
}

export function newTodoDraft(calendar: string, dueDate = ''): TodoDraft {
  return { summary: '', calendar, dueDate, dueTime: '', priority: 0, description: '' };
}

/** The form for a to-do, its due time shown in `zone` (floating times read in `floatingZone`). */
export function todoDraftOf(todo: TodoFields, zone: string, floatingZone: string): TodoDraft {
  const wall = todo.due ? dueWall(todo.due, zone, floatingZone) : Number.NaN;
  const known = !Number.isNaN(wall);
  return {
    summary: todo.summary ?? '',
    calendar: todo.calendar ?? '',
    dueDate: known ? dayKey(wall) : '',
    dueTime: known && todo.due && !isAllDay(todo.due) ? clockOf(wall) : '',
    priority: todo.priority ?? 0,
    description: todo.description ?? '',
  };
}

function dueOf(d: TodoDraft, zone: string): CalTime | undefined {
  if (!d.dueDate) return undefined;
  return d.dueTime ? { date: `${d.dueDate}T${d.dueTime}:00`, tzid: zone } : { date: d.dueDate };
}

/**
 * The document a saved form writes: a new to-do (NEEDS-ACTION, a fresh UID), or `previous` with the
 * form's fields. A due time the form did not change keeps its own zone and form, so opening and saving
 * a to-do a phone wrote changes nothing in its VTODO.
 */
export function todoWriteFor(
  d: TodoDraft,
  zone: string,
  previous: TodoDoc | null,
  floatingZone: string,
): TodoFields | TodoDoc {
  const fields: TodoFields = {
    summary: d.summary.trim(),
    calendar: d.calendar,
    description: d.description.trim(),
    priority: d.priority || undefined,
  };
  if (!previous) {
    return assign<TodoFields>(
      { uid: crypto.randomUUID(), status: 'NEEDS-ACTION' },
      { ...fields, due: dueOf(d, zone) },
    );
  }
  const before = todoDraftOf(previous, zone, floatingZone);
  const dueKept = before.dueDate === d.dueDate && before.dueTime === d.dueTime;
  return assign(previous, { ...fields, due: dueKept ? previous.due : dueOf(d, zone) });
}

/** `YYYY-MM-DDTHH:MM:SSZ`: COMPLETED is a UTC date-time (RFC 5545 3.8.2.1). */
const utcStamp = (instant: number): string => new Date(instant).toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * The to-do ticked done at `now` (STATUS:COMPLETED and its COMPLETED time) or opened again
 * (NEEDS-ACTION, no COMPLETED). A PERCENT-COMPLETE it had follows: 100 when done, dropped when
 * reopened, so a phone never reads a completed task as half done.
 */
export function ticked(todo: TodoDoc, done: boolean, now: number): TodoDoc {
  if (done) {
    return {
      ...todo,
      status: 'COMPLETED',
      completed: { date: utcStamp(now) },
      ...(todo.percentComplete === undefined ? {} : { percentComplete: 100 }),
    };
  }
  const out: TodoDoc = { ...todo, status: 'NEEDS-ACTION' };
  delete out.completed;
  delete out.percentComplete;
  return out;
}

/**
 * The order of a list: open to-dos first; among them those due soonest (undated last), then by
 * priority (high first), then by name; done ones after, most recently completed first.
 */
export function compareTodos(zone: string, floatingZone: (todo: TodoDoc) => string) {
  const dueKey = (t: TodoDoc) => (t.due ? dueWall(t.due, zone, floatingZone(t)) : Number.POSITIVE_INFINITY);
  const priorityKey = (t: TodoDoc) => (t.priority && t.priority > 0 ? t.priority : 10);
  return (a: TodoDoc, b: TodoDoc): number => {
    const doneA = isDone(a);
    const doneB = isDone(b);
    if (doneA !== doneB) return doneA ? 1 : -1;
    if (doneA) return (b.completed?.date ?? '').localeCompare(a.completed?.date ?? '');
    return (
      dueKey(a) - dueKey(b) ||
      priorityKey(a) - priorityKey(b) ||
      (a.summary ?? '').localeCompare(b.summary ?? '')
    );
  };
}

/** A to-do with a due date, as a view draws it on its day. */
export interface PlacedTodo {
  todo: TodoDoc;
  /** The due time, a wall time of the viewer's zone. */
  wall: number;
  /** Due some time that day (a DUE date), not at a time. */
  allDay: boolean;
  done: boolean;
  color: string;
}

/**
 * The to-dos due in the wall range [from, to), in due order. A repeating to-do is shown at its
 * current DUE only: completing it on a phone moves DUE to the next one.
 */
export function placeTodos(
  todos: TodoDoc[],
  range: { from: number; to: number },
  zone: string,
  calendarOf: (id: string | undefined) => { color: string; zone: string },
): PlacedTodo[] {
  return todos
    .flatMap((todo): PlacedTodo[] => {
      if (!todo.due) return [];
      const calendar = calendarOf(todo.calendar);
      const wall = dueWall(todo.due, zone, calendar.zone);
      if (Number.isNaN(wall) || wall < range.from || wall >= range.to) return [];
      return [{ todo, wall, allDay: isAllDay(todo.due), done: isDone(todo), color: calendar.color }];
    })
    .sort((a, b) => a.wall - b.wall || Number(a.allDay) - Number(b.allDay));
}

/** Whether a placed to-do is due on the day starting at wall `day`. */
export const dueOn = (p: PlacedTodo, day: number): boolean => p.wall >= day && p.wall < day + DAY;
