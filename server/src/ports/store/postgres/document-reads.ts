import type pg from 'pg';
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
  AllDocsResult,
  ChangesQuery,
  ChangesResult,
  DocBody,
  DoctypeInfo,
  OpenRevsRequest,
  OpenRevsResult,
  StoredDoc,
} from '../documents.js';
import { snapshot } from './transaction.js';

/** A docs row as pg returns it (BIGINT as text). */
export interface PgDocRow {
  id: string;
  rev: string;
  deleted: boolean;
  seq: string;
  tree: string;
  body: string;
}

export const toDocRow = (row: PgDocRow): DocRow => ({ ...row, seq: Number(row.seq) });

export const DOC_COLUMNS = 'id, rev, deleted, seq, tree, body';

interface DoctypeRow {
  doctype: string;
  doc_count: string;
  doc_del_count: string;
  update_seq: string;
}

const toInfo = (row: DoctypeRow): DoctypeInfo => ({
  doctype: row.doctype,
  docCount: Number(row.doc_count),
  docDelCount: Number(row.doc_del_count),
  updateSeq: Number(row.update_seq),
});

/**
 * The read half of the PostgreSQL document store: one round trip per call where it can (ids are sent
 * as arrays), ids compared with `COLLATE "C"` (code-point order, like SQLite's BINARY).
 */
export class PostgresDocumentReads {
  constructor(
    protected readonly pool: pg.Pool,
    /** The quoted instance schema. */
    protected readonly s: string,
  ) {}

  /** Rows of the given ids, by id. */
  protected async rows(q: pg.Pool | pg.PoolClient, doctype: string, ids: readonly string[], lock = false) {
    const { rows } = await q.query<PgDocRow>(
      `SELECT ${DOC_COLUMNS} FROM ${this.s}.docs WHERE doctype = $1 AND id = ANY($2::text[])${lock ? ' FOR UPDATE' : ''}`,
      [doctype, ids],
    );
    return new Map(rows.map((row) => [row.id, toDocRow(row)]));
  }

  async getDocs(doctype: string, ids: readonly string[]): Promise<(StoredDoc | null)[]> {
    const rows = await this.rows(this.pool, doctype, ids);
    return ids.map((id) => {
      const row = rows.get(id);
      return row ? toStoredDoc(row) : null;
    });
  }

  async getTrees(doctype: string, ids: readonly string[]): Promise<Map<string, RevTree>> {
    const { rows } = await this.pool.query<{ id: string; tree: string }>(
      `SELECT id, tree FROM ${this.s}.docs WHERE doctype = $1 AND id = ANY($2::text[])`,
      [doctype, ids],
    );
    return new Map(rows.map((row) => [row.id, parseTreeText(row.tree)]));
  }

  async openRevs(doctype: string, requests: readonly OpenRevsRequest[]): Promise<OpenRevsResult[]> {
    const rows = await this.rows(
      this.pool,
      doctype,
      requests.map((r) => r.id),
    );
    const wantIds: string[] = [];
    const wantRevs: string[] = [];
    for (const { id, revs } of requests) {
      const row = rows.get(id);
      if (!row) continue;
      for (const rev of otherLeavesWanted(row, parseTreeText(row.tree), revs)) {
        wantIds.push(id);
        wantRevs.push(rev);
      }
    }
    const others = new Map<string, Map<string, string>>();
    if (wantIds.length > 0) {
      // A write committed in between may have changed the leaves: such a revision then reads as missing.
      const { rows: found } = await this.pool.query<{ id: string; rev: string; body: string }>(
        `SELECT l.id, l.rev, l.body FROM ${this.s}.doc_leaves l
         JOIN unnest($2::text[], $3::text[]) AS w (id, rev) ON l.id = w.id AND l.rev = w.rev
         WHERE l.doctype = $1`,
        [doctype, wantIds, wantRevs],
      );
      for (const { id, rev, body } of found) {
        if (!others.has(id)) others.set(id, new Map());
        others.get(id)?.set(rev, body);
      }
    }
    return requests.map(({ id, revs }) =>
      resolveOpenRevs(id, rows.get(id) ?? null, revs, others.get(id) ?? new Map()),
    );
  }

