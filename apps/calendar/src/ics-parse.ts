import { isKnownZone } from './timezone.js';
import type { Alarm, CalTime, EventFields, TodoFields } from './types.js';

/**
 * A small iCalendar reader for imports (RFC 5545): unfolds lines, reads VEVENT and VTODO with their
 * VALARMs, and the properties the structured fields hold. A TZID Intl does not know (a Windows zone
 * name, a custom VTIMEZONE) is read as floating time: the calendar's zone then places it.
 */

interface Property {
  name: string;
  params: Record<string, string>;
  value: string;
}

interface Component {
  name: string;
  props: Property[];
  children: Component[];
}

export interface ParsedCalendar {
  events: EventFields[];
  todos: TodoFields[];
  /** RECURRENCE-ID components: a changed instance, imported as an EXDATE plus a standalone event. */
  skipped: number;
}

/** Unfolds continuation lines (a line starting with a space or tab continues the previous one). */
export function unfold(text: string): string[] {
  return text
    .replace(/\r\n|\r/g, '\n')
    .replace(/\n[ \t]/g, '')
    .split('\n')
    .filter((l) => l.trim() !== '');
}

function parseLine(line: string): Property | null {
  // The value starts at the first colon outside a quoted parameter.
  let quoted = false;
  let colon = -1;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted) {
      colon = i;
      break;
    }
  }
  if (colon < 0) return null;
  const [name = '', ...params] = line.slice(0, colon).split(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/);
  const record: Record<string, string> = {};
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq > 0) record[p.slice(0, eq).toUpperCase()] = p.slice(eq + 1).replace(/^"|"$/g, '');
  }
  return { name: name.toUpperCase(), params: record, value: line.slice(colon + 1) };
}

function parseComponents(lines: string[]): Component[] {
  const root: Component = { name: 'ROOT', props: [], children: [] };
  const stack: Component[] = [root];
  for (const line of lines) {
    const prop = parseLine(line);
    if (!prop) continue;
    const top = stack[stack.length - 1] ?? root;
    if (prop.name === 'BEGIN') {
      const child: Component = { name: prop.value.toUpperCase(), props: [], children: [] };
      top.children.push(child);
      stack.push(child);
    } else if (prop.name === 'END') {
      if (stack.length > 1) stack.pop();
    } else top.props.push(prop);
  }
  return root.children;
}

export const unescapeText = (value: string): string =>
  value.replace(/\\([nN,;\\])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

/** A DATE or DATE-TIME value as a CalTime. */
export function calTimeOf(value: string, params: Record<string, string>): CalTime | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(value.trim());
  if (!m) return undefined;
  const day = `${m[1]}-${m[2]}-${m[3]}`;
  if (!m[4] || params['VALUE'] === 'DATE') return { date: day };
  const date = `${day}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}`;
  const tzid = params['TZID']?.replace(/^\//, '');
  return !m[7] && tzid && isKnownZone(tzid) ? { date, tzid } : { date };
}

const first = (c: Component, name: string): Property | undefined => c.props.find((p) => p.name === name);
const text = (c: Component, name: string): string | undefined => {
  const p = first(c, name);
  return p ? unescapeText(p.value) : undefined;
};
const time = (c: Component, name: string): CalTime | undefined => {
  const p = first(c, name);
  return p ? calTimeOf(p.value, p.params) : undefined;
};

function alarmsOf(c: Component): Alarm[] {
  return c.children
    .filter((a) => a.name === 'VALARM')
    .flatMap((a): Alarm[] => {
      const trigger = first(a, 'TRIGGER');
      if (!trigger) return [];
      const absolute = calTimeOf(trigger.value, {});
      const value = absolute?.date.endsWith('Z') ? absolute.date : trigger.value.trim();
      const description = text(a, 'DESCRIPTION');
      return [
        {
          action: (text(a, 'ACTION') ?? 'DISPLAY').toUpperCase(),
          trigger: value,
          ...(description ? { description } : {}),
        },
      ];
    });
}

/** Drops undefined members, so documents carry only what the file said. */
function defined<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as T;
}

