import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  highlight,
  parseSearchQuery,
  queryMatcher,
  snippet,
  SNIPPET_LENGTH,
} from '../../../src/data/search/index.js';

const matcher = (text: string) => queryMatcher(parseSearchQuery(text));

describe('highlight', () => {
  it('marks the original words whose folded form starts with a query word', () => {
    expect(highlight('Élodie met Jeanne and Jean-Pierre', matcher('elo jean'))).toBe(
      '<mark>Élodie</mark> met <mark>Jeanne</mark> and <mark>Jean</mark>-Pierre',
    );
  });

  it('marks folded forms both ways: an accented query finds plain text', () => {
    expect(highlight('Strasse and café', matcher('straße CAFÉ'))).toBe(
      '<mark>Strasse</mark> and <mark>café</mark>',
    );
  });

  it('marks phrase words as whole words only', () => {
    expect(highlight('jeanne jeannette', matcher('"jeanne dupont"'))).toBe('<mark>jeanne</mark> jeannette');
  });

  it('escapes markup in the document text', () => {
    expect(highlight('<script>alert("x")</script> & ok', matcher('alert'))).toBe(
      '&#60;script&#62;<mark>alert</mark>(&#34;x&#34;)&#60;/script&#62; &#38; ok',
    );
  });

  it('collapses runs of whitespace', () => {
    expect(highlight('a\n\n  b\tc', matcher('b'))).toBe('a <mark>b</mark> c');
  });

  it('escapes every character that matters in HTML', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;',
    );
  });
});

describe('snippet', () => {
  const words = Array.from({ length: 200 }, (_, i) => `word${i}`);

  it('shows the start of a short text whole', () => {
    expect(snippet('Lunch with Jeanne', matcher('jea'))).toBe('Lunch with <mark>Jeanne</mark>');
  });

  it('cuts a window around the first hit, at spaces, with ellipses', () => {
    const text = [...words.slice(0, 100), 'Jeanne', ...words.slice(100)].join(' ');
    const result = snippet(text, matcher('jeanne'));
    expect(result.startsWith('… word')).toBe(true);
    expect(result.endsWith(' …')).toBe(true);
    expect(result).toContain('<mark>Jeanne</mark>');
    const plain = result.replace(/<\/?mark>/g, '').slice(2, -2);
    expect(plain.length).toBeLessThanOrEqual(SNIPPET_LENGTH);
    expect(plain.length).toBeGreaterThan(SNIPPET_LENGTH - 20);
    expect(text).toContain(plain);
  });

  it('shows the start of the text when nothing matches', () => {
    const result = snippet(words.join(' '), matcher('jeanne'));
    expect(result.startsWith('word0 word1')).toBe(true);
    expect(result.endsWith(' …')).toBe(true);
    expect(result).not.toContain('<mark>');
  });

  it('fills the window backwards when the hit is near the end', () => {
    const text = [...words, 'Jeanne'].join(' ');
    const result = snippet(text, matcher('jeanne'));
    expect(result.endsWith('<mark>Jeanne</mark>')).toBe(true);
    expect(result.replace(/<\/?mark>/g, '').length).toBeGreaterThan(SNIPPET_LENGTH - 20);
  });

  it('escapes a script in the document text and marks around it', () => {
    const text = `${'padding '.repeat(20)}<script>steal()</script> secret`;
    const result = snippet(text, matcher('secret'));
    expect(result).toContain('&#60;script&#62;steal()&#60;/script&#62; <mark>secret</mark>');
    expect(result).not.toMatch(/<(?!\/?mark>)/);
  });

  it('never splits a surrogate pair, even in text without spaces', () => {
    const text = '😀'.repeat(300) + 'jeanne' + '😀'.repeat(300);
    const result = snippet(text, matcher('jea'));
    expect(result).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(result).toContain('<mark>jeanne</mark>');
  });

  it('gives an empty snippet for empty text', () => {
    expect(snippet('', matcher('x'))).toBe('');
  });
});
