import type { Alarm, CalTime, EventFields, TodoFields } from './types.js';

/**
 * Writes events and todos as one iCalendar file (RFC 5545) from their structured fields: what the app
 * shows is what is exported. Instances changed on a phone (overrides) and properties Nuage does not read
 * stay on the server and in CalDAV; they are not in the export.
 */

export const escapeText = (value: string): string =>
  value
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/([,;])/g, '\\$1');

/** Folds a line at 75 octets, as RFC 5545 3.1 asks, without splitting a UTF-8 character. */
export function fold(line: string): string {
  const encoder = new TextEncoder();
  const out: string[] = [];
  let current = '';
  let size = 0;
  for (const char of line) {
    const bytes = encoder.encode(char).length;
    if (size + bytes > (out.length === 0 ? 75 : 74)) {
      out.push(current);
      current = '';
      size = 0;
    }
    current += char;
    size += bytes;
  }
  out.push(current);
  return out.join('\r\n ');
}

function timeLine(name: string, time: CalTime): string {
  const compact = time.date.replace(/[-:]/g, '');
  if (!time.date.includes('T')) return `${name};VALUE=DATE:${compact}`;
  return time.tzid && !time.date.endsWith('Z')
    ? `${name};TZID=${time.tzid}:${compact}`
    : `${name}:${compact}`;
}

function alarmLines(alarms: Alarm[] | undefined): string[] {
  return (alarms ?? []).flatMap((a) => [
    'BEGIN:VALARM',
    `ACTION:${a.action}`,
    /^[+-]?P/.test(a.trigger)
      ? `TRIGGER:${a.trigger}`
      : `TRIGGER;VALUE=DATE-TIME:${a.trigger.replace(/[-:]/g, '')}`,
    ...(a.description !== undefined || a.action === 'DISPLAY'
      ? [`DESCRIPTION:${escapeText(a.description ?? 'Reminder')}`]
      : []),
    'END:VALARM',
  ]);
}

const textLine = (name: string, value: string | undefined): string[] =>
  value === undefined || value === '' ? [] : [`${name}:${escapeText(value)}`];

const categoriesLine = (values: string[] | undefined): string[] =>
  values?.length ? [`CATEGORIES:${values.map(escapeText).join(',')}`] : [];

function eventLines(e: EventFields & { _id?: string }, stamp: string): string[] {
  return [
    'BEGIN:VEVENT',
    `UID:${e.uid ?? e._id ?? stamp}`,
    `DTSTAMP:${stamp}`,
    ...(e.start ? [timeLine('DTSTART', e.start)] : []),
    ...(e.end ? [timeLine('DTEND', e.end)] : e.duration ? [`DURATION:${e.duration}`] : []),
    ...(e.rrule ? [`RRULE:${e.rrule}`] : []),
    ...(e.exdates ?? []).map((t) => timeLine('EXDATE', t)),
    ...textLine('SUMMARY', e.summary),
    ...textLine('DESCRIPTION', e.description),
    ...textLine('LOCATION', e.location),
    ...textLine('STATUS', e.status),
    ...textLine('TRANSP', e.transp),
    ...categoriesLine(e.categories),
    ...alarmLines(e.alarms),
    'END:VEVENT',
  ];
}

function todoLines(t: TodoFields & { _id?: string }, stamp: string): string[] {
  return [
    'BEGIN:VTODO',
    `UID:${t.uid ?? t._id ?? stamp}`,
    `DTSTAMP:${stamp}`,
    ...(t.start ? [timeLine('DTSTART', t.start)] : []),
    ...(t.due ? [timeLine('DUE', t.due)] : []),
    ...(t.completed ? [timeLine('COMPLETED', t.completed)] : []),
    ...(t.rrule ? [`RRULE:${t.rrule}`] : []),
    ...textLine('SUMMARY', t.summary),
    ...textLine('DESCRIPTION', t.description),
    ...textLine('STATUS', t.status),
    ...(t.priority ? [`PRIORITY:${t.priority}`] : []),
    ...(t.percentComplete !== undefined ? [`PERCENT-COMPLETE:${t.percentComplete}`] : []),
    ...categoriesLine(t.tags),
    ...alarmLines(t.alarms),
    'END:VTODO',
  ];
}

/** One VCALENDAR with every event and todo given, CRLF line ends, folded. */
export function writeIcs(
  events: (EventFields & { _id?: string })[],
  todos: (TodoFields & { _id?: string })[],
  options: { name?: string; now: number },
): string {
  const stamp = new Date(options.now).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Nuage//Calendar//EN',
    'CALSCALE:GREGORIAN',
    ...(options.name ? [`X-WR-CALNAME:${escapeText(options.name)}`] : []),
    ...events.flatMap((e) => eventLines(e, stamp)),
    ...todos.flatMap((t) => todoLines(t, stamp)),
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
