import { DAY, startOfDay } from './dates.js';
import type { Occurrence } from './occurrences.js';
import { toWall } from './timezone.js';

/** An occurrence as a view places it: its wall times in the viewer's zone and its calendar's colour. */
export interface Placed {
  o: Occurrence;
  startWall: number;
  endWall: number;
  color: string;
}

export function place(
  occurrences: Occurrence[],
  zone: string,
  colorOf: (calendar: string | undefined) => string,
): Placed[] {
  return occurrences
    .map((o) => ({
      o,
      startWall: toWall(o.start, zone),
      endWall: toWall(o.end, zone),
      color: colorOf(o.event.calendar),
    }))
    .sort((a, b) => a.startWall - b.startWall || b.endWall - a.endWall);
}

/** Whether a placed occurrence is on the day starting at wall `day` (an all-day end is exclusive). */
export function onDay(p: Placed, day: number): boolean {
  const end = p.endWall > p.startWall ? p.endWall : p.startWall + 1;
  return p.startWall < day + DAY && end > day;
}

/** Whether it is drawn in the all-day row: an all-day event, or one that spans midnight. */
export const inAllDayRow = (p: Placed): boolean =>
  p.o.allDay || startOfDay(p.startWall) !== startOfDay(Math.max(p.startWall, p.endWall - 1));

/**
 * Columns for the timed occurrences of one day, so overlapping ones sit side by side: each gets the
 * first free column, and the width of the group of overlaps it belongs to.
 */
export function columns(items: Placed[]): { p: Placed; column: number; of: number }[] {
  const out: { p: Placed; column: number; of: number }[] = [];
  let group: { p: Placed; column: number; of: number }[] = [];
  let groupEnd = -Infinity;
  const close = () => {
    const of = Math.max(1, ...group.map((g) => g.column + 1));
    for (const g of group) g.of = of;
    out.push(...group);
    group = [];
  };
  for (const p of items) {
    const end = Math.max(p.endWall, p.startWall + 15 * 60_000);
    if (p.startWall >= groupEnd && group.length) close();
    const used = new Set(
      group
        .filter((g) => Math.max(g.p.endWall, g.p.startWall + 15 * 60_000) > p.startWall)
        .map((g) => g.column),
    );
    let column = 0;
    while (used.has(column)) column++;
    group.push({ p, column, of: 1 });
    groupEnd = Math.max(groupEnd, end);
  }
  if (group.length) close();
  return out;
}
