import { describe, expect, it } from 'vitest';

import {
  compareBySort,
  compareStrings,
  encodeIndexKey,
  explain,
  indexKeyFor,
  keyRangeForPrefix,
  matches,
  parseFindRequest,
  parseIndexRequest,
  planFind,
  prefixSuccessor,
  type IndexDef,
  type JsonValue,
  type Plan,
} from '../../../src/data/mango/index.js';
import { expect400 } from './helpers.js';
import { pick, seeded } from './random.js';

const index = (fields: unknown[], name: string, extra: Record<string, unknown> = {}): IndexDef =>
  parseIndexRequest({ index: { fields, ...extra }, ddoc: name, name });

const byType = index(['type'], 'by-type');
const byTypeYear = index(['type', 'year'], 'by-type-year');
const byYear = index(['year'], 'by-year');
const byYearDesc = index([{ year: 'desc' }], 'by-year-desc');
const byName = index(['name'], 'by-name');

const plan = (body: Record<string, unknown>, indexes: IndexDef[]): Plan =>
  planFind(parseFindRequest(body), indexes);

const inverted = (key: Buffer): Buffer => Buffer.from(key.map((b) => ~b & 0xff));

describe('planFind: choosing an index', () => {
  it('uses the index whose leading field has an equality condition', () => {
    const p = plan({ selector: { type: 'film', year: { $gt: 2000 } } }, [byYear, byTypeYear]);
    expect(p.index).toBe(byTypeYear);
    expect(p.sortSatisfied).toBe(true);
    expect(p.descending).toBe(false);
    expect(p.reason).toMatch(/by-type-year; equality on type; range on year/);
  });

  it('prefers the index with the most equality-fixed leading fields', () => {
    const p = plan({ selector: { type: 'film', year: 1999 } }, [byType, byYear, byTypeYear]);
    expect(p.index).toBe(byTypeYear);
  });

  it('prefers a range on the next field, then the index with fewer fields', () => {
    expect(plan({ selector: { type: 'film', year: { $gt: 1 } } }, [byType, byTypeYear]).index).toBe(
      byTypeYear,
    );
    const wide = index(['type', 'other'], 'wide');
    expect(plan({ selector: { type: 'film', other: { $exists: true } } }, [wide, byType]).index).toBe(byType);
  });

  it('breaks remaining ties by design document and name, whatever the order given', () => {
    const a = index(['type'], 'a');
    const b = index(['type'], 'b');
    expect(plan({ selector: { type: 'x' } }, [b, a]).index).toBe(a);
    expect(plan({ selector: { type: 'x' } }, [a, b]).index).toBe(a);
  });

  it('uses an index when every field is required, even without a range', () => {
    const p = plan({ selector: { year: { $ne: 1 } } }, [byYear]);
    expect(p.index).toBe(byYear);
    expect(p.range).toEqual({});
    expect(p.reason).toMatch(/whole index/);
  });

  it('does not use an index on a field the selector does not require', () => {
    for (const selector of [
      { type: 'film' },
      { year: { $exists: false } },
      { $or: [{ year: 1 }, { type: 'x' }] },
      { year: { $not: { $exists: true } } },
      {},
    ]) {
      const p = plan({ selector }, [byYear]);
      expect(p.index, JSON.stringify(selector)).toBeNull();
      expect(p.reason).toMatch(/does not require field "year"/);
    }
  });

  it('uses an index when every $or branch requires its field', () => {
    expect(plan({ selector: { $or: [{ year: 1 }, { year: { $gt: 5 } }] } }, [byYear]).index).toBe(byYear);
  });

  it('needs every field of a multi-field index to be required', () => {
    expect(plan({ selector: { type: 'film' } }, [byTypeYear]).index).toBeNull();
    expect(plan({ selector: { type: 'film', year: { $exists: true } } }, [byTypeYear]).index).toBe(
      byTypeYear,
    );
  });

  it('ignores indexes with a partial filter unless use_index names them', () => {
    const partial = index(['year'], 'partial', { partial_filter_selector: { type: 'film' } });
    expect(plan({ selector: { year: 1 } }, [partial]).index).toBeNull();
    const forced = plan({ selector: { year: 1 }, use_index: 'partial' }, [partial]);
    expect(forced.index).toBe(partial);
    expect(forced.reason).toMatch(/use_index _design\/partial: .*partial index/);
  });
});

