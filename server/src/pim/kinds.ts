import type { CalendarComponent } from './icalendar.js';

/** The two kinds of PIM collection: address books (CardDAV) and calendars (CalDAV). */
export type CollectionKind = 'addressbook' | 'calendar';

/** Where a kind keeps its collections and objects, and how its resources are named and typed. */
export interface KindSpec {
  /** Doctype of the collection documents. */
  collectionDoctype: string;
  /** Doctypes of the objects; a calendar holds events and todos. */
  objectDoctypes: readonly string[];
  /** The member naming an object's collection (an object document's `addressbook` or `calendar`). */
  field: 'addressbook' | 'calendar';
  /** Resource name suffix of an object without `href`: its id plus this. */
  extension: '.vcf' | '.ics';
}

export const CONTACTS = 'io.nuage.contacts';
export const EVENTS = 'io.nuage.events';
export const TODOS = 'io.nuage.todos';
export const ADDRESSBOOKS = 'io.nuage.contacts.addressbooks';
export const CALENDARS = 'io.nuage.calendars';

export const KINDS: Readonly<Record<CollectionKind, KindSpec>> = {
  addressbook: {
    collectionDoctype: ADDRESSBOOKS,
    objectDoctypes: [CONTACTS],
    field: 'addressbook',
    extension: '.vcf',
  },
  calendar: {
    collectionDoctype: CALENDARS,
    objectDoctypes: [EVENTS, TODOS],
    field: 'calendar',
    extension: '.ics',
  },
};

/** The doctype that keeps a calendar component. */
export const doctypeOfComponent = (component: CalendarComponent): string =>
  component === 'VEVENT' ? EVENTS : TODOS;

/** The media type of an object of this doctype, as a DAV GET answers it. */
export function contentTypeOf(doctype: string): string {
  if (doctype === CONTACTS) return 'text/vcard; charset=utf-8';
  return `text/calendar; charset=utf-8; component=${doctype === EVENTS ? 'VEVENT' : 'VTODO'}`;
}
