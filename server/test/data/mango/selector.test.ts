import { describe, expect, it } from 'vitest';

import {
  canonicalField,
  formatFieldPath,
  MAX_REGEX_LENGTH,
  parseFieldPath,
  parseSelector,
  requiresField,
  selectorToJSON,
} from '../../../src/data/mango/index.js';
import { expect400 } from './helpers.js';

const json = (selector: unknown): unknown => selectorToJSON(parseSelector(selector));

describe('field paths', () => {
  it('split on dots, with \\. for a literal dot and \\\\ for a backslash', () => {
    expect(parseFieldPath('a.b.c')).toEqual(['a', 'b', 'c']);
    expect(parseFieldPath('a\\.b.c')).toEqual(['a.b', 'c']);
    expect(parseFieldPath('a\\\\.b')).toEqual(['a\\', 'b']);
    expect(parseFieldPath('a\\b')).toEqual(['a\\b']);
    expect(formatFieldPath(['a.b', 'c\\'])).toBe('a\\.b.c\\\\');
    expect(parseFieldPath(formatFieldPath(['a.b', 'c\\']))).toEqual(['a.b', 'c\\']);
    expect(canonicalField('a\\b')).toBe('a\\\\b');
  });

  it('refuses empty names and empty segments with a 400', () => {
    expect400(() => parseFieldPath(''), /cannot be empty/);
    expect400(() => parseFieldPath('a..b'), /empty path segment/);
    expect400(() => parseFieldPath('.a'), /empty path segment/);
    expect400(() => parseFieldPath('a.'), /empty path segment/);
    expect400(() => parseFieldPath(Array.from({ length: 65 }, () => 'x').join('.')), /too deeply/);
  });
});

