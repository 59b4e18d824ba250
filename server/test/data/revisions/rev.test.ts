import { describe, it, expect } from 'vitest';
import { BadRequest } from '../../../src/errors.js';
import {
  MAX_REVISION_IDS,
  bodyJson,
  canonicalJson,
  formatRev,
  isRevHash,
  newRevHash,
  nextRev,
  nextRevOfJson,
  parseRev,
  parseRevisions,
} from '../../../src/data/revisions/index.js';

const HEX32 = /^[0-9a-f]{32}$/;

describe('parseRev', () => {
  it('splits a CouchDB revision into its position and hash', () => {
    expect(parseRev('1-967a00dff5e02add41819138abb3284d')).toEqual({
      pos: 1,
      hash: '967a00dff5e02add41819138abb3284d',
    });
    expect(parseRev('1234-abc')).toEqual({ pos: 1234, hash: 'abc' });
  });

  it('accepts hashes of any letters and digits, not only lowercase hex', () => {
    expect(parseRev('2-AbZ09')).toEqual({ pos: 2, hash: 'AbZ09' });
  });

  it.each([
    ['an empty string', ''],
    ['no dash', '1abc'],
    ['no hash', '1-'],
    ['no position', '-abc'],
    ['position zero', '0-abc'],
    ['a leading zero', '01-abc'],
    ['a negative position', '-1-abc'],
    ['a fractional position', '1.5-abc'],
    ['a position beyond safe integers', '9007199254740993-abc'],
    ['a second dash', '1-ab-c'],
    ['punctuation in the hash', '1-ab_c'],
    ['non-ASCII letters', '1-ébc'],
    ['surrounding spaces', ' 1-abc '],
    ['a trailing newline', '1-abc\n'],
  ])('rejects %s with BadRequest', (_why, rev) => {
    expect(() => parseRev(rev)).toThrow(BadRequest);
  });

  it('rejects a non-string with BadRequest rather than crashing', () => {
    expect(() => parseRev(42 as unknown as string)).toThrow(BadRequest);
    expect(() => parseRev(null as unknown as string)).toThrow(BadRequest);
  });

  it('says which revision was malformed, shortened', () => {
    expect(() => parseRev('bogus')).toThrow(/Invalid rev format: "bogus"/);
    let message = '';
    try {
      parseRev('x'.repeat(10_000));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.length).toBeLessThan(120);
  });

  it('round-trips with formatRev', () => {
    const { pos, hash } = parseRev('17-deadbeef');
    expect(formatRev(pos, hash)).toBe('17-deadbeef');
  });
});

describe('isRevHash', () => {
  it('accepts letters and digits only', () => {
    expect(isRevHash('abc123XYZ')).toBe(true);
    expect(isRevHash('')).toBe(false);
    expect(isRevHash('a-b')).toBe(false);
    expect(isRevHash(12)).toBe(false);
  });
});

describe('newRevHash', () => {
  const base = { parentRev: '1-abc', deleted: false, body: { title: 'hello', tags: ['a', 'b'] } };

  it('is 32 lowercase hex digits', () => {
    expect(newRevHash(base)).toMatch(HEX32);
    expect(newRevHash({ parentRev: null, deleted: false, body: {} })).toMatch(HEX32);
  });

  it('gives the same hash for the same edit on two replicas, whatever the key order', () => {
    const reordered = { parentRev: '1-abc', deleted: false, body: { tags: ['a', 'b'], title: 'hello' } };
    expect(newRevHash(reordered)).toBe(newRevHash(base));
    expect(newRevHash(structuredClone(base))).toBe(newRevHash(base));
  });

  it('changes with the parent, the deleted flag and the body', () => {
    const hashes = new Set([
      newRevHash(base),
      newRevHash({ ...base, parentRev: '1-abd' }),
      newRevHash({ ...base, parentRev: null }),
      newRevHash({ ...base, deleted: true }),
      newRevHash({ ...base, body: { title: 'hello', tags: ['b', 'a'] } }),
      newRevHash({ ...base, body: { title: 'hello' } }),
    ]);
    expect(hashes.size).toBe(6);
  });

  it('hashes documents as earlier versions did (revision ids are stable across upgrades)', () => {
    const body = JSON.parse(
      '{"fullname":"Øystein Perrin","name":{"givenName":"Øystein","familyName":"Perrin"},' +
        '"email":[{"address":"o@example.org","type":"home"}],"n":-0,"x":1e21,' +
        '"deep":{"b":[1,{"d":null,"c":true}],"a":"\\ud800"}}',
    ) as unknown;
    expect(nextRev({ parentRev: null, deleted: false, body })).toBe('1-209a031ac6abbe0db531b8d733ab8f52');
    expect(nextRev({ parentRev: '1-abc', deleted: true, body })).toBe('2-741aa0841ece952e56880147fb6deb6d');
  });

  it('matches an independent MD5 of the canonical JSON of [parent, deleted, body]', async () => {
    const { createHash } = await import('node:crypto');
    const expected = createHash('md5')
      .update('["1-abc",false,{"tags":["a","b"],"title":"hello"}]')
      .digest('hex');
    expect(newRevHash(base)).toBe(expected);
  });
});

