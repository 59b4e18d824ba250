import { BadRequest } from '../../errors.js';
import { MAX_TOKEN_LENGTH, tokenize } from './fold.js';

/** Longest query accepted, in characters. */
export const MAX_QUERY_LENGTH = 256;
/** Most words a query may hold, phrases included. */
export const MAX_QUERY_WORDS = 16;

/**
 * One condition of a query; a document matches when it matches every clause. A `word` matches a token
 * equal to it or, with `prefix`, starting with it. A `phrase` matches its tokens in a row within one
 * field, the last one as a prefix when `prefixLast`.
 */
export type SearchClause =
  | { kind: 'word'; token: string; prefix: boolean }
  | { kind: 'phrase'; tokens: string[]; prefixLast: boolean };

/** A parsed query: folded tokens only, so nothing the user typed reaches an engine's syntax as is. */
export interface SearchQuery {
  clauses: SearchClause[];
}

/**
 * Turns what a user typed into clauses. Words outside quotes are prefixes (type-ahead: `jea` finds
 * Jeanne). Text in double quotes is a phrase of whole words; an unclosed quote is a phrase still being
 * typed, so its last word is a prefix. Punctuation only separates words: operators of FTS5 (`OR`,
 * `NEAR(`, `*`, `^`) or tsquery (`&|!:*`) are not operators here, `OR` is the word "or". BadRequest
 * for a query that is too long, has too many words, or no word at all.
 */
export function parseSearchQuery(text: string): SearchQuery {
  if (text.length > MAX_QUERY_LENGTH) {
    throw new BadRequest(`a search query has at most ${MAX_QUERY_LENGTH} characters`);
  }
  const parts = text.split('"');
  const clauses: SearchClause[] = [];
  const seen = new Set<string>();
  let words = 0;
  const add = (clause: SearchClause, size: number): void => {
    const key = JSON.stringify(clause);
    if (seen.has(key)) return;
    seen.add(key);
    words += size;
    clauses.push(clause);
  };
  parts.forEach((part, i) => {
    const tokens = tokenize(part, MAX_QUERY_WORDS + 1);
    const quoted = i % 2 === 1;
    if (!quoted || tokens.length === 1) {
      const prefix = !quoted || i === parts.length - 1;
      for (const token of tokens) add({ kind: 'word', token, prefix }, 1);
    } else if (tokens.length > 1) {
      add({ kind: 'phrase', tokens, prefixLast: i === parts.length - 1 }, tokens.length);
    }
  });
  if (words > MAX_QUERY_WORDS) throw new BadRequest(`a search query has at most ${MAX_QUERY_WORDS} words`);
  if (clauses.length === 0) throw new BadRequest('a search query needs at least one word');
  return { clauses };
}

/** Whether a folded token may have been cut to MAX_TOKEN_LENGTH (see fold.ts). */
function maybeClipped(token: string): boolean {
  return token.length >= MAX_TOKEN_LENGTH && Array.from(token).length === MAX_TOKEN_LENGTH;
}

/**
 * The FTS5 MATCH expression of a query: every token inside double quotes (FTS5 strings, where no
 * operator is recognised), `*` after a prefix, clauses joined by implicit AND. SQLite's index keeps
 * ASCII words longer than MAX_TOKEN_LENGTH whole (fts5-text.ts), so a query token of that length,
 * which may be a clipped word, matches as a prefix: the same words as a clipped token matches
 * elsewhere. Inside a phrase such a token is its own string, joined with `+`.
 */
export function fts5Match(query: SearchQuery): string {
  const quote = (text: string): string => `"${text.replaceAll('"', '""')}"`;
  return query.clauses
    .map((c) => {
      if (c.kind === 'word') return `${quote(c.token)}${c.prefix || maybeClipped(c.token) ? '*' : ''}`;
      const last = c.tokens.length - 1;
      const prefixAt = (i: number): boolean => (c.prefixLast && i === last) || maybeClipped(c.tokens[i]!);
      if (!c.tokens.some((_, i) => i < last && prefixAt(i))) {
        return `${quote(c.tokens.join(' '))}${prefixAt(last) ? '*' : ''}`;
      }
      return c.tokens.map((t, i) => `${quote(t)}${prefixAt(i) ? '*' : ''}`).join(' + ');
    })
    .join(' ');
}

/**
 * The tsquery text of a query, to be cast with `::tsquery` (no dictionary applied: tokens are already
 * folded, and the indexed tsvector holds the same tokens). Lexemes are quoted and escaped; prefixes get
 * `:*`, phrases `<->`, clauses `&`.
 */
export function tsqueryText(query: SearchQuery): string {
  const lexeme = (token: string, prefix: boolean): string =>
    `'${token.replace(/['\\]/g, (c) => (c === "'" ? "''" : '\\\\'))}'${prefix ? ':*' : ''}`;
  return query.clauses
    .map((c) =>
      c.kind === 'word'
        ? lexeme(c.token, c.prefix)
        : `(${c.tokens.map((t, i) => lexeme(t, c.prefixLast && i === c.tokens.length - 1)).join(' <-> ')})`,
    )
    .join(' & ');
}

/** What a search may be restricted to and which page it asks for. */
export interface SearchOptions {
  /** The doctypes to search (the ones the caller may read), or every searchable one. */
  doctypes: readonly string[] | 'all';
  /** Hits per page, 1..MAX_SEARCH_LIMIT (DEFAULT_SEARCH_LIMIT when absent). */
  limit?: number;
  /** Hits to skip, 0..MAX_SEARCH_OFFSET. */
  offset?: number;
}

export const DEFAULT_SEARCH_LIMIT = 20;
/**
 * How many matches a search ranks and pages through: the most recently written ones (by change seq).
 * A query that matches most documents (`a`, `the`) would otherwise rank all of them, which costs tens
 * of milliseconds at 100k documents, while its scores say little anyway. Selective queries match fewer
 * documents than this and are ranked in full. The window is the same for every page, so pages never
 * overlap or skip; hits beyond it are not reachable (refine the query instead).
 */
export const RANKED_MATCHES = 5_000;
export const MAX_SEARCH_LIMIT = 100;
/** Pages end with the ranked window (see RANKED_MATCHES). */
export const MAX_SEARCH_OFFSET = RANKED_MATCHES;

/**
 * Validated paging of a search, and how many recent matches to rank (see RANKED_MATCHES): BadRequest
 * for a limit or offset out of range.
 */
export function searchPage(
  options: SearchOptions,
  rankedMatches = RANKED_MATCHES,
): { limit: number; offset: number; window: number } {
  const limit = options.limit ?? DEFAULT_SEARCH_LIMIT;
  const offset = options.offset ?? 0;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
    throw new BadRequest(`limit must be an integer from 1 to ${MAX_SEARCH_LIMIT}`);
  }
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > MAX_SEARCH_OFFSET) {
    throw new BadRequest(`offset must be an integer from 0 to ${MAX_SEARCH_OFFSET}`);
  }
  return { limit, offset, window: rankedMatches };
}
