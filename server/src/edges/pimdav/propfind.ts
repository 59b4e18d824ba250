import { BadRequest, Forbidden } from '../../errors.js';
import type { CollectionProps } from '../../pim/collections.js';
import { xmlBody } from '../dav/body.js';
import { parseDepth } from '../dav/headers.js';
import { Multistatus, propElement, type PropStat } from '../dav/multistatus.js';
import { clark, DAV_NS, elements, is, textOf, type XmlElement } from '../dav/xml.js';
import { allow, type PimDav } from './context.js';
import { APPLE_NS, CALDAV_NS, CARDDAV_NS } from './names.js';
import { paths } from './paths.js';
import { DATA_PROPS, namesAsked, propstatsOf, type PropRequest, type Resource } from './properties.js';
import { collectionResource, objectResource, propContextOf, resourceOf } from './resources.js';
import { timezoneOf } from './timezones.js';

/** Sends a 207 Multi-Status body. */
export function sendMultistatus(dav: PimDav, multistatus: Multistatus, trailer = ''): unknown {
  return dav.reply.code(207).type('application/xml; charset=utf-8').send(multistatus.toString(trailer));
}

/** Reads a `DAV:propfind` body (or a REPORT's `DAV:prop`); none at all means allprop. */
export function propRequestOf(body: XmlElement | null): PropRequest {
  if (body === null) return { kind: 'allprop', include: [] };
  const names = (el: XmlElement | undefined) =>
    el ? elements(el).map(({ ns, local }) => ({ ns, local })) : [];
  const first = elements(body).find(
    (e) => e.ns === DAV_NS && ['prop', 'propname', 'allprop'].includes(e.local),
  );
  if (!first) throw new BadRequest('DAV:propfind needs prop, propname or allprop');
  if (first.local === 'propname') return { kind: 'propname' };
  if (first.local === 'allprop')
    return { kind: 'allprop', include: names(elements(body, DAV_NS, 'include')[0]) };
  return { kind: 'prop', props: names(first) };
}

/**
 * PROPFIND (RFC 4918 §9.1) with Depth 0 or 1: a home lists its collections, a collection its objects.
 * Depth infinity (or no Depth, which means it) is refused with DAV:propfind-finite-depth.
 */
export async function propfind(dav: PimDav): Promise<unknown> {
  const { target } = dav;
  if (target.type === 'home' || target.type === 'collection' || target.type === 'object') {
    allow(dav, 'GET', target.kind);
  }
  const given = dav.request.headers.depth ?? 'infinity';
  if (String(given).trim().toLowerCase() === 'infinity') {
    throw new Forbidden('PROPFIND with Depth: infinity is not served', {
      davCondition: 'propfind-finite-depth',
    });
  }
  const depth = parseDepth(given, ['0', '1'], '0');
  const body = await xmlBody(dav.request);
  if (body !== null && !is(body, DAV_NS, 'propfind'))
    throw new BadRequest('the body must be a DAV:propfind element');
  const what = propRequestOf(body);
  const ctx = propContextOf(dav);
  const multistatus = new Multistatus();
  const add = async (r: Resource) => {
    const stats = propstatsOf(r, what, ctx);
    multistatus.addProps(r.href, stats instanceof Promise ? await stats : stats);
  };
  await add(await resourceOf(dav, target));
  if (depth === '1') {
    if (target.type === 'principals') {
      await add({ type: 'principal', href: paths.principal(dav.owner) });
    } else if (target.type === 'home') {
      const collections = await dav.pim.listCollections(dav.scope, target.kind);
      for (const c of collections.sort((a, b) => (a.id < b.id ? -1 : 1))) {
        await add(await collectionResource(dav, target.kind, c.id));
      }
    } else if (target.type === 'collection') {
      const refs = await dav.pim.listObjects(dav.scope, target.kind, target.id);
      const needsData = namesAsked(what).some((n) => DATA_PROPS.has(clark(n.ns, n.local)));
      const items = needsData
        ? await dav.pim.multiget(
            dav.scope,
            target.kind,
            target.id,
            refs.map((r) => r.href),
          )
        : refs;
      for (const item of items) {
        if ('missing' in item) continue;
        const r = objectResource(dav, target.kind, target.id, item);
        const stats = propstatsOf(r, what, ctx);
        multistatus.addProps(r.href, stats instanceof Promise ? await stats : stats);
      }
    }
  }
  return sendMultistatus(dav, multistatus);
}

