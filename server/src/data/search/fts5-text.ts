import { indexTokens, MAX_INDEXED_TOKENS } from './entry.js';
import type { SearchText } from './extract.js';
import { clipToken, fold, MAX_TOKEN_LENGTH } from './fold.js';

/**
 * The text SQLite's FTS5 indexes for one document: strings that FTS5's `unicode61` tokenizer splits
 * into exactly the tokens of {@link indexTokens}, in the same order, so positions (phrases) and column
 * sizes (bm25) are the same as if the tokens were joined by spaces. One difference: an ASCII word
 * longer than MAX_TOKEN_LENGTH is kept whole rather than clipped (finding such words would cost a scan
 * of every text for a case that hardly happens); a query finds it all the same, as `fts5Match` makes a
 * query token of that length a prefix.
 */
export interface Fts5Text {
  title: string;
  body: string;
}

const NON_ASCII = /[^\x00-\x7f]/g;
const WORD = /[\p{L}\p{N}]/u;
const FOLDED_WORD = /[\p{L}\p{N}]+/gu;
/**
 * Text of this many characters holds at most MAX_INDEXED_TOKENS tokens (a token and a separator take
 * two characters), so it needs no counting.
 */
const UNCOUNTED_CHARS = 2 * MAX_INDEXED_TOKENS - 2;

/** Whether a UTF-16 unit belongs to a chunk folded as a whole: ASCII letters, digits, and all non-ASCII. */
function inChunk(code: number): boolean {
  return (
    code >= 0x80 ||
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x30 && code <= 0x39)
  );
}

/**
 * `text` with every stretch that holds a non-ASCII character replaced by its folded tokens, spaced;
 * the plain ASCII around them is kept as it is. For ASCII, FTS5's tokenizer already does what
 * `tokenize` (fold.ts) does (letters and digits are words, everything else separates them, case is
 * folded), so most text is handed over without being split, lowercased and joined in JS, which was the
 * larger part of the JS cost of indexing a bulk write. A stretch ends at ASCII characters other than
 * letters and digits, which folding never moves a word boundary across (see fold.ts).
 */
function foldNonAscii(text: string): string {
  NON_ASCII.lastIndex = 0;
  if (!NON_ASCII.test(text)) return text;
  let out = '';
  let last = 0;
  NON_ASCII.lastIndex = 0;
  for (let m = NON_ASCII.exec(text); m !== null; m = NON_ASCII.exec(text)) {
    let start = m.index;
    while (start > last && inChunk(text.charCodeAt(start - 1))) start--;
    let end = m.index + 1;
    while (end < text.length && inChunk(text.charCodeAt(end))) end++;
    const words = fold(text.slice(start, end)).match(FOLDED_WORD) ?? [];
    for (let i = 0; i < words.length; i++) {
      const word = words[i] as string;
      if (word.length > MAX_TOKEN_LENGTH) words[i] = clipToken(word);
    }
    out += `${text.slice(last, start)} ${words.join(' ')} `;
    last = end;
    NON_ASCII.lastIndex = end;
  }
  return out + text.slice(last);
}

/**
 * What FTS5 indexes for `text` (see {@link Fts5Text}), or null when it holds no word. Text long enough
 * to reach MAX_INDEXED_TOKENS takes the exact path: the tokens of {@link indexTokens}, joined.
 */
export function fts5Text(text: SearchText): Fts5Text | null {
  const title = foldNonAscii(text.title);
  const body = foldNonAscii(text.body);
  if (title.length + body.length > UNCOUNTED_CHARS) {
    const tokens = indexTokens(text);
    if (tokens.title.length + tokens.body.length === 0) return null;
    return { title: tokens.title.join(' '), body: tokens.body.join(' ') };
  }
  if (!WORD.test(title) && !WORD.test(body)) return null;
  return { title, body };
}
