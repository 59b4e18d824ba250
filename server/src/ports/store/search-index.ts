import type { SearchOptions } from '../../data/search/index.js';

export type { SearchOptions } from '../../data/search/index.js';

/**
 * The full-text index of one instance's documents. Each adapter keeps it as a write participant of its
 * document store, so an entry changes in the same transaction as its document: a batch that rolls back
 * leaves the index as it was, and a search never finds a document in a state that was not committed.
 *
 * What is searchable comes from a SearchRegistry (data/search/registry.ts): documents of other
 * doctypes are never indexed. Tokens, query syntax and snippets come from data/search, so every
 * adapter finds the same documents and returns the same titles and snippets; only scores (bm25 on
 * SQLite, ts_rank_cd on PostgreSQL) differ, while both rank a title match above a body match.
 */
export interface SearchIndex {
  /**
   * Documents matching every word of `query` (words as prefixes, quoted phrases as whole words; see
   * parseSearchQuery), best first, the most recently written first among equals. Only doctypes listed in `options.doctypes`
   * are searched: the caller passes the ones it may read, and an empty list finds nothing. When more
   * than RANKED_MATCHES documents match, only the most recently written RANKED_MATCHES are ranked and
   * paged through (the same window for every page). Throws BadRequest for an empty, oversized or
   * unusable query, or a limit or offset out of range.
   */
  search(query: string, options: SearchOptions): Promise<SearchResults>;

  /**
   * Rebuilds the entries of one doctype from the documents stored now: after a doctype is declared
   * searchable, its fields change, or it stops being searchable (then its entries go). Runs in chunks,
   * each atomic with respect to writes, so the store stays usable meanwhile. Resolves to the number
   * of documents indexed.
   */
  reindex(doctype: string): Promise<number>;
}

/** One document found. */
export interface SearchHit {
  doctype: string;
  id: string;
  /** The revision that was indexed (the winning one at the last write). */
  rev: string;
  /** Relevance, higher is better; comparable within one result list only. */
  score: number;
  /** The document's title as plain text (empty when its title fields are). */
  title: string;
  /** The title as HTML: escaped, with the matched words in `<mark>…</mark>`. */
  titleHtml: string;
  /** About 160 characters of body text around the first match, as HTML like `titleHtml`. */
  snippet: string;
}

export interface SearchResults {
  hits: SearchHit[];
  /** Whether another page follows (cheaper than a total, which would rank every match). */
  hasMore: boolean;
}
