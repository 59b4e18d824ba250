import { BadRequest, NotFound } from '../errors.js';
import type { AllDocsQuery, DocumentStore, LocalDoc } from '../ports/store/documents.js';
import { formatDoc, type Doc, type MetaOptions } from './format.js';
import { checkDocId, checkRev, isLocalId } from './validate.js';

/** GET of one document: the winner, or `rev`, with the metadata asked for. */
export interface GetOptions extends MetaOptions {
  rev?: string;
}

/** One entry of an `open_revs` answer, as CouchDB writes it. */
export type OpenRevsEntry = { ok: Doc } | { missing: string };

/** `_all_docs` as the service takes it: the store's query, plus lookups by key and `_conflicts`. */
export interface AllDocsOptions extends AllDocsQuery {
  /** Exactly these ids, in this order (a row per key, found or not); range options are then ignored. */
  keys?: readonly unknown[];
  /** With includeDocs: add `_conflicts` to each doc. */
  conflicts?: boolean;
}

/** A row of `_all_docs`: found (value holds the winning rev), deleted (only asked by key), or not found. */
export type AllDocsRow =
  | { id: string; key: string; value: { rev: string; deleted?: true }; doc?: Doc | null }
  | { key: unknown; error: 'not_found' };

/**
 * `offset` is CouchDB's: the rows of the doctype's id order before the first returned one (see
 * DocumentStore.allDocs). Like CouchDB 2+, a lookup by `keys` has no place in that order and answers
 * null.
 */
export interface AllDocsResponse {
  total_rows: number;
  offset: number | null;
  rows: AllDocsRow[];
}

export const localDoc = (doc: LocalDoc): Doc => ({ _id: doc.id, _rev: doc.rev, ...doc.body });

/**
 * One document. Without `rev`, the winning revision: NotFound `missing` if the document never existed,
 * `deleted` if its winner is a deletion. With `rev`, that revision, deleted or not, if its body is still
 * stored (every leaf's is), else NotFound `missing`. `_local/…` ids read the local document.
 */
export async function getDoc(
  store: DocumentStore,
  doctype: string,
  id: string,
  options: GetOptions,
): Promise<Doc> {
  checkDocId(id);
  if (isLocalId(id)) {
    const local = await store.getLocal(doctype, id);
    if (local === null) throw new NotFound('missing');
    return localDoc(local);
  }
  if (options.rev !== undefined) {
    const [result] = await store.openRevs(doctype, [{ id, revs: [checkRev(options.rev)] }]);
    const found = result?.found[0];
    if (!result?.tree || !found) throw new NotFound('missing');
    return formatDoc({ id, ...found }, result.tree, options);
  }
  const [stored] = await store.getDocs(doctype, [id]);
  if (!stored) throw new NotFound('missing');
  if (stored.deleted) throw new NotFound('deleted');
  return formatDoc(stored, stored.tree, options, stored.seq);
}

/**
 * `open_revs`: every leaf (`'all'`, best first; NotFound when the document never existed), or the listed
 * revisions in order, each `{ok: doc}` (deleted leaves included) or `{missing: rev}`.
 */
export async function openRevs(
  store: DocumentStore,
  doctype: string,
  id: string,
  revs: 'all' | readonly string[],
  options: MetaOptions,
): Promise<OpenRevsEntry[]> {
  checkDocId(id);
  if (revs !== 'all') revs.forEach(checkRev);
  const [result] = await store.openRevs(doctype, [{ id, revs }]);
  const tree = result?.tree;
  if (!result || !tree) {
    if (revs === 'all') throw new NotFound('missing');
    return [...new Set(revs)].map((rev) => ({ missing: rev }));
  }
  const found = new Map(result.found.map((r) => [r.rev, r]));
  const order = revs === 'all' ? result.found.map((r) => r.rev) : [...new Set(revs)];
  return order.map((rev) => {
    const revision = found.get(rev);
    return revision ? { ok: formatDoc({ id, ...revision }, tree, options) } : { missing: rev };
  });
}

/**
 * `_all_docs`: live documents by id range (code-point order), or by `keys`. Deleted documents only
 * show up when asked by key (with `value.deleted` and a null doc), as in CouchDB; unknown keys give
 * `not_found` rows. `skip` and `limit` apply to keys too.
 */
export async function allDocs(
  store: DocumentStore,
  doctype: string,
  options: AllDocsOptions,
): Promise<AllDocsResponse> {
  if (options.keys !== undefined) return allDocsByKeys(store, doctype, options.keys, options);
  const { totalRows, offset, rows } = await store.allDocs(doctype, options);
  const conflicted =
    options.includeDocs && options.conflicts
      ? await store.getDocs(
          doctype,
          rows.map((r) => r.id),
        )
      : [];
  return {
    total_rows: totalRows,
    offset,
    rows: rows.map((row, i) => {
      const out: AllDocsRow = { id: row.id, key: row.id, value: { rev: row.rev } };
      if (row.body !== undefined) {
        const tree = conflicted[i]?.tree;
        out.doc =
          tree === undefined
            ? { _id: row.id, _rev: row.rev, ...row.body }
            : formatDoc({ id: row.id, rev: row.rev, deleted: false, body: row.body }, tree, {
                conflicts: true,
              });
      }
      return out;
    }),
  };
}

async function allDocsByKeys(
  store: DocumentStore,
  doctype: string,
  keys: readonly unknown[],
  options: AllDocsOptions,
): Promise<AllDocsResponse> {
  const { limit, skip: start = 0 } = options;
  if (
    !Number.isSafeInteger(start) ||
    start < 0 ||
    (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0))
  ) {
    throw new BadRequest('limit and skip must be non-negative integers');
  }
  const ordered = options.descending ? [...keys].reverse() : [...keys];
  const page = ordered.slice(start, limit === undefined ? undefined : start + limit);
  const ids = page.filter((key): key is string => typeof key === 'string');
  const [docs, info] = await Promise.all([store.getDocs(doctype, ids), store.doctypeInfo(doctype)]);
  const byId = new Map(ids.map((id, i) => [id, docs[i] ?? null]));
  const rows = page.map((key): AllDocsRow => {
    const stored = typeof key === 'string' ? byId.get(key) : null;
    if (!stored) return { key, error: 'not_found' };
    const value: { rev: string; deleted?: true } = { rev: stored.rev };
    if (stored.deleted) value.deleted = true;
    const row: AllDocsRow = { id: stored.id, key: stored.id, value };
    if (options.includeDocs) {
      row.doc = stored.deleted
        ? null
        : formatDoc(stored, stored.tree, { conflicts: options.conflicts === true });
    }
    return row;
  });
  return { total_rows: info.docCount, offset: null, rows };
}
