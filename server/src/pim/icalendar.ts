import { PimPrecondition } from '../errors.js';
import {
  canonicalJson,
  parseComponent,
  textOf,
  type Ical,
  type IcalComponent,
  type IcalProperty,
  type IcalTime,
} from './ical.js';

const CALDAV = 'urn:ietf:params:xml:ns:caldav' as const;

/** The calendar components Nuage keeps: events (`io.nuage.events`) and todos (`io.nuage.todos`). */
export type CalendarComponent = 'VEVENT' | 'VTODO';
export const CALENDAR_COMPONENTS: readonly CalendarComponent[] = ['VEVENT', 'VTODO'];

/**
 * A date or time as iCalendar writes it: `date` is `YYYY-MM-DD` (a whole day), `YYYY-MM-DDTHH:MM:SS`
 * (wall-clock time in `tzid`, or floating without it) or `YYYY-MM-DDTHH:MM:SSZ` (UTC).
 */
export interface CalTime {
  date: string;
  tzid?: string;
}

export interface Alarm {
  /** AUDIO, DISPLAY, EMAIL. */
  action: string;
  /** A duration relative to the start (`-PT15M`), or a UTC time. */
  trigger: string;
  description?: string;
}

export interface Attendee {
  email: string;
  name?: string;
  role?: string;
  partstat?: string;
  rsvp?: boolean;
}

/** The structured fields of an event (`io.nuage.events`), read from its master VEVENT. */
export interface EventFields {
  uid?: string;
  summary?: string;
  description?: string;
  location?: string;
  start?: CalTime;
  end?: CalTime;
  /** DURATION, when the event gives one instead of DTEND. */
  duration?: string;
  /** Derived from `start` (a date): change `start` to make an event all-day. */
  allDay?: boolean;
  /** RRULE, as text (`FREQ=WEEKLY;BYDAY=MO`). */
  rrule?: string;
  exdates?: CalTime[];
  status?: string;
  /** OPAQUE (busy, the default) or TRANSPARENT. */
  transp?: string;
  categories?: string[];
  organizer?: { email: string; name?: string };
  attendees?: Attendee[];
  alarms?: Alarm[];
  /** Derived, read-only: the overridden instances (RECURRENCE-ID) the resource also holds. */
  overrides?: { recurrenceId: CalTime; start?: CalTime; end?: CalTime; summary?: string; status?: string }[];
}

/** The structured fields of a todo (`io.nuage.todos`); its list is the calendar that holds it. */
export interface TodoFields {
  uid?: string;
  summary?: string;
  description?: string;
  start?: CalTime;
  due?: CalTime;
  /** COMPLETED, a UTC time. */
  completed?: CalTime;
  /** 1 (highest) to 9 (lowest); 0 or absent: undefined. */
  priority?: number;
  /** NEEDS-ACTION, COMPLETED, IN-PROCESS, CANCELLED. */
  status?: string;
  percentComplete?: number;
  /** CATEGORIES. */
  tags?: string[];
  rrule?: string;
  alarms?: Alarm[];
}

/** A structured field: the properties (or subcomponents) it comes from, how to read and write them. */
interface FieldSpec {
  field: string;
  props: readonly string[];
  read(component: IcalComponent): unknown;
  write(ical: Ical, component: IcalComponent, value: unknown): void;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : String(value));

function addProp(ical: Ical, component: IcalComponent, json: unknown[]): IcalProperty {
  return component.addProperty(new ical.Property(json, component));
}

const text = (field: string, prop: string): FieldSpec => ({
  field,
  props: [prop],
  read: (c) => textOf(c, prop) || undefined,
  write: (ical, c, v) => addProp(ical, c, [prop, {}, 'text', str(v)]),
});

const int = (field: string, prop: string): FieldSpec => ({
  field,
  props: [prop],
  read: (c) => {
    const v: unknown = c.getFirstPropertyValue(prop);
    return typeof v === 'number' ? v : undefined;
  },
  write: (ical, c, v) => addProp(ical, c, [prop, {}, 'integer', Number(v)]),
});

const list = (field: string, prop: string): FieldSpec => ({
  field,
  props: [prop],
  read: (c) => {
    const values = c.getAllProperties(prop).flatMap((p) => p.getValues().map(str));
    return values.length > 0 ? values : undefined;
  },
  write: (ical, c, v) => addProp(ical, c, [prop, {}, 'text', ...(v as string[])]),
});

