import type { CalendarComponent, CalendarObject } from './icalendar.js';
import type { Ical, IcalComponent, IcalProperty } from './ical.js';
import { instancesOf, type Instance } from './recurrence.js';

/** RFC 4790 collations a DAV text-match may name; `i;unicode-casemap` (RFC 5051) is the default. */
export type Collation = 'i;unicode-casemap' | 'i;ascii-casemap' | 'i;octet';
export type MatchType = 'equals' | 'contains' | 'starts-with' | 'ends-with';

/** A text-match (RFC 6352 10.5.4, RFC 4791 9.7.5): `contains` and `i;unicode-casemap` unless told. */
export interface TextMatch {
  text: string;
  match?: MatchType;
  collation?: Collation;
  negate?: boolean;
}

/** A param-filter: the parameter is absent (`isNotDefined`), or present and matching `textMatch`. */
export interface ParamFilter {
  name: string;
  isNotDefined?: boolean;
  textMatch?: TextMatch;
}

/**
 * A prop-filter: the property is absent (`isNotDefined`), or one of its instances satisfies its
 * text-matches and param-filters, any of them (`anyof`, the default) or all (`allof`). Without any,
 * it is enough that the property exists.
 */
export interface PropFilter {
  name: string;
  test?: 'anyof' | 'allof';
  isNotDefined?: boolean;
  textMatches?: TextMatch[];
  params?: ParamFilter[];
}

/** An addressbook-query filter (RFC 6352 10.5): its prop-filters, any (default) or all of them. */
export interface AddressFilter {
  test?: 'anyof' | 'allof';
  props: PropFilter[];
}

/** A time range (RFC 4791 9.9); a missing bound is open. */
export interface TimeRange {
  start?: Date;
  end?: Date;
}

/**
 * A calendar-query filter on the one component type of a calendar object (RFC 4791 9.7): it holds
 * that type, has an instance in `timeRange` (recurrences expanded), and each of `props` matches on one
 * of its components. `floatingZone` (the calendar's time zone, IANA) reads floating times; UTC if absent.
 */
export interface CalendarFilter {
  component: CalendarComponent;
  timeRange?: TimeRange;
  props?: PropFilter[];
  floatingZone?: string;
}

/** A value as a collation compares it (RFC 4790; RFC 5051's casemap approximated by NFKD and case). */
export function fold(value: string, collation: Collation): string {
  if (collation === 'i;octet') return value;
  if (collation === 'i;ascii-casemap') return value.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return value.normalize('NFKD').toUpperCase().toLowerCase();
}

/** Whether `value` satisfies a text-match. */
export function textMatches(value: string, m: TextMatch): boolean {
  const collation = m.collation ?? 'i;unicode-casemap';
  const v = fold(value, collation);
  const t = fold(m.text, collation);
  const match = m.match ?? 'contains';
  const found =
    match === 'equals'
      ? v === t
      : match === 'starts-with'
        ? v.startsWith(t)
        : match === 'ends-with'
          ? v.endsWith(t)
          : v.includes(t);
  return m.negate ? !found : found;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : String(value));

/** A property's value as text: structured parts joined by `;`, multiple values by `,`. */
function valueText(prop: IcalProperty): string {
  return prop
    .getValues()
    .map((v: unknown) =>
      Array.isArray(v) ? v.map((p) => (Array.isArray(p) ? p.map(str).join(',') : str(p))).join(';') : str(v),
    )
    .join(',');
}

function paramMatches(prop: IcalProperty, filter: ParamFilter): boolean {
  const raw: unknown = prop.getParameter(filter.name.toLowerCase());
  const values = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw.map(str) : [str(raw)];
  if (filter.isNotDefined) return values.length === 0;
  if (values.length === 0) return false;
  const textMatch = filter.textMatch;
  return textMatch === undefined || values.some((v) => textMatches(v, textMatch));
}

/** Whether the properties of `components` satisfy a prop-filter (see {@link PropFilter}). */
export function propMatches(components: readonly IcalComponent[], filter: PropFilter): boolean {
  const props = components.flatMap((c) => c.getAllProperties(filter.name.toLowerCase()));
  if (filter.isNotDefined) return props.length === 0;
  const tests = [
    ...(filter.textMatches ?? []).map((m) => (p: IcalProperty) => textMatches(valueText(p), m)),
    ...(filter.params ?? []).map((f) => (p: IcalProperty) => paramMatches(p, f)),
  ];
  if (tests.length === 0) return props.length > 0;
  return props.some((p) => (filter.test === 'allof' ? tests.every((t) => t(p)) : tests.some((t) => t(p))));
}

/** Whether a parsed vCard satisfies an addressbook-query filter; an empty filter matches every card. */
export function matchesAddressFilter(card: IcalComponent, filter: AddressFilter): boolean {
  if (filter.props.length === 0) return true;
  const each = (f: PropFilter): boolean => propMatches([card], f);
  return filter.test === 'allof' ? filter.props.every(each) : filter.props.some(each);
}

/** Whether a VEVENT instance overlaps [start, end) as RFC 4791 9.9 says. */
export function eventOverlaps(
  instance: Pick<Instance, 'start' | 'end'>,
  start: number,
  end: number,
): boolean {
  const s = instance.start;
  if (s === null) return false;
  const e = instance.end ?? s;
  if (e > s) return start < e && end > s;
  return start <= s && end > s;
}

/** Whether a VTODO instance overlaps [start, end) by the table of RFC 4791 9.9. */
export function todoOverlaps(instance: Instance, start: number, end: number): boolean {
  const { start: dtstart, due, durationEnd, completed, created } = instance;
  if (dtstart !== null && durationEnd !== null) {
    return start <= durationEnd && (end > dtstart || end >= durationEnd);
  }
  if (dtstart !== null && due !== null)
    return (start < due || start <= dtstart) && (end > dtstart || end >= due);
  if (dtstart !== null) return start <= dtstart && end > dtstart;
  if (due !== null) return start < due && end >= due;
  if (completed !== null && created !== null) {
    return (start <= created || start <= completed) && (end >= created || end >= completed);
  }
  if (completed !== null) return start <= completed && end >= completed;
  if (created !== null) return end > created;
  return true;
}

/** Whether some instance of the object (recurrences expanded) falls in the range. */
export function inTimeRange(
  ical: Ical,
  object: CalendarObject,
  range: TimeRange,
  floatingZone?: string,
): boolean {
  const start = range.start?.getTime() ?? -8.64e15;
  const end = range.end?.getTime() ?? 8.64e15;
  const overlaps = object.kind === 'VEVENT' ? eventOverlaps : todoOverlaps;
  for (const instance of instancesOf(
    ical,
    object,
    range.end?.getTime(),
    floatingZone,
    range.start?.getTime(),
  )) {
    if (overlaps(instance, start, end)) return true;
  }
  return false;
}

/** Whether a calendar object satisfies a calendar-query filter (see {@link CalendarFilter}). */
export function matchesCalendarFilter(ical: Ical, object: CalendarObject, filter: CalendarFilter): boolean {
  if (object.kind !== filter.component) return false;
  const components = [...(object.master ? [object.master] : []), ...object.overrides];
  if (!(filter.props ?? []).every((f) => propMatches(components, f))) return false;
  return filter.timeRange === undefined || inTimeRange(ical, object, filter.timeRange, filter.floatingZone);
}
