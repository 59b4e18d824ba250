import type { EventDoc } from './api.js';
import {
  DAY,
  MINUTE,
  calTimeAt,
  clockOf,
  dayKey,
  formatDuration,
  instantOf,
  isAllDay,
  parseDuration,
  parseWall,
} from './dates.js';
import type { Occurrence } from './occurrences.js';
import { parseRule } from './rrule.js';
import { fromWall, toWall } from './timezone.js';
import type { Alarm, CalTime, EventFields } from './types.js';

/**
 * What the event form edits, and how a saved form becomes document writes. Editing one occurrence of a
 * series ("this one") adds its start to the series' EXDATEs and writes a standalone event in its place:
 * overrides (RECURRENCE-ID) are read-only in Nuage's structured form (docs/pim.md). Editing "all" edits
 * the series: a time moved on the occurrence moves every occurrence by as much.
 */

export type Repeat = 'none' | 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY' | 'custom';
export type Scope = 'one' | 'all';

export interface Draft {
  summary: string;
  calendar: string;
  allDay: boolean;
  /** `YYYY-MM-DD` and `HH:MM` in the viewer's zone. */
  date: string;
  start: string;
  endDate: string;
  end: string;
  repeat: Repeat;
  /** Minutes before the start; null: no reminder. */
  reminder: number | null;
  location: string;
  description: string;
}

export const REMINDER_CHOICES = [0, 5, 10, 15, 30, 60, 120, 1440] as const;

/** The reminder minutes of an event's first relative alarm, as the form offers it. */
export function reminderOf(alarms: Alarm[] | undefined): number | null {
  const alarm = alarms?.find((a) => /^[+-]?P/.test(a.trigger));
  const ms = alarm ? parseDuration(alarm.trigger) : null;
  return ms === null ? null : Math.round(-ms / MINUTE);
}

export function repeatOf(rrule: string | undefined): Repeat {
  if (!rrule) return 'none';
  const rule = parseRule(rrule);
  if (!rule) return 'custom';
  const simple =
    rule.interval === 1 &&
    rule.count === undefined &&
    rule.until === undefined &&
    !rule.byDay.length &&
    !rule.byMonthDay.length &&
    !rule.byMonth.length &&
    !rule.bySetPos.length;
  return simple ? rule.freq : 'custom';
}

/** A form for a new event starting at wall time `wall` of the viewer's zone, an hour long. */
export function newDraft(wall: number, calendar: string, allDay = false): Draft {
  const end = allDay ? wall : wall + 60 * MINUTE;
  return {
    summary: '',
    calendar,
    allDay,
    date: dayKey(wall),
    start: clockOf(wall),
    endDate: dayKey(end),
    end: clockOf(end),
    repeat: 'none',
    reminder: null,
    location: '',
    description: '',
  };
}

/** The form for an occurrence, its times shown in `zone`. */
export function draftOf(o: Occurrence, zone: string, startOverride?: number): Draft {
  const e = o.event;
  const start = startOverride ?? o.start;
  const end = start + (o.end - o.start);
  // An all-day event's dates are its own; its end is exclusive, the form's is the last day.
  const startWall = toWall(start, zone);
  const endWall = o.allDay ? toWall(end, zone) - DAY : toWall(end, zone);
  return {
    summary: o.summary,
    calendar: e.calendar ?? '',
    allDay: o.allDay,
    date: dayKey(startWall),
    start: clockOf(startWall),
    endDate: dayKey(Math.max(startWall, endWall)),
    end: clockOf(endWall),
    repeat: repeatOf(e.rrule),
    reminder: reminderOf(e.alarms),
    location: e.location ?? '',
    description: e.description ?? '',
  };
}

/** The start and end instants a form names, in `zone`; null when the end is before the start. */
export function draftTimes(d: Draft, zone: string): { start: number; end: number } | null {
  const start = fromWall(parseWall(d.allDay ? d.date : `${d.date}T${d.start}`), zone);
  const end = d.allDay
    ? fromWall(parseWall(d.endDate) + DAY, zone)
    : fromWall(parseWall(`${d.endDate}T${d.end}`), zone);
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) return null;
  return { start, end };
}

