import type { Collection } from '../../pim/collections.js';
import type { CollectionKind } from '../../pim/kinds.js';
import type { ObjectData, ObjectRef, SyncState } from '../../pim/pim-service.js';
import { propElement, type PropStat } from '../dav/multistatus.js';
import { clark, DAV_NS, escapeXml } from '../dav/xml.js';
import { APPLE_NS, CALDAV_NS, CALSERVER_NS, CARDDAV_NS, SYNC_TOKEN_PREFIX, type XmlName } from './names.js';
import { paths } from './paths.js';

/** A resource as PROPFIND and REPORT describe it, with what its properties are computed from. */
export type Resource =
  | { type: 'root' | 'principals' | 'principal'; href: string }
  | { type: 'home'; kind: CollectionKind; href: string }
  | {
      type: 'collection';
      kind: CollectionKind;
      href: string;
      collection: Collection;
      /** Read lazily: only getctag and sync-token need it. */
      sync: () => Promise<SyncState>;
    }
  | { type: 'object'; kind: CollectionKind; href: string; ref: ObjectRef; data?: ObjectData };

/** What every property value may depend on beyond the resource. */
export interface PropContext {
  owner: string;
  /** Whether the caller may write (current-user-privilege-set). */
  writable: boolean;
}

/** Object text in XML: escaped, with CR kept as `&#13;` (a parser would turn a raw CRLF into LF). */
const textXml = (text: string): string => escapeXml(text).replace(/\r/g, '&#13;');
/**
 * Object texts as XML, by the service's ObjectData: it keeps one per object revision while the
 * collection is in use, so a client asking for the same data again is not escaped again.
 */
const dataXmlOf = new WeakMap<ObjectData, string>();
function dataXml(data: ObjectData): string {
  let xml = dataXmlOf.get(data);
  if (xml === undefined) dataXmlOf.set(data, (xml = textXml(data.text)));
  return xml;
}
const href = (path: string): string => `<D:href>${escapeXml(path)}</D:href>`;
const privileges = (names: readonly string[]): string =>
  names.map((n) => `<D:privilege><D:${n}/></D:privilege>`).join('');
const report = (ns: string, local: string): string =>
  `<D:supported-report><D:report>${propElement(ns, local)}</D:report></D:supported-report>`;

/** The reports a collection answers (supported-report-set, and the REPORT dispatcher). */
export const REPORTS: Readonly<Record<CollectionKind, readonly XmlName[]>> = {
  addressbook: [
    { ns: CARDDAV_NS, local: 'addressbook-multiget' },
    { ns: CARDDAV_NS, local: 'addressbook-query' },
    { ns: DAV_NS, local: 'sync-collection' },
  ],
  calendar: [
    { ns: CALDAV_NS, local: 'calendar-multiget' },
    { ns: CALDAV_NS, local: 'calendar-query' },
    { ns: CALDAV_NS, local: 'free-busy-query' },
    { ns: DAV_NS, local: 'sync-collection' },
  ],
};

type Getter = (r: Resource, ctx: PropContext) => string | undefined | Promise<string | undefined>;

const isCollection = (r: Resource): r is Extract<Resource, { type: 'collection' }> => r.type === 'collection';
const isObject = (r: Resource): r is Extract<Resource, { type: 'object' }> => r.type === 'object';