/** The CATEGORIES of a component, all properties' values in one list; undefined when there are none. */
function categoriesOf(c: Component): string[] | undefined {
  const categories = c.props
    .filter((p) => p.name === 'CATEGORIES')
    .flatMap((p) => p.value.split(/(?<!\\),/).map(unescapeText));
  return categories.length ? categories : undefined;
}

/** An INTEGER property (PRIORITY, PERCENT-COMPLETE); undefined when absent or unreadable. */
function integer(c: Component, name: string): number | undefined {
  const value = first(c, name)?.value.trim();
  return value && /^[+-]?\d+$/.test(value) ? Number(value) : undefined;
}

function eventOf(c: Component): EventFields {
  const exdates = c.props
    .filter((p) => p.name === 'EXDATE')
    .flatMap((p) => p.value.split(',').map((v) => calTimeOf(v, p.params)))
    .filter((t): t is CalTime => t !== undefined);
  const alarms = alarmsOf(c);
  return defined<EventFields>({
    uid: text(c, 'UID'),
    summary: text(c, 'SUMMARY'),
    description: text(c, 'DESCRIPTION'),
    location: text(c, 'LOCATION'),
    start: time(c, 'DTSTART'),
    end: time(c, 'DTEND'),
    duration: first(c, 'DTEND') ? undefined : first(c, 'DURATION')?.value,
    rrule: first(c, 'RRULE')?.value,
    exdates: exdates.length ? exdates : undefined,
    status: text(c, 'STATUS'),
    transp: text(c, 'TRANSP'),
    categories: categoriesOf(c),
    alarms: alarms.length ? alarms : undefined,
  });
}

function todoOf(c: Component): TodoFields {
  const alarms = alarmsOf(c);
  return defined<TodoFields>({
    uid: text(c, 'UID'),
    summary: text(c, 'SUMMARY'),
    description: text(c, 'DESCRIPTION'),
    start: time(c, 'DTSTART'),
    due: time(c, 'DUE'),
    completed: time(c, 'COMPLETED'),
    priority: integer(c, 'PRIORITY'),
    status: text(c, 'STATUS'),
    percentComplete: integer(c, 'PERCENT-COMPLETE'),
    tags: categoriesOf(c),
    rrule: first(c, 'RRULE')?.value,
    alarms: alarms.length ? alarms : undefined,
  });
}

/**
 * The events and todos of an .ics file. A changed instance of a series (RECURRENCE-ID) cannot be written
 * as structured fields, so it becomes what a "this one" edit makes: an EXDATE on its series and an event
 * of its own.
 */
export function parseIcs(source: string): ParsedCalendar {
  const calendars = parseComponents(unfold(source)).filter((c) => c.name === 'VCALENDAR');
  const components = calendars.flatMap((c) => c.children);
  const events: EventFields[] = [];
  const todos: TodoFields[] = [];
  const detached: { uid: string | undefined; id: CalTime; event: EventFields }[] = [];
  for (const c of components) {
    if (c.name === 'VEVENT') {
      const recurrence = time(c, 'RECURRENCE-ID');
      if (recurrence) detached.push({ uid: text(c, 'UID'), id: recurrence, event: eventOf(c) });
      else events.push(eventOf(c));
    } else if (c.name === 'VTODO' && !first(c, 'RECURRENCE-ID')) todos.push(todoOf(c));
  }
  let skipped = 0;
  for (const d of detached) {
    const master = events.find((e) => e.uid === d.uid && e.rrule);
    if (!master) {
      skipped++;
      continue;
    }
    master.exdates = [...(master.exdates ?? []), d.id];
    events.push({ ...d.event, uid: `${d.uid ?? 'event'}-${d.id.date.replace(/\W/g, '')}` });
  }
  return { events, todos, skipped };
}
