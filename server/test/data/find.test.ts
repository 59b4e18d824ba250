import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentService } from '../../src/data/documents.js';
import { FindService, NO_INDEX_WARNING, type FindResponse } from '../../src/data/find.js';
import type { DataScope } from '../../src/data/format.js';
import { BadRequest, NotFound } from '../../src/errors.js';
import type { DocumentStore } from '../../src/ports/store/documents.js';
import { dataFixture, type DataFixture } from '../support/data.js';
import { STORE_ADAPTERS } from '../support/stores.js';

const T = 'io.nuage.contacts';

const PEOPLE = [
  {
    _id: 'p01',
    name: 'Alice',
    age: 31,
    city: 'Paris',
    tags: ['work', 'family'],
    active: true,
    address: { zip: '75001', street: 'rue de Rivoli' },
  },
  { _id: 'p02', name: 'Bob', age: 25, city: 'Lyon', tags: ['work'], active: false },
  { _id: 'p03', name: 'Chloé', age: 42, city: 'Paris', tags: [], active: true, email: 'chloe@example.org' },
  {
    _id: 'p04',
    name: 'David',
    age: 25,
    city: 'Nantes',
    tags: ['sport', 'family'],
    active: true,
    email: null,
  },
  { _id: 'p05', name: 'Emma', age: 58, city: 'Lyon', active: false, email: 'emma@example.org' },
  { _id: 'p06', name: 'Farid', city: 'Paris', tags: ['sport'], active: true },
  { _id: 'p07', name: 'Gaëlle', age: '33', city: 'Lille', tags: ['work'], active: true },
  {
    _id: 'p08',
    name: 'Hugo',
    age: 19,
    city: 'Nantes',
    tags: ['family'],
    active: false,
    scores: [
      { game: 'chess', score: 1200 },
      { game: 'go', score: 300 },
    ],
  },
];

/** [what the operator does, selector, ids of the matching people]. */
const OPERATOR_CASES: [string, Record<string, unknown>, string[]][] = [
  ['an empty selector matches every document', {}, ['p01', 'p02', 'p03', 'p04', 'p05', 'p06', 'p07', 'p08']],
  ['a bare value is $eq', { city: 'Paris' }, ['p01', 'p03', 'p06']],
  ['$eq matches equal values', { city: { $eq: 'Lyon' } }, ['p02', 'p05']],
  ['$eq reaches nested fields by dotted path', { 'address.zip': '75001' }, ['p01']],
  [
    '$ne matches other values, never a missing field',
    { city: { $ne: 'Paris' } },
    ['p02', 'p04', 'p05', 'p07', 'p08'],
  ],
  ['$gt compares within the operand type', { age: { $gt: 31 } }, ['p03', 'p05']],
  ['$gte includes its bound', { age: { $gte: 31 } }, ['p01', 'p03', 'p05']],
  ['$lt excludes its bound', { age: { $lt: 25 } }, ['p08']],
  ['$lte includes its bound', { age: { $lte: 25 } }, ['p02', 'p04', 'p08']],
  ['$gt and $lt together make a range', { age: { $gt: 19, $lt: 42 } }, ['p01', 'p02', 'p04']],
  ['$in matches any listed value', { city: { $in: ['Lyon', 'Lille'] } }, ['p02', 'p05', 'p07']],
  ['$in matches an array holding a listed value', { tags: { $in: ['sport'] } }, ['p04', 'p06']],
  ['$nin matches none of the listed values', { city: { $nin: ['Paris', 'Lyon'] } }, ['p04', 'p07', 'p08']],
  [
    '$exists: true matches present fields, null included',
    { email: { $exists: true } },
    ['p03', 'p04', 'p05'],
  ],
  ['$exists: false matches missing fields', { age: { $exists: false } }, ['p06']],
  ['$and needs every condition', { $and: [{ city: 'Paris' }, { age: { $gte: 35 } }] }, ['p03']],
  ['$or needs one condition', { $or: [{ city: 'Lille' }, { age: { $gt: 50 } }] }, ['p05', 'p07']],
  [
    '$not negates a condition on a present field',
    { age: { $not: { $gt: 30 } } },
    ['p02', 'p04', 'p07', 'p08'],
  ],
  ['$not negates a whole selector', { $not: { city: 'Paris' } }, ['p02', 'p04', 'p05', 'p07', 'p08']],
  [
    '$nor matches when no branch does',
    { $nor: [{ city: 'Paris' }, { city: 'Lyon' }] },
    ['p04', 'p07', 'p08'],
  ],
  ['$regex matches strings', { name: { $regex: '^[A-C]' } }, ['p01', 'p02', 'p03']],
  [
    '$elemMatch needs one element matching every condition',
    { scores: { $elemMatch: { game: 'chess', score: { $gt: 1000 } } } },
    ['p08'],
  ],
  ['$elemMatch on plain values', { tags: { $elemMatch: { $eq: 'family' } } }, ['p01', 'p04', 'p08']],
  ['$all needs every value in the array', { tags: { $all: ['work', 'family'] } }, ['p01']],
  ['$size matches the array length', { tags: { $size: 2 } }, ['p01', 'p04']],
  ['$type matches the JSON type', { age: { $type: 'string' } }, ['p07']],
  ['$mod matches numbers by remainder', { age: { $mod: [2, 1] } }, ['p01', 'p02', 'p04', 'p08']],
];

