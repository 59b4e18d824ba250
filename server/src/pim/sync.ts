import type { DocumentService } from '../data/documents.js';
import type { DataScope } from '../data/format.js';
import { InvalidSyncToken } from '../errors.js';
import { etagOf, type ObjectRef } from './etags.js';
import { KINDS, type CollectionKind } from './kinds.js';
import { hrefOf } from './members.js';

/** A collection's change markers: both change whenever one of its objects or its properties does. */
export interface SyncState {
  /** CalendarServer's getctag. */
  ctag: string;
  /** A token for `changesSince` (RFC 6578). */
  syncToken: string;
}

/** Objects changed or deleted since a sync token, and the token to ask with next time. */
export interface SyncChanges {
  syncToken: string;
  changed: ObjectRef[];
  /** Resource names of objects gone since (deleted here, or by id over another edge). */
  deleted: string[];
}

const PAGE = 500;

/**
 * Sync tokens are seqs of the instance's changes feed, as decimal text. A collection's token is the
 * latest seq of its document and of its kind's object doctypes: it moves with every change of the
 * collection (and, harmlessly, with changes of sibling collections, which then sync nothing).
 */
export async function syncStateOf(
  documents: DocumentService,
  scope: DataScope,
  kind: CollectionKind,
  collectionId: string,
): Promise<SyncState> {
  const spec = KINDS[kind];
  const collection = await documents.get(scope, spec.collectionDoctype, collectionId, { localSeq: true });
  let seq = Number(collection['_local_seq'] ?? 0);
  for (const doctype of spec.objectDoctypes) {
    seq = Math.max(seq, (await documents.doctypeInfo(scope, doctype)).updateSeq);
  }
  const token = String(seq);
  return { ctag: token, syncToken: token };
}

/** Parses a sync token this module gave: InvalidSyncToken for anything else, or one beyond `now`. */
export function parseSyncToken(token: string, now: number): number {
  if (!/^\d{1,15}$/.test(token) || Number(token) > now) {
    throw new InvalidSyncToken(`unknown sync token ${token.slice(0, 64)}`);
  }
  return Number(token);
}

/**
 * The objects of a collection changed and deleted after seq `since` and up to `now`, read from the
 * changes feed of its object doctypes (tombstones keep `addressbook`/`calendar` and `href`). A
 * tombstone without membership (deleted by id over another edge) is reported by its name to every
 * collection of the kind: a client ignores a deletion of a name it never had. Each name comes once:
 * as changed when it exists now, else as deleted.
 */
export async function changesBetween(
  documents: DocumentService,
  scope: DataScope,
  kind: CollectionKind,
  collectionId: string,
  since: number,
  now: number,
): Promise<SyncChanges> {
  const spec = KINDS[kind];
  const changed = new Map<string, ObjectRef>();
  const deleted = new Set<string>();
  for (const doctype of spec.objectDoctypes) {
    let after = since;
    for (;;) {
      const page = await documents.changes(scope, { doctype, since: after, includeDocs: true, limit: PAGE });
      for (const row of page.results) {
        if (row.seq > now || !row.doc) continue;
        const owner = row.doc[spec.field];
        const href = hrefOf(kind, row.id, row.doc);
        if (row.deleted) {
          if (owner === collectionId || owner === undefined) deleted.add(href);
        } else if (owner === collectionId) {
          changed.set(href, { href, etag: etagOf(row.doc._rev) });
        }
      }
      if (page.results.length < PAGE) break;
      after = page.last_seq;
    }
  }
  for (const href of changed.keys()) deleted.delete(href);
  const byName = (a: ObjectRef, b: ObjectRef): number => (a.href < b.href ? -1 : a.href > b.href ? 1 : 0);
  return {
    syncToken: String(now),
    changed: [...changed.values()].sort(byName),
    deleted: [...deleted].sort(),
  };
}