describe('nextRev', () => {
  it('starts at position 1 without a parent', () => {
    expect(nextRev({ parentRev: null, deleted: false, body: { a: 1 } })).toMatch(/^1-[0-9a-f]{32}$/);
  });

  it('goes one position past the parent, with the newRevHash hash', () => {
    const input = { parentRev: '41-abc', deleted: true, body: {} };
    expect(nextRev(input)).toBe(`42-${newRevHash(input)}`);
  });

  it('rejects a malformed parent with BadRequest', () => {
    expect(() => nextRev({ parentRev: 'nope', deleted: false, body: {} })).toThrow(BadRequest);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and otherwise writes plain JSON', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('sorts keys by code unit, integer-like keys included', () => {
    expect(canonicalJson({ '9': 0, '10': 0, b: 0, B: 0 })).toBe('{"10":0,"9":0,"B":0,"b":0}');
  });

  it('follows JSON.stringify for undefined members, non-finite numbers and toJSON', () => {
    const value = { u: undefined, f: () => 1, n: NaN, list: [undefined, Infinity], when: new Date(0) };
    expect(canonicalJson(value)).toBe('{"list":[null,null],"n":null,"when":"1970-01-01T00:00:00.000Z"}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(JSON.parse(canonicalJson({ s: 'quote " and \u2028' }))).toEqual({ s: 'quote " and \u2028' });
  });

  it('keeps a __proto__ key as data', () => {
    const value = JSON.parse('{"__proto__":{"x":1},"a":2}') as unknown;
    expect(canonicalJson(value)).toBe('{"__proto__":{"x":1},"a":2}');
  });

  it('writes boxed primitives and null-prototype objects member by member, as it always has', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { b: 1, a: 2 });
    expect(canonicalJson([new Number(3), new String('s'), bare])).toBe('[{},{"0":"s"},{"a":2,"b":1}]');
  });

  it('gives the same text however deep the value, past the depth its fast way handles', () => {
    let deep: unknown = { z: 1, a: 'leaf' };
    for (let i = 0; i < 100; i++) deep = { z: i, a: [deep] };
    let expected = '{"a":"leaf","z":1}';
    for (let i = 0; i < 100; i++) expected = `{"a":[${expected}],"z":${i}}`;
    expect(canonicalJson(deep)).toBe(expected);
  });

  it('leaves the value it is given as it was', () => {
    const value = { b: { y: 1, x: [{ q: 1, p: 2 }] }, a: 1 };
    const before = JSON.stringify(value);
    canonicalJson(value);
    expect(JSON.stringify(value)).toBe(before);
  });

  it('rejects a cycle with TypeError but accepts a shared (acyclic) value', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(TypeError);
    const shared = { x: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"x":1},{"x":1}]');
  });
});

