import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  fts5Match,
  indexTokens,
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
 * Ranks the `window` most recent matches (rowids are change seqs): the scalar subquery finds the rowid
 * of the window-th newest match by walking the index backwards, and FTS5 then scores only rows from
 * there on. Ties go to the newer entry. Only the page is joined to `search_docs`.
 */
const SEARCH = `SELECT d.doctype, d.id, d.rev, h.rank
  FROM (SELECT rowid AS doc_row, bm25(search_fts, ${WEIGHTS}) AS rank FROM search_fts
        WHERE search_fts MATCH @match
          AND rowid >= coalesce((SELECT rowid FROM search_fts WHERE search_fts MATCH @match
                                 ORDER BY rowid DESC LIMIT 1 OFFSET @window - 1), 0)
        ORDER BY rank, rowid DESC LIMIT @limit OFFSET @offset) h
  JOIN search_docs d ON d.doc_row = h.doc_row
  ORDER BY h.rank, h.doc_row DESC`;

/**
 * The one token of the `kind` column that stands for a doctype. It starts with a private-use
 * character, which no query word can hold (see data/search/fold.ts), so the user's words never match
 * it and need no column filter.
 */
function kindToken(doctype: string): string {
  return `\uE000${createHash('sha256').update(doctype).digest('hex')}`;
}

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
  private readonly findRow: Database.Statement<[string, string], { doc_row: number }>;
  private readonly insertRow: Database.Statement<[number, string, string, string]>;
  private readonly deleteRow: Database.Statement<[number]>;
  private readonly ftsInsert: Database.Statement<[number, string, string, string]>;
  private readonly ftsDelete: Database.Statement<[number]>;
  private readonly searchStmt: Database.Statement<[SearchParams], HitRow>;
  private readonly docBody: Database.Statement<[string, string], { body: string }>;
  private readonly reindexChunk: (doctype: string, after: string) => { indexed: number; last: string | null };

  constructor(
    private readonly db: Database.Database,
    private readonly registry: SearchRegistry,
    /** How many recent matches a search ranks (tests make it small). */
    private readonly rankedMatches = RANKED_MATCHES,
  ) {
    this.findRow = db.prepare('SELECT doc_row FROM search_docs WHERE doctype = ? AND id = ?');
    this.insertRow = db.prepare('INSERT INTO search_docs (doc_row, doctype, id, rev) VALUES (?, ?, ?, ?)');
    this.deleteRow = db.prepare('DELETE FROM search_docs WHERE doc_row = ?');
    this.ftsInsert = db.prepare('INSERT INTO search_fts (rowid, title, body, kind) VALUES (?, ?, ?, ?)');
    this.ftsDelete = db.prepare('DELETE FROM search_fts WHERE rowid = ?');
    this.searchStmt = db.prepare(SEARCH);
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
      let indexed = 0;
      for (const row of rows) {
        const text = this.registry.extract(doctype, JSON.parse(row.body));
        if (this.put(doctype, row, text)) indexed++;
      }
      return { indexed, last };
    });
  }

  /** Keeps the entries of searchable doctypes in step; runs inside the write transaction. */
  onWrite(db: Database.Database, doctype: string, written: readonly WrittenDoc[]): void {
    if (db !== this.db) throw new Error('this search index belongs to another database');
    if (!this.registry.isSearchable(doctype)) return;
    for (const doc of written) {
      this.put(doctype, doc, doc.doc === null ? null : this.registry.extract(doctype, doc.doc));
    }
  }

  async search(text: string, options: SearchOptions): Promise<SearchResults> {
    const query = parseSearchQuery(text);
    const { limit, offset, window } = searchPage(options, this.rankedMatches);
    if (options.doctypes !== 'all' && options.doctypes.length === 0) return { hits: [], hasMore: false };
    const rows = this.searchStmt.all({
      match: matchExpression(query, options.doctypes),
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
   * Replaces the entry of one document by a row numbered with its seq (so rowid order is recency);
   * null text, or text without a word, removes it. Says whether an entry was kept.
   */
  private put(
    doctype: string,
    doc: { id: string; rev: string; seq: number },
    text: SearchText | null,
  ): boolean {
    const row = this.findRow.get(doctype, doc.id)?.doc_row;
    if (row !== undefined) this.drop(row);
    const tokens = text === null ? null : indexTokens(text);
    if (tokens === null || tokens.title.length + tokens.body.length === 0) return false;
    this.insertRow.run(doc.seq, doctype, doc.id, doc.rev);
    this.ftsInsert.run(doc.seq, tokens.title.join(' '), tokens.body.join(' '), kindToken(doctype));
    return true;
  }

  private drop(row: number): void {
    this.ftsDelete.run(row);
    this.deleteRow.run(row);
  }
}
