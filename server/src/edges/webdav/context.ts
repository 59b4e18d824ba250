import { Forbidden, PreconditionFailed } from '../../errors.js';
import { FILES, etagOf as contentEtag, type FileDoc } from '../../files/file-doc.js';
import type { FilesService, WriteOptions } from '../../files/files-service.js';
import type { Resolved } from '../../files/tree.js';
import { instanceOf, type InstanceContext } from '../../http/context.js';
import type { Reply } from '../../http/framework/reply.js';
import type { Request } from '../../http/framework/request.js';
import type { Verb } from '../../permissions/permissions.js';
import { reach, writeCheck } from '../data/access.js';
import { parseDestination } from '../dav/headers.js';
import { evaluateIf, parseIf, submittedTokens, type IfState } from '../dav/if-header.js';
import { covers, LockStore, requireTokens, type DavLock } from '../dav/locks.js';
import { lockPathOf, MOUNT, namesOf } from './paths.js';

/** Everything a WebDAV method handler works with, resolved once per request. */
export interface Dav {
  request: Request;
  reply: Reply;
  files: FilesService;
  scope: InstanceContext;
  now: () => number;
  /** The tree path of the request URI, as checked names. */
  names: string[];
  /** The lock key of the request URI (dav/locks.ts). */
  path: string;
  target: Resolved;
  locks: LockStore;
  /** The lock tokens the If header submits. */
  submitted: string[];
}

/** Parses the request URI and the If header, and resolves the target in the tree. */
export async function openDav(
  request: Request,
  reply: Reply,
  files: FilesService,
  now: () => number,
): Promise<Dav> {
  const scope = instanceOf(request);
  const names = namesOf(request.path);
  const lists = parseIf(request.headers.if);
  const dav: Dav = {
    request,
    reply,
    files,
    scope,
    now,
    names,
    path: lockPathOf(names),
    target: await files.resolve(scope, names),
    locks: new LockStore(scope.accounts.records, now),
    submitted: submittedTokens(lists),
  };
  if (lists.length > 0) {
    const all = await dav.locks.all();
    const ok = await evaluateIf(lists, async (resource) =>
      resource === undefined ? stateOf(dav.target.entry, dav.path, all) : taggedState(dav, resource, all),
    );
    if (!ok) throw new PreconditionFailed('the If header does not match the resource state');
  }
  return dav;
}

/**
 * Asks the permission module for `verb` on io.nuage.files. WebDAV shows the whole tree, so a token
 * limited to some files by selector rules is refused here rather than shown a partial tree.
 */
export function allow(dav: Dav, verb: Verb): WriteOptions {
  const r = reach(dav.request, verb, FILES);
  if (r.kind !== 'whole') throw new Forbidden('WebDAV needs access to the whole file tree');
  const check = writeCheck(r.perms, FILES);
  return check === undefined ? {} : { check };
}

/** The entity tag WebDAV and /files both give an entry: its content's checksum, a directory's revision. */
export function etagOf(entry: FileDoc): string {
  return entry.type === 'file' ? contentEtag(entry) : `"${entry._rev}"`;
}

/** Refuses the write unless the tokens of the locks over `names` (and maybe below, and its parent) were sent. */
export async function checkLocks(
  dav: Dav,
  names: readonly string[],
  options: { deep?: boolean; member?: boolean } = {},
): Promise<void> {
  const parent = options.member && names.length > 0 ? lockPathOf(names.slice(0, -1)) : undefined;
  requireTokens(
    await dav.locks.all(),
    lockPathOf(names),
    { deep: options.deep ?? false, parent },
    dav.submitted,
  );
}

/** The tree path a Destination header names (checked like the request URI). */
export function destinationOf(dav: Dav): string[] {
  return namesOf(parseDestination(dav.request.headers.destination, dav.request.headers.host));
}

function stateOf(entry: FileDoc | null, path: string, locks: readonly DavLock[]): IfState {
  return {
    etag: entry ? etagOf(entry) : undefined,
    lockTokens: locks.filter((l) => covers(l, path)).map((l) => l.token),
  };
}

/** The state of a resource an If header names by URI; one outside our tree matches nothing. */
async function taggedState(dav: Dav, resource: string, locks: readonly DavLock[]): Promise<IfState> {
  const path = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/[^?#]*)?/i.exec(resource)?.[1] ?? resource;
  if (!path.startsWith(MOUNT)) return { etag: undefined, lockTokens: [] };
  const names = namesOf(path);
  const { entry } = await dav.files.resolve(dav.scope, names);
  return stateOf(entry, lockPathOf(names), locks);
}
