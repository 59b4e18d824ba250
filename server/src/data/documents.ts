import { BadRequest, NuageError } from '../errors.js';
import { randomId } from '../random-id.js';
import {
  DEFAULT_REVS_LIMIT,
  type DocEdit,
  type DocumentStore,
  type DocView,
  type DoctypeInfo,
  type WriteResult,
} from '../ports/store/documents.js';
import { changes, type ChangesOptions, type ChangesResponse } from './changes.js';
import { changesFeed, type FeedEvent, type FeedOptions } from './changes-feed.js';
import type { BulkResult, DataScope, Doc, MetaOptions } from './format.js';
import { ChangeNotifier } from './notifier.js';
import type { WritePublisher } from '../realtime/events.js';
import { eventsOfBatch } from '../realtime/write-events.js';
import {
  allDocs,
  getDoc,
  openRevs,
  type AllDocsOptions,
  type AllDocsResponse,
  type GetOptions,
  type OpenRevsEntry,
} from './reads.js';
import { bulkGet, revsDiff, type BulkGetResponse, type RevsDiffResponse } from './replication.js';
import { checkDoctype, checkRev, isLocalId, parseIncomingDoc, type IncomingDoc } from './validate.js';

export interface DocumentServiceOptions {
  /** Revisions of history kept per leaf (CouchDB's revs_limit). */
  revsLimit?: number;
  /** Shared with whoever else wakes longpoll readers; one is made when absent. */
  notifier?: ChangeNotifier;
  /** New document ids (32 random hex digits by default); injected so tests can predict them. */
  newId?: () => string;
  now?: () => number;
  /** Hears every committed batch with its CREATED/UPDATED/DELETED events (the realtime Bus). */
  publisher?: WritePublisher;
  /** Hears a failure to build the events of a write (the write itself has succeeded). */
  onPublishError?: (error: unknown) => void;
}

/**
 * Lets an edge refuse a write inside its transaction, seeing the current winner (null when there is
 * none) and the document to be written: throw Forbidden (or NotFound) and that document is not
 * written. This is how selector-scoped permissions are checked atomically, e.g.
 * `check: (cur, next) => { if (!(can(p, 'PUT', t, next) && (!cur || can(p, 'PUT', t, cur)))) throw … }`.
 */
export type WriteCheck = (current: DocView | null, next: DocView) => void;

export interface WriteCallOptions {
  check?: WriteCheck;
}

/** A document written: its id and new revision. */
export interface Written {
  id: string;
  rev: string;
}

/**
 * The documents service: CouchDB-shaped documents of any doctype, knowing nothing of HTTP. It validates
 * what clients send (BadRequest before anything is written), generates ids, and turns store results
 * into CouchDB's JSON. It does not check permissions: edges do, with permissions.ts, before calling (and
 * through `check` for selector-scoped writes). Every write feeds the notifier that longpoll waits on.
 */
export class DocumentService {
  readonly notifier: ChangeNotifier;
  private readonly revsLimit: number;
  private readonly newId: () => string;
  private readonly now: () => number;
  private readonly publisher: WritePublisher | undefined;
  private readonly onPublishError: (error: unknown) => void;
  /** Aborted by close(): ends the open feeds. */
  private readonly closing = new AbortController();

  constructor(options: DocumentServiceOptions = {}) {
    this.publisher = options.publisher;
    this.onPublishError = options.onPublishError ?? (() => undefined);
    this.notifier = options.notifier ?? new ChangeNotifier();
    this.revsLimit = options.revsLimit ?? DEFAULT_REVS_LIMIT;
    this.newId = options.newId ?? randomId;
    this.now = options.now ?? Date.now;
  }

  /** One document (see reads.ts getDoc): NotFound `missing` or `deleted`. */
  get(scope: DataScope, doctype: string, id: string, options: GetOptions = {}): Promise<Doc> {
    checkDoctype(doctype);
    return getDoc(scope.storage.documents, doctype, id, options);
  }

  /** `open_revs` (see reads.ts openRevs). */
  openRevs(
    scope: DataScope,
    doctype: string,
    id: string,
    revs: 'all' | readonly string[],
    options: MetaOptions = {},
  ): Promise<OpenRevsEntry[]> {
    checkDoctype(doctype);
    return openRevs(scope.storage.documents, doctype, id, revs, options);
  }

