import { describe, expect, it } from 'vitest';

import {
  encodeIndexKey,
  indexDefToJSON,
  indexKeyFor,
  MAX_INDEX_FIELDS,
  parseIndexRequest,
} from '../../../src/data/mango/index.js';
import { expect400 } from './helpers.js';

describe('parseIndexRequest', () => {
  it('reads fields, ddoc and name', () => {
    const def = parseIndexRequest({
      index: { fields: ['type', { year: 'asc' }] },
      ddoc: 'films',
      name: 'by-year',
    });
    expect(def).toEqual({
      ddoc: '_design/films',
      name: 'by-year',
      fields: [
        { field: 'type', dir: 'asc' },
        { field: 'year', dir: 'asc' },
      ],
    });
  });

  it('accepts type "json", partitioned and a _design/ prefix', () => {
    const def = parseIndexRequest({
      index: { fields: ['a'] },
      ddoc: '_design/x',
      type: 'json',
      partitioned: false,
    });
    expect(def.ddoc).toBe('_design/x');
  });

  it('derives a deterministic ddoc and name from the definition when absent', () => {
    const a = parseIndexRequest({ index: { fields: ['a', 'b'] } });
    const b = parseIndexRequest({ index: { fields: [{ a: 'asc' }, 'b'] } });
    const c = parseIndexRequest({ index: { fields: ['b', 'a'] } });
    expect(a.name).toMatch(/^[0-9a-f]{40}$/);
    expect(a.ddoc).toBe(`_design/${a.name}`);
    expect(b).toEqual(a);
    expect(c.name).not.toBe(a.name);
    const partial = parseIndexRequest({ index: { fields: ['a', 'b'], partial_filter_selector: { x: 1 } } });
    expect(partial.name).not.toBe(a.name);
    expect(parseIndexRequest({ index: { fields: ['a', 'b'] }, ddoc: 'd' }).name).toBe(a.name);
  });

  it('reads a partial filter selector', () => {
    const def = parseIndexRequest({
      index: { fields: ['a'], partial_filter_selector: { status: { $ne: 'archived' } } },
    });
    expect(indexDefToJSON(def).def.partial_filter_selector).toEqual({ status: { $ne: 'archived' } });
  });

  it('lists an index in CouchDB form, which parses back to the same definition', () => {
    const def = parseIndexRequest({
      index: { fields: [{ 'a\\.b': 'desc' }, { c: 'desc' }], partial_filter_selector: { d: { $gt: 1 } } },
      ddoc: 'x',
      name: 'y',
    });
    const listed = indexDefToJSON(def);
    expect(listed).toEqual({
      ddoc: '_design/x',
      name: 'y',
      type: 'json',
      def: { fields: [{ 'a\\.b': 'desc' }, { c: 'desc' }], partial_filter_selector: { d: { $gt: 1 } } },
    });
    expect(parseIndexRequest({ index: listed.def, ddoc: listed.ddoc, name: listed.name })).toEqual(def);
  });

  it('refuses invalid index definitions with a 400', () => {
    expect400(() => parseIndexRequest(null), /must be a JSON object/);
    expect400(() => parseIndexRequest({}), /needs an "index" object/);
    expect400(() => parseIndexRequest({ index: ['a'] }), /needs an "index" object/);
    expect400(() => parseIndexRequest({ index: {} }), /index.fields must be an array/);
    expect400(() => parseIndexRequest({ index: { fields: [] } }), /at least one field/);
    expect400(() => parseIndexRequest({ index: { fields: ['a', 'a'] } }), /listed twice/);
    expect400(
      () => parseIndexRequest({ index: { fields: [{ a: 'asc' }, { b: 'desc' }] } }),
      /same direction/,
    );
    expect400(() => parseIndexRequest({ index: { fields: [{ a: 'sideways' }] } }), /"asc" or "desc"/);
    expect400(() => parseIndexRequest({ index: { fields: [3] } }), /each entry/);
    expect400(() => parseIndexRequest({ index: { fields: ['a..b'] } }), /empty path segment/);
    expect400(
      () =>
        parseIndexRequest({
          index: { fields: Array.from({ length: MAX_INDEX_FIELDS + 1 }, (_, i) => `f${i}`) },
        }),
      /too many fields/,
    );
    expect400(
      () => parseIndexRequest({ index: { fields: ['a'], selector: {} } }),
      /unknown member "index.selector"/,
    );
    expect400(() => parseIndexRequest({ index: { fields: ['a'] }, extra: 1 }), /unknown member "extra"/);
    expect400(() => parseIndexRequest({ index: { fields: ['a'] }, type: 'text' }), /only "json" indexes/);
    expect400(
      () => parseIndexRequest({ index: { fields: ['a'] }, ddoc: '' }),
      /ddoc must be a non-empty string/,
    );
    expect400(() => parseIndexRequest({ index: { fields: ['a'] }, ddoc: '_design/' }), /ddoc must name/);
    expect400(
      () => parseIndexRequest({ index: { fields: ['a'] }, name: 5 }),
      /name must be a non-empty string/,
    );
    expect400(() => parseIndexRequest({ index: { fields: ['a'] }, name: 'n'.repeat(300) }), /too long/);
    expect400(
      () => parseIndexRequest({ index: { fields: ['a'] }, partitioned: 'no' }),
      /partitioned must be/,
    );
    expect400(
      () => parseIndexRequest({ index: { fields: ['a'], partial_filter_selector: { a: { $nope: 1 } } } }),
      /unknown operator/,
    );
  });
});

describe('indexKeyFor', () => {
  const def = parseIndexRequest({ index: { fields: ['type', 'meta.year'] } });

  it('encodes the indexed values in field order', () => {
    expect(indexKeyFor(def, { _id: 'x', type: 'film', meta: { year: 1999 } })).toEqual(
      encodeIndexKey(['film', 1999]),
    );
  });

  it('indexes null and array values', () => {
    expect(indexKeyFor(def, { type: null, meta: { year: [1, 2] } })).toEqual(encodeIndexKey([null, [1, 2]]));
  });

  it('leaves out a document lacking any indexed field, like CouchDB', () => {
    expect(indexKeyFor(def, { type: 'film' })).toBeNull();
    expect(indexKeyFor(def, { type: 'film', meta: 1999 })).toBeNull();
    expect(indexKeyFor(def, { meta: { year: 1 } })).toBeNull();
  });

  it('leaves out a document that fails the partial filter', () => {
    const partial = parseIndexRequest({
      index: { fields: ['a'], partial_filter_selector: { archived: { $ne: true } } },
    });
    expect(indexKeyFor(partial, { a: 1, archived: true })).toBeNull();
    expect(indexKeyFor(partial, { a: 1, archived: false })).toEqual(encodeIndexKey([1]));
    expect(indexKeyFor(partial, { a: 1 })).toBeNull(); // $ne does not match a missing field
  });
});
