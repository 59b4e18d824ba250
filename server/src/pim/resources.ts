import { createHash } from 'node:crypto';
import type { DocBody } from '../ports/store/documents.js';
import {
  calendarFieldsOf,
  CALENDAR_COMPONENTS,
  fieldNamesOf,
  newCalendarObject,
  parseCalendarObject,
  patchCalendarObject,
  type CalendarComponent,
  type CalendarObject,
} from './icalendar.js';
import { canonicalJson, type Ical, type IcalComponent } from './ical.js';
import { eventOverlaps } from './filters.js';
import { spanOf } from './recurrence.js';
import { CONTACTS, doctypeOfComponent, EVENTS, type CollectionKind } from './kinds.js';
import { contactFieldsOf, CONTACT_FIELDS, newVCard, parseVCard, patchVCard } from './vcard.js';

/**
 * The raw/structured rule. An object document holds its structured fields (what apps and search read)
 * and, once it has come over DAV, `raw` (the vCard or iCalendar text as the client sent it) with
 * `rawHash` (a hash of the structured fields as parsed from that text).
 *
 * - Raw text in (DAV PUT): the structured fields are parsed from it, stored with `raw` and its hash.
 * - Text out (DAV GET): when the structured fields still hash to `rawHash`, `raw` is served as is,
 *   byte for byte. When they changed since (an app edited them), `raw` is parsed and each changed field
 *   replaces the properties it comes from; unknown properties, parameters and components stay. Without
 *   `raw` (an app made the object), new text is made from the fields.
 *
 * Serving never writes: the same document always gives the same text, so an etag made from `_rev`
 * names one text.
 */

/** The structured members each object doctype owns (derived ones included), replaced on a DAV PUT. */
export const OWNED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  [CONTACTS]: CONTACT_FIELDS,
  [EVENTS]: [...fieldNamesOf('VEVENT'), 'allDay', 'overrides', 'span'],
  'io.nuage.todos': fieldNamesOf('VTODO'),
};

/** The members `rawHash` covers: the structured fields a doctype can write back into raw text. */
function hashedFields(doctype: string): readonly string[] {
  if (doctype === CONTACTS) return CONTACT_FIELDS;
  return fieldNamesOf(doctype === EVENTS ? 'VEVENT' : 'VTODO');
}

function pick(body: Readonly<Record<string, unknown>>, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names) if (body[name] !== undefined && body[name] !== null) out[name] = body[name];
  return out;
}

/** The hash of the structured fields of a document, as `rawHash` records it. */
export function fieldsHash(doctype: string, body: Readonly<Record<string, unknown>>): string {
  const json = canonicalJson(pick(body, hashedFields(doctype)));
  return createHash('sha256').update(json).digest('base64url').slice(0, 22);
}

/** Raw text received, checked and read: the doctype it belongs in, its UID and its structured fields. */
export interface ParsedResource {
  doctype: string;
  uid: string | undefined;
  fields: Record<string, unknown>;
}

/**
 * Checks and reads the text of a resource PUT into a collection of `kind` (a calendar supporting
 * `components`). Throws PimPrecondition (valid-address-data, valid-calendar-data,
 * valid-calendar-object-resource, supported-calendar-component).
 */
export function parseResource(
  ical: Ical,
  kind: CollectionKind,
  text: string,
  components: readonly CalendarComponent[] = CALENDAR_COMPONENTS,
): ParsedResource {
  if (kind === 'addressbook') {
    const fields = contactFieldsOf(parseVCard(ical, text)) as Record<string, unknown>;
    return { doctype: CONTACTS, uid: fields['uid'] as string | undefined, fields };
  }
  const object = parseCalendarObject(ical, text, components);
  const fields = calendarFieldsOf(object) as Record<string, unknown>;
  if (object.kind === 'VEVENT') {
    const span = spanOf(ical, object);
    if (span) {
      const iso = (ms: number): string => new Date(ms).toISOString();
      fields['span'] = {
        start: iso(span.start),
        end: span.end === null ? null : iso(span.end),
        ...(span.instance
          ? { instance: { start: iso(span.instance.start), end: iso(span.instance.end) } }
          : {}),
      };
    }
  }
  return { doctype: doctypeOfComponent(object.kind), uid: object.uid, fields };
}

/** Whether a document's structured fields are still those its raw text was parsed into. */
export function rawIsCurrent(doctype: string, body: Readonly<DocBody>): boolean {
  return typeof body['raw'] === 'string' && body['rawHash'] === fieldsHash(doctype, body);
}

