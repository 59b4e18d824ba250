/**
 * Text folding and tokenising for search. Both adapters index the tokens made here, and queries and
 * snippets are folded the same way, so SQLite and PostgreSQL agree on what a word is and on `é = e`.
 */

/** Longest token kept, in code points: longer runs (base64, hashes) are cut, on both sides alike. */
export const MAX_TOKEN_LENGTH = 64;

const MARKS = /\p{M}+/gu;
const NON_ASCII = /[^\x00-\x7f]/;
const SPECIAL = /[ßæœøđðħıłþŧς]/g;
/** Letters that Unicode does not decompose but a reader takes for a plain Latin letter (or two). */
const SPECIAL_FOLDS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ħ: 'h',
  ı: 'i',
  ł: 'l',
  þ: 'th',
  ŧ: 't',
  ς: 'σ',
};

/**
 * Folds text for matching: compatibility decomposition (NFKD, so `ﬁ` → `fi` and `²` → `2`), combining
 * marks dropped (`é` → `e`), lowercase, then a few letters mapped by hand (`ß` → `ss`, `Æ` → `ae`,
 * `Ø` → `o`, final `ς` → `σ`). The result may be longer or shorter than the input.
 */
export function fold(text: string): string {
  // Plain ASCII only needs lowercasing (extracting a title folds every value to compare them).
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKD')
    .replace(MARKS, '')
    .toLowerCase()
    .replace(SPECIAL, (c) => SPECIAL_FOLDS[c] ?? c);
}

/**
 * A word of folded text: letters and digits. Private-use characters separate words, so no word can
 * start like the marker tokens an adapter adds for itself (sqlite/search.ts names doctypes that way).
 */
const FOLDED_WORD = /[\p{L}\p{N}]+/gu;

/** Cuts a token to MAX_TOKEN_LENGTH code points (never inside a surrogate pair). */
export function clipToken(token: string): string {
  if (token.length <= MAX_TOKEN_LENGTH) return token;
  const points = Array.from(token);
  return points.length <= MAX_TOKEN_LENGTH ? token : points.slice(0, MAX_TOKEN_LENGTH).join('');
}

const ASCII_WORD = /[a-z0-9]+/g;
/**
 * A run of text between ASCII spaces and punctuation. Folding never moves a word boundary across
 * those (they are unchanged by NFKD and case mapping, and start a new normalisation segment), so
 * each run can be folded on its own and most runs, plain ASCII words, need no folding at all.
 */
const RUN = /[^\s!-/:-@[-`{-~]+/g;
const ASCII_ALNUM = /^[A-Za-z0-9]+$/;

/**
 * The tokens of `text`, folded and clipped, in order, at most `max` of them. Everything that is not a
 * letter or digit separates words, so `jeanne.dupont@example.org` gives `jeanne dupont example org`.
 * The same as `fold(text)` split into words, but only runs holding other than ASCII letters and
 * digits are folded (several times faster: indexing runs on every write of a searchable document).
 */
export function tokenize(text: string, max = Number.POSITIVE_INFINITY): string[] {
  if (max <= 0) return [];
  let words: string[];
  if (!NON_ASCII.test(text)) {
    words = text.toLowerCase().match(ASCII_WORD) ?? [];
  } else {
    words = [];
    for (const run of text.match(RUN) ?? []) {
      if (ASCII_ALNUM.test(run)) words.push(run.toLowerCase());
      else for (const word of fold(run).match(FOLDED_WORD) ?? []) words.push(word);
      if (words.length >= max) break;
    }
  }
  if (words.length > max) words.length = max;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (word.length > MAX_TOKEN_LENGTH) words[i] = clipToken(word);
  }
  return words;
}
