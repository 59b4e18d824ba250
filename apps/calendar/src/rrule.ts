import { DAY } from './dates.js';

/**
 * A small RRULE expander (RFC 5545 3.3.10) for what calendars write in practice: FREQ DAILY, WEEKLY,
 * MONTHLY, YEARLY with INTERVAL, COUNT, UNTIL, BYDAY (with ordinals in monthly and yearly rules),
 * BYMONTHDAY, BYMONTH and BYSETPOS. Not read: BYHOUR/BYMINUTE/BYSECOND, BYWEEKNO, BYYEARDAY, and
 * WKST (weeks start on Monday). It works on wall times (see timezone.ts), so it knows nothing of zones.
 */

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;
export type Freq = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';

export interface Rule {
  freq: Freq;
  interval: number;
  count?: number;
  /** UNTIL as written: `YYYYMMDD` or `YYYYMMDDTHHMMSS[Z]`. */
  until?: string;
  /** Weekday 0 (Sunday) to 6 with an optional ordinal (2MO: 2, -1FR: -1). */
  byDay: { weekday: number; n: number | null }[];
  byMonthDay: number[];
  byMonth: number[];
  bySetPos: number[];
}

/** Reads a rule (with or without the `RRULE:` prefix); null for one whose FREQ this module does not do. */
export function parseRule(text: string): Rule | null {
  const parts = new Map<string, string>();
  for (const part of text.replace(/^RRULE:/i, '').split(';')) {
    const [key, value] = part.split('=');
    if (key && value !== undefined) parts.set(key.toUpperCase(), value.toUpperCase());
  }
  const freq = parts.get('FREQ');
  if (freq !== 'DAILY' && freq !== 'WEEKLY' && freq !== 'MONTHLY' && freq !== 'YEARLY') return null;
  const ints = (key: string): number[] =>
    (parts.get(key) ?? '')
      .split(',')
      .filter(Boolean)
      .map(Number)
      .filter((n) => Number.isInteger(n) && n !== 0);
  const byDay: Rule['byDay'] = [];
  for (const item of (parts.get('BYDAY') ?? '').split(',').filter(Boolean)) {
    const m = /^([+-]?\d{1,2})?(SU|MO|TU|WE|TH|FR|SA)$/.exec(item);
    if (m)
      byDay.push({ weekday: WEEKDAYS.indexOf(m[2] as (typeof WEEKDAYS)[number]), n: m[1] ? +m[1] : null });
  }
  const rule: Rule = {
    freq,
    interval: Math.max(1, Number(parts.get('INTERVAL') ?? 1) || 1),
    byDay,
    byMonthDay: ints('BYMONTHDAY'),
    byMonth: ints('BYMONTH'),
    bySetPos: ints('BYSETPOS'),
  };
  const count = Number(parts.get('COUNT'));
  if (Number.isInteger(count) && count > 0) rule.count = count;
  const until = parts.get('UNTIL');
  if (until) rule.until = until;
  return rule;
}

/** Writes a rule back as RRULE text (without the prefix). */
export function formatRule(rule: Rule): string {
  const out = [`FREQ=${rule.freq}`];
  if (rule.interval > 1) out.push(`INTERVAL=${rule.interval}`);
  if (rule.count !== undefined) out.push(`COUNT=${rule.count}`);
  if (rule.until !== undefined) out.push(`UNTIL=${rule.until}`);
  if (rule.byDay.length)
    out.push(`BYDAY=${rule.byDay.map((d) => `${d.n ?? ''}${WEEKDAYS[d.weekday] ?? 'MO'}`).join(',')}`);
  if (rule.byMonthDay.length) out.push(`BYMONTHDAY=${rule.byMonthDay.join(',')}`);
  if (rule.byMonth.length) out.push(`BYMONTH=${rule.byMonth.join(',')}`);
  if (rule.bySetPos.length) out.push(`BYSETPOS=${rule.bySetPos.join(',')}`);
  return out.join(';');
}

export const weekdayCode = (weekday: number): string => WEEKDAYS[weekday] ?? 'MO';

/** Periods a rule is stepped through at most: a guard against rules that never end. */
const MAX_PERIODS = 50_000;

export interface ExpandOptions {
  /** Stop before this wall time. */
  before: number;
  /** UNTIL as a wall time of the event's zone (the caller converts a UTC UNTIL). */
  untilWall?: number;
}

/**
 * The wall start times of a series, in order, from `dtstart` (which is the first occurrence, as
 * calendars expect even when it does not match the rule) up to `before`, UNTIL or COUNT.
 */