  /**
   * Creates or updates the document `id` (PUT). The revision to update comes from the body's `_rev` or
   * `options.rev` (If-Match, `?rev=`), which must agree; none means a creation. `_deleted: true`
   * deletes. Throws Conflict for a stale or missing revision, BadRequest for bad input.
   */
  async put(
    scope: DataScope,
    doctype: string,
    id: string,
    input: unknown,
    options: WriteCallOptions & { rev?: string } = {},
  ): Promise<Written> {
    checkDoctype(doctype);
    const doc = parseIncomingDoc(input, id);
    if (options.rev !== undefined) {
      checkRev(options.rev);
      if (doc.rev !== null && doc.rev !== options.rev) {
        throw new BadRequest('Document rev from request body and query string have different values.');
      }
      doc.rev = options.rev;
    }
    return this.writeOne(scope, doctype, doc, options);
  }

  /** Creates a document (POST): with the body's `_id`, else a generated one. */
  async create(
    scope: DataScope,
    doctype: string,
    input: unknown,
    options: WriteCallOptions = {},
  ): Promise<Written> {
    checkDoctype(doctype);
    const doc = parseIncomingDoc(input);
    doc.id ??= this.newId();
    return this.writeOne(scope, doctype, doc, options);
  }

  /** Deletes (writes a tombstone on) the revision `rev` of `id`; Conflict when it is not a current leaf. */
  async delete(
    scope: DataScope,
    doctype: string,
    id: string,
    rev: string | null,
    options: WriteCallOptions = {},
  ): Promise<Written> {
    checkDoctype(doctype);
    const doc = parseIncomingDoc(rev === null ? { _deleted: true } : { _rev: rev, _deleted: true }, id);
    return this.writeOne(scope, doctype, doc, options);
  }

  /**
   * `_bulk_docs`: every document is validated first (one bad document refuses the whole batch with
   * BadRequest and writes nothing), then all are written in one transaction, each with its own result:
   * `{ok, id, rev}`, or `{id, error, reason}` for a conflict or a refused check. With `newEdits: false`
   * (replication) each document needs `_id` and `_rev` or `_revisions`, and is merged as given.
   */
  async bulkDocs(
    scope: DataScope,
    doctype: string,
    docs: unknown,
    options: WriteCallOptions & { newEdits?: boolean } = {},
  ): Promise<BulkResult[]> {
    checkDoctype(doctype);
    if (!Array.isArray(docs)) throw new BadRequest('_bulk_docs expects {"docs": [...]}.');
    const newEdits = options.newEdits ?? true;
    const parsed = docs.map((input) => {
      const doc = parseIncomingDoc(input);
      if (!newEdits && (doc.id === undefined || (doc.rev === null && doc.revisions === undefined))) {
        throw new BadRequest('With new_edits=false every document needs an _id and a _rev or _revisions.');
      }
      doc.id ??= this.newId();
      return doc as IncomingDoc & { id: string };
    });
    const results = await this.write(scope, doctype, parsed, newEdits, options.check);
    return results.map(toBulkResult);
  }

  /** `_revs_diff` (see replication.ts). */
  revsDiff(scope: DataScope, doctype: string, input: unknown): Promise<RevsDiffResponse> {
    checkDoctype(doctype);
    return revsDiff(scope.storage.documents, doctype, input);
  }

  /** `_bulk_get` (see replication.ts). */
  bulkGet(
    scope: DataScope,
    doctype: string,
    input: unknown,
    options: { revs?: boolean } = {},
  ): Promise<BulkGetResponse> {
    checkDoctype(doctype);
    return bulkGet(scope.storage.documents, doctype, input, options);
  }

  /** `_all_docs` (see reads.ts allDocs). */
  allDocs(scope: DataScope, doctype: string, options: AllDocsOptions = {}): Promise<AllDocsResponse> {
    checkDoctype(doctype);
    return allDocs(scope.storage.documents, doctype, options);
  }

  /** `_changes` of a doctype, or of the whole instance without one (see changes.ts). */
  changes(scope: DataScope, options: ChangesOptions): Promise<ChangesResponse> {
    return changes(scope.storage.documents, this.notifier, scope.instance.id, options, this.now);
  }

  /** A `_changes` feed that stays open and yields writes as they commit (see changes-feed.ts). */
  feed(scope: DataScope, options: FeedOptions): AsyncGenerator<FeedEvent> {
    const { documents } = scope.storage;
    return changesFeed(documents, this.notifier, scope.instance.id, options, this.now, this.closing.signal);
  }

  /** Ends every open feed (each answers its `last_seq`), so a server stops without waiting on them. */
  close(): void {
    this.closing.abort();
  }

