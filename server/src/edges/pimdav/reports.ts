import { BadRequest, Forbidden } from '../../errors.js';
import { freeBusyCalendar } from '../../pim/free-busy.js';
import type { CollectionKind } from '../../pim/kinds.js';
import type { ObjectData, ObjectRef } from '../../pim/pim-service.js';
import { xmlBody } from '../dav/body.js';
import { parseDepth } from '../dav/headers.js';
import { Multistatus } from '../dav/multistatus.js';
import { clark, DAV_NS, elements, escapeXml, textOf, type XmlElement } from '../dav/xml.js';
import { allow, type PimDav } from './context.js';
import { addressQueryOf, calendarQueryOf, timeRangeOf } from './filters.js';
import { CALDAV_NS, CARDDAV_NS, serviceToken, SYNC_TOKEN_PREFIX } from './names.js';
import { memberName, paths } from './paths.js';
import { DATA_PROPS, namesAsked, propstatsOf, REPORTS, type PropRequest } from './properties.js';
import { propRequestOf, sendMultistatus } from './propfind.js';
import { objectResource, propContextOf } from './resources.js';

const PROD_ID = '-//Nuage//Nuage PIM//EN';

/** One collection a report runs on. */
interface On {
  dav: PimDav;
  kind: CollectionKind;
  id: string;
  body: XmlElement;
  what: PropRequest;
}

/**
 * REPORT (RFC 3253 §3.6) on an address book or calendar: the multigets, the queries, free-busy-query
 * and sync-collection. A report the resource does not support is 403 with DAV:supported-report.
 */
export async function report(dav: PimDav): Promise<unknown> {
  const body = await xmlBody(dav.request);
  if (body === null) throw new BadRequest('a REPORT needs a body');
  const { target } = dav;
  const supported =
    target.type === 'collection' &&
    REPORTS[target.kind].some((r) => r.ns === body.ns && r.local === body.local);
  if (target.type !== 'collection' || !supported) {
    throw new Forbidden(`the ${body.local} report is not supported here`, {
      davCondition: 'supported-report',
    });
  }
  allow(dav, 'GET', target.kind);
  await dav.pim.getCollection(dav.scope, target.kind, target.id);
  const on: On = { dav, kind: target.kind, id: target.id, body, what: { kind: 'prop', props: [] } };
  if (body.local !== 'free-busy-query') {
    on.what = propRequestOf(
      elements(body, DAV_NS).some((e) => ['prop', 'allprop', 'propname'].includes(e.local)) ? body : null,
    );
  }
  switch (clark(body.ns, body.local)) {
    case clark(CARDDAV_NS, 'addressbook-multiget'):
    case clark(CALDAV_NS, 'calendar-multiget'):
      return multiget(on);
    case clark(CARDDAV_NS, 'addressbook-query'):
      return addressQuery(on);
    case clark(CALDAV_NS, 'calendar-query'):
      return calendarQuery(on);
    case clark(CALDAV_NS, 'free-busy-query'):
      return freeBusy(on);
    default:
      return syncCollection(on);
  }
}

/** Whether the report's Depth reaches the collection's members (queries: RFC 3253 default 0). */
function membersReached(dav: PimDav): boolean {
  return parseDepth(dav.request.headers.depth, ['0', '1', 'infinity'], '0') !== '0';
}

/** A multistatus of objects with the properties asked for. */
async function objectsAnswer(
  on: On,
  objects: readonly (ObjectData | ObjectRef)[],
  multistatus = new Multistatus(),
) {
  const ctx = propContextOf(on.dav);
  for (const object of objects) {
    const resource = objectResource(on.dav, on.kind, on.id, object);
    const stats = propstatsOf(resource, on.what, ctx);
    multistatus.addProps(resource.href, stats instanceof Promise ? await stats : stats);
  }
  return multistatus;
}

/** addressbook-multiget / calendar-multiget (RFC 6352 §8.7, RFC 4791 §7.9): 404 for names it lacks. */
async function multiget(on: On): Promise<unknown> {
  const collectionPath = paths.collection(on.dav.owner, on.kind, on.id);
  const asked = elements(on.body, DAV_NS, 'href').map((h) => textOf(h).trim());
  const names = asked.map((h) => memberName(h, collectionPath));
  const found = await on.dav.pim.multiget(
    on.dav.scope,
    on.kind,
    on.id,
    names.filter((n): n is string => n !== null),
  );
  const byName = new Map(found.map((f) => [f.href, f]));
  const multistatus = new Multistatus();
  const ctx = propContextOf(on.dav);
  for (const [i, href] of asked.entries()) {
    const name = names[i];
    const object = name === null || name === undefined ? undefined : byName.get(name);
    if (object === undefined || 'missing' in object) {
      multistatus.addStatus(href, 404);
      continue;
    }
    const resource = objectResource(on.dav, on.kind, on.id, object);
    const stats = propstatsOf(resource, on.what, ctx);
    multistatus.addProps(resource.href, stats instanceof Promise ? await stats : stats);
  }
  return sendMultistatus(on.dav, multistatus);
}

