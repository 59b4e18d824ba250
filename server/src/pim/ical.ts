import type ICAL from 'ical.js';

/** The ical.js namespace (vCard and iCalendar parser), loaded on first use: it costs ~3 MB of memory. */
export type Ical = typeof ICAL;
export type IcalComponent = ICAL.Component;
export type IcalProperty = ICAL.Property;
export type IcalTime = ICAL.Time;

let loading: Promise<Ical> | undefined;

/** ical.js, imported once, when the first vCard or iCalendar text is read or written. */
export function loadIcal(): Promise<Ical> {
  loading ??= import('ical.js').then((module) => module.default);
  return loading;
}

/**
 * Parses vCard or iCalendar text into one component (the first, when the text holds several), or
 * returns the parser's complaint: text that is not a component of `name` is refused too.
 */
export function parseComponent(
  ical: Ical,
  text: string,
  name: 'vcard' | 'vcalendar',
): IcalComponent | string {
  let parsed: unknown;
  try {
    parsed = ical.parse(text);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  // Several components in one text parse as an array of jCal arrays.
  const list = Array.isArray(parsed) && Array.isArray(parsed[0]) ? (parsed as unknown[]) : [parsed];
  if (list.length !== 1) return `expected exactly one ${name.toUpperCase()}`;
  const component = new ical.Component(list[0] as unknown[]);
  if (component.name !== name)
    return `expected a ${name.toUpperCase()}, found ${component.name.toUpperCase()}`;
  if (name === 'vcalendar') shareTimezones(ical, component);
  return component;
}

/** ical.js time zones made from VTIMEZONE components, by the component's jCal text. */
const timezones = new Map<string, ICAL.Timezone>();
const TIMEZONES_KEPT = 256;

/**
 * Gives a parsed VCALENDAR the ical.js Timezone already made from an identical VTIMEZONE, when there
 * is one. ical.js makes a Timezone per parsed calendar and, on its first use, expands every DST change
 * from the VTIMEZONE's first DTSTART (1970 in what most clients send) to a few years ahead: about a
 * millisecond per object, most of a calendar-query's time. Clients send the same few VTIMEZONEs with
 * every object, so an identical definition reuses the one expanded already; the answers are the same.
 * Seeds the calendar's own cache, which ical.js reads when it resolves a TZID (first definition wins,
 * as in ical.js).
 */
function shareTimezones(ical: Ical, calendar: IcalComponent): void {
  const cache = (calendar as unknown as { _timezoneCache?: unknown })._timezoneCache;
  if (!(cache instanceof Map)) return;
  for (const vtimezone of calendar.getAllSubcomponents('vtimezone')) {
    const tzid: unknown = vtimezone.getFirstPropertyValue('tzid');
    if (typeof tzid !== 'string' || cache.has(tzid)) continue;
    const key = JSON.stringify(vtimezone.jCal);
    let zone = timezones.get(key);
    if (zone === undefined) {
      if (timezones.size >= TIMEZONES_KEPT) timezones.clear();
      zone = new ical.Timezone({ component: new ical.Component(JSON.parse(key) as unknown[]), tzid });
      timezones.set(key, zone);
    }
    cache.set(tzid, zone);
  }
}

/** A property's first value as text (undefined when absent). */
export function textOf(component: IcalComponent, name: string): string | undefined {
  const value: unknown = component.getFirstPropertyValue(name);
  if (value === null || value === undefined) return undefined;
  return typeof value === 'string' ? value : (value as { toString(): string }).toString();
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat | null {
  let f = formatters.get(tz);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      return null;
    }
    formatters.set(tz, f);
  }
  return f;
}

/** Offset of `tz` from UTC at the instant `ms`, in ms; null for a zone Intl does not know. */
function offsetAt(ms: number, tz: string): number | null {
  const f = formatter(tz);
  if (f === null) return null;
  const parts: Record<string, number> = {};
  for (const part of f.formatToParts(ms)) parts[part.type] = Number(part.value);
  const local = Date.UTC(
    parts['year'] ?? 1970,
    (parts['month'] ?? 1) - 1,
    parts['day'] ?? 1,
    parts['hour'] ?? 0,
    parts['minute'] ?? 0,
    parts['second'] ?? 0,
  );
  return local - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant of a wall-clock time in an IANA zone, by Intl (for a TZID without VTIMEZONE, and for
 * floating times read in the calendar's zone); null when Intl does not know the zone. A time skipped by
 * a DST jump resolves forward, as RFC 5545 3.3.5 asks.
 */
export function zonedToUtc(wall: number, tz: string): number | null {
  const first = offsetAt(wall, tz);
  if (first === null) return null;
  let guess = wall - first;
  for (let i = 0; i < 3; i++) {
    const offset = offsetAt(guess, tz) as number;
    const next = wall - offset;
    if (next === guess) break;
    guess = next;
  }
  return guess;
}

/** The wall-clock fields of an ical.js time, as if they were UTC, in ms. */
export function wallClock(time: IcalTime): number {
  return Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
}

/**
 * The instant of an ical.js time, in ms: UTC and times whose zone the calendar defines (VTIMEZONE)
 * by ical.js; a TZID without VTIMEZONE by Intl; floating times and dates in `floatingZone` (UTC when
 * absent), as RFC 4791 9.9 reads them in the calendar's time zone.
 */
export function instantOf(time: IcalTime, tzid: string | undefined, floatingZone?: string): number {
  const zone = time.zone as (ICAL.Timezone & { component?: unknown }) | undefined;
  if (!time.isDate && zone && (zone.tzid === 'UTC' || zone.component)) return time.toUnixTime() * 1000;
  const wall = wallClock(time);
  const tz = time.isDate ? floatingZone : (tzid ?? floatingZone);
  if (tz === undefined) return wall;
  return zonedToUtc(wall, tz) ?? wall;
}

/** JSON with object keys sorted: equal for equal values whatever order their members were written in. */
export function canonicalJson(value: unknown): string {
  // Plain loops: this hashes every object a query reads (rawHash), so it is on the hot path.
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // The default sort compares UTF-16 code units, as `<` on strings does.
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}
