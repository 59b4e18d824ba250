import type { Transport } from './transport.js';

export interface SearchOptions {
  /** Only these doctypes (default: every searchable doctype the token may read). */
  doctypes?: string[];
  /** At most 100 (default 20). */
  limit?: number;
  offset?: number;
  signal?: AbortSignal;
}

/** One ranked hit. `titleHtml` and `snippet` are escaped HTML with the matches in `<mark>`. */
export interface SearchHit {
  doctype: string;
  id: string;
  rev: string;
  score: number;
  title: string;
  titleHtml: string;
  snippet: string;
}

export interface SearchResult {
  results: SearchHit[];
  hasMore: boolean;
}

/** Full-text search across doctypes (docs/search.md): words are prefixes, quoted text a phrase. */
export function search(transport: Transport, q: string, options: SearchOptions = {}): Promise<SearchResult> {
  return transport.json('/search', {
    query: {
      q,
      doctypes: options.doctypes?.join(','),
      limit: options.limit,
      offset: options.offset,
    },
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