/** The properties we compute, by `{ns}local`: a getter giving the value's inner XML, or undefined (404). */
const GETTERS = new Map<string, Getter>([
  [
    clark(DAV_NS, 'resourcetype'),
    (r) => {
      if (r.type === 'object') return '';
      if (r.type === 'principal') return '<D:collection/><D:principal/>';
      if (r.type !== 'collection') return '<D:collection/>';
      return `<D:collection/>${r.kind === 'calendar' ? propElement(CALDAV_NS, 'calendar') : propElement(CARDDAV_NS, 'addressbook')}`;
    },
  ],
  [
    clark(DAV_NS, 'displayname'),
    (r, ctx) =>
      r.type === 'collection'
        ? escapeXml(r.collection.name)
        : r.type === 'principal'
          ? escapeXml(ctx.owner)
          : undefined,
  ],
  [clark(DAV_NS, 'current-user-principal'), (_r, ctx) => href(paths.principal(ctx.owner))],
  [clark(DAV_NS, 'principal-collection-set'), () => href(paths.principals())],
  [
    clark(DAV_NS, 'principal-URL'),
    (r, ctx) => (r.type === 'principal' ? href(paths.principal(ctx.owner)) : undefined),
  ],
  [
    clark(DAV_NS, 'owner'),
    (r, ctx) => (r.type === 'root' || r.type === 'principals' ? undefined : href(paths.principal(ctx.owner))),
  ],
  [
    clark(DAV_NS, 'current-user-privilege-set'),
    (_r, ctx) =>
      privileges(
        ctx.writable
          ? [
              'read',
              'write',
              'write-properties',
              'write-content',
              'bind',
              'unbind',
              'read-current-user-privilege-set',
            ]
          : ['read', 'read-current-user-privilege-set'],
      ),
  ],
  [
    clark(DAV_NS, 'supported-report-set'),
    (r) => (isCollection(r) ? REPORTS[r.kind].map((n) => report(n.ns, n.local)).join('') : ''),
  ],
  [
    clark(CALDAV_NS, 'calendar-home-set'),
    (r, ctx) => (r.type === 'principal' ? href(paths.home(ctx.owner, 'calendar')) : undefined),
  ],
  [
    clark(CARDDAV_NS, 'addressbook-home-set'),
    (r, ctx) => (r.type === 'principal' ? href(paths.home(ctx.owner, 'addressbook')) : undefined),
  ],
  [
    clark(CALDAV_NS, 'calendar-user-address-set'),
    (r, ctx) => (r.type === 'principal' ? href(paths.principal(ctx.owner)) : undefined),
  ],
  // ---- collections
  // Only these wait, and only for collections: an object's properties come without an await.
  [
    clark(DAV_NS, 'sync-token'),
    (r) => (isCollection(r) ? r.sync().then((s) => escapeXml(SYNC_TOKEN_PREFIX + s.syncToken)) : undefined),
  ],
  [
    clark(CALSERVER_NS, 'getctag'),
    (r) => (isCollection(r) ? r.sync().then((s) => escapeXml(s.ctag)) : undefined),
  ],
  [
    clark(CALDAV_NS, 'calendar-description'),
    (r) => (isCollection(r) && r.kind === 'calendar' ? escapeXml(r.collection.description ?? '') : undefined),
  ],
  [
    clark(CARDDAV_NS, 'addressbook-description'),
    (r) =>
      isCollection(r) && r.kind === 'addressbook' ? escapeXml(r.collection.description ?? '') : undefined,
  ],
  [
    clark(APPLE_NS, 'calendar-color'),
    (r) => (isCollection(r) && r.collection.color !== undefined ? escapeXml(r.collection.color) : undefined),
  ],
  [
    clark(CALDAV_NS, 'supported-calendar-component-set'),
    (r) =>
      isCollection(r) && r.kind === 'calendar'
        ? (r.collection.components ?? []).map((c) => `<comp name="${c}"/>`).join('')
        : undefined,
  ],
  [
    clark(CALDAV_NS, 'supported-calendar-data'),
    (r) =>
      isCollection(r) && r.kind === 'calendar'
        ? '<calendar-data content-type="text/calendar" version="2.0"/>'
        : undefined,
  ],
  [
    clark(CARDDAV_NS, 'supported-address-data'),
    (r) =>
      isCollection(r) && r.kind === 'addressbook'
        ? '<address-data-type content-type="text/vcard" version="3.0"/>' +
          '<address-data-type content-type="text/vcard" version="4.0"/>'
        : undefined,
  ],
  // ---- objects
  [clark(DAV_NS, 'getetag'), (r) => (isObject(r) ? escapeXml(r.ref.etag) : undefined)],
  [
    clark(DAV_NS, 'getcontenttype'),
    (r) => {
      if (!isObject(r)) return undefined;
      if (r.data) return escapeXml(r.data.contentType);
      return r.kind === 'calendar' ? 'text/calendar; charset=utf-8' : 'text/vcard; charset=utf-8';
    },
  ],
  [
    clark(DAV_NS, 'getcontentlength'),
    (r) => (isObject(r) && r.data ? String(Buffer.byteLength(r.data.text)) : undefined),
  ],
  [
    clark(CALDAV_NS, 'calendar-data'),
    (r) => (isObject(r) && r.kind === 'calendar' && r.data ? dataXml(r.data) : undefined),
  ],
  [
    clark(CARDDAV_NS, 'address-data'),
    (r) => (isObject(r) && r.kind === 'addressbook' && r.data ? dataXml(r.data) : undefined),
  ],
]);

