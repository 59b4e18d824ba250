import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeIndexKey, keyRangeForPrefix, parseIndexRequest } from '../../../src/data/mango/index.js';
import { NotFound } from '../../../src/errors.js';
import type { DocBody, DocumentStore, WriteResult } from '../../../src/ports/store/documents.js';
import { STORE_ADAPTERS, type StoreFixture } from '../../support/stores.js';

const T = 'io.nuage.contacts';
const byName = parseIndexRequest({ index: { fields: ['family', 'given'] }, ddoc: 'people', name: 'by-name' });
const ref = { ddoc: '_design/people', name: 'by-name' };

const okRev = (result: WriteResult | undefined): string => {
  if (!result?.ok) throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result.rev;
};

describe.each(STORE_ADAPTERS)('mango index store on $name', (adapter) => {
  let fx: StoreFixture;
  let docs: DocumentStore;

  beforeEach(async () => {
    fx = await adapter.create();
    docs = (await fx.store.open(await fx.store.instances.create('alice.localhost'))).documents;
  });
  afterEach(async () => {
    await fx.dispose();
  });

  const put = async (id: string, body: DocBody, parentRev: string | null = null) =>
    okRev(
      (await docs.writeDocs(T, [{ id, deleted: false, body, parentRev }], { newEdits: true })).results[0],
    );
  const ids = async (query: Parameters<DocumentStore['indexes']['scan']>[2] = { range: {} }) =>
    (await docs.indexes.scan(T, ref, query)).map((row) => row.id);

  it('creates an index filled from the documents already stored, and lists it', async () => {
    await put('ada', { family: 'Lovelace', given: 'Ada' });
    await put('alan', { family: 'Turing', given: 'Alan' });
    await put('nameless', { nick: 'x' });
    expect(await docs.indexes.create(T, byName)).toBe('created');
    expect(await docs.indexes.list(T)).toEqual([byName]);
    const rows = await docs.indexes.scan(T, ref, { range: {} });
    expect(rows.map((r) => [r.id, r.body])).toEqual([
      ['ada', { family: 'Lovelace', given: 'Ada' }],
      ['alan', { family: 'Turing', given: 'Alan' }],
    ]);
    expect(rows[0]?.key).toEqual(encodeIndexKey(['Lovelace', 'Ada']));
    expect(await docs.indexes.list('io.nuage.other')).toEqual([]);
  });

  it('answers exists for the same definition, and replaces another one of the same name', async () => {
    await docs.indexes.create(T, byName);
    expect(await docs.indexes.create(T, byName)).toBe('exists');
    const byGiven = parseIndexRequest({ index: { fields: ['given'] }, ddoc: 'people', name: 'by-name' });
    expect(await docs.indexes.create(T, byGiven)).toBe('created');
    expect(await docs.indexes.list(T)).toEqual([byGiven]);
  });

  it('keeps entries in step with creations, updates and deletions', async () => {
    await docs.indexes.create(T, byName);
    const r1 = await put('b', { family: 'B', given: 'x' });
    await put('a', { family: 'C', given: 'x' });
    expect(await ids()).toEqual(['b', 'a']);
    const r2 = await put('b', { family: 'D', given: 'x' }, r1);
    expect(await ids()).toEqual(['a', 'b']);
    await docs.writeDocs(T, [{ id: 'b', deleted: true, body: {}, parentRev: r2 }], { newEdits: true });
    expect(await ids()).toEqual(['a']);
  });

  it('indexes the winning revision of a conflicted document', async () => {
    await docs.indexes.create(T, byName);
    await docs.writeDocs(
      T,
      [
        {
          id: 'c',
          deleted: false,
          body: { family: 'Loser', given: 'x' },
          revisions: { start: 1, ids: ['a'] },
        },
        {
          id: 'c',
          deleted: false,
          body: { family: 'Winner', given: 'x' },
          revisions: { start: 1, ids: ['b'] },
        },
      ],
      { newEdits: false },
    );
    const rows = await docs.indexes.scan(T, ref, { range: {} });
    expect(rows.map((r) => [r.id, r.rev, r.body['family']])).toEqual([['c', '1-b', 'Winner']]);
  });

  it('leaves out documents without an indexed field or outside the partial filter', async () => {
    const active = parseIndexRequest({
      index: { fields: ['family'], partial_filter_selector: { active: true } },
      ddoc: 'people',
      name: 'active',
    });
    await docs.indexes.create(T, active);
    await put('on', { family: 'A', active: true });
    await put('off', { family: 'B', active: false });
    await put('none', { active: true });
    const rows = await docs.indexes.scan(T, { ddoc: '_design/people', name: 'active' }, { range: {} });
    expect(rows.map((r) => r.id)).toEqual(['on']);
  });

  it('scans a key range in (key, id) order, descending, with a limit, resuming after a row', async () => {
    await docs.indexes.create(T, byName);
    for (const [id, family] of [
      ['1', 'Hopper'],
      ['2', 'Lovelace'],
      ['3', 'Lovelace'],
      ['4', 'Turing'],
    ] as const) {
      await put(id, { family, given: 'x' });
    }
    expect(await ids({ range: keyRangeForPrefix(['Lovelace']) })).toEqual(['2', '3']);
    expect(await ids({ range: { gt: encodeIndexKey(['Hopper', 'x']) } })).toEqual(['2', '3', '4']);
    expect(await ids({ range: { lt: encodeIndexKey(['Turing']) }, descending: true })).toEqual([
      '3',
      '2',
      '1',
    ]);
    expect(await ids({ range: {}, limit: 2 })).toEqual(['1', '2']);
    const lovelace = encodeIndexKey(['Lovelace', 'x']);
    expect(await ids({ range: {}, after: { key: lovelace, docId: '2' } })).toEqual(['3', '4']);
    expect(await ids({ range: {}, descending: true, after: { key: lovelace, docId: '3' } })).toEqual([
      '2',
      '1',
    ]);
  });

  it('deletes an index with its entries; scanning it then is NotFound', async () => {
    await docs.indexes.create(T, byName);
    await put('a', { family: 'A', given: 'x' });
    expect(await docs.indexes.delete(T, '_design/people', 'by-name')).toBe(true);
    expect(await docs.indexes.delete(T, '_design/people', 'by-name')).toBe(false);
    await expect(docs.indexes.scan(T, ref, { range: {} })).rejects.toBeInstanceOf(NotFound);
    await docs.indexes.create(T, byName);
    expect(await ids()).toEqual(['a']);
  });
});
