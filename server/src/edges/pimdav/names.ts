/** The XML namespaces CardDAV and CalDAV clients speak, besides `DAV:`. */
export const CALDAV_NS = 'urn:ietf:params:xml:ns:caldav';
export const CARDDAV_NS = 'urn:ietf:params:xml:ns:carddav';
/** CalendarServer's namespace: `getctag`, which many clients still poll before a sync. */
export const CALSERVER_NS = 'http://calendarserver.org/ns/';
/** Apple's iCal namespace: `calendar-color`. */
export const APPLE_NS = 'http://apple.com/ns/ical/';

/** A property or element name. */
export interface XmlName {
  ns: string;
  local: string;
}

/** Sync tokens are URIs (RFC 6578 §3.2): the service's decimal token under this prefix. */
export const SYNC_TOKEN_PREFIX = 'https://nuage.dev/ns/sync/';

/** The service's token inside a client's sync token URI (anything else is passed on, to be refused). */
export function serviceToken(uri: string): string {
  return uri.startsWith(SYNC_TOKEN_PREFIX) ? uri.slice(SYNC_TOKEN_PREFIX.length) : uri;
}
