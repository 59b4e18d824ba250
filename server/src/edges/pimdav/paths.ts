import { BadRequest, NotFound } from '../../errors.js';
import type { CollectionKind } from '../../pim/kinds.js';

/** Where CardDAV and CalDAV live: `/dav/` answers discovery, the rest hangs below it. */
export const DAV_ROOT = '/dav/';
const PRINCIPALS = 'principals';
/** The home segment of each kind: `/dav/addressbooks/<owner>/`, `/dav/calendars/<owner>/`. */
const HOMES: Readonly<Record<CollectionKind, string>> = {
  addressbook: 'addressbooks',
  calendar: 'calendars',
};

/** What a request URI names (URL layout in docs/dav.md). */
export type Target =
  | { type: 'root' }
  | { type: 'principals' }
  | { type: 'principal' }
  | { type: 'home'; kind: CollectionKind }
  | { type: 'collection'; kind: CollectionKind; id: string }
  | { type: 'object'; kind: CollectionKind; id: string; href: string };

/** Collection ids are document ids chosen by clients (MKCOL): plain names only. */
const COLLECTION_ID = /^[A-Za-z0-9][A-Za-z0-9@._~+-]{0,199}$/;

/** The decoded segments of a URL path. */
function segmentsOf(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        throw new BadRequest('malformed percent-encoding in the path');
      }
    });
}

/**
 * The resource a URL path under `/dav/` names, for the instance owned by `owner`. Another user's
 * principal or homes are NotFound (there is one user per instance); so are paths deeper than objects.
 */
export function targetOf(path: string, owner: string): Target {
  const [top, user, collection, object, ...rest] = segmentsOf(path).slice(1);
  if (top === undefined) return { type: 'root' };
  if (user !== undefined && user !== owner) throw new NotFound(`no principal ${user}`);
  if (top === PRINCIPALS) {
    if (user === undefined) return { type: 'principals' };
    if (collection === undefined) return { type: 'principal' };
    throw new NotFound(`nothing at ${path}`);
  }
  const kind = (Object.keys(HOMES) as CollectionKind[]).find((k) => HOMES[k] === top);
  if (kind === undefined || user === undefined || rest.length > 0) throw new NotFound(`nothing at ${path}`);
  if (collection === undefined) return { type: 'home', kind };
  if (!COLLECTION_ID.test(collection)) throw new NotFound(`no collection ${collection.slice(0, 64)}`);
  if (object === undefined) return { type: 'collection', kind, id: collection };
  if (path.endsWith('/')) throw new NotFound(`no collection at ${path}`);
  return { type: 'object', kind, id: collection, href: object };
}

/** Whether a collection id may be created by MKCOL / MKCALENDAR. */
export const isCollectionId = (id: string): boolean => COLLECTION_ID.test(id);

/** A segment encodeSegment leaves as it is: unreserved characters, sub-delimiters and `@` (RFC 3986). */
const PLAIN_SEGMENT = /^[A-Za-z0-9._~!$&'()*+,;=:@-]*$/;

/**
 * One path segment percent-encoded as clients expect to see it: like encodeURIComponent, but keeping
 * the sub-delimiters and `@` that RFC 3986 allows in a segment (`alice@home`, `a+b.vcf`).
 */
export function encodeSegment(segment: string): string {
  // Most names need no encoding: skip the replace, which every member of a listing would pay.
  if (PLAIN_SEGMENT.test(segment)) return segment;
  return encodeURIComponent(segment).replace(/%(40|3A|2B|2C|3B|3D|21|24|26|27|28|29|2A)/g, (m) =>
    decodeURIComponent(m),
  );
}

/** URL paths of the resources, collections ending in `/`. */
export const paths = {
  principal: (owner: string) => `${DAV_ROOT}${PRINCIPALS}/${encodeSegment(owner)}/`,
  principals: () => `${DAV_ROOT}${PRINCIPALS}/`,
  home: (owner: string, kind: CollectionKind) => `${DAV_ROOT}${HOMES[kind]}/${encodeSegment(owner)}/`,
  collection: (owner: string, kind: CollectionKind, id: string) =>
    `${paths.home(owner, kind)}${encodeSegment(id)}/`,
  object: (owner: string, kind: CollectionKind, id: string, href: string) =>
    `${paths.collection(owner, kind, id)}${encodeSegment(href)}`,
};

/** The path of a target, as the multistatus names it. */
export function pathOf(target: Target, owner: string): string {
  switch (target.type) {
    case 'root':
      return DAV_ROOT;
    case 'principals':
      return paths.principals();
    case 'principal':
      return paths.principal(owner);
    case 'home':
      return paths.home(owner, target.kind);
    case 'collection':
      return paths.collection(owner, target.kind, target.id);
    case 'object':
      return paths.object(owner, target.kind, target.id, target.href);
  }
}

/**
 * The resource name a `DAV:href` of a multiget names in the collection at `collectionPath`, or null
 * when it names something else. Clients send absolute paths or full URLs, encoded as they like.
 */
export function memberName(href: string, collectionPath: string): string | null {
  const path = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/[^?#]*)?/i.exec(href.trim())?.[1] ?? href.trim();
  let decoded: string[];
  let base: string[];
  try {
    decoded = segmentsOf(path);
    base = segmentsOf(collectionPath);
  } catch {
    return null;
  }
  if (decoded.length !== base.length + 1 || base.some((s, i) => decoded[i] !== s)) return null;
  return decoded.at(-1) ?? null;
}
