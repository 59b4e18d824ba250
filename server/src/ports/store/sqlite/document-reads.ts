import type Database from 'better-sqlite3';
import { BOUND_COUNT, Statements } from './statements.js';
import type { RevTree } from '../../../data/revisions/index.js';
import {
  aheadOfStart,
  allDocsOffset,
  checkChangesQuery,
  idBounds,
  lastSeqOf,
  offsetNeedsRange,
  otherLeavesWanted,
  pageSize,
  parseTreeText,
  resolveOpenRevs,
  toChangeRow,
  toStoredDoc,
  type DocRow,
} from '../doc-read.js';
import type {
  AllDocsQuery,
  AllDocsRow,
  AllDocsResult,
  ChangesQuery,
  ChangesResult,
  DocBody,
  DoctypeInfo,
  OpenRevsRequest,
  OpenRevsResult,
  StoredDoc,
} from '../documents.js';

/** A docs row as SQLite returns it (INTEGER booleans). */
export interface SqliteDocRow {
  id: string;
  rev: string;
  deleted: number;
  seq: number;
  tree: string;
  body: string;
}

export const toDocRow = (row: SqliteDocRow): DocRow => ({ ...row, deleted: row.deleted === 1 });

interface DoctypeRow {
  doctype: string;
  doc_count: number;
  doc_del_count: number;
  update_seq: number;
}

const countOf = (row: { n: number } | undefined): number => row?.n ?? 0;

/**
 * Counts the live documents of a doctype whose ids meet `range` (` AND id < ?`…; bound twice, with
 * the doctype before each): every row by the id index, which holds all it needs, less the tombstones
 * by their partial index. Filtering on `deleted` instead would read each row, six times slower at
 * 100k documents, and `_all_docs` pages count what comes before them (CouchDB's `offset`).
 */
const liveCount = (range: string): string =>
  `SELECT (SELECT count(*) FROM docs WHERE doctype = ?${range})
     - (SELECT count(*) FROM docs WHERE doctype = ? AND deleted = 1${range}) AS n`;

const toInfo = (row: DoctypeRow): DoctypeInfo => ({
  doctype: row.doctype,
  docCount: row.doc_count,
  docDelCount: row.doc_del_count,
  updateSeq: row.update_seq,
});

/**
 * The read half of the SQLite document store. Every statement is prepared once (dynamic `_all_docs`
 * shapes are prepared on first use and cached); better-sqlite3 runs them synchronously, so a read that
 * takes several statements runs in one read transaction and sees one snapshot.
 */
export class SqliteDocumentReads {
  private readonly docStmt: Database.Statement<[string, string], SqliteDocRow>;
  private readonly docsStmt: Database.Statement<[string, string], SqliteDocRow>;
  private readonly treesStmt: Database.Statement<[string, string], { id: string; tree: string }>;
  private readonly otherStmt: Database.Statement<[string, string, string], { body: string }>;
  private readonly seqStmt: Database.Statement<[], { value: number }>;
  private readonly doctypeStmt: Database.Statement<[string], DoctypeRow>;
  private readonly doctypesStmt: Database.Statement<[], DoctypeRow>;
  private readonly changesAll: Database.Statement<[number, number], SqliteDocRow & { doctype: string }>;
  private readonly changesOne: Database.Statement<[string, number, number], SqliteDocRow>;
  /** `_all_docs` statements by shape (bounds and direction), each prepared once. */
  private readonly allDocsStmts: Statements;
  private readonly snapshot: <T>(read: () => T) => T;

  constructor(private readonly db: Database.Database) {
    this.allDocsStmts = new Statements(db);
    const cols = 'id, rev, deleted, seq, tree, body';
    this.docStmt = db.prepare(`SELECT ${cols} FROM docs WHERE doctype = ? AND id = ?`);
    // Batches of ids (replication asks for hundreds at a time) in one statement: about twice as fast
    // as one lookup per id through better-sqlite3.
    const inIds = 'id IN (SELECT value FROM json_each(?))';
    this.docsStmt = db.prepare(`SELECT ${cols} FROM docs WHERE doctype = ? AND ${inIds}`);
    this.treesStmt = db.prepare(`SELECT id, tree FROM docs WHERE doctype = ? AND ${inIds}`);
    this.otherStmt = db.prepare('SELECT body FROM doc_leaves WHERE doctype = ? AND id = ? AND rev = ?');
    this.seqStmt = db.prepare('SELECT value FROM doc_seq WHERE id = 0');
    this.doctypeStmt = db.prepare('SELECT * FROM doctypes WHERE doctype = ?');
    this.doctypesStmt = db.prepare('SELECT * FROM doctypes ORDER BY doctype');
    this.changesAll = db.prepare(
      `SELECT doctype, ${cols} FROM docs WHERE seq > ? ORDER BY seq LIMIT ${BOUND_COUNT}`,
    );
    this.changesOne = db.prepare(
      `SELECT ${cols} FROM docs WHERE doctype = ? AND seq > ? ORDER BY seq LIMIT ${BOUND_COUNT}`,
    );
    const tx = db.transaction((read: () => unknown) => read());
    this.snapshot = <T>(read: () => T): T => tx.deferred(read) as T;
  }

  row(doctype: string, id: string): DocRow | null {
    const row = this.docStmt.get(doctype, id);
    return row ? toDocRow(row) : null;
  }

