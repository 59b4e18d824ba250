import { describe, expect, it } from 'vitest';

import {
  compareBySort,
  encodeBookmark,
  parseFindRequest,
  project,
  selectorToJSON,
  sortKeyFor,
} from '../../../src/data/mango/index.js';
import { expect400 } from './helpers.js';
import { randomJson, seeded } from './random.js';

describe('parseFindRequest', () => {
  it('applies CouchDB defaults: limit 25, skip 0, whole documents, no sort', () => {
    const request = parseFindRequest({ selector: { a: 1 } });
    expect(request.limit).toBe(25);
    expect(request.skip).toBe(0);
    expect(request.fields).toBeUndefined();
    expect(request.sort).toBeUndefined();
    expect(selectorToJSON(request.selector)).toEqual({ a: { $eq: 1 } });
  });

  it('reads every option', () => {
    const bookmark = encodeBookmark({ docId: 'x' });
    const request = parseFindRequest({
      selector: {},
      fields: ['_id', 'a.b', 'a.b'],
      sort: ['a', { b: 'asc' }],
      limit: 10,
      skip: 5,
      bookmark,
      use_index: ['by-a', 'idx'],
      allow_fallback: false,
      execution_stats: true,
      r: 1,
      conflicts: false,
      update: true,
      stable: false,
      stale: 'ok',
    });
    expect(request).toMatchObject({
      fields: ['_id', 'a.b'],
      sort: [
        { field: 'a', dir: 'asc' },
        { field: 'b', dir: 'asc' },
      ],
      limit: 10,
      skip: 5,
      bookmark,
      useIndex: ['_design/by-a', 'idx'],
      allowFallback: false,
      executionStats: true,
    });
  });

  it('reads use_index as a design document, with or without _design/', () => {
    expect(parseFindRequest({ selector: {}, use_index: 'foo' }).useIndex).toBe('_design/foo');
    expect(parseFindRequest({ selector: {}, use_index: '_design/foo' }).useIndex).toBe('_design/foo');
    expect(parseFindRequest({ selector: {}, use_index: ['foo'] }).useIndex).toBe('_design/foo');
    expect(parseFindRequest({ selector: {}, use_index: [] }).useIndex).toBeUndefined();
  });

  it('treats an empty fields list, an empty sort and a null bookmark as absent', () => {
    const request = parseFindRequest({ selector: {}, fields: [], sort: [], bookmark: null });
    expect(request.fields).toBeUndefined();
    expect(request.sort).toBeUndefined();
    expect(request.bookmark).toBeUndefined();
  });

  it('reads descending sorts', () => {
    expect(parseFindRequest({ selector: {}, sort: [{ a: 'desc' }, { b: 'desc' }] }).sort).toEqual([
      { field: 'a', dir: 'desc' },
      { field: 'b', dir: 'desc' },
    ]);
  });

  it('refuses sort fields with different directions, like CouchDB', () => {
    expect400(() => parseFindRequest({ selector: {}, sort: ['a', { b: 'desc' }] }), /same direction/);
  });

  it('refuses malformed sorts', () => {
    expect400(() => parseFindRequest({ selector: {}, sort: 'a' }), /sort must be an array/);
    expect400(() => parseFindRequest({ selector: {}, sort: [{ a: 'up' }] }), /must be "asc" or "desc"/);
    expect400(() => parseFindRequest({ selector: {}, sort: [{ a: 'asc', b: 'asc' }] }), /each entry/);
    expect400(() => parseFindRequest({ selector: {}, sort: [1] }), /each entry/);
    expect400(() => parseFindRequest({ selector: {}, sort: ['a', 'a'] }), /listed twice/);
    expect400(() => parseFindRequest({ selector: {}, sort: ['a..b'] }), /empty path segment/);
  });

  it('refuses a missing or invalid selector', () => {
    expect400(() => parseFindRequest({}), /needs a "selector"/);
    expect400(() => parseFindRequest({ selector: [] }), /selector must be a JSON object/);
    expect400(() => parseFindRequest({ selector: { a: { $bad: 1 } } }), /unknown operator/);
    expect400(() => parseFindRequest([]), /must be a JSON object/);
  });

  it('refuses invalid field lists', () => {
    expect400(() => parseFindRequest({ selector: {}, fields: 'a' }), /fields must be an array/);
    expect400(() => parseFindRequest({ selector: {}, fields: [1] }), /field names must be strings/);
    expect400(() => parseFindRequest({ selector: {}, fields: [''] }), /cannot be empty/);
  });

  it('refuses invalid limits and skips', () => {
    for (const limit of [-1, 1.5, '10', null, 2 ** 60]) {
      expect400(() => parseFindRequest({ selector: {}, limit }), /limit must be a non-negative integer/);
    }
    expect400(() => parseFindRequest({ selector: {}, skip: -3 }), /skip must be a non-negative integer/);
    expect(parseFindRequest({ selector: {}, limit: 0 }).limit).toBe(0);
  });

  it('refuses an invalid bookmark', () => {
    expect400(() => parseFindRequest({ selector: {}, bookmark: 'not a bookmark!' }), /invalid bookmark/);
    expect400(() => parseFindRequest({ selector: {}, bookmark: 42 }), /invalid bookmark/);
  });

  it('refuses invalid use_index, allow_fallback, execution_stats and compatibility options', () => {
    expect400(() => parseFindRequest({ selector: {}, use_index: 3 }), /use_index must be/);
    expect400(() => parseFindRequest({ selector: {}, use_index: ['a', 'b', 'c'] }), /use_index must be/);
    expect400(() => parseFindRequest({ selector: {}, use_index: ['a', ''] }), /index name must be/);
    expect400(() => parseFindRequest({ selector: {}, use_index: [1] }), /design document must be/);
    expect400(() => parseFindRequest({ selector: {}, allow_fallback: 'no' }), /allow_fallback must be/);
    expect400(() => parseFindRequest({ selector: {}, execution_stats: 1 }), /execution_stats must be/);
    expect400(() => parseFindRequest({ selector: {}, conflicts: 'yes' }), /conflicts must be/);
    expect400(() => parseFindRequest({ selector: {}, r: 0 }), /r must be a positive integer/);
    expect400(() => parseFindRequest({ selector: {}, stale: 1 }), /stale must be/);
  });

  it('refuses unknown members', () => {
    expect400(() => parseFindRequest({ selector: {}, limt: 3 }), /unknown member "limt"/);
  });
});

