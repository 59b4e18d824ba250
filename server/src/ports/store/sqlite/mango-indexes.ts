import type Database from 'better-sqlite3';
import { BOUND_COUNT, Statements } from './statements.js';
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
import type { SqliteWriteParticipant } from './documents.js';

/** Documents read at a time while filling a new index. */
const FILL_CHUNK = 1000;

interface ScanRow {
  key: Buffer;
  id: string;
  rev: string;
  body: string;
}

interface DefRow {
  index_id: number;
  def: string;
}

/**
 * Mango indexes on SQLite: definitions in `mango_indexes`, entries in `mango_entries` (a WITHOUT ROWID
 * table keyed by index, key and doc id). Registered as a write participant of the document store, so
 * entries change in the write's own transaction.
 */
export class SqliteMangoIndexes implements MangoIndexStore, SqliteWriteParticipant {
  private readonly defsOf: Database.Statement<[string], DefRow>;
  private readonly findDef: Database.Statement<[string, string, string], DefRow>;
  private readonly dropEntry: Database.Statement<[number, string]>;
  private readonly addEntry: Database.Statement<[number, Buffer, string]>;
  private readonly deleteDef: Database.Statement<[number]>;
  /** Parsed definitions by stored text. */
  private readonly defs = new Map<string, IndexDef>();
  /** Scans by shape (which bounds, which direction), each prepared once. */
  private readonly scans: Statements;
  private readonly createTx: (doctype: string, def: IndexDef) => 'created' | 'exists';

  constructor(private readonly db: Database.Database) {
    this.scans = new Statements(db);
    this.defsOf = db.prepare('SELECT index_id, def FROM mango_indexes WHERE doctype = ? ORDER BY ddoc, name');
    this.findDef = db.prepare(
      'SELECT index_id, def FROM mango_indexes WHERE doctype = ? AND ddoc = ? AND name = ?',
    );
    this.dropEntry = db.prepare('DELETE FROM mango_entries WHERE index_id = ? AND doc_id = ?');
    this.addEntry = db.prepare('INSERT INTO mango_entries (index_id, key, doc_id) VALUES (?, ?, ?)');
    const deleteDef = db.prepare<[number]>('DELETE FROM mango_indexes WHERE index_id = ?');
    this.deleteDef = deleteDef;
    const insertDef = db.prepare<[string, string, string, string]>(
      'INSERT INTO mango_indexes (doctype, ddoc, name, def) VALUES (?, ?, ?, ?)',
    );
    // Read in chunks: better-sqlite3 cannot write while a statement is still being iterated.
    const liveDocs = db.prepare<[string, string, number], { id: string; rev: string; body: string }>(
      `SELECT id, rev, body FROM docs WHERE doctype = ? AND deleted = 0 AND id > ? ORDER BY id LIMIT ${BOUND_COUNT}`,
    );
    this.createTx = db.transaction((doctype: string, def: IndexDef) => {
      const text = storedDefinition(def);
      const existing = this.findDef.get(doctype, def.ddoc, def.name);
      if (existing?.def === text) return 'exists';
      if (existing) deleteDef.run(existing.index_id);
      const indexId = Number(insertDef.run(doctype, def.ddoc, def.name, text).lastInsertRowid);
      const stored = parseStoredDefinition(text, this.defs);
      for (let after = ''; ;) {
        const rows = liveDocs.all(doctype, after, FILL_CHUNK);
        for (const row of rows) {
          const key = indexKeyFor(stored, {
            _id: row.id,
            _rev: row.rev,
            ...(JSON.parse(row.body) as DocBody),
          });
          if (key !== null) this.addEntry.run(indexId, key, row.id);
        }
        const last = rows[rows.length - 1];
        if (rows.length < FILL_CHUNK || last === undefined) break;
        after = last.id;
      }
      return 'created';
    });
  }

  onWrite(_db: Database.Database, doctype: string, written: readonly WrittenDoc[]): void {
    for (const { index_id: indexId, def } of this.defsOf.all(doctype)) {
      const parsed = parseStoredDefinition(def, this.defs);
      for (const w of written) {
        this.dropEntry.run(indexId, w.id);
        const doc = w.doc;
        const key = doc === null ? null : indexKeyFor(parsed, doc);
        if (key !== null) this.addEntry.run(indexId, key, w.id);
      }
    }
  }

  async create(doctype: string, def: IndexDef): Promise<'created' | 'exists'> {
    return this.createTx(doctype, def);
  }

  async list(doctype: string): Promise<IndexDef[]> {
    return this.defsOf.all(doctype).map((row) => parseStoredDefinition(row.def, this.defs));
  }

  async delete(doctype: string, ddoc: string, name: string): Promise<boolean> {
    const row = this.findDef.get(doctype, ddoc, name);
    if (!row) return false;
    this.deleteDef.run(row.index_id);
    return true;
  }

  async scan(doctype: string, index: IndexRef, query: IndexScanQuery): Promise<IndexRow[]> {
    const found = this.findDef.get(doctype, index.ddoc, index.name);
    if (!found) throw new NotFound(`no index ${index.ddoc}/${index.name}`);
    const params: unknown[] = [doctype, found.index_id];
    const where = scanConditions(query, (value) => {
      params.push(value);
      return '?';
    });
    const limit = scanLimit(query.limit);
    params.push(limit ?? -1);
    const dir = query.descending ? 'DESC' : 'ASC';
    const sql = `SELECT e.key AS key, e.doc_id AS id, d.rev AS rev, d.body AS body
      FROM mango_entries e JOIN docs d ON d.doctype = ? AND d.id = e.doc_id
      WHERE e.index_id = ?${where.map((w) => ` AND ${w}`).join('')}
      ORDER BY e.key ${dir}, e.doc_id ${dir} LIMIT ${BOUND_COUNT}`;
    return this.scans
      .get<unknown[], ScanRow>(sql)
      .all(...params)
      .map((row) => ({ ...row, body: JSON.parse(row.body) as DocBody }));
  }
}
