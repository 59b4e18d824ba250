import { BadRequest, Conflict, Locked, PreconditionFailed } from '../../errors.js';
import { parseDepth, parseTimeout } from '../dav/headers.js';
import { activeLockXml, conflicting, covers, newLockToken, type DavLock } from '../dav/locks.js';
import { propElement } from '../dav/multistatus.js';
import { DAV_NS, elements, escapeXml, is, serializeXml } from '../dav/xml.js';
import { xmlBody } from '../dav/body.js';
import { allow, checkLocks, type Dav } from './context.js';
import { hrefOf } from './paths.js';
import { createEmpty } from './write-methods.js';

/** The LOCK answer: the lock discovery of the lock(s) made or refreshed. */
function lockAnswer(dav: Dav, locks: readonly DavLock[], status: number): unknown {
  const xml = propElement(DAV_NS, 'lockdiscovery', locks.map((l) => activeLockXml(l, dav.now())).join(''));
  return dav.reply
    .code(status)
    .type('application/xml; charset=utf-8')
    .send(`<?xml version="1.0" encoding="utf-8"?>\n<D:prop xmlns:D="DAV:">${xml}</D:prop>\n`);
}

/**
 * LOCK (RFC 4918 §9.10). With a `DAV:lockinfo` body: a new exclusive or shared write lock of Depth 0 or
 * infinity, 423 with DAV:no-conflicting-lock if another lock is in the way; on an unmapped URL it creates
 * an empty file first (the "locked empty resource" of §7.3) and answers 201. Without a body: refreshes
 * the locks whose tokens the If header submits (§9.10.2), 412 if it submits none of this resource's.
 */
export async function lock(dav: Dav): Promise<unknown> {
  allow(dav, 'PUT');
  const timeout = parseTimeout(dav.request.headers.timeout);
  const body = await xmlBody(dav.request);
  const all = await dav.locks.all();
  if (body === null) {
    const mine = all.filter((l) => dav.submitted.includes(l.token) && covers(l, dav.path));
    if (mine.length === 0) {
      throw new PreconditionFailed('no lock of this resource was submitted to refresh', {
        davCondition: 'lock-token-matches-request-uri',
      });
    }
    const refreshed = await Promise.all(mine.map((l) => dav.locks.save({ ...l, timeout })));
    return lockAnswer(dav, refreshed, 200);
  }
  if (!is(body, DAV_NS, 'lockinfo')) throw new BadRequest('the body must be a DAV:lockinfo');
  const scopeEl = elements(elements(body, DAV_NS, 'lockscope')[0] ?? body, DAV_NS)[0];
  const scope =
    scopeEl?.local === 'shared' ? 'shared' : scopeEl?.local === 'exclusive' ? 'exclusive' : undefined;
  const typeEl = elements(elements(body, DAV_NS, 'locktype')[0] ?? body, DAV_NS)[0];
  if (!scope || typeEl?.local !== 'write')
    throw new BadRequest('DAV:lockinfo needs a lockscope and a write locktype');
  const ownerEl = elements(body, DAV_NS, 'owner')[0];
  const owner = ownerEl
    ? ownerEl.children.map((c) => (typeof c === 'string' ? escapeXml(c) : serializeXml(c))).join('')
    : '';
  const depth = parseDepth(dav.request.headers.depth, ['0', 'infinity'], 'infinity') as DavLock['depth'];
  if (conflicting(all, dav.path, depth, scope).length > 0) {
    throw new Locked('another lock is in the way', { davCondition: 'no-conflicting-lock' });
  }
  let created = false;
  if (!dav.target.entry) {
    await checkLocks(dav, dav.names, { member: true });
    await createEmpty(dav);
    created = true;
  }
  const collection = dav.target.entry?.type === 'directory';
  const saved = await dav.locks.save({
    token: newLockToken(),
    root: dav.path,
    href: hrefOf(dav.names, collection),
    depth: collection ? depth : '0',
    scope,
    owner,
    timeout,
  });
  dav.reply.header('lock-token', `<${saved.token}>`);
  return lockAnswer(dav, [saved], created ? 201 : 200);
}

/** UNLOCK (§9.11): removes the lock named by Lock-Token if it covers the request URI (else 409). */
export async function unlock(dav: Dav): Promise<unknown> {
  allow(dav, 'PUT');
  const header = dav.request.headers['lock-token'];
  const token = typeof header === 'string' ? /^\s*<([^>]+)>\s*$/.exec(header)?.[1] : undefined;
  if (!token) throw new BadRequest('UNLOCK needs a Lock-Token header');
  const found = (await dav.locks.all()).find((l) => l.token === token && covers(l, dav.path));
  if (!found) {
    throw new Conflict('no such lock on this resource', { davCondition: 'lock-token-matches-request-uri' });
  }
  await dav.locks.remove(token);
  return dav.reply.code(204).send();
}
