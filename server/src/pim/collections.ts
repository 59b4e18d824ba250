import { BadRequest } from '../errors.js';
import type { DocBody } from '../ports/store/documents.js';
import { CALENDAR_COMPONENTS, type CalendarComponent } from './icalendar.js';
import type { CollectionKind } from './kinds.js';

/**
 * An address book (`io.nuage.contacts.addressbooks`) or a calendar (`io.nuage.calendars`), as the DAV
 * edges show it. The document holds `name`, `description`, `color`, and for a calendar `components`
 * and `timezone`.
 */
export interface Collection {
  id: string;
  kind: CollectionKind;
  /** DAV:displayname. */
  name: string;
  description?: string;
  /** `#RRGGBB` or `#RRGGBBAA` (Apple's calendar-color). */
  color?: string;
  /** Calendars: the components it holds (supported-calendar-component-set). */
  components?: CalendarComponent[];
  /** Calendars: the IANA zone floating times are read in (calendar-timezone). */
  timezone?: string;
  /** The collection document's revision: changes with its properties (not with its objects). */
  rev: string;
}

/** Properties given to create or update a collection; on update, null removes one. */
export interface CollectionProps {
  name?: string;
  description?: string | null;
  color?: string | null;
  components?: CalendarComponent[];
  timezone?: string | null;
}

const COLOR = /^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/;

function checkTimezone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new BadRequest(`unknown time zone ${JSON.stringify(tz.slice(0, 64))}`);
  }
}

/**
 * The collection document after applying `props` to `previous` (null for a new one). BadRequest for
 * a colour that is not `#RRGGBB[AA]`, an empty or unknown component list, an unknown time zone, or
 * calendar properties on an address book.
 */
export function collectionBody(
  kind: CollectionKind,
  props: CollectionProps,
  previous: DocBody | null,
): DocBody {
  const body: DocBody = { ...(previous ?? {}) };
  if (props.name !== undefined) body['name'] = String(props.name);
  for (const key of ['description', 'color', 'timezone'] as const) {
    const value = props[key];
    if (value === null) delete body[key];
    else if (value !== undefined) body[key] = String(value);
  }
  if (typeof body['color'] === 'string' && !COLOR.test(body['color'])) {
    throw new BadRequest('a colour is #RRGGBB or #RRGGBBAA');
  }
  if (kind === 'addressbook') {
    if (props.components !== undefined || props.timezone)
      throw new BadRequest('an address book has no components or time zone');
    return body;
  }
  if (props.components !== undefined) {
    const list = [...new Set(props.components)];
    if (list.length === 0 || list.some((c) => !CALENDAR_COMPONENTS.includes(c))) {
      throw new BadRequest(`a calendar holds some of ${CALENDAR_COMPONENTS.join(', ')}`);
    }
    body['components'] = list;
  }
  if (previous === null) body['components'] ??= [...CALENDAR_COMPONENTS];
  if (typeof body['timezone'] === 'string') checkTimezone(body['timezone']);
  return body;
}

/** The Collection a document shows. */
export function toCollection(
  kind: CollectionKind,
  id: string,
  rev: string,
  body: Readonly<DocBody>,
): Collection {
  const collection: Collection = {
    id,
    kind,
    name: typeof body['name'] === 'string' ? body['name'] : id,
    rev,
  };
  if (typeof body['description'] === 'string') collection.description = body['description'];
  if (typeof body['color'] === 'string') collection.color = body['color'];
  if (kind === 'calendar') {
    const components = Array.isArray(body['components'])
      ? (body['components'] as unknown[]).filter((c): c is CalendarComponent =>
          CALENDAR_COMPONENTS.includes(c as CalendarComponent),
        )
      : [];
    collection.components = components.length > 0 ? components : [...CALENDAR_COMPONENTS];
    if (typeof body['timezone'] === 'string') collection.timezone = body['timezone'];
  }
  return collection;
}