/** Every index the operator cases could use, so that each runs once through an index scan too. */
const INDEX_FIELDS = [['city'], ['age'], ['name'], ['tags'], ['city', 'age'], ['address.zip'], ['email']];

const ids = (response: FindResponse): string[] => response.docs.map((doc) => doc['_id'] as string);

/** A document store that records every call made to it (and to its indexes). */
function watched(store: DocumentStore): { store: DocumentStore; calls: string[] } {
  const calls: string[] = [];
  const spy = <T extends object>(target: T, prefix: string): T =>
    new Proxy(target, {
      get(t, property, receiver) {
        const value: unknown = Reflect.get(t, property, receiver);
        if (property === 'indexes') return spy(value as object, 'indexes.');
        if (typeof value !== 'function') return value;
        return (...args: unknown[]): unknown => {
          calls.push(`${prefix}${String(property)}`);
          return (value as (...a: unknown[]) => unknown).apply(t, args);
        };
      },
    });
  return { store: spy(store, ''), calls };
}

describe.each(STORE_ADAPTERS)('find service on $name', (adapter) => {
  let f: DataFixture;
  let docs: DocumentService;
  let scope: DataScope;
  const find = new FindService();

  beforeEach(async () => {
    f = await dataFixture(adapter);
    ({ service: docs, scope } = f);
    await docs.bulkDocs(scope, T, PEOPLE);
  });
  afterEach(async () => {
    await f.dispose();
  });

  const index = (fields: unknown[], extra: Record<string, unknown> = {}) =>
    find.createIndex(scope, T, { index: { fields }, ...extra });

  /** Every page of a query, following bookmarks until an empty page. */
  async function allPages(body: Record<string, unknown>): Promise<string[][]> {
    const pages: string[][] = [];
    let bookmark: string | undefined;
    for (let round = 0; round < 100; round++) {
      const page = await find.find(scope, T, bookmark === undefined ? body : { ...body, bookmark });
      if (page.docs.length === 0) return pages;
      pages.push(ids(page));
      bookmark = page.bookmark;
    }
    throw new Error('paging did not end');
  }

  describe('operators', () => {
    describe.each([
      { how: 'by scanning every document', indexed: false },
      { how: 'through an index when one fits', indexed: true },
    ])('$how', ({ indexed }) => {
      beforeEach(async () => {
        if (indexed) for (const fields of INDEX_FIELDS) await index(fields);
      });

      it.each(OPERATOR_CASES)('%s', async (_what, selector, expected) => {
        const response = await find.find(scope, T, { selector });
        expect(ids(response).sort()).toEqual(expected);
      });
    });

    it('uses an index for the operators that bound a range, reading only that range', async () => {
      for (const fields of INDEX_FIELDS) await index(fields);
      const response = await find.find(scope, T, {
        selector: { age: { $gt: 19, $lt: 42 } },
        execution_stats: true,
      });
      expect(response.warning).toBeUndefined();
      expect(response.execution_stats?.total_docs_examined).toBe(3);
    });
  });

  describe('sort', () => {
    const byAgeAsc = ['p08', 'p02', 'p04', 'p01', 'p03', 'p05'];
    const byAgeDesc = ['p05', 'p03', 'p01', 'p04', 'p02', 'p08'];
    const selector = { age: { $type: 'number' } };

    it('sorts ascending and descending from an index, ties by _id in the same direction', async () => {
      await index(['age']);
      const asc = await find.find(scope, T, { selector, sort: ['age'] });
      const desc = await find.find(scope, T, { selector, sort: [{ age: 'desc' }] });
      expect(ids(asc)).toEqual(byAgeAsc);
      expect(ids(desc)).toEqual(byAgeDesc);
      expect(asc.warning).toBeUndefined();
      expect(desc.warning).toBeUndefined();
    });

    it('sorts in memory, in the same order, when no index gives the order', async () => {
      const asc = await find.find(scope, T, { selector, sort: [{ age: 'asc' }] });
      const desc = await find.find(scope, T, { selector, sort: [{ age: 'desc' }] });
      expect(ids(asc)).toEqual(byAgeAsc);
      expect(ids(desc)).toEqual(byAgeDesc);
      expect(asc.warning).toBe(NO_INDEX_WARNING);
      const explained = await find.explain(scope, T, { selector, sort: [{ age: 'desc' }] });
      expect(explained.sort_satisfied).toBe(false);
    });

    it('sorts on two fields of a two-field index', async () => {
      await index(['city', 'name']);
      const response = await find.find(scope, T, {
        selector: { city: { $gt: 'L' }, name: { $exists: true } },
        sort: [{ city: 'desc' }, { name: 'desc' }],
      });
      expect(ids(response)).toEqual(['p06', 'p03', 'p01', 'p08', 'p04', 'p05', 'p02', 'p07']);
      expect(response.warning).toBeUndefined();
    });

    it('puts documents lacking the sort field first ascending when sorting in memory', async () => {
      const response = await find.find(scope, T, { selector: { city: 'Paris' }, sort: ['age'] });
      expect(ids(response)).toEqual(['p06', 'p01', 'p03']);
    });

    it('sorts by _id descending without any index', async () => {
      const response = await find.find(scope, T, { selector: {}, sort: [{ _id: 'desc' }], limit: 3 });
      expect(ids(response)).toEqual(['p08', 'p07', 'p06']);
      expect((await find.explain(scope, T, { selector: {}, sort: [{ _id: 'desc' }] })).sort_satisfied).toBe(
        true,
      );
    });

    it('refuses an in-memory sort that would hold more documents than allowed, and keeps only the best rows otherwise', async () => {
      const small = new FindService({ maxInMemorySort: 5 });
      const top = await small.find(scope, T, { selector: {}, sort: ['name'], limit: 2 });
      expect(ids(top)).toEqual(['p01', 'p02']);
      const wide = small.find(scope, T, { selector: {}, sort: ['name'], limit: 6 });
      await expect(wide).rejects.toBeInstanceOf(BadRequest);
      await expect(wide).rejects.toThrow(/add an index for this sort/);
    });
  });

  describe('fields, limit and skip', () => {
    it('projects the requested fields, nested ones kept nested, missing ones left out', async () => {
      const response = await find.find(scope, T, {
        selector: { city: 'Paris' },
        fields: ['name', 'address.zip'],
      });
      expect(response.docs).toEqual([
        { name: 'Alice', address: { zip: '75001' } },
        { name: 'Chloé' },
        { name: 'Farid' },
      ]);
    });

    it('skips then limits, without an index and with one', async () => {
      const plain = await find.find(scope, T, { selector: {}, skip: 2, limit: 3 });
      expect(ids(plain)).toEqual(['p03', 'p04', 'p05']);
      await index(['age']);
      const indexed = await find.find(scope, T, {
        selector: { age: { $gte: 0 } },
        sort: ['age'],
        skip: 1,
        limit: 2,
      });
      expect(ids(indexed)).toEqual(['p02', 'p04']);
    });

    it('returns 25 documents when no limit is given, and none for limit 0', async () => {
      await docs.bulkDocs(
        scope,
        T,
        Array.from({ length: 30 }, (_, i) => ({ _id: `z${String(i).padStart(2, '0')}` })),
      );
      expect((await find.find(scope, T, { selector: {} })).docs).toHaveLength(25);
      expect((await find.find(scope, T, { selector: {}, limit: 0 })).docs).toEqual([]);
    });

    it('stops reading at the limit-th match when the index gives the order', async () => {
      await index(['age']);
      const response = await find.find(scope, T, {
        selector: { age: { $gte: 0 } },
        sort: ['age'],
        limit: 2,
        execution_stats: true,
      });
      expect(response.execution_stats).toMatchObject({
        total_keys_examined: 2,
        total_docs_examined: 2,
        results_returned: 2,
      });
      expect(response.execution_stats?.execution_time_ms).toBeGreaterThanOrEqual(0);
    });

    it('never returns design documents', async () => {
      await docs.put(scope, T, '_design/app', { city: 'Paris' });
      await index(['city']);
      expect(ids(await find.find(scope, T, { selector: { city: 'Paris' } }))).toEqual(['p01', 'p03', 'p06']);
      expect(ids(await find.find(scope, T, { selector: { city: { $exists: false } } }))).toEqual([]);
    });

    it('answers an empty page with the nil bookmark for a doctype never written, and accepts nil back', async () => {
      const empty = await find.find(scope, 'io.nuage.empty', { selector: {} });
      expect(empty).toEqual({ docs: [], bookmark: 'nil', warning: NO_INDEX_WARNING });
      const again = await find.find(scope, T, { selector: {}, bookmark: 'nil', limit: 1 });
      expect(ids(again)).toEqual(['p01']);
    });
  });

  describe('bookmarks', () => {
    // 47 documents; `n` repeats so that pages end in the middle of equal keys; every seventh lacks it.
    const MANY = Array.from({ length: 47 }, (_, i) => {
      const doc: Record<string, unknown> = {
        _id: `m${String(i).padStart(2, '0')}`,
        group: i % 3 ? 'b' : 'a',
      };
      if (i % 7 !== 3) doc['n'] = (i * 5) % 4;
      return doc;
    });
    const idOf = (doc: Record<string, unknown>): string => doc['_id'] as string;
    /** The expected order: by n (missing first), then _id; reversed for descending. */
    const ordered = (list: Record<string, unknown>[], descending = false): string[] => {
      const n = (doc: Record<string, unknown>): number =>
        doc['n'] === undefined ? -1 : (doc['n'] as number);
      const sorted = [...list].sort((a, b) => n(a) - n(b) || (idOf(a) < idOf(b) ? -1 : 1)).map(idOf);
      return descending ? sorted.reverse() : sorted;
    };

    beforeEach(async () => {
      await docs.bulkDocs(scope, 'io.nuage.many', MANY);
    });

    async function pages(body: Record<string, unknown>): Promise<string[][]> {
      const result: string[][] = [];
      let bookmark: string | undefined;
      for (let round = 0; round < 100; round++) {
        const page = await find.find(scope, 'io.nuage.many', {
          ...body,
          ...(bookmark === undefined ? {} : { bookmark }),
        });
        if (page.docs.length === 0) return result;
        expect(page.docs.length).toBeLessThanOrEqual(4);
        result.push(ids(page));
        bookmark = page.bookmark;
      }
      throw new Error('paging did not end');
    }

    it('returns every match exactly once across pages of an index scan, in both directions', async () => {
      await find.createIndex(scope, 'io.nuage.many', { index: { fields: ['n'] } });
      const withN = MANY.filter((doc) => doc['n'] !== undefined && (doc['n'] as number) >= 1);
      const asc = await pages({ selector: { n: { $gte: 1 } }, sort: ['n'], limit: 4 });
      expect(asc.flat()).toEqual(ordered(withN));
      const desc = await pages({ selector: { n: { $gte: 1 } }, sort: [{ n: 'desc' }], limit: 4 });
      expect(desc.flat()).toEqual(ordered(withN, true));
    });

    it('returns every match exactly once across pages of a scan by id', async () => {
      const groupB = MANY.filter((doc) => doc['group'] === 'b').map(idOf);
      expect((await pages({ selector: { group: 'b' }, limit: 4 })).flat()).toEqual(groupB);
    });

    it('returns every match exactly once across pages of an in-memory sort', async () => {
      const groupB = MANY.filter((doc) => doc['group'] === 'b');
      const asc = await pages({ selector: { group: 'b' }, sort: ['n'], limit: 4 });
      expect(asc.flat()).toEqual(ordered(groupB));
      const desc = await pages({ selector: { group: 'b' }, sort: [{ n: 'desc' }], limit: 4 });
      expect(desc.flat()).toEqual(ordered(groupB, true));
    });

    it('refuses a bookmark made for a query that reads another order', async () => {
      await find.createIndex(scope, 'io.nuage.many', { index: { fields: ['n'] } });
      const byId = await find.find(scope, 'io.nuage.many', { selector: {}, limit: 2 });
      const indexed = { selector: { n: { $gte: 1 } }, sort: ['n'], bookmark: byId.bookmark };
      await expect(find.find(scope, 'io.nuage.many', indexed)).rejects.toThrow(/another query/);
    });

    it('refuses a bookmark that is not one of ours', async () => {
      await expect(find.find(scope, T, { selector: {}, bookmark: 'not-a-bookmark' })).rejects.toBeInstanceOf(
        BadRequest,
      );
    });
  });

  describe('explain and indexes', () => {
    it('names the index _find used, which read only the matching rows', async () => {
      expect(await index(['city'], { ddoc: 'by-city', name: 'city' })).toEqual({
        result: 'created',
        id: '_design/by-city',
        name: 'city',
      });
      const explained = await find.explain(scope, T, { selector: { city: 'Paris' } });
      expect(explained).toMatchObject({
        dbname: T,
        index: { ddoc: '_design/by-city', name: 'city', type: 'json' },
      });
      const found = await find.find(scope, T, { selector: { city: 'Paris' }, execution_stats: true });
      expect(ids(found)).toEqual(['p01', 'p03', 'p06']);
      expect(found.warning).toBeUndefined();
      expect(found.execution_stats?.total_docs_examined).toBe(3);
    });

    it('names _all_docs and warns when no index is used', async () => {
      const explained = await find.explain(scope, T, { selector: { city: 'Paris' } });
      expect(explained.index).toMatchObject({ ddoc: null, name: '_all_docs', type: 'special' });
      const found = await find.find(scope, T, { selector: { city: 'Paris' }, execution_stats: true });
      expect(found.warning).toBe(NO_INDEX_WARNING);
      expect(found.execution_stats?.total_docs_examined).toBe(PEOPLE.length);
    });

    it('fills an index created after the documents exist, and answers exists for the same definition', async () => {
      const created = await index(['age']);
      expect(created.result).toBe('created');
      expect(await index(['age'])).toEqual({ ...created, result: 'exists' });
      const found = await find.find(scope, T, { selector: { age: { $lte: 25 } }, execution_stats: true });
      expect(ids(found)).toEqual(['p08', 'p02', 'p04']);
      expect(found.execution_stats?.total_keys_examined).toBe(3);
    });

    it('lists _all_docs first, then json indexes, and deletes them', async () => {
      await index(['city'], { ddoc: 'b', name: 'city' });
      await index([{ age: 'desc' }], { ddoc: '_design/a', name: 'age' });
      expect(await find.listIndexes(scope, T)).toEqual({
        total_rows: 3,
        indexes: [
          { ddoc: null, name: '_all_docs', type: 'special', def: { fields: [{ _id: 'asc' }] } },
          { ddoc: '_design/a', name: 'age', type: 'json', def: { fields: [{ age: 'desc' }] } },
          { ddoc: '_design/b', name: 'city', type: 'json', def: { fields: [{ city: 'asc' }] } },
        ],
      });
      expect(await find.deleteIndex(scope, T, 'a', 'age')).toEqual({ ok: true });
      await expect(find.deleteIndex(scope, T, '_design/a', 'age')).rejects.toBeInstanceOf(NotFound);
      expect((await find.listIndexes(scope, T)).total_rows).toBe(2);
      expect((await find.explain(scope, T, { selector: { age: 25 } })).index.name).toBe('_all_docs');
    });

    it('drops a deleted document from results and from index scans', async () => {
      await index(['city']);
      const current = await docs.get(scope, T, 'p01');
      await docs.delete(scope, T, 'p01', current._rev);
      const found = await find.find(scope, T, { selector: { city: 'Paris' }, execution_stats: true });
      expect(ids(found)).toEqual(['p03', 'p06']);
      expect(found.execution_stats?.total_keys_examined).toBe(2);
      expect(ids(await find.find(scope, T, { selector: { name: 'Alice' } }))).toEqual([]);
    });

    it('moves an updated document between ranges, and out of the index when it loses the field', async () => {
      await index(['age']);
      const bob = await docs.get(scope, T, 'p02');
      await docs.put(scope, T, 'p02', { ...bob, age: 60 });
      const david = await docs.get(scope, T, 'p04');
      const { age: _age, ...ageless } = david;
      await docs.put(scope, T, 'p04', ageless);
      expect(ids(await find.find(scope, T, { selector: { age: { $lt: 30 } } }))).toEqual(['p08']);
      expect(ids(await find.find(scope, T, { selector: { age: { $gt: 50 } } }))).toEqual(['p05', 'p02']);
      const all = await find.find(scope, T, { selector: { age: { $gte: 0 } }, execution_stats: true });
      expect(all.execution_stats?.total_keys_examined).toBe(5);
    });

    it('uses an index with a partial filter only when use_index names it', async () => {
      await find.createIndex(scope, T, {
        index: { fields: ['age'], partial_filter_selector: { active: true } },
        ddoc: 'active-by-age',
      });
      const selector = { age: { $gte: 0 } };
      expect((await find.explain(scope, T, { selector })).index.name).toBe('_all_docs');
      expect(ids(await find.find(scope, T, { selector })).sort()).toEqual([
        'p01',
        'p02',
        'p03',
        'p04',
        'p05',
        'p08',
      ]);
      const named = { selector, use_index: 'active-by-age' };
      expect((await find.explain(scope, T, named)).index.ddoc).toBe('_design/active-by-age');
      const found = await find.find(scope, T, named);
      expect(ids(found)).toEqual(['p04', 'p01', 'p03']);
      expect(found.warning).toBeUndefined();
    });

    it('warns when use_index names an index it could not use, and refuses with allow_fallback false', async () => {
      await index(['city'], { ddoc: 'by-city' });
      const found = await find.find(scope, T, { selector: { age: 25 }, use_index: 'by-city' });
      expect(ids(found)).toEqual(['p02', 'p04']);
      expect(found.warning).toMatch(/_design\/by-city was not used/);
      await expect(
        find.find(scope, T, { selector: { age: 25 }, use_index: 'by-city', allow_fallback: false }),
      ).rejects.toBeInstanceOf(BadRequest);
    });
  });

  describe('bad requests', () => {
    const BAD_FIND: [string, unknown][] = [
      ['a body that is not an object', [{ selector: {} }]],
      ['no selector', { limit: 2 }],
      ['an unknown operator', { selector: { age: { $near: 3 } } }],
      ['a negative limit', { selector: {}, limit: -1 }],
      ['a sort with mixed directions', { selector: {}, sort: [{ age: 'asc' }, { name: 'desc' }] }],
      ['an unknown member', { selector: {}, colour: 'blue' }],
      ['a forged bookmark', { selector: {}, bookmark: 'eyJ2IjoyfQ' }],
      ['an invalid regular expression', { selector: { name: { $regex: '(' } } }],
    ];

    it.each(BAD_FIND)('refuses %s before touching the store', async (_what, body) => {
      const spy = watched(scope.storage.documents);
      const watchedScope: DataScope = { instance: scope.instance, storage: { documents: spy.store } };
      await expect(find.find(watchedScope, T, body)).rejects.toBeInstanceOf(BadRequest);
      await expect(find.explain(watchedScope, T, body)).rejects.toBeInstanceOf(BadRequest);
      expect(spy.calls).toEqual([]);
    });

    const BAD_INDEX: [string, unknown][] = [
      ['no fields', { index: { fields: [] } }],
      ['a text index', { index: { fields: ['name'] }, type: 'text' }],
      ['a field that is not a name', { index: { fields: [3] } }],
      ['an unknown member', { index: { fields: ['name'] }, colour: 'blue' }],
    ];

    it.each(BAD_INDEX)('refuses an index with %s and creates nothing', async (_what, body) => {
      const spy = watched(scope.storage.documents);
      const watchedScope: DataScope = { instance: scope.instance, storage: { documents: spy.store } };
      await expect(find.createIndex(watchedScope, T, body)).rejects.toBeInstanceOf(BadRequest);
      expect(spy.calls).toEqual([]);
      expect((await find.listIndexes(scope, T)).total_rows).toBe(1);
    });

    it('refuses an invalid doctype', async () => {
      await expect(find.find(scope, 'Not A Doctype!', { selector: {} })).rejects.toBeInstanceOf(BadRequest);
    });

    it('answers NotFound when deleting an index that does not exist', async () => {
      await expect(find.deleteIndex(scope, T, 'nope', 'nope')).rejects.toBeInstanceOf(NotFound);
    });
  });

  describe('the filter option', () => {
    const notParis = (doc: Record<string, unknown>): boolean => doc['city'] !== 'Paris';

    it('leaves out filtered documents before skip and limit count, without an index', async () => {
      const page = await find.find(scope, T, { selector: {}, limit: 3 }, { filter: notParis });
      expect(ids(page)).toEqual(['p02', 'p04', 'p05']);
      const next = await find.find(scope, T, { selector: {}, skip: 1, limit: 3 }, { filter: notParis });
      expect(ids(next)).toEqual(['p04', 'p05', 'p07']);
    });

    it('leaves out filtered documents from index scans and in-memory sorts, pages included', async () => {
      await index(['age']);
      const indexed = await find.find(
        scope,
        T,
        { selector: { age: { $gte: 0 } }, sort: ['age'], limit: 3 },
        { filter: notParis },
      );
      expect(ids(indexed)).toEqual(['p08', 'p02', 'p04']);
      const sorted = await find.find(
        scope,
        T,
        { selector: {}, sort: [{ name: 'desc' }] },
        { filter: notParis },
      );
      expect(ids(sorted)).toEqual(['p08', 'p07', 'p05', 'p04', 'p02']);
      const pages = await allPagesFiltered({ selector: {}, limit: 2 }, notParis);
      expect(pages.flat()).toEqual(['p02', 'p04', 'p05', 'p07', 'p08']);
    });

    async function allPagesFiltered(
      body: Record<string, unknown>,
      filter: (doc: Record<string, unknown>) => boolean,
    ): Promise<string[][]> {
      const result: string[][] = [];
      let bookmark: string | undefined;
      for (;;) {
        const page = await find.find(
          scope,
          T,
          { ...body, ...(bookmark === undefined ? {} : { bookmark }) },
          { filter },
        );
        if (page.docs.length === 0) return result;
        result.push(ids(page));
        bookmark = page.bookmark;
      }
    }
  });

  it('pages the small corpus by two with every document once', async () => {
    expect((await allPages({ selector: {}, limit: 2 })).flat()).toEqual(PEOPLE.map((p) => p._id));
  });
});