describe('parseSelector', () => {
  it('turns implicit equality and implicit $and into explicit operators', () => {
    expect(json({ a: 1, b: 'x' })).toEqual({ $and: [{ a: { $eq: 1 } }, { b: { $eq: 'x' } }] });
    expect(json({ a: [1, 2] })).toEqual({ a: { $eq: [1, 2] } });
    expect(json({ a: null })).toEqual({ a: { $eq: null } });
  });

  it('reads nested objects as sub-fields, and {} under a field as equality with {}', () => {
    expect(json({ a: { b: { c: 1 } } })).toEqual({ 'a.b.c': { $eq: 1 } });
    expect(json({ a: { $gt: 1, b: 2 } })).toEqual({ $and: [{ a: { $gt: 1 } }, { 'a.b': { $eq: 2 } }] });
    expect(json({ a: {} })).toEqual({ a: { $eq: {} } });
    expect(json({ a: { $eq: { b: 1 } } })).toEqual({ a: { $eq: { b: 1 } } });
  });

  it('keeps escaped dots in field names', () => {
    const selector = parseSelector({ 'a\\.b': 1 });
    expect(selector).toMatchObject({ kind: 'field', path: ['a.b'], field: 'a\\.b' });
  });

  it('treats the empty selector as matching everything', () => {
    expect(parseSelector({})).toEqual({ kind: 'and', args: [] });
  });

  it('pushes field names into $and, $or and $nor', () => {
    expect(json({ a: { $or: [1, { $gt: 5 }] } })).toEqual({ $or: [{ a: { $eq: 1 } }, { a: { $gt: 5 } }] });
    expect(json({ a: { $and: [{ $gt: 1 }, { $lt: 5 }] } })).toEqual({
      $and: [{ a: { $gt: 1 } }, { a: { $lt: 5 } }],
    });
  });

  it('flattens nested $and and $or, and unwraps single arguments', () => {
    expect(json({ $and: [{ $and: [{ a: 1 }, { b: 2 }] }, { c: 3 }] })).toEqual({
      $and: [{ a: { $eq: 1 } }, { b: { $eq: 2 } }, { c: { $eq: 3 } }],
    });
    expect(json({ $or: [{ a: 1 }] })).toEqual({ a: { $eq: 1 } });
  });

  it('pushes $not and $nor down to the field conditions (De Morgan), like CouchDB', () => {
    expect(json({ a: { $not: { $eq: 1 } } })).toEqual({ a: { $ne: 1 } });
    expect(json({ $not: { a: { $ne: 1 } } })).toEqual({ a: { $eq: 1 } });
    expect(json({ $not: { a: 1, b: 2 } })).toEqual({ $or: [{ a: { $ne: 1 } }, { b: { $ne: 2 } }] });
    expect(json({ $nor: [{ a: 1 }, { b: { $in: [1] } }] })).toEqual({
      $and: [{ a: { $ne: 1 } }, { b: { $nin: [1] } }],
    });
    expect(json({ $not: { $nor: [{ a: 1 }, { b: 2 }] } })).toEqual({
      $or: [{ a: { $eq: 1 } }, { b: { $eq: 2 } }],
    });
    expect(json({ a: { $not: { $regex: '^x' } } })).toEqual({ a: { $not: { $regex: '^x' } } });
    expect(json({ a: { $not: { $exists: true } } })).toEqual({ a: { $exists: false } });
  });

  it('parses $elemMatch and $allMatch sub-selectors relative to the element', () => {
    expect(json({ tags: { $elemMatch: { $gt: 1, $lt: 5 } } })).toEqual({
      tags: { $elemMatch: { $and: [{ $gt: 1 }, { $lt: 5 }] } },
    });
    expect(json({ people: { $allMatch: { name: 'x' } } })).toEqual({
      people: { $allMatch: { name: { $eq: 'x' } } },
    });
    expect(json({ tags: { $elemMatch: { $or: ['a', 'b'] } } })).toEqual({
      tags: { $elemMatch: { $or: [{ $eq: 'a' }, { $eq: 'b' }] } },
    });
  });

  it('round-trips through selectorToJSON', () => {
    const inputs = [
      { a: { $gte: 1, $lt: [2] }, 'b.c': { $in: [1, 'x'] }, d: { $nin: [] } },
      { $or: [{ a: { $exists: false } }, { a: { $type: 'string' } }] },
      { a: { $size: 2 }, b: { $mod: [3, 1] }, c: { $all: ['x'] }, e: { $regex: '(?i)^x' } },
      { tags: { $elemMatch: { name: { $ne: 'x' } } } },
    ];
    for (const input of inputs) expect(json(json(input))).toEqual(json(input));
  });

  it('refuses an unknown operator with a 400', () => {
    expect400(() => parseSelector({ a: { $foo: 1 } }), /unknown operator \$foo/);
    expect400(() => parseSelector({ $foo: [] }), /unknown operator \$foo/);
  });

  it('refuses unsupported CouchDB operators with a 400', () => {
    expect400(() => parseSelector({ $text: 'x' }), /\$text is not supported/);
    expect400(() => parseSelector({ a: { $where: 'x' } }), /\$where is not supported/);
  });

  it('refuses a selector that is not an object', () => {
    expect400(() => parseSelector([]), /must be a JSON object/);
    expect400(() => parseSelector(null), /must be a JSON object/);
    expect400(() => parseSelector('a'), /must be a JSON object/);
  });

  it('refuses a value operator that applies to no field', () => {
    expect400(() => parseSelector({ $gt: 1 }), /must apply to a field/);
    expect400(() => parseSelector({ $and: [{ $eq: 1 }] }), /must apply to a field/);
  });

  it('refuses malformed $and, $or, $nor and $not', () => {
    expect400(() => parseSelector({ $and: {} }), /\$and needs an array/);
    expect400(() => parseSelector({ $or: 'x' }), /\$or needs an array/);
    expect400(() => parseSelector({ $nor: [1] }), /\$nor needs an array of selector objects/);
    expect400(() => parseSelector({ $not: [] }), /\$not needs a selector object/);
    expect400(() => parseSelector({ $not: {} }), /empty selector cannot be negated/);
  });

  it('refuses bad operands for each operator', () => {
    expect400(() => parseSelector({ a: { $in: 1 } }), /\$in needs an array/);
    expect400(() => parseSelector({ a: { $nin: {} } }), /\$nin needs an array/);
    expect400(() => parseSelector({ a: { $all: 'x' } }), /\$all needs an array/);
    expect400(() => parseSelector({ a: { $exists: 1 } }), /\$exists needs true or false/);
    expect400(() => parseSelector({ a: { $size: -1 } }), /\$size needs a non-negative integer/);
    expect400(() => parseSelector({ a: { $size: 1.5 } }), /\$size needs a non-negative integer/);
    expect400(() => parseSelector({ a: { $type: 'int' } }), /\$type needs one of/);
    expect400(() => parseSelector({ a: { $mod: [2] } }), /\$mod needs \[divisor, remainder\]/);
    expect400(() => parseSelector({ a: { $mod: [2.5, 1] } }), /integer divisor and remainder/);
    expect400(() => parseSelector({ a: { $mod: [0, 0] } }), /divisor cannot be 0/);
    expect400(() => parseSelector({ a: { $elemMatch: 1 } }), /\$elemMatch needs a selector object/);
    expect400(() => parseSelector({ a: { $allMatch: [] } }), /\$allMatch needs a selector object/);
    expect400(() => parseSelector({ a: { $eq: NaN } }), /NaN is not a JSON value/);
    expect400(() => parseSelector({ a: { $eq: undefined } }), /not a JSON value/);
  });

  it('compiles $regex once and refuses invalid or over-long patterns', () => {
    const selector = parseSelector({ a: { $regex: '^a+$' } });
    expect(selector).toMatchObject({ cond: { op: '$regex', pattern: '^a+$' } });
    expect400(() => parseSelector({ a: { $regex: '(' } }), /\$regex: invalid pattern/);
    expect400(() => parseSelector({ a: { $regex: 5 } }), /\$regex needs a string pattern/);
    expect400(() => parseSelector({ a: { $regex: 'a'.repeat(MAX_REGEX_LENGTH + 1) } }), /too long/);
    expect(() => parseSelector({ a: { $regex: 'a'.repeat(MAX_REGEX_LENGTH) } })).not.toThrow();
    expect400(() => parseSelector({ a: { $regex: '(?x)a' } }), /unsupported inline flags/);
  });

  it('refuses selectors nested absurdly deep', () => {
    let deep: Record<string, unknown> = { a: 1 };
    for (let i = 0; i < 200; i++) deep = { $and: [deep] };
    expect400(() => parseSelector(deep), /nested too deeply/);
  });
});

