import { leaves, type Leaf, type RevTree } from '../../data/revisions/index.js';
import { BadRequest, Conflict } from '../../errors.js';
import type {
  AllDocsQuery,
  ChangeRow,
  ChangesQuery,
  DocBody,
  OpenRevsResult,
  RevisionBody,
  StoredDoc,
} from './documents.js';

/**
 * Read-side helpers both document adapters share, so that they answer alike: row decoding, open_revs
 * resolution, `_all_docs` bounds, the changes page rule and `_local` revisions.
 */

/** A `docs` row as both adapters select it, after normalising booleans and bigints. */
export interface DocRow {
  id: string;
  rev: string;
  deleted: boolean;
  seq: number;
  tree: string;
  body: string;
}

/** Trees and bodies are written by us with JSON.stringify; they are read back without re-validation. */
export function parseTreeText(text: string): RevTree {
  return JSON.parse(text) as RevTree;
}

export function toStoredDoc(row: DocRow): StoredDoc {
  return {
    id: row.id,
    rev: row.rev,
    deleted: row.deleted,
    seq: row.seq,
    tree: parseTreeText(row.tree),
    body: JSON.parse(row.body) as DocBody,
  };
}

/**
 * The non-winning leaves among `revs` (all of them for `'all'`): the bodies an adapter must fetch from
 * its table of conflict bodies to answer open_revs.
 */
export function otherLeavesWanted(row: DocRow, tree: RevTree, revs: readonly string[] | 'all'): string[] {
  const all = leaves(tree);
  const wanted = revs === 'all' ? all.map((l) => l.rev) : revs;
  const leafRevs = new Set(all.map((l) => l.rev));
  return wanted.filter((rev) => rev !== row.rev && leafRevs.has(rev));
}

/**
 * Answers one open_revs request from a loaded row and the conflict bodies fetched for it. Asked
 * revisions are deduplicated in order; a revision is found when it is a leaf (bodies are kept for
 * leaves only), missing otherwise.
 */
export function resolveOpenRevs(
  id: string,
  row: DocRow | null,
  revs: readonly string[] | 'all',
  otherBodies: ReadonlyMap<string, string>,
  /** The row's tree, when the caller has already parsed it. */
  parsed?: RevTree,
): OpenRevsResult {
  if (row === null) return { id, tree: null, found: [], missing: revs === 'all' ? [] : [...new Set(revs)] };
  const tree = parsed ?? parseTreeText(row.tree);
  const leafByRev = new Map<string, Leaf>(leaves(tree).map((l) => [l.rev, l]));
  const wanted = revs === 'all' ? [...leafByRev.keys()] : [...new Set(revs)];
  const found: RevisionBody[] = [];
  const missing: string[] = [];
  for (const rev of wanted) {
    const leaf = leafByRev.get(rev);
    const text = rev === row.rev ? row.body : otherBodies.get(rev);
    if (leaf === undefined || text === undefined) missing.push(rev);
    else found.push({ rev, deleted: leaf.deleted, body: JSON.parse(text) as DocBody });
  }
  return { id, tree, found, missing };
}

export interface IdBound {
  value: string;
  inclusive: boolean;
}

/** `_all_docs` bounds as lower/upper limits on ids, whatever the direction. */
export function idBounds(query: AllDocsQuery): { lower?: IdBound; upper?: IdBound } {
  const inclusiveEnd = query.inclusiveEnd ?? true;
  const start = query.startkey === undefined ? undefined : { value: query.startkey, inclusive: true };
  const end = query.endkey === undefined ? undefined : { value: query.endkey, inclusive: inclusiveEnd };
  const bounds: { lower?: IdBound; upper?: IdBound } = {};
  const [lower, upper] = query.descending ? [end, start] : [start, end];
  if (lower) bounds.lower = lower;
  if (upper) bounds.upper = upper;
  return bounds;
}

/**
 * The bound an `_all_docs` walk starts from in its own direction (the upper one when descending), as
 * the condition on ids of the live documents that come before it: `{op: '<', value}` means that
 * every id below `value` precedes the first row. Undefined when the walk starts at the very end.
 */
export function aheadOfStart(
  query: AllDocsQuery,
): { op: '<' | '<=' | '>' | '>='; value: string } | undefined {
  const { lower, upper } = idBounds(query);
  if (query.descending) return upper && { op: upper.inclusive ? '>' : '>=', value: upper.value };
  return lower && { op: lower.inclusive ? '<' : '<=', value: lower.value };
}

/**
 * CouchDB's `offset` of an `_all_docs` page: `ahead` live documents precede the range and `skip` more
 * were skipped, except that a page which came back empty stops at the end of the range: then pass
 * `inRange`, the range's live count (see {@link offsetNeedsRange}), which caps the skip.
 */
export function allDocsOffset(ahead: number, skip: number, inRange?: number): number {
  return ahead + (inRange === undefined ? skip : Math.min(skip, inRange));
}

/** Whether {@link allDocsOffset} needs the range's count: only an empty page that skipped rows does. */
export const offsetNeedsRange = (skip: number, returned: number): boolean => returned === 0 && skip > 0;

/** Validates paging numbers: CouchDB answers 400 to a negative limit or skip. */
export function pageSize(query: { limit?: number; skip?: number }): { limit: number; skip: number } {
  const limit = query.limit ?? -1;
  const skip = query.skip ?? 0;
  if (query.limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
    throw new BadRequest('limit must be a non-negative integer');
  }
  if (!Number.isSafeInteger(skip) || skip < 0) throw new BadRequest('skip must be a non-negative integer');
  return { limit, skip };
}

/** Checks a changes query the same way in both adapters. */
export function checkChangesQuery(query: ChangesQuery): void {
  if (!Number.isSafeInteger(query.since) || query.since < 0) {
    throw new BadRequest('since must be a non-negative integer');
  }
  pageSize(query);
  if (query.docIds !== undefined && query.doctype === undefined) {
    throw new BadRequest('a doc_ids filter needs a doctype');
  }
}

/** A changes row from a loaded row, with leaves and body when asked. */
export function toChangeRow(doctype: string, row: DocRow, query: ChangesQuery): ChangeRow {
  const change: ChangeRow = { seq: row.seq, doctype, id: row.id, rev: row.rev, deleted: row.deleted };
  if (query.allLeaves) change.leaves = leaves(parseTreeText(row.tree));
  if (query.includeDocs) change.body = JSON.parse(row.body) as DocBody;
  return change;
}

/** `last_seq` of a changes page: see DocumentStore.changes. */
export function lastSeqOf(
  results: readonly ChangeRow[],
  limit: number,
  since: number,
  updateSeq: number,
): number {
  const last = results[results.length - 1];
  if (limit >= 0 && results.length === limit && last !== undefined) return last.seq;
  return Math.max(since, updateSeq);
}

/**
 * The next revision of a `_local` document, or Conflict: `rev` must be the stored `0-N` (null when none
 * is stored). A malformed revision is a BadRequest.
 */
export function nextLocalRev(stored: number | null, rev: string | null): number {
  const given = rev === null ? null : parseLocalRev(rev);
  if (given !== stored) throw new Conflict('Document update conflict.');
  return (stored ?? 0) + 1;
}

/** The `N` of a `_local` revision `0-N`; BadRequest for anything else. */
export function parseLocalRev(rev: string): number {
  const match = /^0-([1-9][0-9]*)$/.exec(rev);
  const n = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(n)) throw new BadRequest(`Invalid rev format for a _local document: ${rev}`);
  return n;
}