/** The CalTime of an ical.js time read from a property with this TZID. */
export function calTimeOf(time: IcalTime, tzid: unknown): CalTime {
  if (time.isDate) return { date: time.toString() };
  const local = time.toString().replace(/Z$/, '');
  if (time.zone?.tzid === 'UTC') return { date: `${local}Z` };
  return typeof tzid === 'string' ? { date: local, tzid } : { date: local };
}

function timeValue(ical: Ical, time: CalTime): IcalTime {
  return ical.Time.fromString(time.date, null);
}

function timeProp(ical: Ical, component: IcalComponent, name: string, time: CalTime): void {
  const prop = new ical.Property(name, component);
  prop.setValue(timeValue(ical, time));
  if (time.tzid !== undefined) prop.setParameter('tzid', time.tzid);
  component.addProperty(prop);
}

const time = (field: string, prop: string): FieldSpec => ({
  field,
  props: [prop],
  read: (c) => {
    const p = c.getFirstProperty(prop);
    const v: unknown = p?.getFirstValue();
    return p && v && typeof v === 'object' && 'isDate' in v
      ? calTimeOf(v as IcalTime, p.getParameter('tzid'))
      : undefined;
  },
  write: (ical, c, v) => timeProp(ical, c, prop, v as CalTime),
});

const exdates: FieldSpec = {
  field: 'exdates',
  props: ['exdate'],
  read: (c) => {
    const values = c
      .getAllProperties('exdate')
      .flatMap((p) => p.getValues().map((t) => calTimeOf(t as IcalTime, p.getParameter('tzid'))));
    return values.length > 0 ? values : undefined;
  },
  write: (ical, c, v) => (v as CalTime[]).forEach((t) => timeProp(ical, c, 'exdate', t)),
};

const rrule: FieldSpec = {
  field: 'rrule',
  props: ['rrule'],
  read: (c) => {
    const v: unknown = c.getFirstPropertyValue('rrule');
    return v ? str((v as { toString(): string }).toString()) : undefined;
  },
  write: (ical, c, v) => {
    const prop = new ical.Property('rrule', c);
    prop.setValue(ical.Recur.fromString(str(v)));
    c.addProperty(prop);
  },
};

const mailto = (value: unknown): string => str(value).replace(/^mailto:/i, '');

const organizer: FieldSpec = {
  field: 'organizer',
  props: ['organizer'],
  read: (c) => {
    const p = c.getFirstProperty('organizer');
    if (!p) return undefined;
    const name: unknown = p.getParameter('cn');
    return { email: mailto(p.getFirstValue()), ...(typeof name === 'string' ? { name } : {}) };
  },
  write: (ical, c, v) => {
    const o = v as { email: string; name?: string };
    addProp(ical, c, ['organizer', o.name ? { cn: o.name } : {}, 'cal-address', `mailto:${o.email}`]);
  },
};

const attendees: FieldSpec = {
  field: 'attendees',
  props: ['attendee'],
  read: (c) => {
    const list = c.getAllProperties('attendee').map((p): Attendee => {
      const param = (name: string): string | undefined => {
        const v: unknown = p.getParameter(name);
        return typeof v === 'string' ? v : undefined;
      };
      const rsvp = param('rsvp');
      const a: Attendee = { email: mailto(p.getFirstValue()) };
      if (param('cn') !== undefined) a.name = param('cn');
      if (param('role') !== undefined) a.role = param('role');
      if (param('partstat') !== undefined) a.partstat = param('partstat');
      if (rsvp !== undefined) a.rsvp = rsvp.toUpperCase() === 'TRUE';
      return a;
    });
    return list.length > 0 ? list : undefined;
  },
  write: (ical, c, v) => {
    for (const a of v as Attendee[]) {
      const params: Record<string, string> = {};
      if (a.name) params['cn'] = a.name;
      if (a.role) params['role'] = a.role;
      if (a.partstat) params['partstat'] = a.partstat;
      if (a.rsvp !== undefined) params['rsvp'] = a.rsvp ? 'TRUE' : 'FALSE';
      addProp(ical, c, ['attendee', params, 'cal-address', `mailto:${a.email}`]);
    }
  },
};