/** Properties whose value needs the object's text. */
export const DATA_PROPS: ReadonlySet<string> = new Set([
  clark(DAV_NS, 'getcontentlength'),
  clark(CALDAV_NS, 'calendar-data'),
  clark(CARDDAV_NS, 'address-data'),
]);

/** The properties allprop returns (RFC 4918 §9.1: not the expensive or CalDAV/CardDAV ones). */
const ALLPROP: readonly XmlName[] = [
  'resourcetype',
  'displayname',
  'getetag',
  'getcontenttype',
  'getcontentlength',
  'sync-token',
].map((local) => ({ ns: DAV_NS, local }));

/** What a PROPFIND asks: every property, their names only, or a list. */
export type PropRequest =
  { kind: 'allprop'; include: XmlName[] } | { kind: 'propname' } | { kind: 'prop'; props: XmlName[] };

/** The property names a request asks for by name (allprop's own list, with its includes). */
export function namesAsked(what: PropRequest): XmlName[] {
  if (what.kind === 'prop') return what.props;
  if (what.kind === 'allprop') return [...ALLPROP, ...what.include];
  return [];
}

/** The properties a request names, deduplicated, with their getters: worked out once per request. */
interface Plan {
  names: { ns: string; local: string; get: Getter | undefined }[];
  /** A `prop` request lists the properties it lacks (404); allprop does not. */
  listMissing: boolean;
}

const plans = new WeakMap<PropRequest, Plan>();

function planOf(what: PropRequest): Plan {
  let plan = plans.get(what);
  if (!plan) {
    const seen = new Set<string>();
    const names: Plan['names'] = [];
    for (const { ns, local } of namesAsked(what)) {
      const key = clark(ns, local);
      if (seen.has(key)) continue;
      seen.add(key);
      names.push({ ns, local, get: GETTERS.get(key) });
    }
    plan = { names, listMissing: what.kind === 'prop' };
    plans.set(what, plan);
  }
  return plan;
}

async function propnamesOf(r: Resource, ctx: PropContext): Promise<PropStat[]> {
  const names: string[] = [];
  for (const [key, get] of GETTERS) {
    if (DATA_PROPS.has(key) && r.type !== 'object') continue;
    if (!DATA_PROPS.has(key) && (await get(r, ctx)) === undefined) continue;
    const end = key.lastIndexOf('}');
    names.push(propElement(key.slice(1, end), key.slice(end + 1)));
  }
  return [{ status: 200, props: names }];
}

function grouped(plan: Plan, values: readonly (string | undefined)[]): PropStat[] {
  const found: string[] = [];
  const missing: string[] = [];
  plan.names.forEach(({ ns, local }, i) => {
    const value = values[i];
    if (value !== undefined) found.push(propElement(ns, local, value));
    else if (plan.listMissing) missing.push(propElement(ns, local));
  });
  return [
    { status: 200, props: found },
    { status: 404, props: missing },
  ];
}

/**
 * The propstat groups of one resource: 200 for the properties it has, 404 for the others. Without a
 * promise when no property needs to wait (every object property): a listing of thousands of objects
 * then builds its answer in one go.
 */
export function propstatsOf(
  r: Resource,
  what: PropRequest,
  ctx: PropContext,
): PropStat[] | Promise<PropStat[]> {
  if (what.kind === 'propname') return propnamesOf(r, ctx);
  const plan = planOf(what);
  const values = plan.names.map(({ get }) => get?.(r, ctx));
  if (values.some((v) => v instanceof Promise)) {
    return Promise.all(values.map((v) => Promise.resolve(v))).then((all) => grouped(plan, all));
  }
  return grouped(plan, values as (string | undefined)[]);
}
