import type { Doc } from '@nuage/client';
import { DAY, instantOf, isAllDay, ownWall, parseDuration, parseWall } from './dates.js';
import { expand, parseRule } from './rrule.js';
import { fromWall, toWall } from './timezone.js';
import type { CalTime, EventFields } from './types.js';

export type EventDoc = Doc<EventFields>;

/** One occurrence of an event, as the views draw it. */
export interface Occurrence {
  key: string;
  event: EventDoc;
  start: number;
  end: number;
  allDay: boolean;
  summary: string;
  /** The occurrence's original start as the event writes it: the EXDATE a "this one" edit adds. */
  recurrenceId: CalTime | null;
  /** An overridden instance (edited on a phone): read-only here. */
  overridden: boolean;
}

/** The length of an event: DTEND − DTSTART, DURATION, a day for an all-day event, else zero. */
export function lengthOf(event: EventFields, floatingZone: string): number {
  if (!event.start) return 0;
  if (event.end)
    return Math.max(0, instantOf(event.end, floatingZone) - instantOf(event.start, floatingZone));
  const duration = event.duration ? parseDuration(event.duration) : null;
  if (duration !== null) return Math.max(0, duration);
  return isAllDay(event.start) ? DAY : 0;
}

/**
 * Every occurrence of `event` overlapping [from, to) (instants): its RRULE expanded in the wall clock of
 * its own zone, minus EXDATEs, with read-only overrides (RECURRENCE-ID) in place of theirs. Floating and
 * all-day times are read in `floatingZone` (the calendar's zone, else the viewer's).
 */
export function occurrencesOf(event: EventDoc, from: number, to: number, floatingZone: string): Occurrence[] {
  const start = event.start;
  if (!start || Number.isNaN(parseWall(start.date))) return [];
  const allDay = isAllDay(start);
  const length = lengthOf(event, floatingZone);
  const summary = event.summary ?? '';
  const make = (at: number, recurrenceId: CalTime | null, over?: Partial<Occurrence>): Occurrence => ({
    key: `${event._id}:${at}`,
    event,
    start: at,
    end: at + length,
    allDay,
    summary,
    recurrenceId,
    overridden: false,
    ...over,
  });
  const overlaps = (o: Occurrence): boolean =>
    o.start < to && (o.end > from || (o.end === o.start && o.start >= from));
  const rule = event.rrule ? parseRule(event.rrule) : null;
  if (!rule) return [make(instantOf(start, floatingZone), null)].filter(overlaps);

  const own = ownWall(start);
  const zone = own.zone ?? floatingZone;
  const untilWall = rule.until === undefined ? undefined : untilAsWall(rule.until, zone);
  const excluded = new Set((event.exdates ?? []).map((t) => instantOf(t, floatingZone)));
  const overrides = new Map(
    (event.overrides ?? []).map((o) => [instantOf(o.recurrenceId, floatingZone), o] as const),
  );
  const out: Occurrence[] = [];
  // Expand up to the range's end plus a day of margin for zone offsets.
  for (const wall of expand(rule, own.wall, {
    before: toWall(to, zone) + DAY,
    ...(untilWall === undefined ? {} : { untilWall }),
  })) {
    const at = fromWall(wall, zone);
    if (excluded.has(at)) continue;
    const iso = new Date(wall).toISOString().slice(0, allDay ? 10 : 19);
    const recurrenceId: CalTime = allDay
      ? { date: iso }
      : own.zone === 'UTC'
        ? { date: `${iso}Z` }
        : { date: iso, ...(start.tzid ? { tzid: start.tzid } : {}) };
    const override = overrides.get(at);
    let occurrence = make(at, recurrenceId);
    if (override) {
      if (override.status?.toUpperCase() === 'CANCELLED') continue;
      const s = override.start ? instantOf(override.start, floatingZone) : at;
      const e = override.end ? instantOf(override.end, floatingZone) : s + length;
      occurrence = make(s, recurrenceId, { end: e, summary: override.summary ?? summary, overridden: true });
    }
    if (overlaps(occurrence)) out.push(occurrence);
  }
  return out;
}

/** UNTIL as a wall time of `zone`: a UTC UNTIL is converted, a date or floating one read as is. */
function untilAsWall(until: string, zone: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(until);
  if (!m) return Number.POSITIVE_INFINITY;
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 23), +(m[5] ?? 59), +(m[6] ?? 59));
  return m[7] ? toWall(wall, zone) : wall;
}
