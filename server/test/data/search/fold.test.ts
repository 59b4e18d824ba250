import { describe, expect, it } from 'vitest';
import { clipToken, fold, MAX_TOKEN_LENGTH, tokenize } from '../../../src/data/search/index.js';

describe('fold', () => {
  it('drops accents and case, whether the text is composed or decomposed', () => {
    expect(fold('Élodie Ça ÀÖÜ')).toBe('elodie ca aou');
    expect(fold('E\u0301lodie')).toBe('elodie');
    expect(fold('Jeanne')).toBe(fold('JEANNE'));
  });

  it('maps letters that do not decompose to what a reader takes them for', () => {
    expect(fold('Straße STRASSE ẞ')).toBe('strasse strasse ss');
    expect(fold('Æsir Œuvre Søren Łódź Þór Đorđe')).toBe('aesir oeuvre soren lodz thor dorde');
    expect(fold('İstanbul ıslak')).toBe('istanbul islak');
  });

  it('unfolds compatibility forms', () => {
    expect(fold('ﬁne ＡＢＣ x²')).toBe('fine abc x2');
  });

  it('folds Greek final sigma like any sigma', () => {
    expect(fold('ΟΔΟΣ')).toBe(fold('οδοσ'));
  });
});

describe('tokenize', () => {
  it('splits on everything that is not a letter or a digit', () => {
    expect(tokenize('jeanne.dupont@example.org, tél: +33 6-12')).toEqual([
      'jeanne',
      'dupont',
      'example',
      'org',
      'tel',
      '33',
      '6',
      '12',
    ]);
  });

  it('splits on private-use characters, which adapters keep for their own marker tokens', () => {
    expect(tokenize('a\uE000b')).toEqual(['a', 'b']);
  });

  it('keeps non-Latin scripts as words', () => {
    expect(tokenize('Привет, мир! 東京')).toEqual(['привет', 'мир', '東京']);
  });

  it('gives the words of the whole text folded at once, though it folds only runs that need it', () => {
    const whole = (text: string) =>
      (fold(text).match(/[\p{L}\p{N}]+/gu) ?? []).map((w) =>
        w.length > MAX_TOKEN_LENGTH ? clipToken(w) : w,
      );
    const texts = [
      'Crème brûlée, déjà-vu: ÉLÈVE naïve façade',
      'e\u0301te\u0301 — a\u0308 ﬁn² ½',
      "ΟΔΟΣ. ΑΣ'Β Σ σ",
      'İstanbul STRASSE Straße Æsir Øre łódź þorn',
      'tab\there\u00a0nbsp\u3000ideo\u2003em',
      'mixed123abc ÀBC123 _under_score_ x\u0000y',
      `${'é'.repeat(70)} ${'a'.repeat(70)}`,
    ];
    for (const text of texts) expect(tokenize(text)).toEqual(whole(text));
    expect(tokenize('Élodie Zoé Léa Noël', 2)).toEqual(['elodie', 'zoe']);
  });

  it('stops at the maximum asked and clips very long tokens', () => {
    expect(tokenize('a b c d', 2)).toEqual(['a', 'b']);
    const long = 'x'.repeat(200);
    expect(tokenize(long)).toEqual(['x'.repeat(MAX_TOKEN_LENGTH)]);
    expect(Array.from(clipToken('😀'.repeat(100)))).toHaveLength(MAX_TOKEN_LENGTH);
  });
});
