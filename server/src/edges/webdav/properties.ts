import type { FileDoc } from '../../files/file-doc.js';
import { activeLockXml, covers, SUPPORTED_LOCK_XML, type DavLock } from '../dav/locks.js';
import { propElement, type PropStat } from '../dav/multistatus.js';
import { clark, DAV_NS, escapeXml } from '../dav/xml.js';
import { etagOf } from './context.js';

/** The live properties we compute, all in the DAV: namespace, returned by allprop and propname. */
const LIVE = [
  'resourcetype',
  'creationdate',
  'displayname',
  'getcontentlength',
  'getcontenttype',
  'getetag',
  'getlastmodified',
  'lockdiscovery',
  'supportedlock',
] as const;
/** RFC 4331's quota properties: returned only when asked for by name (not by allprop). */
const QUOTA = ['quota-available-bytes', 'quota-used-bytes'] as const;

/**
 * Properties a client may not set or remove with PROPPATCH (403, cannot-modify-protected-property).
 * `displayname` is not among them: a client may set it, and it then overrides the entry's name.
 */
export function isProtected(ns: string, local: string): boolean {
  return (
    ns === DAV_NS && local !== 'displayname' && ([...LIVE, ...QUOTA] as readonly string[]).includes(local)
  );
}

/** What a PROPFIND asks: every property, their names only, or a list of `{ns, local}`. */
export type PropRequest =
  | { kind: 'allprop'; include: { ns: string; local: string }[] }
  | { kind: 'propname' }
  | { kind: 'prop'; props: { ns: string; local: string }[] };

/** What computing properties needs beyond the entry: the instance's locks and, lazily, its usage. */
export interface PropContext {
  locks: readonly DavLock[];
  now: number;
  usage: () => Promise<{ used: number; quota: number | undefined }>;
}

/**
 * The value (inner XML) of a live property of `entry` at lock path `path`; undefined when it has none.
 * Synchronous but for the quota properties (a PROPFIND of a big folder asks this thousands of times).
 */
function liveValue(
  entry: FileDoc,
  path: string,
  local: string,
  ctx: PropContext,
): string | undefined | Promise<string | undefined> {
  const file = entry.type === 'file';
  switch (local) {
    case 'resourcetype':
      return file ? '' : '<D:collection/>';
    case 'creationdate':
      return escapeXml(new Date(entry.created_at).toISOString());
    case 'displayname':
      return escapeXml(entry.name);
    case 'getcontentlength':
      return file ? String(entry.size ?? 0) : undefined;
    case 'getcontenttype':
      return file ? escapeXml(entry.mime ?? 'application/octet-stream') : undefined;
    case 'getetag':
      return escapeXml(etagOf(entry));
    case 'getlastmodified':
      return new Date(entry.updated_at).toUTCString();
    case 'lockdiscovery':
      return ctx.locks.length === 0
        ? ''
        : ctx.locks
            .filter((l) => covers(l, path))
            .map((l) => activeLockXml(l, ctx.now))
            .join('');
    case 'supportedlock':
      return SUPPORTED_LOCK_XML;
    case 'quota-used-bytes':
      return ctx.usage().then(({ used }) => String(used));
    case 'quota-available-bytes':
      // No quota: RFC 4331 lets the server leave the property out (404) rather than invent a number.
      return ctx
        .usage()
        .then(({ used, quota }) => (quota === undefined ? undefined : String(Math.max(0, quota - used))));
    default:
      return undefined;
  }
}

/** A property's value: the stored dead property when there is one, else the live one. */
async function valueOf(
  entry: FileDoc,
  path: string,
  ns: string,
  local: string,
  ctx: PropContext,
): Promise<string | undefined> {
  const dead = entry.properties?.[clark(ns, local)];
  if (dead !== undefined) return dead;
  if (ns !== DAV_NS) return undefined;
  const live = await liveValue(entry, path, local, ctx);
  return live === undefined ? undefined : propElement(ns, local, live);
}

const DAV_PROPS = (locals: readonly string[]) => locals.map((local) => ({ ns: DAV_NS, local }));
const LIVE_OF_FILE = DAV_PROPS(LIVE);
const LIVE_OF_DIRECTORY = DAV_PROPS(LIVE.filter((l) => l !== 'getcontentlength' && l !== 'getcontenttype'));

/** The propstat groups of one entry for a PROPFIND: 200 for what it has, 404 for what it lacks. */
export async function propstatsOf(
  entry: FileDoc,
  path: string,
  what: PropRequest,
  ctx: PropContext,
): Promise<PropStat[]> {
  const live = entry.type === 'file' ? LIVE_OF_FILE : LIVE_OF_DIRECTORY;
  // allprop of an entry without dead properties, the common case of a folder listing: no lookups.
  if (what.kind === 'allprop' && what.include.length === 0 && entry.properties === undefined) {
    const found: string[] = [];
    for (const { local } of live) {
      const value = liveValue(entry, path, local, ctx) as string | undefined;
      if (value !== undefined) found.push(propElement(DAV_NS, local, value));
    }
    return [{ status: 200, props: found }];
  }
  // Dead properties that shadow a live name (a client-set DAV:displayname) are listed once, as the live one.
  const dead = Object.keys(entry.properties ?? {})
    .map(parseClark)
    .filter((p) => !(p.ns === DAV_NS && (LIVE as readonly string[]).includes(p.local)));
  if (what.kind === 'propname') {
    return [{ status: 200, props: [...live, ...dead].map((p) => propElement(p.ns, p.local)) }];
  }
  const wanted = what.kind === 'prop' ? what.props : [...live, ...dead, ...what.include];
  const found: string[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  for (const { ns, local } of wanted) {
    const key = clark(ns, local);
    if (seen.has(key)) continue;
    seen.add(key);
    const value = await valueOf(entry, path, ns, local, ctx);
    if (value !== undefined) found.push(value);
    else if (what.kind !== 'allprop') missing.push(propElement(ns, local));
  }
  return [
    { status: 200, props: found },
    { status: 404, props: missing },
  ];
}

/** `{ns}local` back to its parts. */
export function parseClark(key: string): { ns: string; local: string } {
  const end = key.lastIndexOf('}');
  return { ns: key.slice(1, end), local: key.slice(end + 1) };
}
