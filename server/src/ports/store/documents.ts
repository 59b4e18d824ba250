import type { Leaf, RevisionPath, RevTree } from '../../data/revisions/index.js';
import type { NuageError } from '../../errors.js';
import type { MangoIndexStore } from './mango-indexes.js';

/**
 * The documents of one instance, in CouchDB's model: per doctype, each document has a revision tree, a
 * winning revision (CouchDB's deterministic rule), the bodies of its leaf revisions (so conflicts can be
 * read back), and the sequence number of its last change. Deletions are tombstones. One changes sequence
 * runs across all doctypes of the instance; a write gets its numbers in the same transaction, and the
 * order of sequence numbers is the order in which writes became visible, so a `_changes` reader that
 * saw sequence N never later finds a new change below N.
 *
 * A body is a document without its metadata members (`_id`, `_rev`, `_deleted`, `_revisions`, …);
 * `_attachments` stays in the body. Callers (the data service) validate input before it gets here; the
 * adapters only check what needs the stored state (revisions, conflicts).
 *
 * Ids compare in Unicode code-point order everywhere (`_all_docs`, index scans). `_local` documents live
 * apart: never replicated, never in changes, never in `_all_docs`.
 */
export interface DocumentStore {
  /** Mango json indexes, kept in step with every write (see mango-indexes.ts). */
  readonly indexes: MangoIndexStore;

  /**
   * Applies a batch of edits to documents of `doctype` in ONE transaction: load the trees, apply each
   * edit in order (a later edit of the same id sees the earlier one), stem, store the new leaves, give
   * each changed document one new sequence number. Each edit gets its own result: a Conflict (stale or
   * missing `parentRev`, a creation over a live document) or an error thrown by `options.check` fails
   * that edit only, like CouchDB's `_bulk_docs`. With `newEdits: false` (replication), `revisions` is
   * merged as given and an already known revision is a success that changes nothing. Anything else that
   * goes wrong rolls the whole batch back and rejects.
   */
  writeDocs(doctype: string, edits: readonly DocEdit[], options: WriteOptions): Promise<WriteBatchResult>;

  /**
   * The current state of each id, in the order asked, null for a document that never existed. A
   * deleted document is returned (its tombstone), with `deleted: true`.
   */
  getDocs(doctype: string, ids: readonly string[]): Promise<(StoredDoc | null)[]>;

  /**
   * Revision trees only (for `_revs_diff`): cheaper than getDocs when bodies are not needed. Ids with no
   * document are absent from the map.
   */
  getTrees(doctype: string, ids: readonly string[]): Promise<Map<string, RevTree>>;

  /**
   * Given revisions of documents, or all their leaves (`'all'`), for `open_revs`, `?rev=` and
   * `_bulk_get`. A revision whose body is stored (every leaf) is `found`; one not in the tree, or an
   * inner revision whose body is gone, is `missing`. Results are in the order asked; `tree` is null for
   * a document that never existed (then every asked revision is missing).
   */
  openRevs(doctype: string, requests: readonly OpenRevsRequest[]): Promise<OpenRevsResult[]>;

  /**
   * Live (not deleted) documents of a doctype by id range, in code-point order of ids (reversed with
   * `descending`, where `startkey` is then the upper end). `totalRows` is the doctype's live count;
   * `offset` is CouchDB's: how many live documents come before the first returned row in that order
   * (those ahead of `startkey`, plus the skipped ones). When no row comes back it is where the next row
   * would have been: skipping stops at the end of the range.
   */
  allDocs(doctype: string, query: AllDocsQuery): Promise<AllDocsResult>;

  /**
   * Changed documents after `since`, oldest change first, each document once at its latest sequence
   * (tombstones included). Scoped to one doctype or, without one, to the whole instance. `docIds`
   * needs a doctype. `lastSeq` is the last returned row's seq when `limit` rows came back, else the
   * instance's update seq at the time of the read (never below `since`).
   */
  changes(query: ChangesQuery): Promise<ChangesResult>;

  /** The instance's last assigned sequence number (0 before the first write). */
  updateSeq(): Promise<number>;

  /** One doctype's counters; a doctype never written to answers zeroes (doctypes exist implicitly). */
  doctypeInfo(doctype: string): Promise<DoctypeInfo>;

  /** Every doctype that has ever had a document, by name. */
  listDoctypes(): Promise<DoctypeInfo[]>;

  /** A `_local` document (id given in full, `_local/…`), or null. */
  getLocal(doctype: string, id: string): Promise<LocalDoc | null>;

