import { clipToken, tokenize } from './fold.js';
import type { SearchQuery } from './query.js';

/** Characters of document text a snippet shows around its first hit. */
export const SNIPPET_LENGTH = 160;
/** Of those, how many come before the hit. */
const CONTEXT_BEFORE = 50;

/** A word of original text: combining marks belong to the word they decorate. */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** Says whether a folded token is one the query looks for. */
export type TokenMatcher = (token: string) => boolean;

/** The matcher of a query: exact tokens of words and phrases, and prefixes. */
export function queryMatcher(query: SearchQuery): TokenMatcher {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const clause of query.clauses) {
    const tokens = clause.kind === 'word' ? [clause.token] : clause.tokens;
    const lastIsPrefix = clause.kind === 'word' ? clause.prefix : clause.prefixLast;
    tokens.forEach((token, i) => {
      if (lastIsPrefix && i === tokens.length - 1) prefixes.push(token);
      else exact.add(token);
    });
  }
  return (token) => exact.has(clipToken(token)) || prefixes.some((p) => token.startsWith(p));
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Whether a word of original text is a hit: any token of its folded form matches. */
function isHit(word: string, matches: TokenMatcher): boolean {
  return tokenize(word).some(matches);
}

/**
 * `text` as HTML: escaped, whitespace runs collapsed to one space, and every word that the query
 * matches wrapped in `<mark>…</mark>`. Words are found on the original text and folded one by one, so
 * the marks sit on what the user wrote (`Élodie`), not on its folded form.
 */
export function highlight(text: string, matches: TokenMatcher): string {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    html += escapeHtml(text.slice(last, match.index).replace(/\s+/g, ' '));
    html += isHit(word, matches) ? `<mark>${escapeHtml(word)}</mark>` : escapeHtml(word);
    last = match.index + word.length;
  }
  return html + escapeHtml(text.slice(last).replace(/\s+/g, ' '));
}

/** Moves an index off the second half of a surrogate pair. */
function onCodePoint(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff ? index - 1 : index;
}

/**
 * A window of about SNIPPET_LENGTH characters of `text` around its first hit, highlighted (see
 * {@link highlight}), cut at spaces where it can be, with `…` where text was left out. Without a hit it
 * is the start of the text. Both adapters build snippets with this function, so they agree exactly.
 */
export function snippet(text: string, matches: TokenMatcher, length = SNIPPET_LENGTH): string {
  let hitStart = -1;
  let hitEnd = -1;
  for (const match of text.matchAll(WORD)) {
    if (isHit(match[0], matches)) {
      hitStart = match.index;
      hitEnd = match.index + match[0].length;
      break;
    }
  }
  let start = 0;
  if (hitStart > 0) {
    start = Math.max(0, Math.min(hitStart - CONTEXT_BEFORE, text.length - length));
    if (start > 0) {
      const space = text.slice(start - 1, hitStart).search(/\s/);
      start = space >= 0 ? start + space : onCodePoint(text, start);
    }
  }
  let end = Math.min(text.length, Math.max(start + length, hitEnd));
  if (end < text.length) {
    const window = text.slice(Math.max(start, hitEnd), end + 1);
    const space = window.search(/\s\S*$/);
    end = space >= 0 ? Math.max(start, hitEnd) + space : onCodePoint(text, end);
  }
  const body = highlight(text.slice(start, end), matches).trim();
  return `${start > 0 ? '… ' : ''}${body}${end < text.length ? ' …' : ''}`;
}
