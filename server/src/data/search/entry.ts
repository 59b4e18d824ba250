import type { SearchText } from './extract.js';
import { tokenize } from './fold.js';
import type { SearchRegistry } from './registry.js';
import { highlight, snippet, type TokenMatcher } from './snippet.js';

/** Most tokens indexed per document, title first (PostgreSQL keeps positions up to 16 383). */
export const MAX_INDEXED_TOKENS = 16_000;
/** PostgreSQL keeps at most 256 positions per lexeme; more would be an input error. */
const MAX_POSITIONS = 255;

/**
 * What both adapters index for one document: its folded title and body tokens. SQLite stores them
 * joined by spaces in an FTS5 table, PostgreSQL as a tsvector built by {@link tsvectorText}; neither
 * engine tokenises on its own terms, so both find exactly the same documents.
 */
export interface IndexTokens {
  title: string[];
  body: string[];
}

/** The tokens of a document's searchable text, at most MAX_INDEXED_TOKENS in all. */
export function indexTokens(text: SearchText): IndexTokens {
  const title = tokenize(text.title, MAX_INDEXED_TOKENS);
  return { title, body: tokenize(text.body, MAX_INDEXED_TOKENS - title.length) };
}

/**
 * A tsvector literal (for `::tsvector`) of the tokens: title positions weighted A, body positions B
 * after a gap of one position, so a phrase never runs from the title into the body.
 */
export function tsvectorText(tokens: IndexTokens): string {
  const positions = new Map<string, string[]>();
  const add = (token: string, position: number, weight: string): void => {
    let list = positions.get(token);
    if (list === undefined) positions.set(token, (list = []));
    if (list.length < MAX_POSITIONS) list.push(`${position}${weight}`);
  };
  tokens.title.forEach((token, i) => add(token, i + 1, 'A'));
  tokens.body.forEach((token, i) => add(token, tokens.title.length + i + 2, 'B'));
  const parts: string[] = [];
  for (const [token, list] of positions) {
    parts.push(`'${token.replace(/['\\]/g, (c) => c + c)}':${list.join(',')}`);
  }
  return parts.join(' ');
}

/** How a hit is shown: its plain title, the title as highlighted HTML, and a highlighted body snippet. */
export interface HitText {
  title: string;
  titleHtml: string;
  snippet: string;
}

/**
 * The title and snippet of a hit, from the document as stored now (any adapter, same output). A
 * document that no longer has searchable text gives empty strings.
 */
export function presentHit(
  registry: SearchRegistry,
  doctype: string,
  doc: unknown,
  matches: TokenMatcher,
): HitText {
  const text = registry.extract(doctype, doc);
  if (text === null) return { title: '', titleHtml: '', snippet: '' };
  return {
    title: text.title,
    titleHtml: highlight(text.title, matches),
    snippet: snippet(text.body, matches),
  };
}
