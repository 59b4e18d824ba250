import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentService } from '../../src/data/documents.js';
import type { DataScope } from '../../src/data/format.js';
import { dataFixture, type DataFixture } from '../support/data.js';
import { STORE_ADAPTERS } from '../support/stores.js';

const T = 'io.nuage.events';

describe.each(STORE_ADAPTERS)('replication endpoints of the service on $name', (adapter) => {
  let f: DataFixture;
  let service: DocumentService;
  let scope: DataScope;
  beforeEach(async () => {
    f = await dataFixture(adapter, { revsLimit: 5 });
    ({ service, scope } = f);
  });
  afterEach(async () => {
    await f.dispose();
  });

  it('replicates a history with new_edits=false, keeping the revisions as given', async () => {
    const results = await service.bulkDocs(
      scope,
      T,
      [
        { _id: 'e', _rev: '3-c', _revisions: { start: 3, ids: ['c', 'b', 'a'] }, title: 'v3' },
        { _id: 'f', _rev: '1-x', title: 'one' },
      ],
      { newEdits: false },
    );
    expect(results).toEqual([
      { ok: true, id: 'e', rev: '3-c' },
      { ok: true, id: 'f', rev: '1-x' },
    ]);
    expect(await service.get(scope, T, 'e', { revs: true })).toEqual({
      _id: 'e',
      _rev: '3-c',
      title: 'v3',
      _revisions: { start: 3, ids: ['c', 'b', 'a'] },
    });
  });

  it('stems replicated histories to the configured revs limit', async () => {
    const ids = ['h', 'g', 'f', 'e', 'd', 'c', 'b', 'a'];
    await service.bulkDocs(scope, T, [{ _id: 'e', _revisions: { start: 8, ids } }], { newEdits: false });
    const doc = await service.get(scope, T, 'e', { revs: true });
    expect(doc['_revisions']).toEqual({ start: 8, ids: ids.slice(0, 5) });
  });

  it('answers _revs_diff with the missing revisions and possible ancestors only', async () => {
    await service.bulkDocs(scope, T, [{ _id: 'e', _revisions: { start: 2, ids: ['b', 'a'] } }], {
      newEdits: false,
    });
    expect(
      await service.revsDiff(scope, T, {
        e: ['2-b', '3-c', '3-c'],
        new: ['1-z'],
        known: [],
      }),
    ).toEqual({
      e: { missing: ['3-c'], possible_ancestors: ['2-b'] },
      new: { missing: ['1-z'] },
    });
    expect(await service.revsDiff(scope, T, { e: ['1-a', '2-b'] })).toEqual({});
  });

  it('answers _bulk_get with each asked revision, tombstones included, and errors per item', async () => {
    await service.bulkDocs(
      scope,
      T,
      [
        { _id: 'e', _revisions: { start: 2, ids: ['b', 'a'] }, v: 2 },
        { _id: 'gone', _revisions: { start: 2, ids: ['d', 'c'] }, _deleted: true },
      ],
      { newEdits: false },
    );
    await service.put(scope, T, '_local/cp', { seq: 9 });
    const { results } = await service.bulkGet(
      scope,
      T,
      {
        docs: [
          { id: 'e', rev: '2-b' },
          { id: 'e' },
          { id: 'gone', rev: '2-d' },
          { id: 'gone' },
          { id: 'e', rev: '1-a' },
          { id: 'nope' },
          { id: '_local/cp' },
          { id: '_bad' },
        ],
      },
      { revs: true },
    );
    const revisions = { start: 2, ids: ['b', 'a'] };
    expect(results).toEqual([
      { id: 'e', docs: [{ ok: { _id: 'e', _rev: '2-b', v: 2, _revisions: revisions } }] },
      { id: 'e', docs: [{ ok: { _id: 'e', _rev: '2-b', v: 2, _revisions: revisions } }] },
      {
        id: 'gone',
        docs: [
          { ok: { _id: 'gone', _rev: '2-d', _deleted: true, _revisions: { start: 2, ids: ['d', 'c'] } } },
        ],
      },
      { id: 'gone', docs: [{ error: { id: 'gone', rev: null, error: 'not_found', reason: 'deleted' } }] },
      { id: 'e', docs: [{ error: { id: 'e', rev: '1-a', error: 'not_found', reason: 'missing' } }] },
      { id: 'nope', docs: [{ error: { id: 'nope', rev: null, error: 'not_found', reason: 'missing' } }] },
      { id: '_local/cp', docs: [{ ok: { _id: '_local/cp', _rev: '0-1', seq: 9 } }] },
      {
        id: '_bad',
        docs: [
          {
            error: {
              id: '_bad',
              rev: null,
              error: 'bad_request',
              reason: 'Only reserved document ids may start with underscore.',
            },
          },
        ],
      },
    ]);
  });

  it('lists _all_docs by keys in the order asked, with deleted and unknown keys marked', async () => {
    const a = await service.put(scope, T, 'a', { n: 1 });
    const b = await service.put(scope, T, 'b', { n: 2 });
    const gone = await service.delete(scope, T, 'b', b.rev);
    const result = await service.allDocs(scope, T, { keys: ['b', 'zz', 'a', 7], includeDocs: true });
    expect(result).toEqual({
      total_rows: 1,
      offset: null,
      rows: [
        { id: 'b', key: 'b', value: { rev: gone.rev, deleted: true }, doc: null },
        { key: 'zz', error: 'not_found' },
        { id: 'a', key: 'a', value: { rev: a.rev }, doc: { _id: 'a', _rev: a.rev, n: 1 } },
        { key: 7, error: 'not_found' },
      ],
    });
    const reversed = await service.allDocs(scope, T, { keys: ['a', 'zz'], descending: true, limit: 1 });
    expect(reversed.rows).toEqual([{ key: 'zz', error: 'not_found' }]);
  });

  it('lists _all_docs by range with docs and their conflicts when asked', async () => {
    await service.bulkDocs(
      scope,
      T,
      [
        { _id: 'c', _rev: '1-x', v: 'x' },
        { _id: 'c', _rev: '1-y', v: 'y' },
      ],
      { newEdits: false },
    );
    const result = await service.allDocs(scope, T, { includeDocs: true, conflicts: true });
    expect(result.rows).toEqual([
      {
        id: 'c',
        key: 'c',
        value: { rev: '1-y' },
        doc: { _id: 'c', _rev: '1-y', v: 'y', _conflicts: ['1-x'] },
      },
    ]);
  });
});