/**
 * What an event document's `span` (derived at PUT time, see recurrence.ts spanOf) says of a time range
 * [start, end) without parsing it: `out` (no instance there), `in` (its one exact instance overlaps, by
 * the rule of RFC 4791 9.9), or `unsure` (the text must be read: no span, fields changed since the text
 * was parsed (`current` false), a recurring or floating event, or not an event).
 */
export function spanVerdict(
  doctype: string,
  body: Readonly<DocBody>,
  start: number,
  end: number,
  current: boolean,
): 'out' | 'in' | 'unsure' {
  if (doctype !== EVENTS || !current) return 'unsure';
  const span = body['span'] as
    { start?: unknown; end?: unknown; instance?: { start?: unknown; end?: unknown } } | undefined;
  if (!span || typeof span.start !== 'string') return 'unsure';
  if (Date.parse(span.start) >= end) return 'out';
  if (typeof span.end === 'string' && Date.parse(span.end) <= start) return 'out';
  const instance = span.instance;
  if (!instance || typeof instance.start !== 'string' || typeof instance.end !== 'string') return 'unsure';
  const s = Date.parse(instance.start);
  const e = Date.parse(instance.end);
  if (Number.isNaN(s) || Number.isNaN(e)) return 'unsure';
  return eventOverlaps({ start: s, end: e }, start, end) ? 'in' : 'out';
}

/** The body of an object document after a DAV PUT of `text`: other members of `previous` are kept. */
export function bodyFromResource(
  parsed: ParsedResource,
  text: string,
  membership: Record<string, string>,
  previous: DocBody | null,
): DocBody {
  const body: DocBody = { ...(previous ?? {}) };
  for (const name of OWNED_FIELDS[parsed.doctype] ?? []) delete body[name];
  Object.assign(body, membership, parsed.fields);
  body['raw'] = text;
  body['rawHash'] = fieldsHash(parsed.doctype, parsed.fields);
  return body;
}

/** The structured fields that are plain text, all a document with oddly shaped fields is served with. */
const TEXT_FIELDS = new Set([
  'uid',
  'fullname',
  'org',
  'department',
  'title',
  'note',
  'summary',
  'description',
  'location',
  'status',
]);

export interface RenderOptions {
  prodId: string;
  /** DTSTAMP of calendar objects made from fields alone (a constant keeps the text stable). */
  dtstamp: string;
}

/** The vCard or iCalendar text of an object document, by the raw/structured rule above. */
export function renderResource(
  ical: Ical,
  doctype: string,
  id: string,
  body: DocBody,
  options: RenderOptions,
  current = rawIsCurrent(doctype, body),
): string {
  const raw = typeof body['raw'] === 'string' ? body['raw'] : undefined;
  if (raw !== undefined && current) return raw;
  const fields = pick(body, hashedFields(doctype));
  if (raw === undefined) fields['uid'] ??= id;
  try {
    return toText(renderComponent(ical, doctype, fields, raw, options));
  } catch {
    // Fields an app wrote in a shape this module does not read: the text they came from still stands,
    // or, without one, the text fields alone make a minimal object.
    if (raw !== undefined) return raw;
    const plain = Object.fromEntries(
      Object.entries(fields).filter(([key, value]) => TEXT_FIELDS.has(key) && typeof value === 'string'),
    );
    return toText(renderComponent(ical, doctype, plain, undefined, options));
  }
}

function renderComponent(
  ical: Ical,
  doctype: string,
  fields: Record<string, unknown>,
  raw: string | undefined,
  options: RenderOptions,
): IcalComponent {
  if (doctype === CONTACTS) {
    if (raw === undefined) return newVCard(ical, fields, options.prodId);
    const card = parseVCard(ical, raw);
    patchVCard(ical, card, fields);
    return card;
  }
  const kind: CalendarComponent = doctype === EVENTS ? 'VEVENT' : 'VTODO';
  let object: CalendarObject;
  if (raw === undefined) {
    object = newCalendarObject(ical, kind, fields, options);
  } else {
    object = parseCalendarObject(ical, raw);
    patchCalendarObject(ical, object, fields);
  }
  return object.calendar;
}

/** ical.js writes lines ending in CRLF, without the final one the formats require. */
function toText(component: IcalComponent): string {
  return `${component.toString()}\r\n`;
}
