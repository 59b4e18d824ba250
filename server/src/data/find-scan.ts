import { BadRequest } from '../errors.js';
import type { AllDocsQuery, DocumentStore } from '../ports/store/documents.js';
import type { Doc } from './format.js';
import {
  compareBySort,
  compareStrings,
  isAfterBookmark,
  matches,
  sortKeyFor,
  type Bookmark,
  type FindRequest,
  type Plan,
  type SortField,
} from './mango/index.js';
import { DESIGN_PREFIX } from './validate.js';

/**
 * Most documents an in-memory sort may hold at once. A sort that no index provides keeps only the best
 * `skip + limit` matches seen so far, so memory stays small; only a `skip + limit` this large, over at
 * least as many matches, is refused (the caller should add an index for that sort).
 */
export const MAX_IN_MEMORY_SORT = 50_000;

/** Rows read per store call, at most; a scan starts smaller and doubles up to it. */
const MAX_BATCH = 1000;
const MIN_BATCH = 32;

/** Lets an edge hide documents the caller may not read; they count for nothing (not even `skip`). */
export type DocFilter = (doc: Doc) => boolean;

/** A document a scan returned, with the key that places it in the scan order (none for an id scan). */
export interface FoundRow {
  doc: Doc;
  key?: Buffer;
}

/** What running a plan gave: the page of documents (not projected) and what it cost. */
export interface Execution {
  rows: FoundRow[];
  keysExamined: number;
  docsExamined: number;
}

export interface ExecuteOptions {
  /** Resume strictly after this row. */
  bookmark?: Bookmark;
  filter?: DocFilter;
  /** See MAX_IN_MEMORY_SORT (the default). */
  maxInMemorySort?: number;
}

interface Stats {
  keysExamined: number;
  docsExamined: number;
}

function otherQuery(): BadRequest {
  return new BadRequest('invalid bookmark: it belongs to another query (or the indexes changed since)');
}

/**
 * Runs `plan` for `request`: reads the rows the plan names in batches, keeps the documents that match
 * the selector and pass `filter` (design documents never do, as in CouchDB), then applies `skip` and
 * `limit`. When the scan order is the requested order, reading stops at the `limit`-th match; otherwise
 * the doctype is read whole and sorted in memory with a bounded buffer. A bookmark resumes strictly after
 * the row it names (`skip` then counts from there, as in CouchDB).
 */
export async function execute(
  store: DocumentStore,
  doctype: string,
  request: FindRequest,
  plan: Plan,
  options: ExecuteOptions,
): Promise<Execution> {
  const { bookmark, filter } = options;
  const stats: Stats = { keysExamined: 0, docsExamined: 0 };
  if (request.limit === 0) return { rows: [], ...stats };
  const accept = (doc: Doc): boolean =>
    !doc._id.startsWith(DESIGN_PREFIX) && matches(request.selector, doc) && (filter?.(doc) ?? true);

  if (!plan.sortSatisfied) {
    if (bookmark !== undefined && bookmark.key === undefined) throw otherQuery();
    const sort = request.sort ?? [];
    const source = idScan(store, doctype, plan, undefined, MAX_BATCH, stats);
    const max = options.maxInMemorySort ?? MAX_IN_MEMORY_SORT;
    const rows = await sortInMemory(source, accept, sort, request, bookmark, max);
    return { rows, ...stats };
  }

  const wanted = request.skip + request.limit;
  const first = Math.min(Math.max(wanted, MIN_BATCH), MAX_BATCH);
  let source: AsyncGenerator<FoundRow>;
  if (plan.index === null) {
    if (bookmark?.key !== undefined) throw otherQuery();
    source = idScan(store, doctype, plan, bookmark?.docId, first, stats);
  } else {
    if (bookmark !== undefined && bookmark.key === undefined) throw otherQuery();
    const after = bookmark?.key === undefined ? undefined : { key: bookmark.key, docId: bookmark.docId };
    source = indexScan(store, doctype, plan, after, first, stats);
  }
  const rows: FoundRow[] = [];
  let skipped = 0;
  for await (const row of source) {
    if (!accept(row.doc)) continue;
    if (skipped < request.skip) {
      skipped++;
      continue;
    }
    rows.push(row);
    if (rows.length >= request.limit) break;
  }
  return { rows, ...stats };
}

