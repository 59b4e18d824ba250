import { BadRequest, Forbidden, MethodNotAllowed, NotFound, PimPrecondition } from '../../errors.js';
import type { CalendarComponent } from '../../pim/icalendar.js';
import type { CollectionKind } from '../../pim/kinds.js';
import { xmlBody } from '../dav/body.js';
import { DAV_NS, elements, is, type XmlElement } from '../dav/xml.js';
import { allow, type PimDav } from './context.js';
import { CALDAV_NS, CARDDAV_NS } from './names.js';
import { collectionPropsOf } from './propfind.js';

/** The `D:set/D:prop` children of an MKCOL or MKCALENDAR body. */
function propsToSet(body: XmlElement | null): XmlElement[] {
  if (body === null) return [];
  return elements(body, DAV_NS, 'set').flatMap((s) =>
    elements(s, DAV_NS, 'prop').flatMap((p) => elements(p)),
  );
}

/** The kind a `DAV:resourcetype` asks for, or undefined when it names neither. */
function kindOfResourcetype(element: XmlElement): CollectionKind | undefined {
  if (elements(element, CALDAV_NS, 'calendar').length > 0) return 'calendar';
  if (elements(element, CARDDAV_NS, 'addressbook').length > 0) return 'addressbook';
  return undefined;
}

/** `supported-calendar-component-set`'s components that a calendar can hold (VEVENT, VTODO). */
function componentsOf(element: XmlElement): CalendarComponent[] {
  const named = elements(element, CALDAV_NS, 'comp').map(
    (c) => c.attributes.find((a) => a.local === 'name')?.value,
  );
  const held = named.filter((n): n is CalendarComponent => n === 'VEVENT' || n === 'VTODO');
  if (held.length === 0) {
    throw new PimPrecondition(
      { namespace: CALDAV_NS, name: 'supported-calendar-component' },
      'a calendar here holds VEVENT and VTODO components only',
    );
  }
  return held;
}

/**
 * MKCOL (extended, RFC 5689) and MKCALENDAR (RFC 4791 §5.3.1): creates an address book or calendar
 * named by the last path segment, under the home of its kind, with the properties the body sets
 * (displayname, descriptions, colour, time zone, components; others are ignored). A plain MKCOL makes a
 * collection of the home's kind. An existing collection is 405 for MKCOL and
 * DAV:resource-must-be-null for MKCALENDAR.
 */
export async function mkcol(dav: PimDav): Promise<unknown> {
  const { target } = dav;
  const calendarMethod = dav.request.method === 'MKCALENDAR';
  if (target.type !== 'collection') {
    throw calendarMethod
      ? new Forbidden('calendars are made in the calendar home')
      : new MethodNotAllowed('nothing can be made here');
  }
  if (calendarMethod && target.kind !== 'calendar')
    throw new Forbidden('calendars are made in the calendar home');
  allow(dav, 'POST', target.kind);
  const body = await xmlBody(dav.request);
  const root = calendarMethod ? 'mkcalendar' : 'mkcol';
  if (body !== null && !is(body, calendarMethod ? CALDAV_NS : DAV_NS, root)) {
    throw new BadRequest(`the body must be a ${root} element`);
  }
  const set = propsToSet(body);
  const resourcetype = set.find((e) => is(e, DAV_NS, 'resourcetype'));
  const asked = resourcetype ? kindOfResourcetype(resourcetype) : target.kind;
  if (asked !== target.kind) {
    throw new Forbidden(
      `only ${target.kind === 'calendar' ? 'calendars' : 'address books'} can be made here`,
      {
        davCondition: 'valid-resourcetype',
      },
    );
  }
  const exists = await dav.pim.getCollection(dav.scope, target.kind, target.id).then(
    () => true,
    (error: unknown) => {
      if (error instanceof NotFound) return false;
      throw error;
    },
  );
  if (exists) {
    if (calendarMethod)
      throw new Forbidden('a collection exists there', { davCondition: 'resource-must-be-null' });
    throw new MethodNotAllowed('a collection exists there');
  }
  const { props } = collectionPropsOf(set.map((element) => ({ element, remove: false })));
  const components = set.find((e) => is(e, CALDAV_NS, 'supported-calendar-component-set'));
  if (components && target.kind === 'calendar') props.components = componentsOf(components);
  await dav.pim.createCollection(dav.scope, target.kind, { name: target.id, ...props, id: target.id });
  return dav.reply.code(201).send();
}

/** DELETE of a collection with all its objects (their deletions show up in an earlier sync). */
export async function deleteCollection(dav: PimDav, kind: CollectionKind, id: string): Promise<unknown> {
  allow(dav, 'DELETE', kind);
  await dav.pim.deleteCollection(dav.scope, kind, id);
  return dav.reply.code(204).send();
}
