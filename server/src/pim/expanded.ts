import { eventOverlaps } from './filters.js';
import type { CalendarObject } from './icalendar.js';
import type { Ical } from './ical.js';
import { instancesOf } from './recurrence.js';

/** Most instances kept for one event; past that the event is tested per query instead. */
const MAX_KEPT = 2000;
/**
 * How far beyond a query's range an expansion reaches, so that nearby ranges reuse it. Not much: a
 * long series skips ahead to the range (see instancesOf), and each day more costs its instances.
 */
const MARGIN = 31 * 86400_000;

/**
 * An event's instances that may overlap [from, until) (ms; some earlier ones too), expanded once in one
 * floating zone: a recurring event's instances depend only on its revision, so a calendar-query can
 * test the same event again without parsing or expanding it.
 */
export interface ExpandedEvent {
  zone: string | undefined;
  from: number;
  until: number;
  /** Start and effective end of each instance with a start, in pairs. */
  times: number[];
}

/**
 * The instances of a VEVENT object that may overlap [start, end) widened by a margin, or null when there
 * are more than MAX_KEPT (a long range). Callers keep it for bounded ranges only: with an open end an
 * endless rule never stops before MAX_KEPT.
 */
export function expandEvent(
  ical: Ical,
  object: CalendarObject,
  start: number,
  end: number,
  zone: string | undefined,
): ExpandedEvent | null {
  const from = start - MARGIN;
  const until = end + MARGIN;
  const times: number[] = [];
  for (const instance of instancesOf(ical, object, until, zone, from)) {
    if (instance.start === null) continue;
    if (times.length >= 2 * MAX_KEPT) return null;
    times.push(instance.start, instance.end ?? instance.start);
  }
  return { zone, from, until, times };
}

/** Whether `expanded` answers for [start, end) in `zone`: the same zone, and a range it holds. */
export function covers(
  expanded: ExpandedEvent,
  start: number,
  end: number,
  zone: string | undefined,
): boolean {
  return expanded.zone === zone && start >= expanded.from && end <= expanded.until;
}

/** Whether an instance of the expanded event overlaps [start, end) (RFC 4791 9.9). */
export function expandedOverlaps(expanded: ExpandedEvent, start: number, end: number): boolean {
  const { times } = expanded;
  for (let i = 0; i < times.length; i += 2) {
    if (eventOverlaps({ start: times[i] ?? null, end: times[i + 1] ?? null }, start, end)) return true;
  }
  return false;
}
