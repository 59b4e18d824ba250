import type { CalendarObject } from './icalendar.js';
import { instantOf, type Ical, type IcalComponent, type IcalTime } from './ical.js';

/** Most occurrences one recurrence is expanded to: a guard against rules that never end. */
export const MAX_OCCURRENCES = 100_000;

/**
 * One instance of a calendar component, its times as instants (ms since the epoch, UTC), ready for the
 * overlap rules of RFC 4791 9.9. `end` is the event's effective end (DTEND, DTSTART + DURATION, or the
 * next day for an all-day event; equal to `start` when it has no duration).
 */
export interface Instance {
  component: IcalComponent;
  /** The occurrence's RECURRENCE-ID (its start before any override); null for a non-recurring one. */
  recurrenceId: number | null;
  start: number | null;
  end: number | null;
  /** VTODO: DUE, and DTSTART + DURATION when it has a DURATION. */
  due: number | null;
  durationEnd: number | null;
  completed: number | null;
  created: number | null;
}

function timeOf(component: IcalComponent, name: string): { time: IcalTime; tzid: string | undefined } | null {
  const prop = component.getFirstProperty(name);
  const value: unknown = prop?.getFirstValue();
  if (!prop || !value || typeof value !== 'object' || !('isDate' in value)) return null;
  const tzid: unknown = prop.getParameter('tzid');
  return { time: value as IcalTime, tzid: typeof tzid === 'string' ? tzid : undefined };
}

/**
 * The instance of `component` starting at `occurrence` (a recurrence's) or at its own DTSTART. Times
 * are shifted with the occurrence in wall-clock time, so a weekly 09:00 Paris event stays at 09:00
 * across a DST change.
 */
function instanceAt(
  ical: Ical,
  component: IcalComponent,
  occurrence: IcalTime | null,
  floatingZone: string | undefined,
): Instance {
  const dtstart = timeOf(component, 'dtstart');
  const start = occurrence ?? dtstart?.time ?? null;
  const tzid = dtstart?.tzid;
  const at = (time: IcalTime | null, zone: string | undefined): number | null =>
    time === null ? null : instantOf(time, zone, floatingZone);
  /** `other` moved by as much as the occurrence moved from DTSTART, in wall-clock time. */
  const shifted = (other: { time: IcalTime; tzid: string | undefined } | null): number | null => {
    if (!other) return null;
    if (!occurrence || !dtstart) return at(other.time, other.tzid);
    const moved = other.time.clone();
    moved.addDuration(occurrence.subtractDate(dtstart.time));
    return at(moved, other.tzid);
  };
  let end: number | null = null;
  let durationEnd: number | null = null;
  const duration: unknown = component.getFirstPropertyValue('duration');
  if (start) {
    const dtend = component.name === 'vevent' ? timeOf(component, 'dtend') : null;
    if (dtend) end = shifted(dtend);
    else if (duration) {
      const e = start.clone();
      e.addDuration(duration as ReturnType<Ical['Duration']['fromString']>);
      end = at(e, tzid);
      durationEnd = end;
    } else if (start.isDate) {
      const e = start.clone();
      e.addDuration(ical.Duration.fromString('P1D'));
      end = at(e, tzid);
    } else end = at(start, tzid);
  }
  const created = timeOf(component, 'created');
  const rid = timeOf(component, 'recurrence-id');
  return {
    component,
    recurrenceId: occurrence ? at(occurrence, tzid) : rid ? at(rid.time, rid.tzid) : null,
    start: at(start, tzid),
    end,
    due: shifted(timeOf(component, 'due')),
    durationEnd,
    completed: at(timeOf(component, 'completed')?.time ?? null, undefined),
    created: created ? at(created.time, created.tzid) : null,
  };
}

const DAY = 86400_000;
const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/**
 * A later DTSTART to expand a rule from, so that a daily or weekly series started years ago does not
 * walk every occurrence before `from`: the first one moved forward by whole weeks (times the rule's
 * interval, so weekdays and BYDAY sets line up), in wall-clock time, ending at least two days before
 * `from`. Null when that is not safe (a COUNT, which counts from the first occurrence; other
 * frequencies) or not worth it.
 */
function fastForward(
  ical: Ical,
  master: IcalComponent,
  dtstart: { time: IcalTime; tzid: string | undefined },
  from: number,
  length: number,
  floatingZone: string | undefined,
): IcalTime | null {
  const rule = master.getFirstPropertyValue('rrule') as {
    freq: string;
    interval: number;
    count: number | null;
    parts: Record<string, unknown[] | undefined>;
  } | null;
  if (!rule || rule.count || (rule.freq !== 'DAILY' && rule.freq !== 'WEEKLY')) return null;
  // Only plain rules, or BYDAY sets holding DTSTART's weekday: DTSTART always counts as an occurrence,
  // so a moved DTSTART must be one the rule would give.
  if (Object.keys(rule.parts).some((part) => part !== 'BYDAY')) return null;
  const weekday = WEEKDAYS[dtstart.time.dayOfWeek() - 1];
  const byDay = rule.parts['BYDAY'];
  if (byDay && !byDay.includes(weekday)) return null;
  // A WEEKLY rule without BYDAY repeats on DTSTART's weekday (RFC 5545 3.3.10). ical.js writes that
  // BYDAY into the rule when it first expands it, but from the moved start it then picks wrong days
  // (Tuesdays for a Monday series years on): so it is written here first, from the real DTSTART.
  if (!byDay && rule.freq === 'WEEKLY') rule.parts['BYDAY'] = [weekday];
  const stepDays = 7 * Math.max(1, rule.interval || 1);
  const start = instantOf(dtstart.time, dtstart.tzid, floatingZone);
  const steps = Math.floor((from - start - Math.max(0, length) - 2 * DAY) / (stepDays * DAY));
  if (steps <= 0) return null;
  const anchor = dtstart.time.clone();
  anchor.addDuration(ical.Duration.fromData({ days: steps * stepDays }));
  return anchor;
}