/** addressbook-query (RFC 6352 §8.6) with text-match; a limit cut answers 507 for the collection. */
async function addressQuery(on: On): Promise<unknown> {
  const { filter, limit } = addressQueryOf(on.body);
  if (!membersReached(on.dav)) return sendMultistatus(on.dav, new Multistatus());
  const found = await on.dav.pim.queryAddressBook(
    on.dav.scope,
    on.id,
    filter,
    limit === undefined ? {} : { limit: limit + 1 },
  );
  const cut = limit !== undefined && found.length > limit;
  const multistatus = await objectsAnswer(on, cut ? found.slice(0, limit) : found);
  if (cut) {
    multistatus.addStatus(
      paths.collection(on.dav.owner, on.kind, on.id),
      507,
      'number-of-matches-within-limits',
    );
  }
  return sendMultistatus(on.dav, multistatus);
}

/** calendar-query (RFC 4791 §7.8): time ranges match any instance of a recurring object. */
async function calendarQuery(on: On): Promise<unknown> {
  const query = calendarQueryOf(on.body);
  if (!membersReached(on.dav) || query.kind === 'none') return sendMultistatus(on.dav, new Multistatus());
  let found: (ObjectData | ObjectRef)[];
  if (query.kind === 'filter') {
    found = await on.dav.pim.queryCalendar(on.dav.scope, on.id, query.filter);
  } else {
    found = await withData(on, await on.dav.pim.listObjects(on.dav.scope, on.kind, on.id));
  }
  return sendMultistatus(on.dav, await objectsAnswer(on, found));
}

/** The objects' texts, read in one pass, when the properties asked for need them. */
async function withData(on: On, refs: readonly ObjectRef[]): Promise<(ObjectData | ObjectRef)[]> {
  if (!namesAsked(on.what).some((n) => DATA_PROPS.has(clark(n.ns, n.local)))) return [...refs];
  const all = await on.dav.pim.multiget(
    on.dav.scope,
    on.kind,
    on.id,
    refs.map((r) => r.href),
  );
  return all.filter((o): o is ObjectData => !('missing' in o));
}

/** free-busy-query (RFC 4791 §7.10): a VFREEBUSY of the calendar's busy time in the range. */
async function freeBusy(on: On): Promise<unknown> {
  const element = elements(on.body, CALDAV_NS, 'time-range')[0];
  if (!element) throw new BadRequest('a free-busy-query needs a time-range');
  const { start, end } = timeRangeOf(element);
  if (!start || !end) throw new BadRequest('a free-busy-query time-range needs a start and an end');
  const periods = await on.dav.pim.freeBusy(on.dav.scope, [on.id], { start, end });
  const text = freeBusyCalendar(periods, { start, end }, { prodId: PROD_ID, now: new Date(on.dav.now()) });
  return on.dav.reply.code(200).type('text/calendar; charset=utf-8').send(text);
}

/**
 * sync-collection (RFC 6578): every object on an empty token, else what changed and (404) what was
 * deleted since the token, then the new token. sync-level 1 (a collection has no sub-collections, so
 * infinite is the same); a token we did not give is 403 DAV:valid-sync-token.
 */
async function syncCollection(on: On): Promise<unknown> {
  parseDepth(on.dav.request.headers.depth, ['0', '1'], '0');
  const level = elements(on.body, DAV_NS, 'sync-level')[0];
  if (level && !['1', 'infinite'].includes(textOf(level).trim()))
    throw new BadRequest('sync-level is 1 or infinite');
  const tokenElement = elements(on.body, DAV_NS, 'sync-token')[0];
  const token = tokenElement ? serviceToken(textOf(tokenElement).trim()) : null;
  const changes = await on.dav.pim.changesSince(on.dav.scope, on.kind, on.id, token === '' ? null : token);
  const multistatus = await objectsAnswer(on, await withData(on, changes.changed));
  for (const name of changes.deleted) {
    multistatus.addStatus(paths.object(on.dav.owner, on.kind, on.id, name), 404);
  }
  const trailer = `<D:sync-token>${escapeXml(SYNC_TOKEN_PREFIX + changes.syncToken)}</D:sync-token>`;
  return sendMultistatus(on.dav, multistatus, trailer);
}
