import type pg from 'pg';
import { Conflict, NotFound } from '../../../errors.js';
import { DocBatch, leafCount, type BatchOutcome, type LoadedDoc } from '../doc-batch.js';
import { parseLocalRev, parseTreeText } from '../doc-read.js';
import type {
  DocBody,
  DocEdit,
  DocumentStore,
  LocalDoc,
  WriteBatchResult,
  WriteOptions,
  WrittenDoc,
} from '../documents.js';
import { PostgresDocumentReads } from './document-reads.js';
import { PostgresMangoIndexes } from './mango-indexes.js';
import { inTransaction } from './transaction.js';

/**
 * Keeps derived data (Mango index entries, the search index) in step with documents: called inside the
 * write transaction, on its client, after the documents are stored, with the documents whose winner
 * changed. A rejection rolls the whole batch back.
 */
export interface PostgresWriteParticipant {
  onWrite(client: pg.PoolClient, doctype: string, written: readonly WrittenDoc[]): Promise<void>;
}

/**
 * The PostgreSQL document store. A batch is one transaction on one client: lock the instance's counter
 * row (so batches of one instance commit one after the other, and seq order is commit order), load the
 * touched rows FOR UPDATE in one query, apply in memory (doc-batch.ts), then store with a few array
 * statements whatever the batch size.
 */
export class PostgresDocuments extends PostgresDocumentReads implements DocumentStore {
  private readonly participants: PostgresWriteParticipant[] = [];
  readonly indexes: PostgresMangoIndexes;

  constructor(pool: pg.Pool, schema: string) {
    super(pool, schema);
    this.indexes = new PostgresMangoIndexes(pool, schema);
    this.participants.push(this.indexes);
  }

  /** Registers derived data to keep in step with every later write (see PostgresWriteParticipant). */
  addParticipant(participant: PostgresWriteParticipant): void {
    this.participants.push(participant);
  }

  async writeDocs(
    doctype: string,
    edits: readonly DocEdit[],
    options: WriteOptions,
  ): Promise<WriteBatchResult> {
    return this.transaction(async (client) => {
      const { rows } = await client.query<{ value: string }>(
        `SELECT value FROM ${this.s}.doc_seq WHERE id = 0 FOR UPDATE`,
      );
      const batch = new DocBatch(await this.load(client, doctype, edits), options);
      const results = edits.map((edit) => batch.apply(edit));
      const outcome = batch.finish(Number(rows[0]?.value ?? 0));
      if (outcome.writes.length > 0) await this.persist(client, doctype, outcome);
      return { results, updateSeq: outcome.updateSeq };
    });
  }

  private async load(client: pg.PoolClient, doctype: string, edits: readonly DocEdit[]) {
    const rows = await this.rows(client, doctype, [...new Set(edits.map((e) => e.id))], true);
    const loaded = new Map<string, LoadedDoc>();
    const conflicted: string[] = [];
    for (const row of rows.values()) {
      const tree = parseTreeText(row.tree);
      if (leafCount(tree) > 1) conflicted.push(row.id);
      const bodies = new Map([[row.rev, row.body]]);
      loaded.set(row.id, { id: row.id, tree, rev: row.rev, deleted: row.deleted, seq: row.seq, bodies });
    }
    if (conflicted.length > 0) {
      const { rows: others } = await client.query<{ id: string; rev: string; body: string }>(
        `SELECT id, rev, body FROM ${this.s}.doc_leaves WHERE doctype = $1 AND id = ANY($2::text[])`,
        [doctype, conflicted],
      );
      for (const other of others) loaded.get(other.id)?.bodies.set(other.rev, other.body);
    }
    return loaded;
  }

