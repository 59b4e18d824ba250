import { describe, expect, it } from 'vitest';

import { collate, compareStrings, jsonType } from '../../../src/data/mango/index.js';

describe('collate', () => {
  it('orders types null < false < true < numbers < strings < arrays < objects', () => {
    const ordered = [null, false, true, -1e308, 0, 1, '', 'a', [], [null], {}, { a: 1 }];
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) {
        expect(Math.sign(collate(ordered[i], ordered[j]))).toBe(Math.sign(i - j));
      }
    }
  });

  it('compares numbers numerically, with -0 equal to 0', () => {
    expect(collate(2, 10)).toBeLessThan(0);
    expect(collate(-0, 0)).toBe(0);
    expect(collate(-Infinity, -1e308)).toBeLessThan(0);
    expect(collate(5e-324, 0)).toBeGreaterThan(0);
  });

  it('compares strings by Unicode code point, not by UTF-16 code unit nor locale', () => {
    expect(collate('B', 'a')).toBeLessThan(0); // ICU would put "a" first
    expect(collate('a', 'ab')).toBeLessThan(0);
    expect(collate('\uffff', '😀')).toBeLessThan(0); // U+FFFF < U+1F600, though 0xFFFF > 0xD83D
    expect(collate('\ue000', '\u{10000}')).toBeLessThan(0);
    expect(collate('a\u0000', 'a')).toBeGreaterThan(0);
  });

  it('treats a lone surrogate as its own code point', () => {
    expect(compareStrings('\ud800x', '\ud800\udc00')).toBeLessThan(0); // U+D800 < U+10000
    expect(compareStrings('\ud800\ue000', '\ud800x')).toBeGreaterThan(0);
    expect(compareStrings('\ud7ff', '\ud800')).toBeLessThan(0);
    expect(compareStrings('\udfff', '\ue000')).toBeLessThan(0);
  });

  it('compares arrays element by element, a prefix first', () => {
    expect(collate([1, 2], [1, 3])).toBeLessThan(0);
    expect(collate([1], [1, 0])).toBeLessThan(0);
    expect(collate([2], [1, 5])).toBeGreaterThan(0);
    expect(collate([1, [2, 'x']], [1, [2, 'x']])).toBe(0);
  });

  it('compares objects pair by pair (key, then value), fewer pairs first', () => {
    expect(collate({ a: 1 }, { b: 0 })).toBeLessThan(0);
    expect(collate({ a: 1 }, { a: 2 })).toBeLessThan(0);
    expect(collate({ a: 1 }, { a: 1, b: 0 })).toBeLessThan(0);
    expect(collate({ a: 1, b: 2 }, { a: 1, b: 2 })).toBe(0);
  });

  it('names the JSON type of a value and refuses non-JSON values', () => {
    expect([null, true, 1, 's', [], {}].map(jsonType)).toEqual([
      'null',
      'boolean',
      'number',
      'string',
      'array',
      'object',
    ]);
    expect(() => jsonType(undefined)).toThrow(TypeError);
  });
});
