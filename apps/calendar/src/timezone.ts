/**
 * Wall-clock arithmetic. A "wall" time is the clock fields of a moment written as if they were UTC
 * (ms, `Date.UTC(y, m, d, h, min)`): recurrences are stepped in wall time so a weekly 09:00 stays at
 * 09:00 across a DST change, and converted to instants in the event's zone at the end, with Intl.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      return null; // a zone Intl does not know
    }
    formatters.set(zone, f);
  }
  return f;
}

/** The browser's zone: the one times are shown in and new events are written in. */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function isKnownZone(zone: string): boolean {
  return formatter(zone) !== null;
}

/** The wall time of `instant` in `zone` (UTC when the zone is unknown). */
export function toWall(instant: number, zone: string): number {
  const f = formatter(zone);
  if (!f) return instant;
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(instant))) parts[p.type] = Number(p.value);
  return Date.UTC(
    parts['year'] ?? 1970,
    (parts['month'] ?? 1) - 1,
    parts['day'] ?? 1,
    parts['hour'] ?? 0,
    parts['minute'] ?? 0,
    parts['second'] ?? 0,
  );
}

/** The instant a wall time in `zone` names; a time skipped by a DST jump resolves forward. */
export function fromWall(wall: number, zone: string): number {
  if (!formatter(zone)) return wall;
  let guess = wall - (toWall(wall, zone) - wall);
  for (let i = 0; i < 3; i++) {
    const next = wall - (toWall(guess, zone) - guess);
    if (next === guess) break;
    guess = next;
  }
  return guess;
}
