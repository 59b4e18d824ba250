import type Database from 'better-sqlite3';
import { NotFound } from '../../../errors.js';
import { DocBatch, leafCount, type BatchOutcome, type LoadedDoc } from '../doc-batch.js';
import { nextLocalRev, parseTreeText } from '../doc-read.js';
import type {
  DocBody,
  DocEdit,
  DocumentStore,
  LocalDoc,
  WriteBatchResult,
  WriteOptions,
  WrittenDoc,
} from '../documents.js';
import { SqliteDocumentReads } from './document-reads.js';
import { SqliteMangoIndexes } from './mango-indexes.js';
import { multiInsert } from './multi-insert.js';

/**
 * Keeps derived data (Mango index entries, the search index) in step with documents: called inside
 * the write transaction, after the documents are stored, with the documents whose winner changed. A
 * throw rolls the whole batch back.
 */
export interface SqliteWriteParticipant {
  onWrite(db: Database.Database, doctype: string, written: readonly WrittenDoc[]): void;
}

/**
 * The SQLite document store. A batch is one synchronous `db.transaction()`: load, apply in memory
 * (doc-batch.ts), store, bump the instance's counter row, run the participants. One connection per
 * instance file means writes are serialised, so seq order is commit order.
 */
export class SqliteDocuments extends SqliteDocumentReads implements DocumentStore {
  private readonly participants: SqliteWriteParticipant[] = [];
  readonly indexes: SqliteMangoIndexes;
  private readonly write: (
    doctype: string,
    edits: readonly DocEdit[],
    options: WriteOptions,
  ) => WriteBatchResult;
  private readonly putLocalTx: (doctype: string, id: string, rev: string | null, body: DocBody) => string;
  private readonly deleteLocalTx: (doctype: string, id: string, rev: string | null) => void;
  private readonly localStmt: Database.Statement<[string, string], { rev: number; body: string }>;

