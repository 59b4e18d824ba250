import { BadRequest } from '../errors.js';
import type { ChangeRow, DocumentStore } from '../ports/store/documents.js';
import type { Doc } from './format.js';
import type { ChangeNotifier } from './notifier.js';
import { checkDoctype } from './validate.js';

export interface ChangesOptions {
  /** One doctype's feed; absent: the whole instance's (rows then carry their doctype). */
  doctype?: string;
  /** Changes after this seq (default 0); `'now'`: only changes still to come. */
  since?: number | 'now';
  limit?: number;
  /** Only these documents (needs a doctype). */
  docIds?: readonly string[];
  includeDocs?: boolean;
  /** With includeDocs: `_conflicts` on each doc. */
  conflicts?: boolean;
  /** `all_docs`: list every leaf revision of each document, not just the winner. */
  style?: 'main_only' | 'all_docs';
  /** `longpoll`: when nothing changed after `since`, wait up to `timeoutMs` for the next change. */
  feed?: 'normal' | 'longpoll';
  timeoutMs?: number;
  /** Aborts a longpoll wait (the client went away). */
  signal?: AbortSignal;
}

/** A `_changes` row, as CouchDB writes it (seqs are numbers: one counter per instance). */
export interface ChangeEntry {
  seq: number;
  id: string;
  doctype?: string;
  changes: { rev: string }[];
  deleted?: true;
  doc?: Doc;
}

export interface ChangesResponse {
  results: ChangeEntry[];
  last_seq: number;
}

/** Longpoll waits at most this long when no timeout is given (CouchDB's default heartbeat-less wait). */
export const DEFAULT_LONGPOLL_MS = 60_000;

/**
 * The changes feed of a doctype or of the whole instance: each changed document once, at its latest
 * seq, oldest first. A longpoll call that finds nothing waits for the next write to the instance (one
 * to another doctype wakes it too; it then looks again until its time is up).
 */
export async function changes(
  store: DocumentStore,
  notifier: ChangeNotifier,
  instanceId: string,
  options: ChangesOptions,
  now: () => number = Date.now,
): Promise<ChangesResponse> {
  if (options.doctype !== undefined) checkDoctype(options.doctype);
  let since = options.since === 'now' ? await store.updateSeq() : (options.since ?? 0);
  if (!Number.isSafeInteger(since) || since < 0) throw new BadRequest('since must be a non-negative integer');
  const deadline = now() + (options.timeoutMs ?? DEFAULT_LONGPOLL_MS);
  for (;;) {
    const page = await readPage(store, options, since);
    if (options.feed !== 'longpoll' || page.results.length > 0) return page;
    const remaining = deadline - now();
    if (remaining <= 0) return page;
    if (!(await notifier.waitForChange(instanceId, page.last_seq, remaining, options.signal))) return page;
    since = page.last_seq;
  }
}

async function readPage(
  store: DocumentStore,
  options: ChangesOptions,
  since: number,
): Promise<ChangesResponse> {
  const allLeaves =
    options.style === 'all_docs' || (options.includeDocs === true && options.conflicts === true);
  const query = {
    since,
    allLeaves,
    includeDocs: options.includeDocs === true,
    ...(options.doctype === undefined ? {} : { doctype: options.doctype }),
    ...(options.limit === undefined ? {} : { limit: options.limit }),
    ...(options.docIds === undefined ? {} : { docIds: options.docIds }),
  };
  const { results, lastSeq } = await store.changes(query);
  return { results: results.map((row) => toEntry(row, options)), last_seq: lastSeq };
}

function toEntry(row: ChangeRow, options: ChangesOptions): ChangeEntry {
  const leaves = row.leaves ?? [{ rev: row.rev, deleted: row.deleted }];
  const revs = options.style === 'all_docs' ? leaves : leaves.slice(0, 1);
  const entry: ChangeEntry = { seq: row.seq, id: row.id, changes: revs.map((leaf) => ({ rev: leaf.rev })) };
  if (options.doctype === undefined) entry.doctype = row.doctype;
  if (row.deleted) entry.deleted = true;
  if (row.body !== undefined) {
    const doc: Doc = { _id: row.id, _rev: row.rev, ...row.body };
    if (row.deleted) doc['_deleted'] = true;
    const others = options.conflicts ? leaves.slice(1).filter((l) => !l.deleted) : [];
    if (others.length > 0) doc['_conflicts'] = others.map((l) => l.rev);
    entry.doc = doc;
  }
  return entry;
}