/** The index rows of `plan.range` in scan order, after `after`, with their documents. */
async function* indexScan(
  store: DocumentStore,
  doctype: string,
  plan: Plan,
  after: { key: Buffer; docId: string } | undefined,
  first: number,
  stats: Stats,
): AsyncGenerator<FoundRow> {
  const index = plan.index;
  if (index === null) return;
  const ref = { ddoc: index.ddoc, name: index.name };
  let resume = after;
  for (let size = first; ; size = Math.min(size * 2, MAX_BATCH)) {
    const rows = await store.indexes.scan(doctype, ref, {
      range: plan.range,
      descending: plan.descending,
      limit: size,
      ...(resume === undefined ? {} : { after: resume }),
    });
    for (const row of rows) {
      stats.keysExamined++;
      stats.docsExamined++;
      yield { doc: { _id: row.id, _rev: row.rev, ...row.body }, key: row.key };
    }
    const last = rows[rows.length - 1];
    if (rows.length < size || last === undefined) return;
    resume = { key: last.key, docId: last.id };
  }
}

interface IdBound {
  value: string;
  inclusive: boolean;
}

/** The tighter of two bounds: the greater of lower bounds (`sign` 1), the smaller of upper ones (-1). */
function tighter(a: IdBound | undefined, b: IdBound | undefined, sign: 1 | -1): IdBound | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  const c = sign * compareStrings(a.value, b.value);
  if (c !== 0) return c > 0 ? a : b;
  return a.inclusive ? b : a;
}

function bound(inclusive: string | undefined, exclusive: string | undefined): IdBound | undefined {
  if (inclusive !== undefined) return { value: inclusive, inclusive: true };
  if (exclusive !== undefined) return { value: exclusive, inclusive: false };
  return undefined;
}

/** Live documents of the doctype by id (within `plan.idRange`, strictly after `afterId`), in scan order. */
async function* idScan(
  store: DocumentStore,
  doctype: string,
  plan: Plan,
  afterId: string | undefined,
  first: number,
  stats: Stats,
): AsyncGenerator<FoundRow> {
  const ids = plan.idRange ?? {};
  const resume = afterId === undefined ? undefined : { value: afterId, inclusive: false };
  let lower = bound(ids.gte, ids.gt);
  let upper = bound(ids.lte, ids.lt);
  if (plan.descending) upper = tighter(upper, resume, -1);
  else lower = tighter(lower, resume, 1);
  for (let size = first; ; size = Math.min(size * 2, MAX_BATCH)) {
    // allDocs starts inclusively at startkey: an exclusive start is dropped below.
    const [start, end] = plan.descending ? [upper, lower] : [lower, upper];
    const query: AllDocsQuery = { includeDocs: true, descending: plan.descending, limit: size };
    if (start !== undefined) query.startkey = start.value;
    if (end !== undefined) {
      query.endkey = end.value;
      query.inclusiveEnd = end.inclusive;
    }
    const { rows } = await store.allDocs(doctype, query);
    for (const row of rows) {
      if (start !== undefined && !start.inclusive && row.id === start.value) continue;
      stats.keysExamined++;
      stats.docsExamined++;
      yield { doc: { _id: row.id, _rev: row.rev, ...row.body } };
    }
    const last = rows[rows.length - 1];
    if (rows.length < size || last === undefined) return;
    const next = { value: last.id, inclusive: false };
    if (plan.descending) upper = next;
    else lower = next;
  }
}

/**
 * Sorts the accepted documents of `source` by `sort` and returns rows `skip … skip + limit` (after the
 * bookmark), each keyed by its sort key. Only the best `skip + limit` documents are kept as it goes.
 */
async function sortInMemory(
  source: AsyncIterable<FoundRow>,
  accept: (doc: Doc) => boolean,
  sort: readonly SortField[],
  request: FindRequest,
  bookmark: Bookmark | undefined,
  max: number,
): Promise<FoundRow[]> {
  const compare = compareBySort(sort);
  const descending = sort[0]?.dir === 'desc';
  const keep = request.skip + request.limit;
  // Sort and cut back to `keep` whenever the buffer reaches this size.
  const cut = Math.min(max, Math.max(2 * keep, MAX_BATCH));
  let best: Doc[] = [];
  for await (const { doc } of source) {
    if (!accept(doc)) continue;
    if (bookmark !== undefined) {
      const key = sortKeyFor(sort, doc);
      if (!isAfterBookmark({ key, docId: doc._id }, bookmark, descending)) continue;
    }
    best.push(doc);
    if (best.length >= cut) {
      if (keep >= max) {
        throw new BadRequest(
          `this sort would hold more than ${max} documents in memory: add an index for this sort, or ask for fewer (skip + limit)`,
        );
      }
      best = best.sort(compare).slice(0, keep);
    }
  }
  return best
    .sort(compare)
    .slice(request.skip, keep)
    .map((doc) => ({ doc, key: sortKeyFor(sort, doc) }));
}