function timesOf(d: Draft, zone: string, start: number, end: number): { start: CalTime; end: CalTime } {
  if (d.allDay)
    return { start: { date: dayKey(toWall(start, zone)) }, end: { date: dayKey(toWall(end, zone)) } };
  return { start: calTimeAt(start, zone), end: calTimeAt(end, zone) };
}

function alarmsFor(d: Draft, previous: Alarm[] | undefined): Alarm[] | undefined {
  if (reminderOf(previous) === d.reminder) return previous;
  const others = (previous ?? []).filter((a) => !/^[+-]?P/.test(a.trigger));
  if (d.reminder === null) return others.length ? others : undefined;
  return [
    { action: 'DISPLAY', trigger: formatDuration(-d.reminder * MINUTE), description: d.summary },
    ...others,
  ];
}

function ruleFor(d: Draft, previous: string | undefined): string | undefined {
  if (d.repeat === 'none') return undefined;
  if (d.repeat === 'custom') return previous;
  return repeatOf(previous) === d.repeat ? previous : `FREQ=${d.repeat}`;
}

/** Sets or drops each member, so a field the form cleared leaves the document. */
export function assign<T extends object>(target: T, fields: Partial<T>): T {
  const out = { ...target } as Record<string, unknown>;
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === '') delete out[key];
    else out[key] = value;
  }
  return out as T;
}

const newUid = (): string => crypto.randomUUID();

/** The documents to write for a form: a new event, an edited one, or a series and its detached occurrence. */
export function writesFor(
  d: Draft,
  zone: string,
  target: { occurrence: Occurrence; scope: Scope } | null,
): (EventFields | EventDoc)[] | null {
  const times = draftTimes(d, zone);
  if (!times) return null;
  const common: EventFields = {
    summary: d.summary.trim(),
    calendar: d.calendar,
    location: d.location.trim(),
    description: d.description.trim(),
  };
  if (!target) {
    return [
      assign<EventFields>(
        { uid: newUid() },
        {
          ...common,
          ...timesOf(d, zone, times.start, times.end),
          rrule: ruleFor(d, undefined),
          alarms: alarmsFor(d, undefined),
        },
      ),
    ];
  }
  const { occurrence: o, scope } = target;
  const e = o.event;
  const series = !!e.rrule && o.recurrenceId !== null;
  if (series && scope === 'one') {
    const master = { ...e, exdates: [...(e.exdates ?? []), o.recurrenceId!] };
    const alone = assign<EventFields>(
      { uid: newUid() },
      { ...common, ...timesOf(d, zone, times.start, times.end), alarms: alarmsFor(d, e.alarms) },
    );
    return [master, alone];
  }
  let start = times.start;
  let end = times.end;
  if (series) {
    // Move the series by as much as the occurrence moved; its first start keeps its own zone.
    const delta = times.start - o.start;
    const first = instantOf(e.start!, zone);
    start = first + delta;
    end = start + (times.end - times.start);
  }
  const written = timesOf(d, e.start?.tzid && !d.allDay ? e.start.tzid : zone, start, end);
  const fields: EventFields = {
    ...common,
    ...written,
    duration: undefined,
    rrule: ruleFor(d, e.rrule),
    alarms: alarmsFor(d, e.alarms),
  };
  if (!fields.rrule) fields.exdates = undefined;
  return [assign(e, fields)];
}

/** The writes that delete an occurrence ("this one": an EXDATE) or the whole event. */
export function deletionFor(o: Occurrence, scope: Scope): { update: EventDoc } | { remove: EventDoc } {
  if (scope === 'one' && o.event.rrule && o.recurrenceId)
    return { update: { ...o.event, exdates: [...(o.event.exdates ?? []), o.recurrenceId] } };
  return { remove: o.event };
}

/** The event moved by a drag to start at `start` (instant), for an event that is not a series. */
export function moved(o: Occurrence, start: number, zone: string): EventDoc {
  const e = o.event;
  const length = o.end - o.start;
  if (isAllDay(e.start)) {
    const day = dayKey(toWall(start, zone));
    const endDay = dayKey(toWall(start, zone) + Math.max(DAY, length));
    const out: EventDoc = { ...e, start: { date: day }, end: { date: endDay } };
    delete out.duration;
    return out;
  }
  const tz = e.start?.tzid ?? zone;
  const out: EventDoc = { ...e, start: calTimeAt(start, tz), end: calTimeAt(start + length, tz) };
  delete out.duration;
  return out;
}