  /** `GET /data/<doctype>/`: counts and update seq; zeroes for a doctype never written (it exists implicitly). */
  async doctypeInfo(scope: DataScope, doctype: string): Promise<DoctypeInfo> {
    checkDoctype(doctype);
    return scope.storage.documents.doctypeInfo(doctype);
  }

  /** `GET /data/_doctypes`: every doctype that ever held a document. */
  listDoctypes(scope: DataScope): Promise<DoctypeInfo[]> {
    return scope.storage.documents.listDoctypes();
  }

  private async writeOne(
    scope: DataScope,
    doctype: string,
    doc: IncomingDoc,
    options: WriteCallOptions,
  ): Promise<Written> {
    const [result] = await this.write(
      scope,
      doctype,
      [doc as IncomingDoc & { id: string }],
      true,
      options.check,
    );
    if (!result) throw new Error('a write of one document gave no result');
    if (!result.ok) throw result.error;
    return { id: result.id, rev: result.rev };
  }

  /** Writes parsed documents: normal ones in one store batch, `_local/` ones one by one; results in order. */
  private async write(
    scope: DataScope,
    doctype: string,
    docs: readonly (IncomingDoc & { id: string })[],
    newEdits: boolean,
    check: WriteCheck | undefined,
  ): Promise<WriteResult[]> {
    const store = scope.storage.documents;
    const results: WriteResult[] = new Array<WriteResult>(docs.length);
    const edits: DocEdit[] = [];
    const positions: number[] = [];
    docs.forEach((doc, i) => {
      if (isLocalId(doc.id)) return;
      positions.push(i);
      edits.push(toEdit(doc, newEdits));
    });
    if (edits.length > 0) {
      const batch = await store.writeDocs(doctype, edits, {
        newEdits,
        revsLimit: this.revsLimit,
        ...(check === undefined ? {} : { check }),
      });
      batch.results.forEach((result, j) => (results[positions[j] as number] = result));
      this.notifier.notify(scope.instance.id, batch.updateSeq);
      await this.publish(scope, doctype, edits, batch.results, batch.updateSeq, newEdits);
    }
    for (const [i, doc] of docs.entries()) {
      if (isLocalId(doc.id)) results[i] = await writeLocal(store, doctype, doc, check);
    }
    return results;
  }

  /** Hands a committed batch's events to the publisher; never fails the write that caused them. */
  private async publish(
    scope: DataScope,
    doctype: string,
    edits: readonly DocEdit[],
    results: readonly WriteResult[],
    seq: number,
    newEdits: boolean,
  ): Promise<void> {
    if (!this.publisher) return;
    try {
      const events = await eventsOfBatch(scope.storage.documents, doctype, edits, results, newEdits);
      if (events.length > 0) this.publisher.published({ instanceId: scope.instance.id, seq, events });
    } catch (error) {
      this.onPublishError(error);
    }
  }
}

function toEdit(doc: IncomingDoc & { id: string }, newEdits: boolean): DocEdit {
  const edit: DocEdit = { id: doc.id, deleted: doc.deleted, body: doc.body, parentRev: doc.rev };
  if (!newEdits) {
    const [pos, hash] = (doc.rev ?? '').split('-');
    edit.revisions = doc.revisions ?? { start: Number(pos), ids: [hash as string] };
  }
  return edit;
}

/** A `_local` document write: not replicated, not in changes, revisions `0-N`, deletion removes it. */
async function writeLocal(
  store: DocumentStore,
  doctype: string,
  doc: IncomingDoc & { id: string },
  check: WriteCheck | undefined,
): Promise<WriteResult> {
  try {
    if (check) {
      const current = await store.getLocal(doctype, doc.id);
      const next: DocView = { _id: doc.id, _rev: doc.rev ?? '0-0', ...doc.body };
      check(current && { _id: current.id, _rev: current.rev, ...current.body }, next);
    }
    if (doc.deleted) {
      await store.deleteLocal(doctype, doc.id, doc.rev);
      return { id: doc.id, ok: true, rev: '0-0' };
    }
    return { id: doc.id, ok: true, rev: await store.putLocal(doctype, doc.id, doc.rev, doc.body) };
  } catch (error) {
    if (error instanceof NuageError) return { id: doc.id, ok: false, error };
    throw error;
  }
}

function toBulkResult(result: WriteResult): BulkResult {
  if (result.ok) return { ok: true, id: result.id, rev: result.rev };
  return {
    id: result.id,
    error: result.error.code,
    reason: result.error.message,
    status: result.error.status,
  };
}
