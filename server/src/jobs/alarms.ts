import type { DocBody } from '../ports/store/documents.js';
import { alarmsOf } from './alarm-fields.js';
import { loadIcal } from '../pim/ical.js';
import { parseCalendarObject } from '../pim/icalendar.js';
import { EVENTS } from '../pim/kinds.js';
import { instancesOf } from '../pim/recurrence.js';
import { renderResource } from '../pim/resources.js';

/** One alarm firing: when, for which occurrence (its start), and the trigger that made it. */
export interface AlarmFiring {
  fireAt: number;
  /** The occurrence's start (ms); for an absolute trigger, the event's first start. */
  start: number;
  trigger: string;
}

const UNIT_MS: Record<string, number> = { W: 604_800_000, D: 86_400_000, H: 3_600_000, M: 60_000, S: 1000 };

/** An iCalendar duration (`-PT15M`, `-P1DT2H`, `P2W`) in ms; null when it is not one. */
export function durationMs(text: string): number | null {
  const m = /^([+-])?P((?:\d+[WD])*)(?:T((?:\d+[HMS])+))?$/.exec(text.trim());
  if (!m || (m[2] === '' && m[3] === undefined)) return null;
  let ms = 0;
  for (const [, n, unit] of `${m[2]}${m[3] ?? ''}`.matchAll(/(\d+)([WDHMS])/g))
    ms += Number(n) * (UNIT_MS[unit as string] ?? 0);
  return m[1] === '-' ? -ms : ms;
}

/**
 * The alarm firings of an event in [from, to): each relative trigger applied to the start of every
 * occurrence (RRULE, EXDATE and moved instances expanded by the same code CalDAV queries use), and
 * each absolute trigger once. The event's own text is rendered by the raw/structured rule, so an alarm
 * edited by an app and one that came from a phone are read alike. Alarms relative to the end
 * (RELATED=END) and alarms inside overridden instances are read as the master's: the structured form
 * keeps neither. Floating times are read in `floatingZone` (the calendar's zone).
 */
export async function alarmFirings(
  id: string,
  body: DocBody,
  from: number,
  to: number,
  floatingZone?: string,
): Promise<AlarmFiring[]> {
  const alarms = alarmsOf(body);
  if (alarms.length === 0) return [];
  const ical = await loadIcal();
  const text = renderResource(ical, EVENTS, id, body, {
    prodId: '-//Nuage//Reminders//EN',
    dtstamp: '20000101T000000Z',
  });
  const object = parseCalendarObject(ical, text, ['VEVENT']);
  const relative = alarms.flatMap((a) => {
    const offset = durationMs(a.trigger);
    return offset === null ? [] : [{ offset, trigger: a.trigger }];
  });
  const firings: AlarmFiring[] = [];
  let first: number | null = null;
  if (relative.length > 0) {
    const lo = Math.min(...relative.map((r) => r.offset));
    const hi = Math.max(...relative.map((r) => r.offset));
    for (const instance of instancesOf(ical, object, to - lo, floatingZone, from - hi)) {
      if (instance.start === null) continue;
      first ??= instance.start;
      for (const r of relative) {
        const fireAt = instance.start + r.offset;
        if (fireAt >= from && fireAt < to)
          firings.push({ fireAt, start: instance.start, trigger: r.trigger });
      }
    }
  }
  for (const a of alarms) {
    if (durationMs(a.trigger) !== null) continue;
    const fireAt = Date.parse(a.trigger);
    if (Number.isNaN(fireAt) || fireAt < from || fireAt >= to) continue;
    firings.push({ fireAt, start: first ?? fireAt, trigger: a.trigger });
  }
  return firings.sort((a, b) => a.fireAt - b.fireAt);
}
