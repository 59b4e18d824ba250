import { describe, expect, it } from 'vitest';

import {
  collate,
  encodeIndexKey,
  indexKeyFor,
  keyRangeForPrefix,
  keyUpperBoundForPrefix,
  parseIndexRequest,
  prefixSuccessor,
  type JsonValue,
} from '../../../src/data/mango/index.js';
import { pick, randomJson, seeded, type Random } from './random.js';

function collateLists(a: readonly unknown[], b: readonly unknown[]): number {
  return collate(a, b);
}

function randomList(r: Random, min = 1, max = 3): JsonValue[] {
  const length = min + Math.floor(r() * (max - min + 1));
  return Array.from({ length }, () => randomJson(r));
}

describe('encodeIndexKey', () => {
  it('orders keys like element-wise collation, for thousands of random value lists', () => {
    const r = seeded(1);
    const pool = Array.from({ length: 300 }, () => randomJson(r));
    for (let i = 0; i < 5000; i++) {
      // Half the lists reuse values from a small pool, so that ties and shared prefixes are common.
      const gen = (): JsonValue[] =>
        r() < 0.5 ? randomList(r) : Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(r, pool));
      const a = gen();
      const b = r() < 0.3 ? [...a.slice(0, -1), pick(r, pool)] : gen();
      const expected = Math.sign(collateLists(a, b));
      expect(Math.sign(Buffer.compare(encodeIndexKey(a), encodeIndexKey(b))), JSON.stringify([a, b])).toBe(
        expected,
      );
    }
  });

  it('sorts a random corpus into the same order as collate', () => {
    const r = seeded(2);
    const values = Array.from({ length: 2000 }, () => randomJson(r));
    const byCollate = [...values].sort(collate);
    const keys = byCollate.map((v) => encodeIndexKey([v]));
    for (let i = 1; i < keys.length; i++) {
      const c = Buffer.compare(keys[i - 1] as Buffer, keys[i] as Buffer);
      expect(c).toBe(Math.sign(collate(byCollate[i - 1], byCollate[i])));
    }
  });

  it('encodes -0 like 0 and keeps extreme numbers in order', () => {
    expect(encodeIndexKey([-0])).toEqual(encodeIndexKey([0]));
    const numbers = [-Infinity, -1e308, -1, -5e-324, 0, 5e-324, 1e-7, 1, 2 ** 53, 1e308, Infinity];
    const keys = numbers.map((n) => encodeIndexKey([n]));
    for (let i = 1; i < keys.length; i++) {
      expect(Buffer.compare(keys[i - 1] as Buffer, keys[i] as Buffer)).toBe(-1);
    }
  });

  it('escapes NUL so that a string sorts before its extensions', () => {
    const words = ['', '\u0000', '\u0000\u0000', '\u0001', 'a', 'a\u0000', 'a\u0000b', 'a\u0001', 'ab'];
    const keys = words.map((w) => encodeIndexKey([w]));
    for (let i = 1; i < keys.length; i++) {
      expect(Buffer.compare(keys[i - 1] as Buffer, keys[i] as Buffer)).toBe(-1);
    }
    expect(encodeIndexKey(['a\u0000'])).toEqual(Buffer.from([0x40, 0x61, 0x01, 0x01, 0x00]));
  });

  it('writes a type tag per value and terminates strings, arrays and objects', () => {
    expect(encodeIndexKey([null, false, true])).toEqual(Buffer.from([0x10, 0x20, 0x21]));
    expect(encodeIndexKey([[1]])[0]).toBe(0x50);
    expect(encodeIndexKey([{}])).toEqual(Buffer.from([0x60, 0x00]));
    expect(encodeIndexKey(['é'])).toEqual(Buffer.from([0x40, 0xc3, 0xa9, 0x00]));
    expect(encodeIndexKey([1]).length).toBe(9);
  });
});

describe('key range helpers', () => {
  it('bounds exactly the keys that start with the given values', () => {
    const r = seeded(3);
    const pool = Array.from({ length: 40 }, () => randomJson(r));
    for (let i = 0; i < 3000; i++) {
      const prefix = Array.from({ length: 1 + Math.floor(r() * 2) }, () => pick(r, pool));
      const key =
        r() < 0.5
          ? [...prefix, ...Array.from({ length: Math.floor(r() * 2) }, () => pick(r, pool))]
          : Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(r, pool));
      const startsWith = key.length >= prefix.length && prefix.every((v, j) => collate(v, key[j]) === 0);
      const { gte, lt } = keyRangeForPrefix(prefix);
      const encoded = encodeIndexKey(key);
      const inside = Buffer.compare(encoded, gte) >= 0 && lt !== undefined && Buffer.compare(encoded, lt) < 0;
      expect(inside, JSON.stringify([prefix, key])).toBe(startsWith);
    }
  });

  it('gives the smallest key above every key with the prefix', () => {
    const upper = keyUpperBoundForPrefix(['film']);
    expect(upper).toEqual(Buffer.from([0x40, 0x66, 0x69, 0x6c, 0x6d, 0x01]));
    expect(keyUpperBoundForPrefix([])).toBeNull();
    expect(prefixSuccessor(Buffer.from([0x01, 0xff, 0xff]))).toEqual(Buffer.from([0x02]));
    expect(prefixSuccessor(Buffer.from([0xff]))).toBeNull();
  });
});

describe('descending index fields', () => {
  it('store keys that sort in reverse collation order', () => {
    const asc = parseIndexRequest({ index: { fields: ['v'] } });
    const desc = parseIndexRequest({ index: { fields: [{ v: 'desc' }] } });
    const r = seeded(4);
    for (let i = 0; i < 2000; i++) {
      const a = { v: randomJson(r) };
      const b = { v: r() < 0.2 ? a.v : randomJson(r) };
      const ascOrder = Buffer.compare(indexKeyFor(asc, a) as Buffer, indexKeyFor(asc, b) as Buffer);
      const descOrder = Buffer.compare(indexKeyFor(desc, a) as Buffer, indexKeyFor(desc, b) as Buffer);
      expect(ascOrder).toBe(Math.sign(collate(a.v, b.v)));
      expect(descOrder).toBe(0 - ascOrder);
    }
  });

  it('keep component boundaries in multi-field keys', () => {
    const desc = parseIndexRequest({ index: { fields: [{ a: 'desc' }, { b: 'desc' }] } });
    const key = (a: JsonValue, b: JsonValue): Buffer => indexKeyFor(desc, { a, b }) as Buffer;
    // ("x", 5) comes before ("x\u0000", 1) ascending, so after it descending.
    expect(Buffer.compare(key('x', 5), key('x\u0000', 1))).toBe(1);
    expect(Buffer.compare(key('x', 5), key('x', 4))).toBe(-1);
    expect(Buffer.compare(key([], 1), key([null], 0))).toBe(1);
  });
});