  /**
   * Creates or replaces a `_local` document. `rev` must be its current revision (`0-N`), or null when
   * it does not exist yet; otherwise Conflict. Returns the new revision `0-(N+1)`.
   */
  putLocal(doctype: string, id: string, rev: string | null, body: DocBody): Promise<string>;

  /** Removes a `_local` document: NotFound when absent, Conflict when `rev` is not its current one. */
  deleteLocal(doctype: string, id: string, rev: string | null): Promise<void>;
}

/** A document body: the JSON object without metadata members. */
export type DocBody = Record<string, unknown>;

/** The revs_limit used when a write does not give one (CouchDB's default). */
export const DEFAULT_REVS_LIMIT = 1000;

/** One edit of a `writeDocs` batch. */
export interface DocEdit {
  id: string;
  deleted: boolean;
  /** The new revision's body (what a leaf stores and what the revision hash covers). */
  body: DocBody;
  /** newEdits: the leaf this edit extends (`_rev`), or null/absent to create (or re-create after a delete). */
  parentRev?: string | null;
  /** Required with newEdits false: the revision path, newest first (`_revisions`, or `_rev` alone). */
  revisions?: RevisionPath;
}

/** The document a write's `check` and participants see: the body with `_id`, `_rev` and `_deleted`. */
export type DocView = DocBody & { _id: string; _rev: string; _deleted?: true };

export interface WriteOptions {
  /** true: ordinary edits (new revisions are generated); false: replication (revisions as given). */
  newEdits: boolean;
  /** How many revisions of history each leaf keeps (DEFAULT_REVS_LIMIT when absent). */
  revsLimit?: number;
  /**
   * Called inside the transaction for each edit, with the current winning document (null when there is
   * none) and the document the edit writes, before anything is stored. Throwing a NuageError (Forbidden,
   * say) fails that edit alone; this is how an edge checks selector-scoped permissions atomically.
   */
  check?: (current: DocView | null, next: DocView) => void;
}

export type WriteResult =
  { id: string; ok: true; rev: string } | { id: string; ok: false; error: NuageError };

export interface WriteBatchResult {
  results: WriteResult[];
  /** The instance's update seq after the batch (the highest seq it assigned, if it assigned any). */
  updateSeq: number;
}

/** A document as stored: winning revision, its body, tree and last change. */
export interface StoredDoc {
  id: string;
  rev: string;
  deleted: boolean;
  seq: number;
  tree: RevTree;
  body: DocBody;
}

export interface OpenRevsRequest {
  id: string;
  revs: readonly string[] | 'all';
}

/** A stored revision read back. */
export interface RevisionBody {
  rev: string;
  deleted: boolean;
  body: DocBody;
}

export interface OpenRevsResult {
  id: string;
  tree: RevTree | null;
  found: RevisionBody[];
  missing: string[];
}

export interface AllDocsQuery {
  startkey?: string;
  endkey?: string;
  /** Whether `endkey` itself is included (default true). */
  inclusiveEnd?: boolean;
  descending?: boolean;
  limit?: number;
  skip?: number;
  /** Return bodies as well. */
  includeDocs?: boolean;
}

export interface AllDocsRow {
  id: string;
  rev: string;
  body?: DocBody;
}

export interface AllDocsResult {
  totalRows: number;
  /** Live documents before the first row, in the query's order (see DocumentStore.allDocs). */
  offset: number;
  rows: AllDocsRow[];
}

export interface ChangesQuery {
  doctype?: string;
  since: number;
  limit?: number;
  docIds?: readonly string[];
  /** Return the winning body of each row. */
  includeDocs?: boolean;
  /** Return every leaf of each row (`style=all_docs`). */
  allLeaves?: boolean;
}

export interface ChangeRow {
  seq: number;
  doctype: string;
  id: string;
  rev: string;
  deleted: boolean;
  /** Every leaf, best first (winner first), when `allLeaves` was asked. */
  leaves?: Leaf[];
  body?: DocBody;
}

export interface ChangesResult {
  results: ChangeRow[];
  lastSeq: number;
}

export interface DoctypeInfo {
  doctype: string;
  docCount: number;
  docDelCount: number;
  /** Seq of the doctype's last change (0 if none). */
  updateSeq: number;
}

export interface LocalDoc {
  id: string;
  rev: string;
  body: DocBody;
}

/**
 * What a write participant learns about each document whose winning revision a batch changed:
 * participants (Mango index entries, the search index) keep derived data in the same transaction.
 * `doc` is the new winner, or null when the document is now deleted; it may be a getter that builds
 * the view on first use (read it only when needed, and copy the fields, not the object, to keep them).
 */
export interface WrittenDoc {
  id: string;
  rev: string;
  seq: number;
  doc: DocView | null;
}