describe('planFind: key ranges', () => {
  it('turns $eq on the first of several fields into a prefix range', () => {
    const p = plan({ selector: { type: 'film', year: { $exists: true } } }, [byTypeYear]);
    expect(p.range).toEqual(keyRangeForPrefix(['film']));
  });

  it('turns $eq on every field into the range of one key', () => {
    const p = plan({ selector: { type: 'film', year: 1999 } }, [byTypeYear]);
    expect(p.range).toEqual(keyRangeForPrefix(['film', 1999]));
  });

  it('adds a range operator on the field after the equalities', () => {
    const p = plan({ selector: { type: 'film', year: { $gt: 2000, $lte: 2010 } } }, [byTypeYear]);
    expect(p.range).toEqual({
      gte: prefixSuccessor(encodeIndexKey(['film', 2000])),
      lt: prefixSuccessor(encodeIndexKey(['film', 2010])),
    });
  });

  it('closes a one-sided range at the end of the operand type', () => {
    expect(plan({ selector: { year: { $gte: 2000 } } }, [byYear]).range).toEqual({
      gte: encodeIndexKey([2000]),
      lt: Buffer.of(0x31), // first byte after every number
    });
    expect(plan({ selector: { year: { $lt: 2000 } } }, [byYear]).range).toEqual({
      gte: Buffer.of(0x30), // the number tag: null and booleans are left out
      lt: encodeIndexKey([2000]),
    });
  });

  it('keeps the tightest of several bounds', () => {
    const p = plan({ selector: { year: { $gt: 1, $gte: 5, $lt: 100, $lte: 10 } } }, [byYear]);
    expect(p.range).toEqual({ gte: encodeIndexKey([5]), lt: prefixSuccessor(encodeIndexKey([10])) });
  });

  it('narrows to the type implied by $regex, $type, $size or $mod', () => {
    expect(plan({ selector: { name: { $regex: '^a' } } }, [byName]).range).toEqual({
      gte: Buffer.of(0x40),
      lt: Buffer.of(0x41),
    });
    expect(plan({ selector: { name: { $type: 'boolean' } } }, [byName]).range).toEqual({
      gte: Buffer.of(0x20),
      lt: Buffer.of(0x22),
    });
    expect(plan({ selector: { name: { $size: 1 } } }, [byName]).range).toEqual({
      gte: Buffer.of(0x50),
      lt: Buffer.of(0x51),
    });
    expect(plan({ selector: { name: { $mod: [2, 0] } } }, [byName]).range).toEqual({
      gte: Buffer.of(0x30),
      lt: Buffer.of(0x31),
    });
  });

  it('reverses bounds on a descending index field', () => {
    const p = plan({ selector: { year: { $gte: 2000 } } }, [byYearDesc]);
    expect(p.range).toEqual({
      gte: Buffer.of(0xff - 0x30),
      lt: prefixSuccessor(inverted(encodeIndexKey([2000]))),
    });
  });

  it('does not derive ranges from negated conditions', () => {
    expect(plan({ selector: { year: { $not: { $gt: 5 } } } }, [byYear]).range).toEqual({});
  });
});

