import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import {
  clipToken,
  fts5Text,
  indexTokens,
  MAX_INDEXED_TOKENS,
  MAX_TOKEN_LENGTH,
  type SearchText,
} from '../../../src/data/search/index.js';

/** The tokens FTS5 makes of each column, in position order, with the tokenizer of the search index. */
const db = new Database(':memory:');
db.exec(`CREATE VIRTUAL TABLE t USING fts5 (title, body, tokenize = 'unicode61 remove_diacritics 2');
  CREATE VIRTUAL TABLE v USING fts5vocab (t, instance);`);
afterAll(() => db.close());
const insert = db.prepare<[string, string]>('INSERT INTO t (title, body) VALUES (?, ?)');
const terms = db.prepare<[string], { term: string }>(
  'SELECT term FROM v WHERE doc = (SELECT max(rowid) FROM t) AND col = ? ORDER BY "offset"',
);
const ftsTokens = (text: { title: string; body: string }) => {
  insert.run(text.title, text.body);
  return { title: terms.all('title').map((r) => r.term), body: terms.all('body').map((r) => r.term) };
};

const TEXTS: SearchText[] = [
  { title: 'Jeanne Dupont', body: 'jeanne.dupont@example.org, TÉL: +33 6-12' },
  { title: 'Crème brûlée, déjà-vu', body: 'ÉLÈVE naïve façade\nSecond line: café au lait' },
  { title: 'e\u0301te\u0301 — a\u0308 ﬁn² ½', body: "ΟΔΟΣ. ΑΣ'Β Σ σ" },
  { title: 'İstanbul STRASSE Straße', body: 'Æsir Øre łódź þorn ℅ ㍱' },
  {
    title: 'tab\there\u00a0nbsp',
    body: '\u3000ideo\u2003em mixed123abc ÀBC123 _under_score_ x\u0000y a\uE000b',
  },
  { title: `${'é'.repeat(70)} ${'a'.repeat(70)}`, body: `${'b'.repeat(64)} ${'x'.repeat(65)}é` },
  { title: 'Привет, мир! 東京', body: '😀 emoji👍words and 12.5% off' },
  { title: '', body: 'plain ascii only, with UPPER case and digits 2024-01-02' },
  { title: 'Noël', body: '' },
];

describe('fts5Text', () => {
  it('gives text that FTS5 splits into the indexed tokens, in order, per column', () => {
    const clipped = (tokens: { title: string[]; body: string[] }) => ({
      title: tokens.title.map(clipToken),
      body: tokens.body.map(clipToken),
    });
    for (const text of TEXTS) {
      const stored = fts5Text(text);
      expect(stored).not.toBeNull();
      // Long ASCII words are the one difference: FTS5 keeps them whole (see the next test).
      expect(clipped(ftsTokens(stored!))).toEqual(indexTokens(text));
    }
  });

  it('hands plain ASCII text over as it is, and folds only the stretches that need it', () => {
    const ascii = { title: 'Meeting: Budget review', body: 'See the attached draft.' };
    expect(fts5Text(ascii)).toEqual(ascii);
    expect(fts5Text({ title: 'Café noir', body: 'x' })?.title).toBe(' cafe  noir');
  });

  it('keeps the token budget, and long words whole unless they had to be folded', () => {
    const long = { title: 'a'.repeat(3 * MAX_TOKEN_LENGTH), body: `${'é'.repeat(3 * MAX_TOKEN_LENGTH)}` };
    expect(ftsTokens(fts5Text(long)!)).toEqual({
      title: ['a'.repeat(3 * MAX_TOKEN_LENGTH)],
      body: ['e'.repeat(MAX_TOKEN_LENGTH)],
    });
    const many = { title: 'Many words', body: 'word é '.repeat(MAX_INDEXED_TOKENS) };
    const tokens = ftsTokens(fts5Text(many)!);
    expect(tokens).toEqual(indexTokens(many));
    expect(tokens.title.length + tokens.body.length).toBe(MAX_INDEXED_TOKENS);
  });

  it('is null for text without a word', () => {
    expect(fts5Text({ title: ' — ', body: '!? \u00a0 \uE000' })).toBeNull();
    expect(fts5Text({ title: '', body: '' })).toBeNull();
  });
});
