import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  fts5Match,
  fts5Text,
  parseSearchQuery,
  presentHit,
  queryMatcher,
  RANKED_MATCHES,
  searchPage,
  type SearchOptions,
  type SearchQuery,
  type SearchRegistry,
  type SearchText,
} from '../../../data/search/index.js';
import type { WrittenDoc } from '../documents.js';
import type { SearchHit, SearchIndex, SearchResults } from '../search-index.js';
import type { SqliteWriteParticipant } from './documents.js';
import { multiInsert } from './multi-insert.js';

/** bm25 column weights: a word in the title counts five times a word in the body; `kind` is a filter. */
const WEIGHTS = '5, 1, 0';
/** Documents per reindex transaction: small enough to keep other work flowing between chunks. */
const REINDEX_CHUNK = 500;

interface HitRow {
  doctype: string;
  id: string;
  rev: string;
  rank: number;
}

interface IndexedRow {
  doc_row: number;
  id: string;
}

interface SearchParams {
  match: string;
  window: number;
  limit: number;
  offset: number;
}

/**
 * Ranks the `window` most recent matches (rowids are change seqs): FTS5 walks the matches newest
 * first and scores only those `window`, which are then sorted by score, ties to the newer entry. The
 * MATCH is evaluated once: a prefix without its own index (three letters or more, search-schema.ts)
 * merges the lists of every word it starts, and doing that twice (once to find the window's oldest
 * rowid, once to score from there) made such queries twice as slow. Only the page is joined to
 * `search_docs`. The counts are `(@x + 0)` for the reason given at BOUND_COUNT (statements.ts).
 */
const SEARCH = `SELECT d.doctype, d.id, d.rev, h.rank
  FROM (SELECT doc_row, rank FROM
          (SELECT rowid AS doc_row, bm25(search_fts, ${WEIGHTS}) AS rank FROM search_fts
            WHERE search_fts MATCH @match ORDER BY rowid DESC LIMIT (@window + 0))
        ORDER BY rank, doc_row DESC LIMIT (@limit + 0) OFFSET (@offset + 0)) h
  JOIN search_docs d ON d.doc_row = h.doc_row
  ORDER BY h.rank, h.doc_row DESC`;

/**
 * The one token of the `kind` column that stands for a doctype. It starts with a private-use
 * character, which no query word can hold (see data/search/fold.ts), so the user's words never match
 * it and need no column filter.
 */
function kindToken(doctype: string): string {
  let token = kindTokens.get(doctype);
  if (token === undefined) {
    token = `\uE000${createHash('sha256').update(doctype).digest('hex')}`;
    kindTokens.set(doctype, token);
  }
  return token;
}
/** Hashing a doctype name once per write of one document was a measurable share of bulk writes. */
const kindTokens = new Map<string, string>();

/** The MATCH expression: the user's clauses, and the doctype filter on the kind tokens. */
function matchExpression(query: SearchQuery, doctypes: readonly string[] | 'all'): string {
  const words = fts5Match(query);
  if (doctypes === 'all') return words;
  return `(${words}) AND (${doctypes.map((d) => `"${kindToken(d)}"`).join(' OR ')})`;
}

/**
 * The SQLite search index (schema: search-schema.ts). Register it with the instance's
 * `documents.addParticipant` so every write updates the index in its own transaction; then search it.
 * Searches and snippet reads run synchronously on the instance's one connection, so a page of hits
 * and the documents it shows come from the same committed state.
 */
export class SqliteSearch implements SearchIndex, SqliteWriteParticipant {
  private readonly findRows: Database.Statement<[string, string], IndexedRow>;
  private readonly insertRows: (rows: readonly (readonly unknown[])[]) => void;
  private readonly deleteRow: Database.Statement<[number]>;
  private readonly ftsInsert: (rows: readonly (readonly unknown[])[]) => void;
  private readonly ftsDelete: Database.Statement<[number]>;
  private readonly searchStmt: Database.Statement<[SearchParams], HitRow>;
  private readonly docBody: Database.Statement<[string, string], { body: string }>;
  private readonly indexedDoctypes: Database.Statement<[], { doctype: string }>;
  private readonly reindexChunk: (doctype: string, after: string) => { indexed: number; last: string | null };

