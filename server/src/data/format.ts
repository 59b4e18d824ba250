import type { DocBody, DocumentStore } from '../ports/store/documents.js';
import {
  conflicts,
  deletedConflicts,
  leaves,
  revisionsFor,
  revsInfo,
  type RevTree,
} from './revisions/index.js';

/** A document as the service hands it out: CouchDB's JSON, metadata members first. */
export type Doc = DocBody & { _id: string; _rev: string };

/** Which instance a call is about: the edge has both at hand (request context). */
export interface DataScope {
  readonly instance: { readonly id: string };
  readonly storage: { readonly documents: DocumentStore };
}

/** The optional metadata a read may add, as CouchDB's query parameters of the same names ask. */
export interface MetaOptions {
  /** `_revisions`: the revision's ancestry, newest first. */
  revs?: boolean;
  /** `_revs_info`: the ancestry with each revision's availability. */
  revsInfo?: boolean;
  /** `_conflicts`: the other non-deleted leaves (only listed when there are some). */
  conflicts?: boolean;
  /** `_deleted_conflicts`: the other deleted leaves (only listed when there are some). */
  deletedConflicts?: boolean;
  /** `_local_seq`: the sequence number of the document's last change. */
  localSeq?: boolean;
}

/**
 * Builds the CouchDB form of one revision of a document: `_id`, `_rev`, the body, `_deleted` for a
 * deletion, then the metadata `options` asks for, computed from the tree.
 */
export function formatDoc(
  revision: { id: string; rev: string; deleted: boolean; body: DocBody },
  tree: RevTree,
  options: MetaOptions = {},
  seq?: number,
): Doc {
  const doc: Doc = { _id: revision.id, _rev: revision.rev, ...revision.body };
  if (revision.deleted) doc['_deleted'] = true;
  if (options.conflicts) {
    const list = conflicts(tree);
    if (list.length > 0) doc['_conflicts'] = list;
  }
  if (options.deletedConflicts) {
    const list = deletedConflicts(tree);
    if (list.length > 0) doc['_deleted_conflicts'] = list;
  }
  if (options.revs) doc['_revisions'] = revisionsFor(tree, revision.rev);
  if (options.revsInfo) {
    // Bodies are stored for leaves only: every other revision reads as missing (or deleted).
    const stored = new Set(leaves(tree).map((leaf) => leaf.rev));
    doc['_revs_info'] = revsInfo(tree, revision.rev, (rev) => stored.has(rev));
  }
  if (options.localSeq && seq !== undefined) doc['_local_seq'] = seq;
  return doc;
}

/** A `_bulk_docs`-style result for one document. */
export type BulkResult =
  { ok: true; id: string; rev: string } | { id: string; error: string; reason: string; status: number };