describe('planFind: sorting', () => {
  it('scans ascending when the sort matches the index fields', () => {
    const p = plan({ selector: { year: { $gt: 0 } }, sort: ['year'] }, [byYear]);
    expect(p).toMatchObject({ index: byYear, descending: false, sortSatisfied: true });
  });

  it('scans descending when every sort direction is reversed', () => {
    const p = plan({ selector: { year: { $gt: 0 } }, sort: [{ year: 'desc' }] }, [byYear]);
    expect(p).toMatchObject({ index: byYear, descending: true, sortSatisfied: true });
    expect(p.reason).toMatch(/scanned descending/);
    const q = plan({ selector: { year: { $gt: 0 } }, sort: [{ year: 'desc' }] }, [byYearDesc]);
    expect(q).toMatchObject({ index: byYearDesc, descending: false });
  });

  it('needs the sort fields to be a prefix of the index fields', () => {
    const selector = { type: { $gt: '' }, year: { $gt: 0 } };
    expect(plan({ selector, sort: ['type'] }, [byTypeYear]).index).toBe(byTypeYear);
    expect(plan({ selector, sort: ['type', 'year'] }, [byTypeYear]).index).toBe(byTypeYear);
    const p = plan({ selector, sort: ['year'] }, [byTypeYear]);
    expect(p.index).toBeNull();
    expect(p.reason).toMatch(
      /sort \[year asc\] is not a prefix of its order \[type asc, year asc, _id asc\]/,
    );
  });

  it('ignores sort fields fixed by $eq', () => {
    const p = plan({ selector: { type: 'film', year: { $gt: 0 } }, sort: ['type', 'year'] }, [byTypeYear]);
    expect(p).toMatchObject({ index: byTypeYear, sortSatisfied: true });
    expect(plan({ selector: { type: 'film', year: { $gt: 0 } }, sort: ['year'] }, [byTypeYear]).index).toBe(
      byTypeYear,
    );
  });

  it('can sort by _id after the index fields, since rows are ordered by (key, doc id)', () => {
    expect(plan({ selector: { year: 1 }, sort: ['year', '_id'] }, [byYear]).index).toBe(byYear);
    expect(
      plan({ selector: { type: 'x', year: { $gt: 1 } }, sort: ['type', '_id'] }, [byTypeYear]).index,
    ).toBeNull();
  });

  it('falls back to a full scan sorted in memory when no index gives the order', () => {
    const p = plan({ selector: { type: 'film' }, sort: ['name'] }, [byType]);
    expect(p).toMatchObject({ index: null, sortSatisfied: false, descending: false, range: {} });
    expect(p.reason).toMatch(/sorting in memory \(CouchDB would refuse/);
  });

  it('satisfies a sort on _id with the full scan, in either direction', () => {
    expect(plan({ selector: {}, sort: ['_id'] }, [])).toMatchObject({
      index: null,
      sortSatisfied: true,
      descending: false,
    });
    expect(plan({ selector: {}, sort: [{ _id: 'desc' }] }, [])).toMatchObject({
      index: null,
      sortSatisfied: true,
      descending: true,
    });
  });
});

describe('planFind: full scans', () => {
  it('scans all documents when no index exists', () => {
    const p = plan({ selector: { a: 1 } }, []);
    expect(p).toEqual({
      index: null,
      range: {},
      descending: false,
      sortSatisfied: true,
      reason: 'no json index to use: scanning all documents by _id',
    });
  });

  it('narrows a full scan by conditions on _id', () => {
    expect(plan({ selector: { _id: 'x' } }, []).idRange).toEqual({ gte: 'x', lte: 'x' });
    expect(plan({ selector: { _id: { $gt: 'a', $gte: 'b', $lt: 'y' } } }, []).idRange).toEqual({
      gte: 'b',
      lt: 'y',
    });
    expect(plan({ selector: { _id: { $gte: 'a', $gt: 'a' } } }, []).idRange).toEqual({ gt: 'a' });
    expect(plan({ selector: { _id: { $gt: 5 } } }, []).idRange).toBeUndefined(); // no string bound
  });
});

describe('planFind: use_index', () => {
  it('uses the named index when it is usable, even if another looks better', () => {
    const p = plan({ selector: { type: 'film', year: 1 }, use_index: ['by-year', 'by-year'] }, [
      byTypeYear,
      byYear,
    ]);
    expect(p.index).toBe(byYear);
    expect(p.reason).toMatch(/^use_index _design\/by-year\/by-year: index/);
  });

  it('picks the best index of a named design document', () => {
    const a = parseIndexRequest({ index: { fields: ['year'] }, ddoc: 'd', name: 'a' });
    const b = parseIndexRequest({ index: { fields: ['type', 'year'] }, ddoc: 'd', name: 'b' });
    expect(plan({ selector: { type: 'film', year: 1 }, use_index: 'd' }, [a, b]).index).toBe(b);
  });

  it('falls back and says why when the named index is unusable', () => {
    const p = plan({ selector: { type: 'film' }, use_index: 'by-year' }, [byYear, byType]);
    expect(p.index).toBe(byType);
    expect(p.reason).toMatch(
      /use_index _design\/by-year is not usable \(.*does not require field "year".*\), ignored; index/,
    );
  });

  it('falls back and says so when the named index does not exist', () => {
    const p = plan({ selector: { type: 'film' }, use_index: 'nope' }, [byType]);
    expect(p.index).toBe(byType);
    expect(p.reason).toMatch(/use_index _design\/nope names no index, ignored/);
  });

  it('refuses to fall back when allow_fallback is false', () => {
    expect400(
      () => plan({ selector: { type: 'film' }, use_index: 'by-year', allow_fallback: false }, [byYear]),
      /use_index _design\/by-year is not usable .* allow_fallback is false/,
    );
  });
});

describe('explain', () => {
  it('describes an index scan like CouchDB', () => {
    const request = parseFindRequest({
      selector: { type: 'film', year: { $gt: 2000 } },
      fields: ['_id', 'title'],
      sort: ['type'],
      limit: 2,
    });
    const p = planFind(request, [byTypeYear]);
    const out = explain(p, request);
    expect(out).toMatchObject({
      index: {
        ddoc: '_design/by-type-year',
        name: 'by-type-year',
        type: 'json',
        def: { fields: [{ type: 'asc' }, { year: 'asc' }] },
      },
      selector: { $and: [{ type: { $eq: 'film' } }, { year: { $gt: 2000 } }] },
      opts: {
        use_index: [],
        bookmark: 'nil',
        limit: 2,
        skip: 0,
        sort: [{ type: 'asc' }],
        fields: ['_id', 'title'],
      },
      limit: 2,
      skip: 0,
      fields: ['_id', 'title'],
      range: { gte: p.range.gte?.toString('hex'), lt: p.range.lt?.toString('hex'), descending: false },
      sort_satisfied: true,
    });
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });

  it('describes a full scan as the special _all_docs index', () => {
    const request = parseFindRequest({ selector: { _id: { $gt: 'a' } }, use_index: ['x', 'y'] });
    const out = explain(planFind(request, []), request);
    expect(out.index).toEqual({
      ddoc: null,
      name: '_all_docs',
      type: 'special',
      partitioned: false,
      def: { fields: [{ _id: 'asc' }] },
    });
    expect(out.fields).toBe('all_fields');
    expect(out.opts.use_index).toEqual(['_design/x', 'y']);
    expect(out.opts.sort).toEqual({});
    expect(out.range).toEqual({ descending: false, ids: { gt: 'a' } });
  });
});

describe('planFind: soundness on random queries', () => {
  const VALUES: JsonValue[] = [
    null,
    false,
    true,
    -1,
    0,
    1,
    2,
    3,
    2.5,
    '',
    'a',
    'b',
    'ab',
    [],
    [1],
    [1, 2],
    {},
    { x: 1 },
  ];
  const FIELDS = ['a', 'b', 'c'];
  const indexes = [
    index(['a'], 'i-a'),
    index(['a', 'b'], 'i-ab'),
    index(['b', 'a'], 'i-ba'),
    index([{ a: 'desc' }, { b: 'desc' }], 'i-ab-desc'),
    index(['c', 'a', 'b'], 'i-cab'),
    index([{ c: 'desc' }], 'i-c-desc'),
    index(['b'], 'i-b-partial', { partial_filter_selector: { c: { $exists: true } } }),
  ];
  const SORTS = [
    undefined,
    ['a'],
    [{ a: 'desc' }],
    ['a', 'b'],
    [{ b: 'desc' }, { a: 'desc' }],
    ['b'],
    ['_id'],
    [{ _id: 'desc' }],
    ['a', '_id'],
  ];

  function randomCondition(r: () => number): unknown {
    const value = pick(r, VALUES);
    switch (
      pick(r, ['eq', 'eq', 'cmp', 'cmp', 'cmp', 'ne', 'exists', 'in', 'regex', 'type', 'size', 'not'])
    ) {
      case 'eq':
        return value;
      case 'cmp':
        return { [pick(r, ['$gt', '$gte', '$lt', '$lte'])]: value };
      case 'ne':
        return { $ne: value };
      case 'exists':
        return { $exists: r() < 0.5 };
      case 'in':
        return { [pick(r, ['$in', '$nin'])]: [pick(r, VALUES), pick(r, VALUES)] };
      case 'regex':
        return { $regex: pick(r, ['^a', 'b', '^$']) };
      case 'type':
        return { $type: pick(r, ['number', 'string', 'array', 'null']) };
      case 'size':
        return { $size: pick(r, [0, 1, 2]) };
      default:
        return { $not: { [pick(r, ['$gt', '$eq'])]: value } };
    }
  }

  function randomClause(r: () => number): Record<string, unknown> {
    const x = r();
    if (x < 0.15) return { $or: [randomClause(r), randomClause(r)] };
    if (x < 0.2) return { $or: [{ a: randomCondition(r) }, { a: randomCondition(r) }] };
    if (x < 0.25) return { $not: randomClause(r) };
    if (x < 0.32) return { _id: { [pick(r, ['$gt', '$lte', '$eq'])]: `d${Math.floor(r() * 60)}` } };
    return { [pick(r, FIELDS)]: randomCondition(r) };
  }

  it('keeps every matching value in range for each operator, operand and direction', () => {
    const all: JsonValue[] = [...VALUES, -Infinity, 1e308, '\u0000', '😀', [[]], { x: 0 }, { y: 1 }];
    const ops = ['$eq', '$gt', '$gte', '$lt', '$lte'];
    for (const def of [index(['v'], 'asc'), index([{ v: 'desc' }], 'desc')]) {
      for (const op of ops) {
        for (const operand of all) {
          const request = parseFindRequest({ selector: { v: { [op]: operand } } });
          const p = planFind(request, [def]);
          expect(p.index).toBe(def);
          for (const value of all) {
            const doc = { v: value };
            const key = indexKeyFor(def, doc) as Buffer;
            const inside =
              (p.range.gte === undefined || Buffer.compare(key, p.range.gte) >= 0) &&
              (p.range.lt === undefined || Buffer.compare(key, p.range.lt) < 0);
            // The range must hold every match, and here (one field) exactly the matches.
            expect(inside, JSON.stringify({ op, operand, value, dir: def.name })).toBe(
              matches(request.selector, doc),
            );
          }
        }
      }
    }
  });

  it('never leaves a matching document outside the planned range, and returns rows in sort order', () => {
    const r = seeded(11);
    const docs = Array.from({ length: 60 }, (_, i) => {
      const doc: Record<string, unknown> = { _id: `d${String(i).padStart(2, '0')}` };
      for (const f of FIELDS) if (r() < 0.8) doc[f] = pick(r, VALUES);
      return doc;
    });
    let indexScans = 0;
    let rangeScans = 0;
    for (let n = 0; n < 1500; n++) {
      const clauses = Array.from({ length: 1 + Math.floor(r() * 3) }, () => randomClause(r));
      const body: Record<string, unknown> = { selector: { $and: clauses } };
      const sort = pick(r, SORTS);
      if (sort !== undefined) body['sort'] = sort;
      if (r() < 0.1) body['use_index'] = pick(r, ['i-b-partial', 'i-ab', 'missing']);
      const request = parseFindRequest(body);
      const p = planFind(request, indexes);
      const context = JSON.stringify({ body, reason: p.reason });
      const matching = docs.filter((doc) => matches(request.selector, doc));

      let rows: { key?: Buffer; doc: Record<string, unknown> }[];
      if (p.index !== null) {
        indexScans++;
        if (p.range.gte !== undefined || p.range.lt !== undefined) rangeScans++;
        expect(p.sortSatisfied, context).toBe(true);
        const def = p.index;
        rows = [];
        for (const doc of matching) {
          const key = indexKeyFor(def, doc);
          if (key === null) {
            expect(def.partialFilter, context).toBeDefined();
            continue;
          }
          if (p.range.gte !== undefined)
            expect(Buffer.compare(key, p.range.gte), context).toBeGreaterThanOrEqual(0);
          if (p.range.lt !== undefined) expect(Buffer.compare(key, p.range.lt), context).toBeLessThan(0);
          rows.push({ key, doc });
        }
      } else {
        for (const doc of matching) {
          const id = doc['_id'] as string;
          const ids = p.idRange ?? {};
          if (ids.gte !== undefined) expect(compareStrings(id, ids.gte), context).toBeGreaterThanOrEqual(0);
          if (ids.gt !== undefined) expect(compareStrings(id, ids.gt), context).toBeGreaterThan(0);
          if (ids.lte !== undefined) expect(compareStrings(id, ids.lte), context).toBeLessThanOrEqual(0);
          if (ids.lt !== undefined) expect(compareStrings(id, ids.lt), context).toBeLessThan(0);
        }
        rows = matching.map((doc) => ({ doc }));
        if (!p.sortSatisfied) expect(request.sort, context).toBeDefined();
      }

      if (request.sort !== undefined && p.sortSatisfied) {
        const scanOrder = (x: (typeof rows)[0], y: (typeof rows)[0]): number => {
          const c =
            Buffer.compare(x.key ?? Buffer.alloc(0), y.key ?? Buffer.alloc(0)) ||
            compareStrings(x.doc['_id'] as string, y.doc['_id'] as string);
          return p.descending ? -c : c;
        };
        rows.sort(scanOrder);
        const bySort = compareBySort(request.sort);
        const withId = request.sort.some((s) => s.field === '_id');
        const strip = (doc: Record<string, unknown>): Record<string, unknown> =>
          withId ? doc : { ...doc, _id: '' };
        for (let i = 1; i < rows.length; i++) {
          const prev = (rows[i - 1] as (typeof rows)[0]).doc;
          const next = (rows[i] as (typeof rows)[0]).doc;
          expect(bySort(strip(prev), strip(next)), context).toBeLessThanOrEqual(0);
        }
      }
    }
    // The random queries must exercise index scans, not only full scans.
    expect(indexScans).toBeGreaterThan(300);
    expect(rangeScans).toBeGreaterThan(150);
  });
});