describe('project', () => {
  const doc = { _id: 'x', _rev: '1-a', a: { b: 1, c: { d: 2 } }, e: [1, 2], 'f.g': 3 };

  it('keeps only the listed fields, with their nested structure', () => {
    expect(project(doc, ['_id', 'a.b'])).toEqual({ _id: 'x', a: { b: 1 } });
    expect(project(doc, ['a.c.d', 'a.b'])).toEqual({ a: { b: 1, c: { d: 2 } } });
    expect(project(doc, ['f\\.g'])).toEqual({ 'f.g': 3 });
  });

  it('leaves missing fields out', () => {
    expect(project(doc, ['nope', 'a.nope', 'a.b.c'])).toEqual({});
  });

  it('keeps a field whole when one of its sub-fields is listed too', () => {
    expect(project(doc, ['a.b', 'a'])).toEqual({ a: doc.a });
  });

  it('addresses array elements by index, giving objects', () => {
    expect(project(doc, ['e.1'])).toEqual({ e: { '1': 2 } });
  });

  it('does not modify the document', () => {
    const copy = structuredClone(doc);
    project(doc, ['a.b', 'a.c.d', 'e']);
    expect(doc).toEqual(copy);
  });

  it('handles a field named __proto__ as a plain field', () => {
    const weird = JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>;
    const result = project(weird, ['__proto__.x']);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(JSON.stringify(result)).toBe('{"__proto__":{"x":1}}');
  });
});

describe('compareBySort', () => {
  const docs = [
    { _id: 'd', n: 2 },
    { _id: 'a', n: 'x' },
    { _id: 'c', n: null },
    { _id: 'b' },
    { _id: 'e', n: 2 },
    { _id: 'f', n: -1 },
  ];

  it('sorts by collation, missing fields first, ties by _id', () => {
    const sorted = [...docs].sort(compareBySort([{ field: 'n', dir: 'asc' }])).map((d) => d._id);
    expect(sorted).toEqual(['b', 'c', 'f', 'd', 'e', 'a']);
  });

  it('reverses everything for a descending sort', () => {
    const sorted = [...docs].sort(compareBySort([{ field: 'n', dir: 'desc' }])).map((d) => d._id);
    expect(sorted).toEqual(['a', 'e', 'd', 'f', 'c', 'b']);
  });

  it('sorts by several fields and nested paths', () => {
    const people = [
      { _id: '1', p: { last: 'b', first: 'x' } },
      { _id: '2', p: { last: 'a', first: 'z' } },
      { _id: '3', p: { last: 'b', first: 'a' } },
    ];
    const sort = [
      { field: 'p.last', dir: 'asc' as const },
      { field: 'p.first', dir: 'asc' as const },
    ];
    expect([...people].sort(compareBySort(sort)).map((d) => d._id)).toEqual(['2', '3', '1']);
  });

  it('agrees with the (sortKeyFor, _id) row order used by bookmarks', () => {
    const r = seeded(7);
    for (const dir of ['asc', 'desc'] as const) {
      const sort = [
        { field: 'a', dir },
        { field: 'b', dir },
      ];
      const compare = compareBySort(sort);
      for (let i = 0; i < 2000; i++) {
        const gen = (): Record<string, unknown> => {
          const doc: Record<string, unknown> = { _id: String(Math.floor(r() * 5)) };
          if (r() < 0.8) doc['a'] = r() < 0.5 ? Math.floor(r() * 3) : randomJson(r);
          if (r() < 0.8) doc['b'] = randomJson(r);
          return doc;
        };
        const x = gen();
        const y = gen();
        const byKey =
          Buffer.compare(sortKeyFor(sort, x), sortKeyFor(sort, y)) ||
          Math.sign(Number(x['_id']) - Number(y['_id']));
        expect(Math.sign(compare(x, y))).toBe(dir === 'asc' ? byKey : 0 - byKey);
      }
    }
  });
});
