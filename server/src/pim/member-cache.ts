import type { DocumentStore } from '../ports/store/documents.js';
import { KINDS, type CollectionKind } from './kinds.js';
import { hrefOf, membersOf, type Member } from './members.js';

/** Changes read per page when bringing a collection up to date. */
const PAGE = 500;
/** More changes than this since the last look, and the collection is read again from its index. */
const MAX_CHANGES = 2 * PAGE;
/**
 * Objects kept across every collection of every instance of this process; the collections used least
 * recently go first. A member holds its parsed document (a vCard or an event with its raw text, a few
 * KB), so this bounds the cache near tens of MB, whatever the number of instances: the stack must fit
 * on a Raspberry Pi. A single larger collection is still kept whole while it is in use.
 */
const DEFAULT_MAX_MEMBERS = 10_000;

interface Entry {
  /** The instance seq each object doctype's changes were applied up to. */
  seqs: Map<string, number>;
  /** Members by doctype and id. */
  byKey: Map<string, Member>;
  /** Members by href, in code-point order; rebuilt after a change. */
  sorted: Member[] | null;
  /** The refresh in flight: concurrent readers wait for it rather than read the feed twice. */
  pending: Promise<void> | null;
}

const keyOf = (doctype: string, id: string): string => `${doctype}\u0000${id}`;

const byHref = (a: Member, b: Member): number => (a.href < b.href ? -1 : a.href > b.href ? 1 : 0);

/**
 * The live objects of recently read collections, kept between requests. Reading a collection from its
 * index costs a scan and a JSON parse of every body (about 20 ms for 2000 objects), and every listing,
 * query and sync needs one; here each read instead asks the changes feed of the kind's object doctypes
 * what changed since the last one (one indexed query when nothing did) and applies it. The feed gives
 * every write of the store, whichever edge or process made it, so the result is what a scan would give
 * at that seq. Members (and their bodies) are shared between callers and must not be mutated.
 */
export class MemberCache {
  /** Every cached collection, least recently used first, keyed by store, kind and collection. */
  private readonly entries = new Map<string, Entry>();
  private readonly storeIds = new WeakMap<DocumentStore, number>();
  private nextStoreId = 0;

  constructor(private readonly maxMembers = DEFAULT_MAX_MEMBERS) {}

  /** Every live object of a collection, by href. The store must have the PIM indexes (see members.ts). */
  async members(
    store: DocumentStore,
    kind: CollectionKind,
    collectionId: string,
  ): Promise<readonly Member[]> {
    const entries = this.entries;
    let storeId = this.storeIds.get(store);
    if (storeId === undefined) this.storeIds.set(store, (storeId = this.nextStoreId++));
    const name = `${storeId}\u0000${kind}\u0000${collectionId}`;
    let entry = entries.get(name);
    if (entry) {
      // Most recently used last, for eviction.
      entries.delete(name);
      entries.set(name, entry);
    } else {
      entry = { seqs: new Map(), byKey: new Map(), sorted: null, pending: null };
      entries.set(name, entry);
    }
    while (entry.pending) await entry.pending;
    const current = entry;
    current.pending = this.refresh(store, kind, collectionId, current).finally(() => {
      current.pending = null;
    });
    try {
      await current.pending;
    } catch (error) {
      entries.delete(name);
      throw error;
    }
    this.evict(entries, name);
    current.sorted ??= [...current.byKey.values()].sort(byHref);
    return current.sorted;
  }

  private async refresh(
    store: DocumentStore,
    kind: CollectionKind,
    collectionId: string,
    entry: Entry,
  ): Promise<void> {
    const spec = KINDS[kind];
    for (const doctype of spec.objectDoctypes) {
      const since = entry.seqs.get(doctype);
      if (
        since === undefined ||
        !(await this.applyChanges(store, kind, collectionId, entry, doctype, since))
      ) {
        await this.reload(store, kind, collectionId, entry);
        return;
      }
    }
  }

  /** Reads the collection from its index; the seq is taken first, so later changes are applied again. */
  private async reload(store: DocumentStore, kind: CollectionKind, collectionId: string, entry: Entry) {
    const seq = await store.updateSeq();
    const members = await membersOf(store, kind, collectionId);
    entry.byKey.clear();
    for (const m of members) entry.byKey.set(keyOf(m.doctype, m.id), m);
    for (const doctype of KINDS[kind].objectDoctypes) entry.seqs.set(doctype, seq);
    entry.sorted = null;
  }

  /**
   * Applies the changes of one doctype after `since` (each document once, at its latest revision): a
   * live document of the collection is added or replaced, any other (deleted, moved) removed. False
   * when there are too many: a reload is then cheaper.
   */
  private async applyChanges(
    store: DocumentStore,
    kind: CollectionKind,
    collectionId: string,
    entry: Entry,
    doctype: string,
    since: number,
  ): Promise<boolean> {
    const field = KINDS[kind].field;
    let after = since;
    for (let read = 0; ;) {
      const page = await store.changes({ doctype, since: after, includeDocs: true, limit: PAGE });
      for (const row of page.results) {
        const key = keyOf(doctype, row.id);
        const had = entry.byKey.delete(key);
        if (!row.deleted && row.body && row.body[field] === collectionId) {
          const href = hrefOf(kind, row.id, row.body);
          entry.byKey.set(key, { doctype, id: row.id, rev: row.rev, body: row.body, href });
        }
        if (had || entry.byKey.has(key)) entry.sorted = null;
      }
      after = page.lastSeq;
      read += page.results.length;
      if (page.results.length < PAGE) break;
      if (read >= MAX_CHANGES) return false;
    }
    entry.seqs.set(doctype, after);
    return true;
  }

  /** Drops the least recently used collections (never `keep`) while over the limit. */
  private evict(entries: Map<string, Entry>, keep: string): void {
    let size = 0;
    for (const entry of entries.values()) size += entry.byKey.size;
    for (const [name, entry] of entries) {
      if (size <= this.maxMembers) return;
      if (name === keep || entry.pending) continue;
      entries.delete(name);
      size -= entry.byKey.size;
    }
  }
}
