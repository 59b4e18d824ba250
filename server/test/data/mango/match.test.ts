import { describe, expect, it } from 'vitest';

import { matches, parseSelector } from '../../../src/data/mango/index.js';

const m = (selector: unknown, doc: Record<string, unknown>): boolean => matches(parseSelector(selector), doc);

/** Asserts which of `docs` match `selector`, by index. */
function only(selector: unknown, docs: Record<string, unknown>[], expected: number[]): void {
  const got = docs.flatMap((doc, i) => (m(selector, doc) ? [i] : []));
  expect(got, JSON.stringify(selector)).toEqual(expected);
}

describe('matches: equality', () => {
  it('matches $eq (and implicit equality) by value, not by reference', () => {
    expect(m({ a: 1 }, { a: 1 })).toBe(true);
    expect(m({ a: 1 }, { a: 2 })).toBe(false);
    expect(m({ a: { $eq: 1 } }, { a: 1.0 })).toBe(true);
    expect(m({ a: { $eq: 0 } }, { a: -0 })).toBe(true);
    expect(m({ a: { $eq: [1, { b: 2 }] } }, { a: [1, { b: 2 }] })).toBe(true);
    expect(m({ a: { $eq: { b: 1 } } }, { a: { b: 1, c: 2 } })).toBe(false);
  });

  it('never converts types: 1 is not "1" and true is not 1', () => {
    expect(m({ a: 1 }, { a: '1' })).toBe(false);
    expect(m({ a: true }, { a: 1 })).toBe(false);
    expect(m({ a: null }, { a: false })).toBe(false);
  });

  it('matches null only against a present null', () => {
    expect(m({ a: null }, { a: null })).toBe(true);
    expect(m({ a: null }, {})).toBe(false);
  });

  it('does not search arrays implicitly', () => {
    expect(m({ tags: 'a' }, { tags: ['a', 'b'] })).toBe(false);
    expect(m({ tags: ['a', 'b'] }, { tags: ['a', 'b'] })).toBe(true);
    expect(m({ tags: ['a', 'b'] }, { tags: ['b', 'a'] })).toBe(false);
  });

  it('follows nested paths, escaped dots and array indexes', () => {
    const doc = { a: { b: { c: 1 } }, 'x.y': 2, list: [{ n: 'first' }, { n: 'second' }] };
    expect(m({ 'a.b.c': 1 }, doc)).toBe(true);
    expect(m({ a: { b: { c: 1 } } }, doc)).toBe(true);
    expect(m({ 'x\\.y': 2 }, doc)).toBe(true);
    expect(m({ 'x.y': 2 }, doc)).toBe(false);
    expect(m({ 'list.1.n': 'second' }, doc)).toBe(true);
    expect(m({ 'list.2.n': 'second' }, doc)).toBe(false);
    expect(m({ 'list.01.n': 'second' }, doc)).toBe(false);
    expect(m({ 'a.b.c.d': 1 }, doc)).toBe(false);
  });

  it('never reads inherited properties', () => {
    expect(m({ constructor: { $exists: true } }, {})).toBe(false);
    expect(m({ 'a.length': 2 }, { a: [1, 2] })).toBe(false);
    expect(m({ 'a.length': 2 }, { a: 'xy' })).toBe(false);
  });
});

describe('matches: comparisons', () => {
  const docs = [{ a: 1 }, { a: 5 }, { a: 10 }, { a: '7' }, { a: null }, {}, { a: [6] }, { a: true }];

  it('matches $gt, $gte, $lt and $lte by collation', () => {
    only({ a: { $gt: 5 } }, docs, [2]);
    only({ a: { $gte: 5 } }, docs, [1, 2]);
    only({ a: { $lt: 5 } }, docs, [0]);
    only({ a: { $lte: 5 } }, docs, [0, 1]);
    only({ a: { $gt: 1, $lt: 10 } }, docs, [1]);
  });

  it('only compares values of the operand type class', () => {
    // CouchDB would match "7" for $gt: 5 (strings collate after numbers); Nuage does not.
    only({ a: { $gt: 5 } }, docs, [2]);
    only({ a: { $lt: 'z' } }, docs, [3]);
    only({ a: { $gte: null } }, docs, [4]);
    only({ a: { $gt: false } }, docs, [7]);
    only({ a: { $lt: [7] } }, docs, [6]);
  });

  it('compares strings by code point', () => {
    expect(m({ a: { $gt: 'Z' } }, { a: 'a' })).toBe(true);
    expect(m({ a: { $gt: '\uffff' } }, { a: '😀' })).toBe(true);
  });

  it('matches $ne on a present, different value only', () => {
    only({ a: { $ne: 5 } }, docs, [0, 2, 3, 4, 6, 7]);
    expect(m({ a: { $ne: null } }, { a: 0 })).toBe(true);
    expect(m({ a: { $ne: null } }, { a: null })).toBe(false);
  });
});

