import type pg from 'pg';
import {
  indexTokens,
  parseSearchQuery,
  presentHit,
  queryMatcher,
  RANKED_MATCHES,
  searchPage,
  tsqueryText,
  tsvectorText,
  type SearchOptions,
  type SearchRegistry,
  type SearchText,
} from '../../../data/search/index.js';
import type { WrittenDoc } from '../documents.js';
import type { SearchHit, SearchIndex, SearchResults } from '../search-index.js';
import type { PostgresWriteParticipant } from './documents.js';
import { inTransaction } from './transaction.js';

/** Documents per reindex transaction: writers wait for each chunk, so keep it short. */
const REINDEX_CHUNK = 500;
/** ts_rank_cd normalisation 1: divide by 1 + log(length), so long bodies do not win by size alone. */
const RANK_NORMALISATION = 1;

interface Entry {
  id: string;
  rev: string;
  seq: number | string;
  text: SearchText | null;
}

interface HitRow {
  doctype: string;
  id: string;
  rev: string;
  score: number;
  body: string | null;
}

/**
 * The PostgreSQL search index (schema: search-schema.ts). Register it with the instance's
 * `documents.addParticipant` so every write updates the index on the write's own transaction; then
 * search it. Ranking is ts_rank_cd with the default weights (title A = 1.0, body B = 0.4).
 */
export class PostgresSearch implements SearchIndex, PostgresWriteParticipant {
  constructor(
    private readonly pool: pg.Pool,
    /** The instance's quoted schema name. */
    private readonly s: string,
    private readonly registry: SearchRegistry,
    /** How many recent matches a search ranks (tests make it small). */
    private readonly rankedMatches = RANKED_MATCHES,
  ) {}

  /** Keeps the entries of searchable doctypes in step; runs on the write transaction's client. */
  /** Entries written since the planner last saw fresh statistics of the index. */
  private sinceAnalyze = 0;

  async onWrite(client: pg.PoolClient, doctype: string, written: readonly WrittenDoc[]): Promise<void> {
    if (!this.registry.isSearchable(doctype)) return;
    this.analyzeAfterBulk(written.length);
    const entries = written.map((doc) => ({
      id: doc.id,
      rev: doc.rev,
      seq: doc.seq,
      text: doc.doc === null ? null : this.registry.extract(doctype, doc.doc),
    }));
    await this.store(client, doctype, entries);
  }

  /**
   * The search query's plan (walk recent entries, or look words up in the GIN index) depends on how
   * common the words are; with stale statistics after a bulk import PostgreSQL picks the wrong one and a
   * rare word takes 100 ms instead of 5. Autovacuum would analyze eventually; we do it a second after
   * every 5000 new entries, outside the write's transaction.
   */
  private analyzeAfterBulk(count: number): void {
    this.sinceAnalyze += count;
    if (this.sinceAnalyze < 5000) return;
    this.sinceAnalyze = 0;
    setTimeout(() => {
      this.pool.query(`ANALYZE ${this.s}.search_docs`).catch(() => undefined);
    }, 1000).unref();
  }

  async search(text: string, options: SearchOptions): Promise<SearchResults> {
    const query = parseSearchQuery(text);
    const { limit, offset, window } = searchPage(options, this.rankedMatches);
    if (options.doctypes !== 'all' && options.doctypes.length === 0) return { hits: [], hasMore: false };
    const doctypes = options.doctypes === 'all' ? null : [...options.doctypes];
    // One statement: the ranked page and the documents it shows come from one snapshot. Only the
    // `window` most recent matches are ranked (see RANKED_MATCHES).
    const { rows } = await this.pool.query<HitRow>(
      `WITH recent AS (
         SELECT s.doctype, s.id, s.rev, s.seq, s.tsv FROM ${this.s}.search_docs s
         WHERE s.tsv @@ $1::tsquery AND ($2::text[] IS NULL OR s.doctype = ANY ($2::text[]))
         ORDER BY s.seq DESC LIMIT $5),
       hits AS (
         SELECT r.doctype, r.id, r.rev, r.seq, ts_rank_cd(r.tsv, $1::tsquery, ${RANK_NORMALISATION}) AS score
         FROM recent r ORDER BY score DESC, r.seq DESC LIMIT $3 OFFSET $4)
       SELECT h.doctype, h.id, h.rev, h.score, d.body
       FROM hits h LEFT JOIN ${this.s}.docs d ON d.doctype = h.doctype AND d.id = h.id AND NOT d.deleted
       ORDER BY h.score DESC, h.seq DESC`,
      [tsqueryText(query), doctypes, limit + 1, offset, window],
    );
    const matches = queryMatcher(query);
    const hits: SearchHit[] = [];
    for (const row of rows.slice(0, limit)) {
      if (row.body === null) continue;
      const shown = presentHit(this.registry, row.doctype, JSON.parse(row.body), matches);
      hits.push({ doctype: row.doctype, id: row.id, rev: row.rev, score: row.score, ...shown });
    }
    return { hits, hasMore: rows.length > limit };
  }

