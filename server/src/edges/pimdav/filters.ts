import { PimPrecondition, type DavNamespace } from '../../errors.js';
import type {
  AddressFilter,
  CalendarFilter,
  Collation,
  MatchType,
  ParamFilter,
  PropFilter,
  TextMatch,
  TimeRange,
} from '../../pim/filters.js';
import { elements, textOf, type XmlElement } from '../dav/xml.js';
import { CALDAV_NS, CARDDAV_NS } from './names.js';
import { timezoneOf } from './timezones.js';

const COLLATIONS: readonly Collation[] = ['i;unicode-casemap', 'i;ascii-casemap', 'i;octet'];
const MATCH_TYPES: readonly MatchType[] = ['equals', 'contains', 'starts-with', 'ends-with'];

const attr = (element: XmlElement, name: string): string | undefined =>
  element.attributes.find((a) => a.ns === '' && a.local === name)?.value;

function refuse(ns: DavNamespace, name: string, detail: string): never {
  throw new PimPrecondition({ namespace: ns, name }, detail);
}

/** A `text-match` element (RFC 6352 §10.5.4, RFC 4791 §9.7.5). */
function textMatchOf(element: XmlElement, ns: DavNamespace): TextMatch {
  const collation = attr(element, 'collation') ?? 'i;unicode-casemap';
  if (!(COLLATIONS as readonly string[]).includes(collation)) {
    refuse(ns, 'supported-collation', `collation ${collation.slice(0, 64)} is not supported`);
  }
  const match = attr(element, 'match-type') ?? 'contains';
  if (!(MATCH_TYPES as readonly string[]).includes(match)) {
    refuse(ns, ns === CARDDAV_NS ? 'supported-filter' : 'valid-filter', `match-type ${match.slice(0, 64)}`);
  }
  return {
    text: textOf(element),
    collation: collation as Collation,
    match: match as MatchType,
    negate: attr(element, 'negate-condition') === 'yes',
  };
}

function nameOf(element: XmlElement, ns: DavNamespace): string {
  const name = attr(element, 'name');
  if (!name)
    refuse(ns, ns === CARDDAV_NS ? 'supported-filter' : 'valid-filter', `${element.local} needs a name`);
  return name;
}

function testOf(element: XmlElement): 'anyof' | 'allof' {
  return attr(element, 'test') === 'allof' ? 'allof' : 'anyof';
}

/** A `prop-filter` element; time ranges on properties are not supported (supported-filter). */
function propFilterOf(element: XmlElement, ns: DavNamespace): PropFilter {
  const filter: PropFilter = { name: nameOf(element, ns), test: testOf(element) };
  for (const child of elements(element, ns)) {
    if (child.local === 'is-not-defined') filter.isNotDefined = true;
    else if (child.local === 'text-match') (filter.textMatches ??= []).push(textMatchOf(child, ns));
    else if (child.local === 'param-filter') (filter.params ??= []).push(paramFilterOf(child, ns));
    else refuse(ns, 'supported-filter', `${child.local} in a prop-filter is not supported`);
  }
  return filter;
}

function paramFilterOf(element: XmlElement, ns: DavNamespace): ParamFilter {
  const filter: ParamFilter = { name: nameOf(element, ns) };
  if (elements(element, ns, 'is-not-defined').length > 0) filter.isNotDefined = true;
  const match = elements(element, ns, 'text-match')[0];
  if (match) filter.textMatch = textMatchOf(match, ns);
  return filter;
}

/** The filter and limit of an `addressbook-query` body (RFC 6352 §8.6). */
export function addressQueryOf(body: XmlElement): { filter: AddressFilter; limit?: number } {
  const filterElement = elements(body, CARDDAV_NS, 'filter')[0];
  if (!filterElement) refuse(CARDDAV_NS, 'valid-filter', 'an addressbook-query needs a filter');
  const filter: AddressFilter = {
    test: testOf(filterElement),
    props: elements(filterElement, CARDDAV_NS, 'prop-filter').map((p) => propFilterOf(p, CARDDAV_NS)),
  };
  const nresults = elements(body, CARDDAV_NS, 'limit').flatMap((l) => elements(l, CARDDAV_NS, 'nresults'))[0];
  if (nresults === undefined) return { filter };
  const limit = Number(textOf(nresults).trim());
  if (!Number.isInteger(limit) || limit < 0) refuse(CARDDAV_NS, 'valid-filter', 'nresults is a whole number');
  return { filter, limit };
}

/** `20060104T000000Z` (RFC 4791 §9.9: UTC date-times only). */
function utcOf(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value.trim());
  if (!m)
    refuse(CALDAV_NS, 'valid-filter', `time-range bounds are UTC date-times, not ${value.slice(0, 32)}`);
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

/** A `time-range` element; at least one bound (RFC 4791 §9.9). */
export function timeRangeOf(element: XmlElement): TimeRange {
  const start = utcOf(attr(element, 'start'));
  const end = utcOf(attr(element, 'end'));
  if (start === undefined && end === undefined)
    refuse(CALDAV_NS, 'valid-filter', 'a time-range needs a bound');
  return { ...(start ? { start } : {}), ...(end ? { end } : {}) };
}

/**
 * What a `calendar-query` asks (RFC 4791 §7.8): `all` (a VCALENDAR comp-filter alone), `none` (a
 * component this server does not store, such as VJOURNAL), or a CalendarFilter on VEVENT or VTODO.
 * Nested comp-filters (VALARM) and is-not-defined on components are refused with supported-filter.
 */
export function calendarQueryOf(
  body: XmlElement,
): { kind: 'all' | 'none' } | { kind: 'filter'; filter: CalendarFilter } {
  const filterElement = elements(body, CALDAV_NS, 'filter')[0];
  const vcalendar = filterElement ? elements(filterElement, CALDAV_NS, 'comp-filter')[0] : undefined;
  if (!vcalendar || attr(vcalendar, 'name')?.toUpperCase() !== 'VCALENDAR') {
    refuse(CALDAV_NS, 'valid-filter', 'a calendar-query filter starts with a VCALENDAR comp-filter');
  }
  const zoneElement = elements(body, CALDAV_NS, 'timezone')[0];
  const zoneId = elements(body, CALDAV_NS, 'timezone-id')[0];
  const floatingZone = zoneElement
    ? timezoneOf(textOf(zoneElement))
    : zoneId
      ? textOf(zoneId).trim()
      : undefined;
  const inner = elements(vcalendar, CALDAV_NS);
  if (inner.some((e) => e.local !== 'comp-filter') || inner.length > 1) {
    refuse(CALDAV_NS, 'supported-filter', 'only one comp-filter is supported inside VCALENDAR');
  }
  const comp = inner[0];
  if (!comp) return { kind: 'all' };
  const name = nameOf(comp, CALDAV_NS).toUpperCase();
  if (name !== 'VEVENT' && name !== 'VTODO') return { kind: 'none' };
  const filter: CalendarFilter = { component: name, ...(floatingZone ? { floatingZone } : {}) };
  for (const child of elements(comp, CALDAV_NS)) {
    if (child.local === 'time-range') filter.timeRange = timeRangeOf(child);
    else if (child.local === 'prop-filter') (filter.props ??= []).push(propFilterOf(child, CALDAV_NS));
    else refuse(CALDAV_NS, 'supported-filter', `${child.local} in a comp-filter is not supported`);
  }
  return { kind: 'filter', filter };
}