describe('matches: missing fields and negation (CouchDB semantics)', () => {
  it('does not match a document missing the field for $ne, $nin, $not or $nor', () => {
    // CouchDB normalises negations down to the field conditions, and a field condition on a missing
    // field is false (only $exists: false matches it). Nuage keeps that behaviour on purpose.
    expect(m({ a: { $ne: 1 } }, {})).toBe(false);
    expect(m({ a: { $nin: [1] } }, {})).toBe(false);
    expect(m({ a: { $not: { $eq: 1 } } }, {})).toBe(false);
    expect(m({ $not: { a: 1 } }, {})).toBe(false);
    expect(m({ $nor: [{ a: 1 }] }, {})).toBe(false);
    expect(m({ a: { $not: { $regex: 'x' } } }, {})).toBe(false);
  });

  it('matches a missing field with $exists: false, and its negation', () => {
    expect(m({ a: { $exists: false } }, {})).toBe(true);
    expect(m({ a: { $not: { $exists: true } } }, {})).toBe(true);
    expect(m({ $nor: [{ a: { $exists: true } }] }, {})).toBe(true);
  });

  it('matches negations on present values', () => {
    expect(m({ a: { $not: { $gt: 5 } } }, { a: 3 })).toBe(true);
    expect(m({ a: { $not: { $gt: 5 } } }, { a: 'x' })).toBe(true);
    expect(m({ a: { $not: { $gt: 5 } } }, { a: 6 })).toBe(false);
    expect(m({ $nor: [{ a: 1 }, { b: 1 }] }, { a: 2, b: 2 })).toBe(true);
    expect(m({ $nor: [{ a: 1 }, { b: 1 }] }, { a: 2, b: 1 })).toBe(false);
    expect(m({ $not: { a: 1, b: 1 } }, { a: 1, b: 2 })).toBe(true);
    expect(m({ $not: { a: 1, b: 1 } }, { a: 1, b: 1 })).toBe(false);
    expect(m({ $not: { $not: { a: 1 } } }, { a: 1 })).toBe(true);
  });
});

describe('matches: $exists and $type', () => {
  it('matches $exists: true for any present value, null included', () => {
    expect(m({ a: { $exists: true } }, { a: null })).toBe(true);
    expect(m({ a: { $exists: true } }, {})).toBe(false);
    expect(m({ a: { $exists: false } }, { a: null })).toBe(false);
    expect(m({ 'a.b': { $exists: true } }, { a: { b: false } })).toBe(true);
  });

  it('matches $type by JSON type name', () => {
    const docs = [{ a: null }, { a: false }, { a: 1 }, { a: 's' }, { a: [] }, { a: {} }, {}];
    only({ a: { $type: 'null' } }, docs, [0]);
    only({ a: { $type: 'boolean' } }, docs, [1]);
    only({ a: { $type: 'number' } }, docs, [2]);
    only({ a: { $type: 'string' } }, docs, [3]);
    only({ a: { $type: 'array' } }, docs, [4]);
    only({ a: { $type: 'object' } }, docs, [5]);
  });
});

describe('matches: $in, $nin and $all', () => {
  it('matches $in when the value, or an element of an array value, is listed', () => {
    expect(m({ a: { $in: [1, 2] } }, { a: 2 })).toBe(true);
    expect(m({ a: { $in: [1, 2] } }, { a: 3 })).toBe(false);
    expect(m({ a: { $in: [1, 2] } }, { a: [3, 2] })).toBe(true);
    expect(m({ a: { $in: [1, 2] } }, { a: [3] })).toBe(false);
    expect(m({ a: { $in: [null] } }, { a: null })).toBe(true);
    expect(m({ a: { $in: [] } }, { a: 1 })).toBe(false);
    expect(m({ a: { $in: [1] } }, {})).toBe(false);
  });

  it('matches $nin when neither the value nor any element is listed', () => {
    expect(m({ a: { $nin: [1, 2] } }, { a: 3 })).toBe(true);
    expect(m({ a: { $nin: [1, 2] } }, { a: 1 })).toBe(false);
    expect(m({ a: { $nin: [1, 2] } }, { a: [3, 4] })).toBe(true);
    expect(m({ a: { $nin: [1, 2] } }, { a: [3, 2] })).toBe(false);
    expect(m({ a: { $nin: [] } }, { a: 1 })).toBe(true);
  });

  it('matches $all when the array holds every listed value', () => {
    expect(m({ a: { $all: ['x', 'y'] } }, { a: ['y', 'z', 'x'] })).toBe(true);
    expect(m({ a: { $all: ['x', 'y'] } }, { a: ['x'] })).toBe(false);
    expect(m({ a: { $all: ['x'] } }, { a: 'x' })).toBe(false);
    expect(m({ a: { $all: [] } }, { a: ['x'] })).toBe(false);
    expect(m({ a: { $all: [[1, 2]] } }, { a: [1, 2] })).toBe(true);
    expect(m({ a: { $all: [[1, 2]] } }, { a: [[1, 2], 3] })).toBe(true);
  });
});

