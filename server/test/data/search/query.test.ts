import { describe, expect, it } from 'vitest';
import { BadRequest } from '../../../src/errors.js';
import {
  fts5Match,
  MAX_QUERY_LENGTH,
  MAX_TOKEN_LENGTH,
  parseSearchQuery,
  RANKED_MATCHES,
  searchPage,
  tsqueryText,
} from '../../../src/data/search/index.js';

describe('parseSearchQuery', () => {
  it('makes every unquoted word a folded prefix', () => {
    expect(parseSearchQuery('  Jéa  DUP ').clauses).toEqual([
      { kind: 'word', token: 'jea', prefix: true },
      { kind: 'word', token: 'dup', prefix: true },
    ]);
  });

  it('reads quoted text as a phrase of whole words', () => {
    expect(parseSearchQuery('"Jeanne Dupont" paris').clauses).toEqual([
      { kind: 'phrase', tokens: ['jeanne', 'dupont'], prefixLast: false },
      { kind: 'word', token: 'paris', prefix: true },
    ]);
    expect(parseSearchQuery('"jeanne"').clauses).toEqual([{ kind: 'word', token: 'jeanne', prefix: false }]);
  });

  it('treats an unclosed quote as a phrase still being typed', () => {
    expect(parseSearchQuery('"jeanne du').clauses).toEqual([
      { kind: 'phrase', tokens: ['jeanne', 'du'], prefixLast: true },
    ]);
  });

  it('drops repeated words', () => {
    expect(parseSearchQuery('note Note NOTE').clauses).toHaveLength(1);
  });

  it('refuses an empty query, a query without words and an oversized one', () => {
    expect(() => parseSearchQuery('')).toThrow(BadRequest);
    expect(() => parseSearchQuery('  "" !!! ')).toThrow(BadRequest);
    expect(() => parseSearchQuery('a'.repeat(MAX_QUERY_LENGTH + 1))).toThrow(BadRequest);
    expect(() => parseSearchQuery(Array.from({ length: 17 }, (_, i) => `w${i}`).join(' '))).toThrow(
      BadRequest,
    );
  });
});

describe('engine syntax', () => {
  const attacks = [
    '"foo" OR bar*',
    'NEAR(foo bar, 2)',
    'title:foo',
    'foo:* & bar | !baz',
    "it's \\ back'slash",
    '^start -minus +plus',
    'col : "x" AND (y OR z)',
  ];

  it.each(attacks)('never lets %j through as FTS5 operators', (text) => {
    const match = fts5Match(parseSearchQuery(text));
    // Only quoted strings of letters and digits, each optionally followed by *, separated by spaces
    // (or by ` + ` inside a phrase).
    expect(match).toMatch(/^"[\p{L}\p{N} ]+"\*?(?: (?:\+ )?"[\p{L}\p{N} ]+"\*?)*$/u);
  });

  it.each(attacks)('never lets %j through as tsquery operators', (text) => {
    const tsquery = tsqueryText(parseSearchQuery(text));
    const lexeme = "'[\\p{L}\\p{N}]+'(?::\\*)?";
    const clause = `(?:${lexeme}|\\(${lexeme}(?: <-> ${lexeme})+\\))`;
    expect(tsquery).toMatch(new RegExp(`^${clause}(?: & ${clause})*$`, 'u'));
  });

  it('spells a query for FTS5 and for tsquery', () => {
    const query = parseSearchQuery('"Jeanne Dupont" OR par');
    expect(fts5Match(query)).toBe('"jeanne dupont" "or"* "par"*');
    expect(tsqueryText(query)).toBe("('jeanne' <-> 'dupont') & 'or':* & 'par':*");
    expect(tsqueryText(parseSearchQuery('"jeanne du'))).toBe("('jeanne' <-> 'du':*)");
  });

  it('makes a token that may have been clipped a prefix for FTS5, which keeps long words whole', () => {
    const long = 'x'.repeat(MAX_TOKEN_LENGTH);
    expect(fts5Match(parseSearchQuery(`"${long}y"`))).toBe(`"${long}"*`);
    expect(fts5Match(parseSearchQuery(`"${long}y ab"`))).toBe(`"${long}"* + "ab"`);
    expect(fts5Match(parseSearchQuery(`"ab ${long.slice(1)}"`))).toBe(`"ab ${long.slice(1)}"`);
  });
});

describe('searchPage', () => {
  it('defaults and checks the limit and offset', () => {
    expect(searchPage({ doctypes: 'all' })).toEqual({ limit: 20, offset: 0, window: RANKED_MATCHES });
    expect(searchPage({ doctypes: 'all', limit: 100, offset: 4_900 }, 10).window).toBe(10);
    expect(() => searchPage({ doctypes: 'all', limit: 0 })).toThrow(BadRequest);
    expect(() => searchPage({ doctypes: 'all', limit: 1000 })).toThrow(BadRequest);
    expect(() => searchPage({ doctypes: 'all', offset: -1 })).toThrow(BadRequest);
    expect(() => searchPage({ doctypes: 'all', limit: 1.5 })).toThrow(BadRequest);
  });
});
