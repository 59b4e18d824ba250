import type { CalendarObject } from './icalendar.js';
import type { Ical } from './ical.js';
import { instancesOf } from './recurrence.js';

export type BusyType = 'BUSY' | 'BUSY-TENTATIVE';

/** A busy period, clipped to the range asked about. */
export interface BusyPeriod {
  start: Date;
  end: Date;
  type: BusyType;
}

/**
 * The busy time of some calendar objects within [start, end) (RFC 4791 7.10): every instance of a
 * VEVENT (recurrences expanded) with a duration, whose TRANSP is not TRANSPARENT and STATUS not
 * CANCELLED; TENTATIVE events give BUSY-TENTATIVE, the others BUSY. Overlapping or touching periods of
 * one type are merged; the list is sorted by start.
 */
export function busyPeriods(
  ical: Ical,
  objects: readonly CalendarObject[],
  range: { start: Date; end: Date },
  floatingZone?: string,
): BusyPeriod[] {
  const from = range.start.getTime();
  const to = range.end.getTime();
  const found: { start: number; end: number; type: BusyType }[] = [];
  for (const object of objects) {
    if (object.kind !== 'VEVENT') continue;
    for (const instance of instancesOf(ical, object, to, floatingZone, from)) {
      const c = instance.component;
      if (String(c.getFirstPropertyValue('transp') ?? '').toUpperCase() === 'TRANSPARENT') continue;
      const status = String(c.getFirstPropertyValue('status') ?? '').toUpperCase();
      if (status === 'CANCELLED' || instance.start === null || instance.end === null) continue;
      const start = Math.max(instance.start, from);
      const end = Math.min(instance.end, to);
      if (end <= start) continue;
      found.push({ start, end, type: status === 'TENTATIVE' ? 'BUSY-TENTATIVE' : 'BUSY' });
    }
  }
  const merged: { start: number; end: number; type: BusyType }[] = [];
  for (const type of ['BUSY', 'BUSY-TENTATIVE'] as const) {
    const list = found.filter((p) => p.type === type).sort((a, b) => a.start - b.start);
    for (const period of list) {
      const last = merged[merged.length - 1];
      if (last && last.type === type && period.start <= last.end) last.end = Math.max(last.end, period.end);
      else merged.push({ ...period });
    }
  }
  return merged
    .sort((a, b) => a.start - b.start || a.type.localeCompare(b.type))
    .map((p) => ({ start: new Date(p.start), end: new Date(p.end), type: p.type }));
}

const utc = (date: Date): string =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** The VCALENDAR with one VFREEBUSY a free-busy-query answers (RFC 4791 7.10), lines ending in CRLF. */
export function freeBusyCalendar(
  periods: readonly BusyPeriod[],
  range: { start: Date; end: Date },
  options: { prodId: string; now: Date },
): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${options.prodId}`,
    'BEGIN:VFREEBUSY',
    `DTSTAMP:${utc(options.now)}`,
    `DTSTART:${utc(range.start)}`,
    `DTEND:${utc(range.end)}`,
    ...periods.map((p) => `FREEBUSY;FBTYPE=${p.type}:${utc(p.start)}/${utc(p.end)}`),
    'END:VFREEBUSY',
    'END:VCALENDAR',
    '',
  ];
  return lines.join('\r\n');
}