  private async persist(client: pg.PoolClient, doctype: string, outcome: BatchOutcome): Promise<void> {
    const w = outcome.writes;
    await client.query(
      `INSERT INTO ${this.s}.docs (doctype, id, rev, deleted, seq, tree, body)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::boolean[], $5::bigint[], $6::text[], $7::text[])
       ON CONFLICT (doctype, id) DO UPDATE SET rev = excluded.rev, deleted = excluded.deleted,
         seq = excluded.seq, tree = excluded.tree, body = excluded.body`,
      [
        doctype,
        w.map((x) => x.id),
        w.map((x) => x.rev),
        w.map((x) => x.deleted),
        w.map((x) => x.seq),
        w.map((x) => x.tree),
        w.map((x) => x.body),
      ],
    );
    const rewritten = w.filter((x) => x.others !== null);
    if (rewritten.length > 0) {
      await client.query(`DELETE FROM ${this.s}.doc_leaves WHERE doctype = $1 AND id = ANY($2::text[])`, [
        doctype,
        rewritten.filter((x) => x.existed).map((x) => x.id),
      ]);
      const leaves = rewritten.flatMap((x) => (x.others ?? []).map(([rev, body]) => [x.id, rev, body]));
      await client.query(
        `INSERT INTO ${this.s}.doc_leaves (doctype, id, rev, body)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[])`,
        [doctype, leaves.map((l) => l[0]), leaves.map((l) => l[1]), leaves.map((l) => l[2])],
      );
    }
    await client.query(`UPDATE ${this.s}.doc_seq SET value = $1 WHERE id = 0`, [outcome.updateSeq]);
    await client.query(
      `INSERT INTO ${this.s}.doctypes (doctype, doc_count, doc_del_count, update_seq) VALUES ($1, $2, $3, $4)
       ON CONFLICT (doctype) DO UPDATE SET doc_count = doctypes.doc_count + excluded.doc_count,
         doc_del_count = doctypes.doc_del_count + excluded.doc_del_count, update_seq = excluded.update_seq`,
      [doctype, outcome.liveDelta, outcome.deletedDelta, outcome.updateSeq],
    );
    if (outcome.written.length > 0) {
      for (const participant of this.participants)
        await participant.onWrite(client, doctype, outcome.written);
    }
  }

  async getLocal(doctype: string, id: string): Promise<LocalDoc | null> {
    const { rows } = await this.pool.query<{ rev: number; body: string }>(
      `SELECT rev, body FROM ${this.s}.local_docs WHERE doctype = $1 AND id = $2`,
      [doctype, id],
    );
    const row = rows[0];
    return row ? { id, rev: `0-${row.rev}`, body: JSON.parse(row.body) as DocBody } : null;
  }

  /** One statement each way, so two concurrent writers cannot both succeed from the same revision. */
  async putLocal(doctype: string, id: string, rev: string | null, body: DocBody): Promise<string> {
    const text = JSON.stringify(body);
    const result =
      rev === null
        ? await this.pool.query<{ rev: number }>(
            `INSERT INTO ${this.s}.local_docs (doctype, id, rev, body) VALUES ($1, $2, 1, $3)
             ON CONFLICT DO NOTHING RETURNING rev`,
            [doctype, id, text],
          )
        : await this.pool.query<{ rev: number }>(
            `UPDATE ${this.s}.local_docs SET rev = rev + 1, body = $4
             WHERE doctype = $1 AND id = $2 AND rev = $3 RETURNING rev`,
            [doctype, id, parseLocalRev(rev), text],
          );
    const row = result.rows[0];
    if (!row) throw new Conflict('Document update conflict.');
    return `0-${row.rev}`;
  }

  async deleteLocal(doctype: string, id: string, rev: string | null): Promise<void> {
    const given = rev === null ? null : parseLocalRev(rev);
    const result = await this.pool.query(
      `DELETE FROM ${this.s}.local_docs WHERE doctype = $1 AND id = $2 AND rev = $3`,
      [doctype, id, given],
    );
    if ((result.rowCount ?? 0) > 0) return;
    if ((await this.getLocal(doctype, id)) === null) throw new NotFound('missing');
    throw new Conflict('Document update conflict.');
  }

  private transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }
}