  /** The rows of these ids, by id (absent ids are absent). */
  protected rows(doctype: string, ids: readonly string[]): Map<string, DocRow> {
    if (ids.length === 1) {
      const row = this.row(doctype, ids[0]!);
      return new Map(row ? [[row.id, row]] : []);
    }
    return new Map(this.docsStmt.all(doctype, JSON.stringify(ids)).map((r) => [r.id, toDocRow(r)]));
  }

  async getDocs(doctype: string, ids: readonly string[]): Promise<(StoredDoc | null)[]> {
    return this.snapshot(() => {
      const rows = this.rows(doctype, ids);
      return ids.map((id) => {
        const row = rows.get(id);
        return row ? toStoredDoc(row) : null;
      });
    });
  }

  async getTrees(doctype: string, ids: readonly string[]): Promise<Map<string, RevTree>> {
    const rows = this.treesStmt.all(doctype, JSON.stringify(ids));
    return new Map(rows.map((row) => [row.id, parseTreeText(row.tree)]));
  }

  async openRevs(doctype: string, requests: readonly OpenRevsRequest[]): Promise<OpenRevsResult[]> {
    return this.snapshot(() => {
      const rows = this.rows(
        doctype,
        requests.map((r) => r.id),
      );
      return requests.map(({ id, revs }) => {
        const row = rows.get(id) ?? null;
        const others = new Map<string, string>();
        if (row === null) return resolveOpenRevs(id, row, revs, others);
        const tree = parseTreeText(row.tree);
        for (const rev of otherLeavesWanted(row, tree, revs)) {
          const other = this.otherStmt.get(doctype, id, rev);
          if (other) others.set(rev, other.body);
        }
        return resolveOpenRevs(id, row, revs, others, tree);
      });
    });
  }

  async allDocs(doctype: string, query: AllDocsQuery): Promise<AllDocsResult> {
    const { limit, skip } = pageSize(query);
    const { lower, upper } = idBounds(query);
    const range: string[] = [];
    const bounds: string[] = [];
    if (lower) {
      range.push(lower.inclusive ? ' AND id >= ?' : ' AND id > ?');
      bounds.push(lower.value);
    }
    if (upper) {
      range.push(upper.inclusive ? ' AND id <= ?' : ' AND id < ?');
      bounds.push(upper.value);
    }
    const cols = query.includeDocs ? 'id, rev, body' : 'id, rev';
    const order = query.descending ? 'DESC' : 'ASC';
    const page = this.statement(
      `SELECT ${cols} FROM docs WHERE doctype = ? AND deleted = 0${range.join('')} ORDER BY id ${order} LIMIT ${BOUND_COUNT} OFFSET ${BOUND_COUNT}`,
    );
    const ahead = aheadOfStart(query);
    const countAhead = ahead && this.statement(liveCount(` AND id ${ahead.op} ?`));
    const countRange = this.statement(liveCount(range.join('')));
    return this.snapshot(() => {
      const rows = page
        .all(doctype, ...bounds, limit, skip)
        .map((row): AllDocsRow =>
          query.includeDocs
            ? { id: row.id, rev: row.rev, body: JSON.parse(row.body) as DocBody }
            : { id: row.id, rev: row.rev },
        );
      const before = countAhead ? countOf(countAhead.get(doctype, ahead.value, doctype, ahead.value)) : 0;
      const inRange = offsetNeedsRange(skip, rows.length)
        ? countOf(countRange.get(doctype, ...bounds, doctype, ...bounds))
        : undefined;
      return {
        totalRows: this.doctypeStmt.get(doctype)?.doc_count ?? 0,
        offset: allDocsOffset(before, skip, inRange),
        rows,
      };
    });
  }

  private statement(sql: string): Database.Statement<unknown[], SqliteDocRow & { n: number }> {
    return this.allDocsStmts.get(sql);
  }

  async changes(query: ChangesQuery): Promise<ChangesResult> {
    checkChangesQuery(query);
    const { limit } = pageSize(query);
    return this.snapshot(() => {
      const updateSeq = this.seqStmt.get()?.value ?? 0;
      const { doctype, since } = query;
      let results;
      if (doctype === undefined) {
        results = this.changesAll.all(since, limit).map((r) => toChangeRow(r.doctype, toDocRow(r), query));
      } else if (query.docIds === undefined) {
        results = this.changesOne
          .all(doctype, since, limit)
          .map((r) => toChangeRow(doctype, toDocRow(r), query));
      } else {
        const rows = [...new Set(query.docIds)]
          .map((id) => this.row(doctype, id))
          .filter((row): row is DocRow => row !== null && row.seq > since)
          .sort((a, b) => a.seq - b.seq);
        results = (limit >= 0 ? rows.slice(0, limit) : rows).map((r) => toChangeRow(doctype, r, query));
      }
      return { results, lastSeq: lastSeqOf(results, limit, since, updateSeq) };
    });
  }

  async updateSeq(): Promise<number> {
    return this.seqStmt.get()?.value ?? 0;
  }

  async doctypeInfo(doctype: string): Promise<DoctypeInfo> {
    const row = this.doctypeStmt.get(doctype);
    return row ? toInfo(row) : { doctype, docCount: 0, docDelCount: 0, updateSeq: 0 };
  }

  async listDoctypes(): Promise<DoctypeInfo[]> {
    return this.doctypesStmt.all().map(toInfo);
  }
}
