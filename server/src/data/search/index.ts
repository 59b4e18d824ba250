/**
 * Search as pure functions: which doctypes and fields are searchable (registry.ts), the text a document
 * contributes (extract.ts), folding and tokens (fold.ts), what gets indexed (entry.ts; fts5-text.ts for SQLite), query parsing
 * into engine syntax (query.ts), and highlighted snippets (snippet.ts). The store adapters
 * (ports/store/{sqlite,postgres}/search.ts) run them; neither engine tokenises or highlights on its own, so SQLite and
 * PostgreSQL find the same documents and show the same snippets.
 */
export { clipToken, fold, MAX_TOKEN_LENGTH, tokenize } from './fold.js';
export {
  extractSearchText,
  MAX_BODY_CHARS,
  MAX_TITLE_CHARS,
  parseSearchPath,
  type FieldPath,
  type SearchText,
} from './extract.js';
export { SEARCHABLE, SearchRegistry, type SearchFields } from './registry.js';
export {
  DEFAULT_SEARCH_LIMIT,
  fts5Match,
  MAX_QUERY_LENGTH,
  MAX_QUERY_WORDS,
  MAX_SEARCH_LIMIT,
  MAX_SEARCH_OFFSET,
  parseSearchQuery,
  RANKED_MATCHES,
  searchPage,
  tsqueryText,
  type SearchClause,
  type SearchOptions,
  type SearchQuery,
} from './query.js';
export {
  escapeHtml,
  highlight,
  queryMatcher,
  snippet,
  SNIPPET_LENGTH,
  type TokenMatcher,
} from './snippet.js';
export {
  indexTokens,
  MAX_INDEXED_TOKENS,
  presentHit,
  tsvectorText,
  type HitText,
  type IndexTokens,
} from './entry.js';
export { fts5Text, type Fts5Text } from './fts5-text.js';
