/**
 * Dates and times in the owner's language. The views hold wall times (timezone.ts), so every formatter
 * reads them in UTC: the zone was applied when the wall time was made.
 */
export interface Formats {
  time(wall: number): string;
  weekday(wall: number): string;
  weekdayShort(wall: number): string;
  dayNumber(wall: number): string;
  dayLong(wall: number): string;
  /** A short date with its weekday, for a due date in a list. */
  dayShort(wall: number): string;
  month(wall: number): string;
  range(from: number, to: number): string;
}

export function formats(language: string): Formats {
  const make = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(language, { ...options, timeZone: 'UTC' });
  const time = make({ hour: 'numeric', minute: '2-digit' });
  const weekday = make({ weekday: 'long' });
  const weekdayShort = make({ weekday: 'short' });
  const dayNumber = make({ day: 'numeric' });
  const dayShort = make({ weekday: 'short', day: 'numeric', month: 'short' });
  const dayLong = make({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  const month = make({ month: 'long', year: 'numeric' });
  const short = make({ day: 'numeric', month: 'short', year: 'numeric' });
  return {
    time: (w) => time.format(w),
    weekday: (w) => weekday.format(w),
    weekdayShort: (w) => weekdayShort.format(w),
    dayNumber: (w) => dayNumber.format(w),
    dayLong: (w) => dayLong.format(w),
    dayShort: (w) => dayShort.format(w),
    month: (w) => month.format(w),
    range: (from, to) => short.formatRange(from, to),
  };
}
