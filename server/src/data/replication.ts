import { BadRequest, NuageError } from '../errors.js';
import type { DocumentStore, OpenRevsRequest } from '../ports/store/documents.js';
import { formatDoc, type Doc } from './format.js';
import { localDoc } from './reads.js';
import { emptyTree, revsDiff as diffTree } from './revisions/index.js';
import { checkDocId, checkRev, checkRevList, isLocalId, isPlainObject } from './validate.js';

/** Most documents one `_revs_diff` or `_bulk_get` may name: bounds the work of one request. */
export const MAX_REPLICATION_BATCH = 10_000;

export type RevsDiffResponse = Record<string, { missing: string[]; possible_ancestors?: string[] }>;

/** One answer of `_bulk_get`, in CouchDB's shape. */
export type BulkGetDoc =
  { ok: Doc } | { error: { id: string; rev: string | null; error: string; reason: string } };

export interface BulkGetResponse {
  results: { id: string; docs: BulkGetDoc[] }[];
}

/**
 * `_revs_diff`: for `{id: [revs]}`, which revisions this side lacks. Only documents with something
 * missing are listed; `possible_ancestors` names the leaves a replicator may send as `atts_since`.
 * A malformed body or revision is a BadRequest.
 */
export async function revsDiff(
  store: DocumentStore,
  doctype: string,
  input: unknown,
): Promise<RevsDiffResponse> {
  if (!isPlainObject(input)) throw new BadRequest('_revs_diff expects an object of {id: [revisions]}.');
  const asked = Object.entries(input).map(
    ([id, revs]) => [id, checkRevList(revs, `revisions of ${id}`)] as const,
  );
  if (asked.length > MAX_REPLICATION_BATCH)
    throw new BadRequest(`_revs_diff takes at most ${MAX_REPLICATION_BATCH} ids.`);
  const trees = await store.getTrees(
    doctype,
    asked.map(([id]) => id),
  );
  const response: RevsDiffResponse = {};
  for (const [id, revs] of asked) {
    const { missing, possibleAncestors } = diffTree(trees.get(id) ?? emptyTree(), revs);
    if (missing.length === 0) continue;
    response[id] =
      possibleAncestors.length > 0 ? { missing, possible_ancestors: possibleAncestors } : { missing };
  }
  return response;
}

interface BulkGetItem {
  id: string;
  rev: string | null;
  invalid?: NuageError;
}

/**
 * `_bulk_get` (`{docs: [{id, rev?}]}`): each asked revision with `ok` (deleted ones included, as
 * replication needs tombstones), or an error entry. Without `rev`, the winner (`not_found`/`deleted`
 * when the document is gone). `revs` adds `_revisions`. A body that is not such a list is a BadRequest;
 * a bad id or rev in it is an error entry for that item only.
 */
export async function bulkGet(
  store: DocumentStore,
  doctype: string,
  input: unknown,
  options: { revs?: boolean },
): Promise<BulkGetResponse> {
  const items = parseBulkGet(input);
  const byRev = items.filter((item) => !item.invalid && item.rev !== null && !isLocalId(item.id));
  const winners = items.filter((item) => !item.invalid && item.rev === null && !isLocalId(item.id));
  const requests: OpenRevsRequest[] = byRev.map((item) => ({ id: item.id, revs: [item.rev as string] }));
  const [opened, current] = await Promise.all([
    store.openRevs(doctype, requests),
    store.getDocs(
      doctype,
      winners.map((item) => item.id),
    ),
  ]);
  const answers = new Map<BulkGetItem, BulkGetDoc>();
  byRev.forEach((item, i) => {
    const result = opened[i];
    const found = result?.found[0];
    answers.set(
      item,
      result?.tree && found
        ? { ok: formatDoc({ id: item.id, ...found }, result.tree, { revs: options.revs === true }) }
        : notFound(item, 'missing'),
    );
  });
  winners.forEach((item, i) => {
    const stored = current[i];
    if (!stored) answers.set(item, notFound(item, 'missing'));
    else if (stored.deleted) answers.set(item, notFound(item, 'deleted'));
    else answers.set(item, { ok: formatDoc(stored, stored.tree, { revs: options.revs === true }) });
  });
  const results: BulkGetResponse['results'] = [];
  for (const item of items) {
    let answer = answers.get(item);
    if (answer === undefined && item.invalid) answer = errorEntry(item, item.invalid);
    if (answer === undefined) {
      const local = await store.getLocal(doctype, item.id);
      answer = local === null ? notFound(item, 'missing') : { ok: localDoc(local) };
    }
    results.push({ id: item.id, docs: [answer] });
  }
  return { results };
}

function parseBulkGet(input: unknown): BulkGetItem[] {
  const docs = isPlainObject(input) ? input['docs'] : undefined;
  if (!Array.isArray(docs)) throw new BadRequest('_bulk_get expects {"docs": [{"id": …, "rev"?: …}]}.');
  if (docs.length > MAX_REPLICATION_BATCH) {
    throw new BadRequest(`_bulk_get takes at most ${MAX_REPLICATION_BATCH} documents.`);
  }
  return docs.map((entry: unknown): BulkGetItem => {
    if (!isPlainObject(entry)) throw new BadRequest('each _bulk_get entry must be an object with an id.');
    const id = typeof entry['id'] === 'string' ? entry['id'] : '';
    const rawRev = entry['rev'];
    const rev = typeof rawRev === 'string' ? rawRev : null;
    try {
      checkDocId(entry['id']);
      if (rawRev !== undefined && !isLocalId(id)) checkRev(rawRev);
      return { id, rev };
    } catch (error) {
      if (!(error instanceof NuageError)) throw error;
      return { id, rev, invalid: error };
    }
  });
}

function notFound(item: BulkGetItem, reason: 'missing' | 'deleted'): BulkGetDoc {
  return { error: { id: item.id, rev: item.rev, error: 'not_found', reason } };
}

function errorEntry(item: BulkGetItem, error: NuageError): BulkGetDoc {
  return { error: { id: item.id, rev: item.rev, error: error.code, reason: error.message } };
}