  /**
   * One REPEATABLE READ transaction, so the page, the counts behind `offset` and `total_rows` come
   * from the same snapshot, as on SQLite.
   */
  async allDocs(doctype: string, query: AllDocsQuery): Promise<AllDocsResult> {
    const { limit, skip } = pageSize(query);
    const { lower, upper } = idBounds(query);
    // Conditions on ids (` AND id >= $2`…), their values after the doctype's $1.
    const bounds: string[] = [];
    let range = '';
    if (lower) {
      bounds.push(lower.value);
      range += ` AND id ${lower.inclusive ? '>=' : '>'} $${bounds.length + 1}`;
    }
    if (upper) {
      bounds.push(upper.value);
      range += ` AND id ${upper.inclusive ? '<=' : '<'} $${bounds.length + 1}`;
    }
    const cols = query.includeDocs ? 'id, rev, body' : 'id, rev';
    const ahead = aheadOfStart(query);
    return snapshot(this.pool, async (client) => {
      const { rows } = await client.query<{ id: string; rev: string; body?: string }>(
        `SELECT ${cols} FROM ${this.s}.docs WHERE doctype = $1 AND NOT deleted${range}
         ORDER BY id ${query.descending ? 'DESC' : 'ASC'}
         LIMIT $${bounds.length + 2} OFFSET $${bounds.length + 3}`,
        [doctype, ...bounds, limit < 0 ? null : limit, skip],
      );
      // Live documents with ids in a range: all of them by the primary key, less the tombstones by
      // their partial index (reading each row for `deleted` would be far slower on a big doctype).
      const liveCount = async (range: string, values: unknown[]): Promise<number> => {
        const { rows: counted } = await client.query<{ n: string }>(
          `SELECT (SELECT count(*) FROM ${this.s}.docs WHERE doctype = $1${range})
             - (SELECT count(*) FROM ${this.s}.docs WHERE doctype = $1 AND deleted${range}) AS n`,
          [doctype, ...values],
        );
        return Number(counted[0]?.n ?? 0);
      };
      const before = ahead ? await liveCount(` AND id ${ahead.op} $2`, [ahead.value]) : 0;
      const inRange = offsetNeedsRange(skip, rows.length) ? await liveCount(range, bounds) : undefined;
      const info = await client.query<{ doc_count: string }>(
        `SELECT doc_count FROM ${this.s}.doctypes WHERE doctype = $1`,
        [doctype],
      );
      return {
        totalRows: Number(info.rows[0]?.doc_count ?? 0),
        offset: allDocsOffset(before, skip, inRange),
        rows: rows.map((row) =>
          row.body === undefined
            ? { id: row.id, rev: row.rev }
            : { id: row.id, rev: row.rev, body: JSON.parse(row.body) as DocBody },
        ),
      };
    });
  }

  /**
   * Reads the counter first, then only rows at or below it: writers hold the counter row locked until
   * they commit, so every change up to that value is visible and none above it is half seen.
   */
  async changes(query: ChangesQuery): Promise<ChangesResult> {
    checkChangesQuery(query);
    const { limit } = pageSize(query);
    const { doctype, since } = query;
    const updateSeq = await this.updateSeq();
    const params: unknown[] = [since, updateSeq, limit < 0 ? null : limit];
    let where = 'seq > $1 AND seq <= $2';
    if (doctype !== undefined) {
      params.push(doctype);
      where += ` AND doctype = $${params.length}`;
    }
    if (query.docIds !== undefined) {
      params.push([...new Set(query.docIds)]);
      where += ` AND id = ANY($${params.length}::text[])`;
    }
    const { rows } = await this.pool.query<PgDocRow & { doctype: string }>(
      `SELECT doctype, ${DOC_COLUMNS} FROM ${this.s}.docs WHERE ${where} ORDER BY seq LIMIT $3`,
      params,
    );
    const results = rows.map((row) => toChangeRow(row.doctype, toDocRow(row), query));
    return { results, lastSeq: lastSeqOf(results, limit, since, updateSeq) };
  }

  async updateSeq(): Promise<number> {
    const { rows } = await this.pool.query<{ value: string }>(
      `SELECT value FROM ${this.s}.doc_seq WHERE id = 0`,
    );
    return Number(rows[0]?.value ?? 0);
  }

  async doctypeInfo(doctype: string): Promise<DoctypeInfo> {
    const { rows } = await this.pool.query<DoctypeRow>(
      `SELECT * FROM ${this.s}.doctypes WHERE doctype = $1`,
      [doctype],
    );
    return rows[0] ? toInfo(rows[0]) : { doctype, docCount: 0, docDelCount: 0, updateSeq: 0 };
  }

  async listDoctypes(): Promise<DoctypeInfo[]> {
    const { rows } = await this.pool.query<DoctypeRow>(`SELECT * FROM ${this.s}.doctypes ORDER BY doctype`);
    return rows.map(toInfo);
  }
}
