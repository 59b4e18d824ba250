import {
  indexDefToJSON,
  parseIndexRequest,
  type IndexDef,
  type IndexDefJSON,
  type KeyRange,
} from '../../data/mango/index.js';
import { BadRequest } from '../../errors.js';
import type { DocBody } from './documents.js';

/**
 * Mango json indexes of one instance (`_index`, and the index scans of `_find`). An index is stored as
 * rows `(index_id, key, doc_id)` whose key is the mango module's order-preserving encoding
 * (`indexKeyFor`), so a range of the index is a byte range on both SQLite (BLOB) and PostgreSQL (bytea).
 * Entries are kept by a write participant of the document store, in the same transaction as each
 * write: an index never shows a state of the documents that was not committed. Only winning, live
 * revisions are indexed.
 *
 * Definitions live in their own table, not in `_design` documents: they do not replicate (CouchDB's
 * replicate as design documents; Nuage's indexes belong to the apps of this instance).
 */
export interface MangoIndexStore {
  /**
   * Creates an index and fills it from the documents stored now, atomically with respect to writes.
   * `exists` when an index of that ddoc and name already has this definition; one with another
   * definition is replaced (as CouchDB rewrites the design document).
   */
  create(doctype: string, def: IndexDef): Promise<'created' | 'exists'>;

  /** The doctype's indexes, by ddoc then name. */
  list(doctype: string): Promise<IndexDef[]>;

  /** Removes an index and its entries; false when there was none. */
  delete(doctype: string, ddoc: string, name: string): Promise<boolean>;

  /**
   * Entries of an index within `range`, ordered by (key, doc id), descending when asked, each with
   * its document's winning revision and body; starting after `after` (a bookmark) and at most `limit`
   * rows. NotFound for an unknown index.
   */
  scan(doctype: string, index: IndexRef, query: IndexScanQuery): Promise<IndexRow[]>;
}

export interface IndexRef {
  ddoc: string;
  name: string;
}

export interface IndexScanQuery {
  range: KeyRange;
  descending?: boolean;
  limit?: number;
  /** Resume strictly after this row (in scan order). */
  after?: { key: Buffer; docId: string };
}

export interface IndexRow {
  key: Buffer;
  id: string;
  rev: string;
  body: DocBody;
}

/** The stored text of a definition: its CouchDB listing form, so it reads back with parseIndexRequest. */
export function storedDefinition(def: IndexDef): string {
  return JSON.stringify(indexDefToJSON(def));
}

/**
 * A stored definition read back, parsed once per distinct text into `cache` (each adapter holds one)
 * and then shared: `indexKeyFor` caches per definition object, so reusing it keeps key computation fast.
 */
export function parseStoredDefinition(text: string, cache: Map<string, IndexDef>): IndexDef {
  let def = cache.get(text);
  if (def === undefined) {
    const json = JSON.parse(text) as IndexDefJSON;
    def = parseIndexRequest({ index: json.def, ddoc: json.ddoc, name: json.name });
    if (cache.size > 1000) cache.clear();
    cache.set(text, def);
  }
  return def;
}

/**
 * SQL conditions on `key` and `doc_id` for a scan, with `param` turning a value into the adapter's
 * placeholder (`?` or `$n`). Both bounds and the resume point compare bytes, then ids.
 */
export function scanConditions(query: IndexScanQuery, param: (value: unknown) => string): string[] {
  const { range } = query;
  const where: string[] = [];
  if (range.gte) where.push(`key >= ${param(range.gte)}`);
  if (range.gt) where.push(`key > ${param(range.gt)}`);
  if (range.lte) where.push(`key <= ${param(range.lte)}`);
  if (range.lt) where.push(`key < ${param(range.lt)}`);
  if (query.after) {
    const op = query.descending ? '<' : '>';
    where.push(`(key, doc_id) ${op} (${param(query.after.key)}, ${param(query.after.docId)})`);
  }
  return where;
}

/** A checked scan limit: absent means no limit. */
export function scanLimit(limit: number | undefined): number | null {
  if (limit === undefined) return null;
  if (!Number.isSafeInteger(limit) || limit < 0) throw new BadRequest('limit must be a non-negative integer');
  return limit;
}
