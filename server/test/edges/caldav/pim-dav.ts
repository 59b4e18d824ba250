import { davStack, multistatus, type DavResponse, type ParsedResponse } from '../webdav/dav-client.js';

export { multistatus, type DavResponse, type ParsedResponse };

export const CALDAV = 'urn:ietf:params:xml:ns:caldav';
export const CARDDAV = 'urn:ietf:params:xml:ns:carddav';
export const CS = 'http://calendarserver.org/ns/';
export const APPLE = 'http://apple.com/ns/ical/';

/** The namespace declarations the request bodies of these tests use. */
export const NS = `xmlns:D="DAV:" xmlns:C="${CALDAV}" xmlns:R="${CARDDAV}" xmlns:CS="${CS}" xmlns:A="${APPLE}"`;

/** A real stack with an onboarded owner `alice` and a DAV client speaking Basic to it. */
export async function pimStack() {
  const { t, dav, auth } = await davStack();
  const xml = (method: string, path: string, body: string, headers: Record<string, string> = {}) =>
    dav(method, path, { body, headers: { 'content-type': 'application/xml; charset=utf-8', ...headers } });
  /** PROPFIND for the named props (`D:getetag`, `C:calendar-home-set`…), parsed. */
  const propfind = async (path: string, depth: '0' | '1', ...props: string[]) => {
    const res = await xml(
      'PROPFIND',
      path,
      `<?xml version="1.0"?><D:propfind ${NS}><D:prop>${props.map((p) => `<${p}/>`).join('')}</D:prop></D:propfind>`,
      { depth },
    );
    if (res.status !== 207) throw new Error(`PROPFIND ${path}: ${res.status} ${res.text}`);
    return multistatus(res.text);
  };
  /** REPORT with a body; Depth 1 unless told. */
  const report = (path: string, body: string, depth = '1') =>
    xml('REPORT', path, `<?xml version="1.0" encoding="utf-8"?>${body}`, { depth });
  return { t, dav, auth, xml, propfind, report };
}

/** The response of a multistatus for `href`. */
export function responseFor(responses: readonly ParsedResponse[], href: string): ParsedResponse {
  const found = responses.find((r) => r.href === href);
  if (!found) throw new Error(`no response for ${href} in ${responses.map((r) => r.href).join(', ')}`);
  return found;
}

/** The value of a property in a response (throws when it is not 200). */
export function prop(response: ParsedResponse, ns: string, local: string): string {
  const p = response.props[`{${ns}}${local}`];
  if (!p || !p.status.includes('200'))
    throw new Error(`no {${ns}}${local} on ${response.href}: ${JSON.stringify(p)}`);
  return p.value;
}

/** A minimal vCard 3.0. */
export function vcard(uid: string, fn: string, email = `${uid}@example.org`): string {
  return [
    'BEGIN:VCARD',
    'VERSION:3.0',
    `UID:${uid}`,
    `FN:${fn}`,
    `N:${fn};;;;`,
    `EMAIL;TYPE=INTERNET:${email}`,
    'END:VCARD',
    '',
  ].join('\r\n');
}

/** A VEVENT in UTC, optionally recurring. */
export function vevent(
  uid: string,
  summary: string,
  start: string,
  end: string,
  extra: string[] = [],
): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Test//Test//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20250101T000000Z',
    `DTSTART:${start}`,
    `DTEND:${end}`,
    `SUMMARY:${summary}`,
    ...extra,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

/** A VTODO with a due date. */
export function vtodo(uid: string, summary: string, due: string): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Test//Test//EN',
    'BEGIN:VTODO',
    `UID:${uid}`,
    'DTSTAMP:20250101T000000Z',
    `DUE:${due}`,
    `SUMMARY:${summary}`,
    'STATUS:NEEDS-ACTION',
    'END:VTODO',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}