describe('parseRevisions', () => {
  it('accepts a well-formed _revisions object and returns a fresh copy of it', () => {
    const input = { start: 3, ids: ['c', 'b', 'a'], extra: true };
    const parsed = parseRevisions(input);
    expect(parsed).toEqual({ start: 3, ids: ['c', 'b', 'a'] });
    expect(parsed.ids).not.toBe(input.ids);
  });

  it('accepts a path that stops before the first revision', () => {
    expect(parseRevisions({ start: 1000, ids: ['z'] })).toEqual({ start: 1000, ids: ['z'] });
  });

  it(`accepts ${MAX_REVISION_IDS} ids and no more`, () => {
    const ids = Array.from({ length: MAX_REVISION_IDS }, (_, i) => `h${i}`);
    expect(parseRevisions({ start: MAX_REVISION_IDS, ids }).ids).toHaveLength(MAX_REVISION_IDS);
    expect(() => parseRevisions({ start: MAX_REVISION_IDS + 1, ids: [...ids, 'x'] })).toThrow(BadRequest);
  });

  it.each([
    ['null', null],
    ['a string', '1-abc'],
    ['an array', [1, ['a']]],
    ['a missing start', { ids: ['a'] }],
    ['a string start', { start: '1', ids: ['a'] }],
    ['a zero start', { start: 0, ids: ['a'] }],
    ['a negative start', { start: -1, ids: ['a'] }],
    ['a fractional start', { start: 1.5, ids: ['a'] }],
    ['an unsafe start', { start: 2 ** 53, ids: ['a'] }],
    ['missing ids', { start: 1 }],
    ['ids that are not an array', { start: 1, ids: 'a' }],
    ['empty ids', { start: 1, ids: [] }],
    ['more ids than start allows', { start: 2, ids: ['c', 'b', 'a'] }],
    ['an empty id', { start: 2, ids: ['b', ''] }],
    ['a non-string id', { start: 2, ids: ['b', 7] }],
    ['an id with a dash', { start: 2, ids: ['1-b'] }],
  ])('rejects %s with BadRequest', (_why, input) => {
    expect(() => parseRevisions(input)).toThrow(BadRequest);
  });
});

/** canonicalJson as first written (member by member, keys sorted with Array.prototype.sort): the reference. */
function referenceCanonical(value: unknown): string | undefined {
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  ) {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => referenceCanonical(v) ?? 'null').join(',')}]`;
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const text = referenceCanonical(record[key]);
    if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${members.join(',')}}`;
}

/** Random JSON-like values: keys that need sorting, integer-like keys, nesting, odd strings. */
function randomValue(next: () => number, depth: number): unknown {
  const pick = next() * (depth > 3 ? 5 : 8);
  if (pick < 1) return null;
  if (pick < 2) return next() < 0.5;
  if (pick < 3) return Math.round((next() - 0.5) * 1e6) / 100;
  if (pick < 5) return ['', 'é', 'a"b', '\u2028', 'naïve ✓', '\ud800'][Math.floor(next() * 6)];
  if (pick < 6) return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
  const object: Record<string, unknown> = {};
  const count = next() < 0.1 ? 30 + Math.floor(next() * 10) : Math.floor(next() * 6);
  for (let i = 0; i < count; i++) {
    const key = ['b', 'a', 'B', '10', '9', 'é', 'aa', `k${Math.floor(next() * 50)}`][
      Math.floor(next() * 8)
    ] as string;
    object[key] = randomValue(next, depth + 1);
  }
  return object;
}

describe('the fast ways of writing a body', () => {
  const seeded = (seed: number) => () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

  it('canonicalJson writes exactly what the member-by-member reference writes', () => {
    const next = seeded(7);
    for (let i = 0; i < 2000; i++) {
      const value = randomValue(next, 0);
      expect(canonicalJson(value)).toBe(referenceCanonical(value) ?? 'null');
    }
  });

  it('bodyJson gives the stored JSON and the canonical JSON of a body, and the revision nextRev gives', () => {
    const next = seeded(11);
    for (let i = 0; i < 2000; i++) {
      const body = { ...(randomValue(next, 0) as object), x: randomValue(next, 1), '1': 'one' };
      const { text, canonical } = bodyJson(body);
      expect(text).toBe(JSON.stringify(body));
      expect(canonical).toBe(referenceCanonical(body));
      for (const parentRev of [null, '3-abc']) {
        expect(nextRevOfJson(parentRev, i % 2 === 0, canonical)).toBe(
          nextRev({ parentRev, deleted: i % 2 === 0, body }),
        );
      }
    }
  });

  it('bodyJson leaves out members JSON leaves out, and honours toJSON as each writer does', () => {
    // JSON.stringify calls toJSON with the member's key, canonicalJson without: kept as it was.
    const body = { u: undefined, f: () => 1, when: new Date(0), b: { toJSON: (key?: string) => key } };
    expect(bodyJson(body)).toEqual({
      text: '{"when":"1970-01-01T00:00:00.000Z","b":"b"}',
      canonical: '{"when":"1970-01-01T00:00:00.000Z"}',
    });
    expect(bodyJson(body).canonical).toBe(canonicalJson(body));
  });
});