  constructor(
    private readonly db: Database.Database,
    private readonly registry: SearchRegistry,
    /** How many recent matches a search ranks (tests make it small). */
    private readonly rankedMatches = RANKED_MATCHES,
  ) {
    this.findRows = db.prepare(
      'SELECT doc_row, id FROM search_docs WHERE doctype = ? AND id IN (SELECT value FROM json_each(?))',
    );
    this.insertRows = multiInsert(db, 'search_docs', ['doc_row', 'doctype', 'id', 'rev']);
    this.deleteRow = db.prepare('DELETE FROM search_docs WHERE doc_row = ?');
    this.ftsInsert = multiInsert(db, 'search_fts', ['rowid', 'title', 'body', 'kind']);
    this.ftsDelete = db.prepare('DELETE FROM search_fts WHERE rowid = ?');
    this.searchStmt = db.prepare(SEARCH);
    // The distinct doctypes of search_docs, one index seek each (a DISTINCT would read every entry).
    this.indexedDoctypes = db.prepare(`WITH RECURSIVE t (doctype) AS (
        SELECT min(doctype) FROM search_docs
        UNION ALL SELECT (SELECT min(doctype) FROM search_docs WHERE doctype > t.doctype) FROM t
        WHERE t.doctype IS NOT NULL)
      SELECT doctype FROM t WHERE doctype IS NOT NULL`);
    this.docBody = db.prepare('SELECT body FROM docs WHERE doctype = ? AND id = ? AND deleted = 0');

    const live = db.prepare<[string, string, number], { id: string; rev: string; seq: number; body: string }>(
      'SELECT id, rev, seq, body FROM docs WHERE doctype = ? AND deleted = 0 AND id > ? ORDER BY id LIMIT ?',
    );
    const indexedUpTo = db.prepare<[string, string, string], IndexedRow>(
      'SELECT doc_row, id FROM search_docs WHERE doctype = ? AND id > ? AND id <= ?',
    );
    const indexedAfter = db.prepare<[string, string], IndexedRow>(
      'SELECT doc_row, id FROM search_docs WHERE doctype = ? AND id > ?',
    );
    // One chunk: the live documents with ids after `after`, and the entries in the same id range,
    // which are dropped unless a live document still stands for them. The last chunk's range is open.
    this.reindexChunk = db.transaction((doctype: string, after: string) => {
      const rows = live.all(doctype, after, REINDEX_CHUNK);
      const last = rows.length === REINDEX_CHUNK ? (rows[rows.length - 1]?.id ?? null) : null;
      const existing =
        last === null ? indexedAfter.all(doctype, after) : indexedUpTo.all(doctype, after, last);
      const ids = new Set(rows.map((row) => row.id));
      for (const entry of existing) if (!ids.has(entry.id)) this.drop(entry.doc_row);
      const entries = rows.map((row) => ({
        ...row,
        text: this.registry.extract(doctype, JSON.parse(row.body)),
      }));
      return { indexed: this.put(doctype, entries), last };
    });
  }

  /** Keeps the entries of searchable doctypes in step; runs inside the write transaction. */
  onWrite(db: Database.Database, doctype: string, written: readonly WrittenDoc[]): void {
    if (db !== this.db) throw new Error('this search index belongs to another database');
    if (!this.registry.isSearchable(doctype)) return;
    this.put(
      doctype,
      written.map((w) => ({
        id: w.id,
        rev: w.rev,
        seq: w.seq,
        text: w.doc === null ? null : this.registry.extract(doctype, w.doc),
      })),
    );
  }

  async search(text: string, options: SearchOptions): Promise<SearchResults> {
    const query = parseSearchQuery(text);
    const { limit, offset, window } = searchPage(options, this.rankedMatches);
    if (options.doctypes !== 'all' && options.doctypes.length === 0) return { hits: [], hasMore: false };
    const rows = this.searchStmt.all({
      match: matchExpression(query, this.filterFor(options.doctypes)),
      window,
      limit: limit + 1,
      offset,
    });
    const allowed = options.doctypes === 'all' ? null : new Set(options.doctypes);
    const matches = queryMatcher(query);
    const hits: SearchHit[] = [];
    for (const row of rows.slice(0, limit)) {
      if (allowed !== null && !allowed.has(row.doctype)) continue; // never, short of a sha256 collision
      const stored = this.docBody.get(row.doctype, row.id);
      if (stored === undefined) continue;
      const shown = presentHit(this.registry, row.doctype, JSON.parse(stored.body), matches);
      hits.push({ doctype: row.doctype, id: row.id, rev: row.rev, score: -row.rank, ...shown });
    }
    return { hits, hasMore: rows.length > limit };
  }

  /**
   * The doctypes a search must filter on, or 'all' when the caller may read every doctype that has
   * entries: the filter is an OR over the big doclists of the kind tokens, and leaving it out halves
   * the time of a typical search. The hits are still checked against the caller's doctypes.
   */
  private filterFor(doctypes: readonly string[] | 'all'): readonly string[] | 'all' {
    if (doctypes === 'all') return doctypes;
    const allowed = new Set(doctypes);
    const indexed = this.indexedDoctypes.all().map((row) => row.doctype);
    return indexed.every((doctype) => allowed.has(doctype)) ? 'all' : doctypes;
  }

  async reindex(doctype: string): Promise<number> {
    let after = '';
    let total = 0;
    for (;;) {
      const { indexed, last } = this.reindexChunk(doctype, after);
      total += indexed;
      if (last === null) return total;
      after = last;
      await nextTurn();
    }
  }

  /**
   * Replaces the entries of these documents (distinct ids) by rows numbered with their seqs (so rowid
   * order is recency); null text, or text without a word, removes an entry. The old entries are found
   * with one statement and the new ones written a few dozen rows per statement: this runs inside every
   * bulk write. Says how many entries were kept.
   */
  private put(
    doctype: string,
    docs: readonly { id: string; rev: string; seq: number; text: SearchText | null }[],
  ): number {
    if (docs.length === 0) return 0;
    const ids = JSON.stringify(docs.map((doc) => doc.id));
    for (const { doc_row: row } of this.findRows.all(doctype, ids)) this.drop(row);
    const kind = kindToken(doctype);
    const rows: unknown[][] = [];
    const fts: unknown[][] = [];
    for (const doc of docs) {
      const text = doc.text === null ? null : fts5Text(doc.text);
      if (text === null) continue;
      rows.push([doc.seq, doctype, doc.id, doc.rev]);
      fts.push([doc.seq, text.title, text.body, kind]);
    }
    this.insertRows(rows);
    this.ftsInsert(fts);
    return rows.length;
  }

  private drop(row: number): void {
    this.ftsDelete.run(row);
    this.deleteRow.run(row);
  }
}