/**
 * Every instance of a calendar object that may end after `from` and starts before `until` (ms; each
 * unbounded when absent), in no particular order: the overridden instances (RECURRENCE-ID) as their
 * own components say, then the master's occurrences from its RRULE and RDATE minus EXDATE and minus
 * those overridden, each as long as the master. `from` only lets a long daily or weekly series skip
 * ahead: callers still check each instance. Floating times and dates are read in `floatingZone` (UTC
 * when absent).
 */
export function* instancesOf(
  ical: Ical,
  object: CalendarObject,
  until?: number,
  floatingZone?: string,
  from?: number,
): Generator<Instance> {
  const overridden = new Set<number>();
  for (const component of object.overrides) {
    const instance = instanceAt(ical, component, null, floatingZone);
    if (instance.recurrenceId !== null) overridden.add(instance.recurrenceId);
    yield instance;
  }
  const master = object.master;
  if (!master) return;
  const recurs = master.getFirstProperty('rrule') ?? master.getFirstProperty('rdate');
  const dtstart = timeOf(master, 'dtstart');
  if (!recurs || !dtstart) {
    yield instanceAt(ical, master, null, floatingZone);
    return;
  }
  let anchor = dtstart.time;
  if (from !== undefined) {
    const first = instanceAt(ical, master, null, floatingZone);
    const length = (first.end ?? 0) - (first.start ?? 0);
    anchor = fastForward(ical, master, dtstart, from, length, floatingZone) ?? anchor;
  }
  const expansion = new ical.RecurExpansion({ component: master, dtstart: anchor });
  for (let i = 0; i < MAX_OCCURRENCES; i++) {
    const next = expansion.next();
    if (!next) return;
    const at = instantOf(next, dtstart.tzid, floatingZone);
    if (until !== undefined && at >= until) return;
    if (overridden.has(at)) continue;
    yield instanceAt(ical, master, next, floatingZone);
  }
}

/** How far a floating time or a date can be from its UTC reading: the widest UTC offsets. */
const FLOATING_MARGIN = 14 * 3600_000;
/** Occurrences {@link spanOf} enumerates before it calls a rule endless. */
const SPAN_OCCURRENCES = 5000;

/** What {@link spanOf} finds: the time an event's instances cover, and its one instance when exact. */
export interface Span {
  start: number;
  /** Null: no end (an endless rule). */
  end: number | null;
  /**
   * The event's only instance (no RRULE, RDATE or overrides), its start and effective end, when none of
   * its times float (each has a TZID or is UTC): then no calendar time zone changes it, and a time-range
   * test needs nothing else.
   */
  instance?: { start: number; end: number };
}

/** Whether a time reads the same whatever the calendar's time zone: a date-time with a TZID, or UTC. */
function fixed(time: { time: IcalTime; tzid: string | undefined } | null): boolean {
  if (!time || time.time.isDate) return false;
  const zone = time.time.zone as { tzid?: string } | undefined;
  return time.tzid !== undefined || zone?.tzid === 'UTC';
}

/** The single instance of a non-recurring event whose times do not float (see {@link Span}). */
function exactInstance(ical: Ical, object: CalendarObject): { start: number; end: number } | undefined {
  const master = object.master;
  if (!master || object.overrides.length > 0) return undefined;
  if (master.getFirstProperty('rrule') || master.getFirstProperty('rdate')) return undefined;
  const dtend = timeOf(master, 'dtend');
  if (!fixed(timeOf(master, 'dtstart')) || (master.getFirstProperty('dtend') && !fixed(dtend)))
    return undefined;
  const instance = instanceAt(ical, master, null, undefined);
  if (instance.start === null) return undefined;
  return { start: instance.start, end: instance.end ?? instance.start };
}

/**
 * The time an event's instances cover, from the start of the first to the end of the last (null: no
 * end, an endless rule), widened by 14 hours each side so that floating times read in any zone stay
 * inside, and its exact instance when it has one (see {@link Span}). Null when the object has no dated
 * instance. A query may skip an object whose span misses its range without parsing it.
 */
export function spanOf(ical: Ical, object: CalendarObject): Span | null {
  const rule: unknown = object.master?.getFirstPropertyValue('rrule');
  const endless = rule !== null && rule !== undefined && !(rule as { isFinite(): boolean }).isFinite();
  const dtstart = object.master ? timeOf(object.master, 'dtstart') : null;
  const until = endless && dtstart ? instantOf(dtstart.time, dtstart.tzid) + FLOATING_MARGIN + 1 : undefined;
  let start = Infinity;
  let end = -Infinity;
  let count = 0;
  for (const instance of instancesOf(ical, object, until)) {
    if (instance.start === null) continue;
    start = Math.min(start, instance.start);
    end = Math.max(end, instance.end ?? instance.start);
    if (++count >= SPAN_OCCURRENCES) return { start: start - FLOATING_MARGIN, end: null };
  }
  if (count === 0) return null;
  const span: Span = { start: start - FLOATING_MARGIN, end: endless ? null : end + FLOATING_MARGIN };
  const instance = exactInstance(ical, object);
  if (instance) span.instance = instance;
  return span;
}