const alarms: FieldSpec = {
  field: 'alarms',
  props: [],
  read: (c) => {
    const list = c.getAllSubcomponents('valarm').map((a): Alarm => {
      const trigger: unknown = a.getFirstPropertyValue('trigger');
      const description = textOf(a, 'description');
      return {
        action: textOf(a, 'action') ?? 'DISPLAY',
        trigger: trigger ? str((trigger as { toString(): string }).toString()) : '',
        ...(description ? { description } : {}),
      };
    });
    return list.length > 0 ? list : undefined;
  },
  write: (ical, c, v) => {
    for (const alarm of v as Alarm[]) {
      const a = new ical.Component('valarm', c);
      addProp(ical, a, ['action', {}, 'text', alarm.action]);
      const duration = /^[+-]?P/.test(alarm.trigger);
      addProp(ical, a, [
        'trigger',
        duration ? {} : { value: 'DATE-TIME' },
        duration ? 'duration' : 'date-time',
        alarm.trigger,
      ]);
      if (alarm.description !== undefined || alarm.action.toUpperCase() === 'DISPLAY') {
        addProp(ical, a, ['description', {}, 'text', alarm.description ?? '']);
      }
      c.addSubcomponent(a);
    }
  },
};

const uid = text('uid', 'uid');

const EVENT_SPECS: readonly FieldSpec[] = [
  uid,
  text('summary', 'summary'),
  text('description', 'description'),
  text('location', 'location'),
  time('start', 'dtstart'),
  time('end', 'dtend'),
  {
    ...text('duration', 'duration'),
    read: (c) => c.getFirstPropertyValue('duration')?.toString() || undefined,
    write: (ical, c, v) => addProp(ical, c, ['duration', {}, 'duration', str(v)]),
  },
  rrule,
  exdates,
  text('status', 'status'),
  text('transp', 'transp'),
  list('categories', 'categories'),
  organizer,
  attendees,
  alarms,
];

const TODO_SPECS: readonly FieldSpec[] = [
  uid,
  text('summary', 'summary'),
  text('description', 'description'),
  time('start', 'dtstart'),
  time('due', 'due'),
  time('completed', 'completed'),
  int('priority', 'priority'),
  text('status', 'status'),
  int('percentComplete', 'percent-complete'),
  list('tags', 'categories'),
  rrule,
  alarms,
];

export const specsOf = (kind: CalendarComponent): readonly FieldSpec[] =>
  kind === 'VEVENT' ? EVENT_SPECS : TODO_SPECS;

/** The names of the structured fields of a kind, those compared and hashed (derived ones excluded). */
export const fieldNamesOf = (kind: CalendarComponent): string[] => specsOf(kind).map((s) => s.field);

/** A calendar object resource, checked against RFC 4791 4.1. */
export interface CalendarObject {
  calendar: IcalComponent;
  kind: CalendarComponent;
  uid: string;
  /** The component without RECURRENCE-ID, absent when the resource only holds overridden instances. */
  master: IcalComponent | undefined;
  overrides: IcalComponent[];
}

const precondition = (name: string, detail: string): PimPrecondition =>
  new PimPrecondition({ namespace: CALDAV, name }, detail);

/**
 * Parses and checks one calendar object resource: PimPrecondition `valid-calendar-data` for text that
 * is not iCalendar or a component without UID, `valid-calendar-object-resource` for a METHOD, mixed
 * component types, several UIDs or two masters, `supported-calendar-component` for a component other
 * than those `supported` lists.
 */