/** The collection properties a client may set with PROPPATCH, and how each maps to the service's. */
const SETTABLE: Readonly<Record<string, (value: XmlElement | null) => CollectionProps>> = {
  [clark(DAV_NS, 'displayname')]: (v) => ({ name: v ? textOf(v).trim() : '' }),
  [clark(CALDAV_NS, 'calendar-description')]: (v) => ({ description: v ? textOf(v) : null }),
  [clark(CARDDAV_NS, 'addressbook-description')]: (v) => ({ description: v ? textOf(v) : null }),
  [clark(APPLE_NS, 'calendar-color')]: (v) => ({ color: v ? textOf(v).trim() : null }),
  [clark(CALDAV_NS, 'calendar-timezone')]: (v) => ({ timezone: v ? (timezoneOf(textOf(v)) ?? null) : null }),
};

/** The collection properties a set or remove of `prop` elements asks for (used by MKCOL and MKCALENDAR too). */
export function collectionPropsOf(props: readonly { element: XmlElement; remove: boolean }[]): {
  props: CollectionProps;
  refused: XmlElement[];
} {
  const out: CollectionProps = {};
  const refused: XmlElement[] = [];
  for (const { element, remove } of props) {
    const map = SETTABLE[clark(element.ns, element.local)];
    if (map) Object.assign(out, map(remove ? null : element));
    else refused.push(element);
  }
  return { props: out, refused };
}

/**
 * PROPPATCH of a collection (RFC 4918 §9.2): displayname, descriptions, calendar-color and
 * calendar-timezone. All or nothing: any other property is refused (403) and the rest then fail (424).
 */
export async function proppatch(dav: PimDav): Promise<unknown> {
  const { target } = dav;
  const body = await xmlBody(dav.request);
  if (!body || !is(body, DAV_NS, 'propertyupdate'))
    throw new BadRequest('the body must be a DAV:propertyupdate');
  const changes = elements(body)
    .filter((e) => e.ns === DAV_NS && (e.local === 'set' || e.local === 'remove'))
    .flatMap((op) =>
      elements(op, DAV_NS, 'prop').flatMap((p) =>
        elements(p).map((element) => ({ element, remove: op.local === 'remove' })),
      ),
    );
  const multistatus = new Multistatus();
  const names = (list: readonly XmlElement[]) => list.map((e) => propElement(e.ns, e.local));
  if (target.type !== 'collection') {
    if (target.type === 'object') allow(dav, 'PUT', target.kind);
    await resourceOf(dav, target);
    multistatus.addProps(dav.request.path, [
      {
        status: 403,
        props: names(changes.map((c) => c.element)),
        condition: 'cannot-modify-protected-property',
      },
    ]);
    return sendMultistatus(dav, multistatus);
  }
  allow(dav, 'PUT', target.kind);
  await dav.pim.getCollection(dav.scope, target.kind, target.id);
  const { props, refused } = collectionPropsOf(changes);
  const accepted = changes.map((c) => c.element).filter((e) => !refused.includes(e));
  let propstats: PropStat[];
  if (refused.length > 0) {
    propstats = [
      { status: 403, props: names(refused), condition: 'cannot-modify-protected-property' },
      { status: 424, props: names(accepted) },
    ];
  } else {
    try {
      await dav.pim.updateCollection(dav.scope, target.kind, target.id, props);
      propstats = [{ status: 200, props: names(accepted) }];
    } catch (error) {
      if (!(error instanceof BadRequest)) throw error;
      propstats = [{ status: 409, props: names(accepted) }];
    }
  }
  multistatus.addProps(paths.collection(dav.owner, target.kind, target.id), propstats);
  return sendMultistatus(dav, multistatus);
}
