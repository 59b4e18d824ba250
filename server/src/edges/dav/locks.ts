import { randomUUID } from 'node:crypto';
import { Locked } from '../../errors.js';
import type { RecordTable } from '../../ports/store/store.js';
import { escapeXml } from './xml.js';

/**
 * A WebDAV write lock (RFC 4918 §6, §7). Locks are on paths — the decoded, NFC path of the resource under
 * its DAV mount, `/dav/files/a/b`, without a trailing slash — not on documents: a MOVE leaves the locks
 * at the old place behind, as the RFC wants, and any DAV tree (files, contacts, calendars) can use them.
 */
export interface DavLock {
  token: string;
  root: string;
  /** The lock root as a URL path, for `DAV:lockroot`. */
  href: string;
  depth: '0' | 'infinity';
  scope: 'exclusive' | 'shared';
  /** The content of the client's `DAV:owner` element, as XML. */
  owner: string;
  /** Seconds granted at the last LOCK or refresh. */
  timeout: number;
  expiresAt: number;
}

const KIND = 'dav-lock';

/** A fresh lock token; the `opaquelocktoken` scheme over a UUID (RFC 4918 appendix C). */
export function newLockToken(): string {
  return `opaquelocktoken:${randomUUID()}`;
}

/**
 * The locks of one instance, kept in its records table with their expiry, so they survive a restart,
 * are shared by every process of the instance, and vanish on their own when they time out.
 */
export class LockStore {
  constructor(
    private readonly records: RecordTable,
    private readonly now: () => number,
  ) {}

  /** Every live lock of the instance (a handful at most: a scan is fine). */
  async all(): Promise<DavLock[]> {
    return (await this.records.list<DavLock>(KIND, this.now())).map((r) => r.value);
  }

  /** Creates or refreshes a lock for `timeout` seconds from now. */
  async save(lock: Omit<DavLock, 'expiresAt'>): Promise<DavLock> {
    const saved = { ...lock, expiresAt: this.now() + lock.timeout * 1000 };
    await this.records.put(KIND, lock.token, saved, saved.expiresAt);
    return saved;
  }

  async remove(token: string): Promise<void> {
    await this.records.delete(KIND, token);
  }

  /** Drops the locks on a resource that is gone and on everything below it (after DELETE or MOVE). */
  async removeUnder(path: string): Promise<void> {
    for (const lock of await this.all()) if (isUnder(lock.root, path)) await this.remove(lock.token);
  }
}

/** `path` is `root` itself or below it. */
export function isUnder(path: string, root: string): boolean {
  return path === root || path.startsWith(root === '/' ? '/' : `${root}/`);
}

/** Whether a lock applies to `path`: its root, or below its root for a depth-infinity lock. */
export function covers(lock: DavLock, path: string): boolean {
  return lock.root === path || (lock.depth === 'infinity' && isUnder(path, lock.root));
}

/**
 * The locks a new lock on `path` would conflict with: any lock that covers it, or that sits below it when
 * the new one is deep. Shared locks only conflict with exclusive ones.
 */
export function conflicting(
  locks: readonly DavLock[],
  path: string,
  depth: DavLock['depth'],
  scope: DavLock['scope'],
): DavLock[] {
  return locks.filter(
    (l) =>
      (covers(l, path) || (depth === 'infinity' && isUnder(l.root, path))) &&
      (scope === 'exclusive' || l.scope === 'exclusive'),
  );
}

/**
 * Refuses a write (Locked, 423, `DAV:lock-token-submitted`) unless the client submitted a token for every
 * lock over what it touches: the resource itself, everything below it when `deep` (DELETE or MOVE of a
 * collection), and its parent collection when it adds or removes a member there. Of several shared
 * locks on one root, any one token will do: each holder may write.
 */
export function requireTokens(
  locks: readonly DavLock[],
  path: string,
  options: { deep?: boolean; parent?: string | undefined },
  submitted: readonly string[],
): void {
  const { parent } = options;
  const relevant = locks.filter(
    (l) =>
      covers(l, path) ||
      (options.deep === true && isUnder(l.root, path)) ||
      (parent !== undefined && covers(l, parent)),
  );
  const held = new Set(submitted);
  const missing = relevant.filter(
    (l) =>
      !held.has(l.token) &&
      !(
        l.scope === 'shared' &&
        relevant.some((o) => o.root === l.root && o.scope === 'shared' && held.has(o.token))
      ),
  );
  if (missing.length > 0) {
    throw new Locked('the resource is locked and no token of its lock was submitted', {
      davCondition: 'lock-token-submitted',
      extra: { lockRoots: [...new Set(missing.map((l) => l.href))] },
    });
  }
}

/** `DAV:activelock` for lockdiscovery and the LOCK answer. */
export function activeLockXml(lock: DavLock, now: number): string {
  const left = Math.max(0, Math.round((lock.expiresAt - now) / 1000));
  return (
    `<D:activelock><D:locktype><D:write/></D:locktype><D:lockscope><D:${lock.scope}/></D:lockscope>` +
    `<D:depth>${lock.depth}</D:depth>${lock.owner === '' ? '' : `<D:owner>${lock.owner}</D:owner>`}` +
    `<D:timeout>Second-${left}</D:timeout><D:locktoken><D:href>${escapeXml(lock.token)}</D:href></D:locktoken>` +
    `<D:lockroot><D:href>${escapeXml(lock.href)}</D:href></D:lockroot></D:activelock>`
  );
}

/** `DAV:supportedlock`: exclusive and shared write locks. */
export const SUPPORTED_LOCK_XML =
  '<D:lockentry><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockentry>' +
  '<D:lockentry><D:lockscope><D:shared/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockentry>';