export function* expand(rule: Rule, dtstart: number, options: ExpandOptions): Generator<number> {
  const timeOfDay = dtstart - Math.floor(dtstart / DAY) * DAY;
  const start = new Date(dtstart);
  const limit = Math.min(options.before, options.untilWall === undefined ? Infinity : options.untilWall + 1);
  if (dtstart >= limit) return;
  // DTSTART always counts as the first instance, as calendars expect even when it does not match.
  yield dtstart;
  let emitted = 1;
  if (rule.count !== undefined && emitted >= rule.count) return;
  for (let k = 0; k < MAX_PERIODS; k++) {
    const candidates = periodCandidates(rule, start, k * rule.interval, timeOfDay);
    if (candidates === null) return;
    for (const at of candidates) {
      if (at <= dtstart) continue;
      if (at >= limit) return;
      emitted++;
      yield at;
      if (rule.count !== undefined && emitted >= rule.count) return;
    }
    if (periodStart(rule, start, (k + 1) * rule.interval) >= limit) return;
  }
}

/** The first wall time of period `offset` (in units of FREQ) after the one holding DTSTART. */
function periodStart(rule: Rule, start: Date, offset: number): number {
  const y = start.getUTCFullYear();
  const m = start.getUTCMonth();
  const d = start.getUTCDate();
  switch (rule.freq) {
    case 'DAILY':
      return Date.UTC(y, m, d + offset);
    case 'WEEKLY':
      return Date.UTC(y, m, d - ((start.getUTCDay() + 6) % 7) + offset * 7);
    case 'MONTHLY':
      return Date.UTC(y, m + offset, 1);
    case 'YEARLY':
      return Date.UTC(y + offset, 0, 1);
  }
}

/** The sorted candidate wall times of one period, before COUNT/UNTIL; null past any sane year. */
function periodCandidates(rule: Rule, start: Date, offset: number, timeOfDay: number): number[] | null {
  const base = periodStart(rule, start, offset);
  if (new Date(base).getUTCFullYear() > 9999) return null;
  let days: number[] = [];
  if (rule.freq === 'DAILY') days = [base];
  else if (rule.freq === 'WEEKLY') {
    const weekdays = rule.byDay.length ? rule.byDay.map((d) => d.weekday) : [start.getUTCDay()];
    days = weekdays.map((w) => base + ((w + 6) % 7) * DAY);
  } else {
    const year = new Date(base).getUTCFullYear();
    const months =
      rule.freq === 'MONTHLY'
        ? [new Date(base).getUTCMonth()]
        : rule.byMonth.length
          ? rule.byMonth.map((n) => n - 1)
          : rule.byDay.length || rule.byMonthDay.length
            ? rule.byDay.some((d) => d.n === null) && !rule.byMonthDay.length
              ? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
              : [start.getUTCMonth()]
            : [start.getUTCMonth()];
    for (const month of months) days.push(...monthDays(rule, year, month, start.getUTCDate()));
  }
  days = days.filter((day) => keeps(rule, day));
  let times = [...new Set(days)].sort((a, b) => a - b).map((day) => day + timeOfDay);
  if (rule.bySetPos.length) {
    const picked = rule.bySetPos.map((p) => (p > 0 ? times[p - 1] : times[times.length + p]));
    times = picked.filter((t): t is number => t !== undefined).sort((a, b) => a - b);
  }
  return times;
}

/** The days of one month a MONTHLY or YEARLY rule names. */
function monthDays(rule: Rule, year: number, month: number, dtstartDay: number): number[] {
  const length = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = (n: number): number => Date.UTC(year, month, n);
  if (rule.byMonthDay.length) {
    return rule.byMonthDay
      .map((n) => (n > 0 ? n : length + 1 + n))
      .filter((n) => n >= 1 && n <= length)
      .map(day);
  }
  if (rule.byDay.length) {
    const out: number[] = [];
    for (const { weekday, n } of rule.byDay) {
      const matching: number[] = [];
      for (let i = 1; i <= length; i++) if (new Date(day(i)).getUTCDay() === weekday) matching.push(day(i));
      if (n === null) out.push(...matching);
      else {
        const hit = n > 0 ? matching[n - 1] : matching[matching.length + n];
        if (hit !== undefined) out.push(hit);
      }
    }
    return out;
  }
  // A 31st in a 30-day month is skipped, as RFC 5545 says.
  return dtstartDay <= length ? [day(dtstartDay)] : [];
}

/** The BY* filters that limit (rather than expand) the period's days. */
function keeps(rule: Rule, day: number): boolean {
  const date = new Date(day);
  if (rule.byMonth.length && !rule.byMonth.includes(date.getUTCMonth() + 1)) return false;
  if (rule.freq === 'DAILY' || rule.freq === 'WEEKLY') {
    if (rule.freq === 'DAILY' && rule.byDay.length && !rule.byDay.some((d) => d.weekday === date.getUTCDay()))
      return false;
    if (rule.byMonthDay.length) {
      const length = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
      const n = date.getUTCDate();
      if (!rule.byMonthDay.some((m) => (m > 0 ? m : length + 1 + m) === n)) return false;
    }
  }
  if ((rule.freq === 'MONTHLY' || rule.freq === 'YEARLY') && rule.byMonthDay.length && rule.byDay.length)
    return rule.byDay.some((d) => d.weekday === date.getUTCDay());
  return true;
}