  /** `afterCommit` hears each committed write transaction (the Checkpointer watches the WAL's size). */
  constructor(
    db: Database.Database,
    private readonly afterCommit: () => void = () => undefined,
  ) {
    super(db);
    this.indexes = new SqliteMangoIndexes(db);
    this.participants.push(this.indexes);
    const others = db.prepare<[string, string], { rev: string; body: string }>(
      'SELECT rev, body FROM doc_leaves WHERE doctype = ? AND id = ?',
    );
    const insert = multiInsert(db, 'docs', ['seq', 'doctype', 'id', 'rev', 'deleted', 'tree', 'body']);
    const update = db.prepare<[number, string, number, string, string, string, string]>(
      'UPDATE docs SET seq = ?, rev = ?, deleted = ?, tree = ?, body = ? WHERE doctype = ? AND id = ?',
    );
    const dropOthers = db.prepare<[string, string]>('DELETE FROM doc_leaves WHERE doctype = ? AND id = ?');
    const addOther = db.prepare<[string, string, string, string]>(
      'INSERT INTO doc_leaves (doctype, id, rev, body) VALUES (?, ?, ?, ?)',
    );
    const readSeq = db.prepare<[], { value: number }>('SELECT value FROM doc_seq WHERE id = 0');
    const writeSeq = db.prepare<[number]>('UPDATE doc_seq SET value = ? WHERE id = 0');
    const countDoctype = db.prepare<[string, number, number, number]>(
      `INSERT INTO doctypes (doctype, doc_count, doc_del_count, update_seq) VALUES (?, ?, ?, ?)
       ON CONFLICT (doctype) DO UPDATE SET doc_count = doc_count + excluded.doc_count,
         doc_del_count = doc_del_count + excluded.doc_del_count, update_seq = excluded.update_seq`,
    );

    const load = (doctype: string, edits: readonly DocEdit[]): Map<string, LoadedDoc> => {
      const loaded = new Map<string, LoadedDoc>();
      const rows = this.rows(
        doctype,
        edits.map((e) => e.id),
      );
      for (const { id } of edits) {
        if (loaded.has(id)) continue;
        const found = rows.get(id);
        if (!found) continue;
        const tree = parseTreeText(found.tree);
        const bodies = new Map([[found.rev, found.body]]);
        if (leafCount(tree) > 1) for (const o of others.all(doctype, id)) bodies.set(o.rev, o.body);
        loaded.set(id, { id, tree, rev: found.rev, deleted: found.deleted, seq: found.seq, bodies });
      }
      return loaded;
    };

    const persist = (doctype: string, outcome: BatchOutcome): void => {
      // New documents go in a few dozen rows per statement (see multi-insert.ts).
      const created: unknown[][] = [];
      for (const w of outcome.writes) {
        const deleted = w.deleted ? 1 : 0;
        if (w.existed) update.run(w.seq, w.rev, deleted, w.tree, w.body, doctype, w.id);
        else created.push([w.seq, doctype, w.id, w.rev, deleted, w.tree, w.body]);
        if (w.others !== null) {
          if (w.existed) dropOthers.run(doctype, w.id);
          for (const [rev, body] of w.others) addOther.run(doctype, w.id, rev, body);
        }
      }
      insert(created);
      writeSeq.run(outcome.updateSeq);
      countDoctype.run(doctype, outcome.liveDelta, outcome.deletedDelta, outcome.updateSeq);
      if (outcome.written.length > 0) {
        for (const participant of this.participants) participant.onWrite(db, doctype, outcome.written);
      }
    };

    this.write = db.transaction((doctype: string, edits: readonly DocEdit[], options: WriteOptions) => {
      const batch = new DocBatch(load(doctype, edits), options);
      const results = edits.map((edit) => batch.apply(edit));
      const outcome = batch.finish(readSeq.get()?.value ?? 0);
      if (outcome.writes.length > 0) persist(doctype, outcome);
      return { results, updateSeq: outcome.updateSeq };
    });

    const getLocal = db.prepare<[string, string], { rev: number; body: string }>(
      'SELECT rev, body FROM local_docs WHERE doctype = ? AND id = ?',
    );
    const putLocal = db.prepare<[string, string, number, string]>(
      `INSERT INTO local_docs (doctype, id, rev, body) VALUES (?, ?, ?, ?)
       ON CONFLICT (doctype, id) DO UPDATE SET rev = excluded.rev, body = excluded.body`,
    );
    const deleteLocal = db.prepare<[string, string]>('DELETE FROM local_docs WHERE doctype = ? AND id = ?');
    this.localStmt = getLocal;
    this.putLocalTx = db.transaction((doctype: string, id: string, rev: string | null, body: DocBody) => {
      const next = nextLocalRev(getLocal.get(doctype, id)?.rev ?? null, rev);
      putLocal.run(doctype, id, next, JSON.stringify(body));
      return `0-${next}`;
    });
    this.deleteLocalTx = db.transaction((doctype: string, id: string, rev: string | null) => {
      const stored = getLocal.get(doctype, id);
      if (!stored) throw new NotFound('missing');
      nextLocalRev(stored.rev, rev);
      deleteLocal.run(doctype, id);
    });
  }

  /** Registers derived data to keep in step with every later write (see SqliteWriteParticipant). */
  addParticipant(participant: SqliteWriteParticipant): void {
    this.participants.push(participant);
  }

  async writeDocs(
    doctype: string,
    edits: readonly DocEdit[],
    options: WriteOptions,
  ): Promise<WriteBatchResult> {
    const result = this.write(doctype, edits, options);
    this.afterCommit();
    return result;
  }

  async getLocal(doctype: string, id: string): Promise<LocalDoc | null> {
    const row = this.localStmt.get(doctype, id);
    return row ? { id, rev: `0-${row.rev}`, body: JSON.parse(row.body) as DocBody } : null;
  }

  async putLocal(doctype: string, id: string, rev: string | null, body: DocBody): Promise<string> {
    return this.putLocalTx(doctype, id, rev, body);
  }

  async deleteLocal(doctype: string, id: string, rev: string | null): Promise<void> {
    this.deleteLocalTx(doctype, id, rev);
  }
}