describe('requiresField', () => {
  const requires = (selector: unknown, field: string): boolean =>
    requiresField(parseSelector(selector), parseFieldPath(field));

  it('is true for any condition on the field or below it except $exists: false', () => {
    expect(requires({ a: 1 }, 'a')).toBe(true);
    expect(requires({ a: { $ne: 1 } }, 'a')).toBe(true);
    expect(requires({ a: { $exists: true } }, 'a')).toBe(true);
    expect(requires({ 'a.b': 1 }, 'a')).toBe(true);
    expect(requires({ a: { $exists: false } }, 'a')).toBe(false);
    expect(requires({ a: 1 }, 'a.b')).toBe(false);
    expect(requires({ b: 1 }, 'a')).toBe(false);
    expect(requires({}, 'a')).toBe(false);
  });

  it('sees through $and (any argument) and $or (every argument)', () => {
    expect(requires({ $and: [{ b: 1 }, { a: 1 }] }, 'a')).toBe(true);
    expect(requires({ $or: [{ a: 1 }, { a: 2 }] }, 'a')).toBe(true);
    expect(requires({ $or: [{ a: 1 }, { b: 2 }] }, 'a')).toBe(false);
    expect(requires({ $or: [] }, 'a')).toBe(false);
    expect(requires({ a: { $not: { $exists: true } } }, 'a')).toBe(false);
  });
});