  async reindex(doctype: string): Promise<number> {
    let after = '';
    let total = 0;
    for (;;) {
      const { indexed, last } = await this.transaction((client) => this.reindexChunk(client, doctype, after));
      total += indexed;
      if (last === null) return total;
      after = last;
    }
  }

  /**
   * One chunk: the live documents with ids after `after`, and the entries in the same id range, which
   * go unless a live document still stands for them (the last chunk's range is open). Holding the
   * instance's counter row, as writers do, keeps a write from landing between the read and the store.
   */
  private async reindexChunk(client: pg.PoolClient, doctype: string, after: string) {
    await client.query(`SELECT value FROM ${this.s}.doc_seq WHERE id = 0 FOR UPDATE`);
    const { rows } = await client.query<{ id: string; rev: string; seq: string; body: string }>(
      `SELECT id, rev, seq, body FROM ${this.s}.docs
       WHERE doctype = $1 AND NOT deleted AND id > $2 ORDER BY id LIMIT $3`,
      [doctype, after, REINDEX_CHUNK],
    );
    const last = rows.length === REINDEX_CHUNK ? (rows[rows.length - 1]?.id ?? null) : null;
    await client.query(
      `DELETE FROM ${this.s}.search_docs WHERE doctype = $1 AND id > $2 AND ($3::text IS NULL OR id <= $3)
         AND id <> ALL ($4::text[])`,
      [doctype, after, last, rows.map((row) => row.id)],
    );
    const entries = rows.map((row) => ({
      id: row.id,
      rev: row.rev,
      seq: row.seq,
      text: this.registry.extract(doctype, JSON.parse(row.body)),
    }));
    return { indexed: await this.store(client, doctype, entries), last };
  }

  /** Upserts the entries with words and deletes the others; resolves to how many were kept. */
  private async store(client: pg.PoolClient, doctype: string, entries: readonly Entry[]): Promise<number> {
    const keep: { id: string; rev: string; seq: string; tsv: string }[] = [];
    const drop: string[] = [];
    for (const entry of entries) {
      const tokens = entry.text === null ? null : indexTokens(entry.text);
      if (tokens === null || tokens.title.length + tokens.body.length === 0) drop.push(entry.id);
      else keep.push({ id: entry.id, rev: entry.rev, seq: String(entry.seq), tsv: tsvectorText(tokens) });
    }
    if (drop.length > 0) {
      await client.query(`DELETE FROM ${this.s}.search_docs WHERE doctype = $1 AND id = ANY ($2::text[])`, [
        doctype,
        drop,
      ]);
    }
    if (keep.length > 0) {
      await client.query(
        `INSERT INTO ${this.s}.search_docs (doctype, id, rev, seq, tsv)
         SELECT $1, u.id, u.rev, u.seq, u.tsv::tsvector
         FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[]) AS u (id, rev, seq, tsv)
         ON CONFLICT (doctype, id) DO UPDATE SET rev = excluded.rev, seq = excluded.seq, tsv = excluded.tsv`,
        [
          doctype,
          keep.map((k) => k.id),
          keep.map((k) => k.rev),
          keep.map((k) => k.seq),
          keep.map((k) => k.tsv),
        ],
      );
    }
    return keep.length;
  }

  private transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }
}