describe('matches: $size, $mod and $regex', () => {
  it('matches $size on arrays of exactly that length', () => {
    expect(m({ a: { $size: 2 } }, { a: [1, 2] })).toBe(true);
    expect(m({ a: { $size: 2 } }, { a: [1] })).toBe(false);
    expect(m({ a: { $size: 0 } }, { a: [] })).toBe(true);
    expect(m({ a: { $size: 2 } }, { a: 'ab' })).toBe(false);
  });

  it('matches $mod on integers with a truncated remainder', () => {
    expect(m({ a: { $mod: [3, 1] } }, { a: 7 })).toBe(true);
    expect(m({ a: { $mod: [3, 1] } }, { a: 8 })).toBe(false);
    expect(m({ a: { $mod: [3, -1] } }, { a: -7 })).toBe(true);
    expect(m({ a: { $mod: [2, 0] } }, { a: -4 })).toBe(true);
    expect(m({ a: { $mod: [3, 1] } }, { a: 7.5 })).toBe(false);
    expect(m({ a: { $mod: [3, 1] } }, { a: '7' })).toBe(false);
  });

  it('matches $regex anywhere in a string value, and only strings', () => {
    expect(m({ a: { $regex: 'b+' } }, { a: 'abbc' })).toBe(true);
    expect(m({ a: { $regex: '^b' } }, { a: 'abbc' })).toBe(false);
    expect(m({ a: { $regex: '1' } }, { a: 1 })).toBe(false);
    expect(m({ a: { $regex: '^.$' } }, { a: '😀' })).toBe(true); // code-point semantics (u flag)
    expect(m({ a: { $regex: '(?i)^abc' } }, { a: 'ABCD' })).toBe(true);
    expect(m({ a: { $regex: '\\-' } }, { a: 'a-b' })).toBe(true); // not valid with u: compiled without
  });

  it('gives the same answer on repeated use (no global regex state)', () => {
    const selector = parseSelector({ a: { $regex: 'x' } });
    for (let i = 0; i < 3; i++) expect(matches(selector, { a: 'x' })).toBe(true);
  });
});

describe('matches: $elemMatch and $allMatch', () => {
  it('matches $elemMatch when one element satisfies the whole sub-selector', () => {
    const doc = {
      scores: [70, 90],
      people: [
        { name: 'ann', age: 30 },
        { name: 'bob', age: 20 },
      ],
    };
    expect(m({ scores: { $elemMatch: { $gte: 80, $lt: 95 } } }, doc)).toBe(true);
    expect(m({ scores: { $elemMatch: { $gt: 70, $lt: 90 } } }, doc)).toBe(false);
    expect(m({ people: { $elemMatch: { name: 'bob', age: { $lt: 25 } } } }, doc)).toBe(true);
    expect(m({ people: { $elemMatch: { name: 'ann', age: { $lt: 25 } } } }, doc)).toBe(false);
    expect(m({ scores: { $elemMatch: {} } }, doc)).toBe(true);
    expect(m({ scores: { $elemMatch: {} } }, { scores: [] })).toBe(false);
    expect(m({ scores: { $elemMatch: { $gt: 1 } } }, { scores: 5 })).toBe(false);
  });

  it('matches $allMatch when every element satisfies it, and the array is not empty', () => {
    expect(m({ a: { $allMatch: { $gt: 0 } } }, { a: [1, 2] })).toBe(true);
    expect(m({ a: { $allMatch: { $gt: 0 } } }, { a: [1, -2] })).toBe(false);
    expect(m({ a: { $allMatch: { $gt: 0 } } }, { a: [] })).toBe(false);
    expect(m({ a: { $allMatch: { $gt: 0 } } }, { a: 1 })).toBe(false);
  });
});

describe('matches: combinators', () => {
  it('matches $and when every argument matches and $or when one does', () => {
    expect(m({ $and: [{ a: 1 }, { b: 2 }] }, { a: 1, b: 2 })).toBe(true);
    expect(m({ $and: [{ a: 1 }, { b: 2 }] }, { a: 1, b: 3 })).toBe(false);
    expect(m({ $or: [{ a: 1 }, { b: 2 }] }, { a: 0, b: 2 })).toBe(true);
    expect(m({ $or: [{ a: 1 }, { b: 2 }] }, { a: 0, b: 0 })).toBe(false);
  });

  it('lets empty $and, $or and $nor match everything, like CouchDB', () => {
    expect(m({ $and: [] }, {})).toBe(true);
    expect(m({ $or: [] }, {})).toBe(true);
    expect(m({ $nor: [] }, {})).toBe(true);
    expect(m({}, { anything: 1 })).toBe(true);
  });
});
