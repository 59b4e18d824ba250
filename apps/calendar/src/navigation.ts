import { DAY, addMonths, startOfDay, startOfMonth, startOfWeek } from './dates.js';

export type View = 'month' | 'week' | 'day' | 'agenda';
export const VIEWS: View[] = ['month', 'week', 'day', 'agenda'];

/** Days the agenda looks ahead. */
export const AGENDA_DAYS = 30;

/** The wall range [from, to) a view shows around the day `anchor`. */
export function rangeOf(view: View, anchor: number): { from: number; to: number } {
  switch (view) {
    case 'month': {
      const from = startOfWeek(startOfMonth(anchor));
      return { from, to: from + 42 * DAY };
    }
    case 'week': {
      const from = startOfWeek(anchor);
      return { from, to: from + 7 * DAY };
    }
    case 'day':
      return { from: startOfDay(anchor), to: startOfDay(anchor) + DAY };
    case 'agenda':
      return { from: startOfDay(anchor), to: startOfDay(anchor) + AGENDA_DAYS * DAY };
  }
}

/** The anchor one step before (-1) or after (+1). */
export function step(view: View, anchor: number, direction: -1 | 1): number {
  switch (view) {
    case 'month':
      return addMonths(anchor, direction);
    case 'week':
      return anchor + direction * 7 * DAY;
    case 'day':
      return anchor + direction * DAY;
    case 'agenda':
      return anchor + direction * AGENDA_DAYS * DAY;
  }
}
