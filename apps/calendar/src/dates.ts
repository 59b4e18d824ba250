import type { CalTime } from './types.js';
import { fromWall, toWall } from './timezone.js';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `YYYY-MM-DD` of a wall time. */
export function dayKey(wall: number): string {
  const d = new Date(wall);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** `HH:MM` of a wall time. */
export function clockOf(wall: number): string {
  const d = new Date(wall);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** `YYYY-MM-DDTHH:MM:SS` of a wall time, the form of a CalTime with a zone. */
export function wallIso(wall: number): string {
  return new Date(wall).toISOString().slice(0, 19);
}

/** The wall time of `YYYY-MM-DD` (midnight) or `YYYY-MM-DDTHH:MM[:SS]`; NaN when unreadable. */
export function parseWall(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(text);
  if (!m) return Number.NaN;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
}

export const startOfDay = (wall: number): number => Math.floor(wall / DAY) * DAY;

/** Monday of the week of `wall` (ISO weeks). */
export function startOfWeek(wall: number): number {
  const day = startOfDay(wall);
  const weekday = (new Date(day).getUTCDay() + 6) % 7;
  return day - weekday * DAY;
}

export function startOfMonth(wall: number): number {
  const d = new Date(wall);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

export function addMonths(wall: number, months: number): number {
  const d = new Date(wall);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1);
}

export const isAllDay = (time: CalTime | undefined): boolean => !!time && !time.date.includes('T');

/**
 * The instant of a CalTime: UTC for `…Z`, its TZID's wall clock, or floating/all-day times in
 * `floatingZone` (the calendar's zone, else the viewer's).
 */
export function instantOf(time: CalTime, floatingZone: string): number {
  if (time.date.endsWith('Z')) return Date.parse(time.date);
  const wall = parseWall(time.date);
  return fromWall(wall, isAllDay(time) ? floatingZone : (time.tzid ?? floatingZone));
}

/** The wall time a CalTime is written in (its own zone's clock), for stepping recurrences. */
export function ownWall(time: CalTime): { wall: number; zone: string | null } {
  if (time.date.endsWith('Z')) return { wall: Date.parse(time.date), zone: 'UTC' };
  return { wall: parseWall(time.date), zone: isAllDay(time) ? null : (time.tzid ?? null) };
}

/** A CalTime for an instant, written in `zone` (the zone the owner picked it in). */
export function calTimeAt(instant: number, zone: string): CalTime {
  return { date: wallIso(toWall(instant, zone)), tzid: zone };
}

/** Parses an ISO 8601 duration such as `-PT15M`, `P1D`, `-P1DT2H`, `P2W` into ms; null when unreadable. */
export function parseDuration(text: string): number | null {
  const m = /^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text.trim());
  if (!m || text.trim().replace(/^[+-]?P/, '') === '') return null;
  const [, sign, w, d, h, min, s] = m;
  const ms = (+(w ?? 0) * 7 + +(d ?? 0)) * DAY + +(h ?? 0) * HOUR + +(min ?? 0) * MINUTE + +(s ?? 0) * 1000;
  return sign === '-' ? -ms : ms;
}

/** An ISO 8601 duration for ms (minutes precision), the form alarms are written in. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.round(Math.abs(ms) / MINUTE);
  const days = Math.floor(rest / 1440);
  rest -= days * 1440;
  const hours = Math.floor(rest / 60);
  const minutes = rest - hours * 60;
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}`;
  if (!days && !time) return 'PT0S';
  return `${sign}P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}
