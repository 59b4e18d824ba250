/**
 * The IANA zone a VTIMEZONE (calendar-timezone, CalDAV's `timezone` element) names by its TZID, when
 * the zone database knows it; clients send Olson names there (`Europe/Paris`), sometimes with a vendor
 * prefix (`/mozilla.org/20050126_1/Europe/Paris`). Undefined for anything else.
 */
export function timezoneOf(vtimezone: string): string | undefined {
  const tzid = /^TZID(?:;[^:\r\n]*)?:(.+)$/m.exec(vtimezone)?.[1]?.trim();
  if (!tzid) return undefined;
  const parts = tzid.split('/');
  for (let i = 0; i < parts.length - 1 || i === 0; i++) {
    const candidate = parts.slice(i).join('/');
    if (candidate !== '' && knownZone(candidate)) return candidate;
  }
  return undefined;
}

function knownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