export function parseCalendarObject(
  ical: Ical,
  text: string,
  supported: readonly CalendarComponent[] = CALENDAR_COMPONENTS,
): CalendarObject {
  const calendar = parseComponent(ical, text, 'vcalendar');
  if (typeof calendar === 'string')
    throw precondition('valid-calendar-data', `not valid iCalendar: ${calendar}`);
  if (calendar.getFirstProperty('method')) {
    throw precondition('valid-calendar-object-resource', 'a stored calendar object has no METHOD');
  }
  const components = calendar.getAllSubcomponents().filter((c) => c.name !== 'vtimezone');
  const kinds = new Set(components.map((c) => c.name.toUpperCase()));
  if (kinds.size !== 1) {
    throw precondition(
      'valid-calendar-object-resource',
      'a calendar object holds components of exactly one type',
    );
  }
  const kind = [...kinds][0] as string;
  if (!(supported as readonly string[]).includes(kind)) {
    throw precondition('supported-calendar-component', `this calendar does not hold ${kind} components`);
  }
  const uids = new Set(components.map((c) => textOf(c, 'uid') ?? ''));
  if (uids.has('')) throw precondition('valid-calendar-data', `a ${kind} needs a UID`);
  if (uids.size !== 1)
    throw precondition('valid-calendar-object-resource', 'all components need the same UID');
  const masters = components.filter((c) => !c.getFirstProperty('recurrence-id'));
  if (masters.length > 1)
    throw precondition('valid-calendar-object-resource', `two ${kind} without RECURRENCE-ID`);
  for (const c of components) {
    if (kind === 'VEVENT' && !c.getFirstProperty('dtstart'))
      throw precondition('valid-calendar-data', 'a VEVENT needs a DTSTART');
  }
  return {
    calendar,
    kind: kind as CalendarComponent,
    uid: [...uids][0] as string,
    master: masters[0],
    overrides: components.filter((c) => c.getFirstProperty('recurrence-id')),
  };
}

/** The structured fields of a calendar object: those of its master, and its overridden instances. */
export function calendarFieldsOf(object: CalendarObject): EventFields & TodoFields {
  const main = object.master ?? object.overrides[0];
  const fields: Record<string, unknown> = {};
  if (main) {
    for (const spec of specsOf(object.kind)) {
      const value = spec.read(main);
      if (value !== undefined) fields[spec.field] = value;
    }
  }
  fields['uid'] = object.uid;
  if (object.kind === 'VEVENT') {
    const start = fields['start'] as CalTime | undefined;
    if (start && !start.date.includes('T')) fields['allDay'] = true;
    if (object.overrides.length > 0) {
      fields['overrides'] = object.overrides.map((c) => {
        const p = c.getFirstProperty('recurrence-id') as IcalProperty;
        const o: Record<string, unknown> = {
          recurrenceId: calTimeOf(p.getFirstValue() as IcalTime, p.getParameter('tzid')),
        };
        for (const spec of [
          time('start', 'dtstart'),
          time('end', 'dtend'),
          text('summary', 'summary'),
          text('status', 'status'),
        ]) {
          const value = spec.read(c);
          if (value !== undefined) o[spec.field] = value;
        }
        return o;
      });
    }
  }
  return fields;
}

/**
 * Writes `fields` into the master component where they differ from what it says, leaving every other
 * property, parameter and subcomponent as it was; a changed UID is written on every component. A
 * changed `end` removes DURATION and a changed `duration` removes DTEND (an event has one or the other).
 */
export function patchCalendarObject(
  ical: Ical,
  object: CalendarObject,
  fields: Record<string, unknown>,
): void {
  const master = object.master;
  if (!master) return;
  for (const spec of specsOf(object.kind)) {
    const before = spec.read(master);
    const after = fields[spec.field];
    if (canonicalJson(before) === canonicalJson(after)) continue;
    const targets = spec.field === 'uid' ? [master, ...object.overrides] : [master];
    for (const target of targets) {
      for (const name of spec.props) target.removeAllProperties(name);
      if (spec.field === 'alarms') target.removeAllSubcomponents('valarm');
      if (spec.field === 'end' && after !== undefined) target.removeAllProperties('duration');
      if (spec.field === 'duration' && after !== undefined) target.removeAllProperties('dtend');
      if (after !== undefined && after !== null) spec.write(ical, target, after);
    }
  }
}

/** A new calendar object holding one master component of `kind` with `fields`. */
export function newCalendarObject(
  ical: Ical,
  kind: CalendarComponent,
  fields: Record<string, unknown>,
  options: { prodId: string; dtstamp: string },
): CalendarObject {
  const text = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${options.prodId}`,
    `BEGIN:${kind}`,
    `UID:${str(fields['uid'] ?? 'x')}`,
    `DTSTAMP:${options.dtstamp}`,
    ...(kind === 'VEVENT' ? ['DTSTART:19700101T000000Z'] : []),
    `END:${kind}`,
    'END:VCALENDAR',
    '',
  ].join('\r\n');
  const object = parseCalendarObject(ical, text);
  patchCalendarObject(ical, object, fields);
  return object;
}
