import type pg from 'pg';
import { indexKeyFor, type IndexDef } from '../../../data/mango/index.js';
import { NotFound } from '../../../errors.js';
import type { DocBody, WrittenDoc } from '../documents.js';
import {
  parseStoredDefinition,
  scanConditions,
  scanLimit,
  storedDefinition,
  type IndexRef,
  type IndexRow,
  type IndexScanQuery,
  type MangoIndexStore,
} from '../mango-indexes.js';
import type { PostgresWriteParticipant } from './documents.js';

interface DefRow {
  index_id: string;
  def: string;
}

/** Documents read per round trip while filling a new index. */
const FILL_CHUNK = 1000;

/**
 * Mango indexes on PostgreSQL: definitions in `mango_indexes`, entries in `mango_entries` (bytea keys).
 * A write participant of the document store; definitions are read in each write's transaction, so an
 * index created by another stack process is kept up to date from its first committed moment.
 */
export class PostgresMangoIndexes implements MangoIndexStore, PostgresWriteParticipant {
  /** Parsed definitions by stored text. */
  private readonly defs = new Map<string, IndexDef>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly s: string,
  ) {}

  async onWrite(client: pg.PoolClient, doctype: string, written: readonly WrittenDoc[]): Promise<void> {
    const { rows } = await client.query<DefRow>(
      `SELECT index_id, def FROM ${this.s}.mango_indexes WHERE doctype = $1`,
      [doctype],
    );
    for (const { index_id: indexId, def } of rows) {
      const parsed = parseStoredDefinition(def, this.defs);
      await client.query(
        `DELETE FROM ${this.s}.mango_entries WHERE index_id = $1 AND doc_id = ANY($2::text[])`,
        [indexId, written.map((w) => w.id)],
      );
      const keys: Buffer[] = [];
      const ids: string[] = [];
      for (const w of written) {
        const doc = w.doc;
        const key = doc === null ? null : indexKeyFor(parsed, doc);
        if (key === null) continue;
        keys.push(key);
        ids.push(w.id);
      }
      await this.insertEntries(client, indexId, keys, ids);
    }
  }

  /**
   * Holds the instance's write lock (the changes counter row) while it fills the index, so no write
   * commits in between without its entry.
   */
  async create(doctype: string, def: IndexDef): Promise<'created' | 'exists'> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT value FROM ${this.s}.doc_seq WHERE id = 0 FOR UPDATE`);
      const text = storedDefinition(def);
      const existing = await this.find(client, doctype, def);
      if (existing?.def === text) {
        await client.query('COMMIT');
        return 'exists';
      }
      if (existing) {
        await client.query(`DELETE FROM ${this.s}.mango_indexes WHERE index_id = $1`, [existing.index_id]);
      }
      const { rows } = await client.query<{ index_id: string }>(
        `INSERT INTO ${this.s}.mango_indexes (doctype, ddoc, name, def) VALUES ($1, $2, $3, $4) RETURNING index_id`,
        [doctype, def.ddoc, def.name, text],
      );
      await this.fill(
        client,
        doctype,
        (rows[0] as { index_id: string }).index_id,
        parseStoredDefinition(text, this.defs),
      );
      await client.query('COMMIT');
      return 'created';
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async list(doctype: string): Promise<IndexDef[]> {
    const { rows } = await this.pool.query<DefRow>(
      `SELECT index_id, def FROM ${this.s}.mango_indexes WHERE doctype = $1 ORDER BY ddoc, name`,
      [doctype],
    );
    return rows.map((row) => parseStoredDefinition(row.def, this.defs));
  }

  async delete(doctype: string, ddoc: string, name: string): Promise<boolean> {
    const result = await this.pool.query(
      `DELETE FROM ${this.s}.mango_indexes WHERE doctype = $1 AND ddoc = $2 AND name = $3`,
      [doctype, ddoc, name],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async scan(doctype: string, index: IndexRef, query: IndexScanQuery): Promise<IndexRow[]> {
    const found = await this.find(this.pool, doctype, index);
    if (!found) throw new NotFound(`no index ${index.ddoc}/${index.name}`);
    const params: unknown[] = [doctype, found.index_id, scanLimit(query.limit)];
    const where = scanConditions(query, (value) => `$${params.push(value)}`);
    const dir = query.descending ? 'DESC' : 'ASC';
    const { rows } = await this.pool.query<{ key: Buffer; id: string; rev: string; body: string }>(
      `SELECT e.key AS key, e.doc_id AS id, d.rev AS rev, d.body AS body
       FROM ${this.s}.mango_entries e JOIN ${this.s}.docs d ON d.doctype = $1 AND d.id = e.doc_id
       WHERE e.index_id = $2${where.map((w) => ` AND ${w}`).join('')}
       ORDER BY e.key ${dir}, e.doc_id ${dir} LIMIT $3`,
      params,
    );
    return rows.map((row) => ({ ...row, body: JSON.parse(row.body) as DocBody }));
  }

  private async find(
    q: pg.Pool | pg.PoolClient,
    doctype: string,
    index: IndexRef,
  ): Promise<DefRow | undefined> {
    const { rows } = await q.query<DefRow>(
      `SELECT index_id, def FROM ${this.s}.mango_indexes WHERE doctype = $1 AND ddoc = $2 AND name = $3`,
      [doctype, index.ddoc, index.name],
    );
    return rows[0];
  }

  private async fill(client: pg.PoolClient, doctype: string, indexId: string, def: IndexDef): Promise<void> {
    let after = '';
    for (;;) {
      const { rows } = await client.query<{ id: string; rev: string; body: string }>(
        `SELECT id, rev, body FROM ${this.s}.docs WHERE doctype = $1 AND NOT deleted AND id > $2
         ORDER BY id LIMIT ${FILL_CHUNK}`,
        [doctype, after],
      );
      const keys: Buffer[] = [];
      const ids: string[] = [];
      for (const row of rows) {
        const key = indexKeyFor(def, { _id: row.id, _rev: row.rev, ...(JSON.parse(row.body) as DocBody) });
        if (key === null) continue;
        keys.push(key);
        ids.push(row.id);
      }
      await this.insertEntries(client, indexId, keys, ids);
      const last = rows[rows.length - 1];
      if (rows.length < FILL_CHUNK || last === undefined) return;
      after = last.id;
    }
  }

  private async insertEntries(
    client: pg.PoolClient,
    indexId: string,
    keys: Buffer[],
    ids: string[],
  ): Promise<void> {
    if (keys.length === 0) return;
    await client.query(
      `INSERT INTO ${this.s}.mango_entries (index_id, key, doc_id)
       SELECT $1, * FROM unnest($2::bytea[], $3::text[])`,
      [indexId, keys, ids],
    );
  }
}
