import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BadRequest, Conflict, NotFound } from '../../../src/errors.js';
import type { DocBody, DocumentStore, WriteResult } from '../../../src/ports/store/documents.js';
import { STORE_ADAPTERS, type StoreFixture } from '../../support/stores.js';

const NOTES = 'io.nuage.notes';
const TODOS = 'io.nuage.todos';

const okRev = (result: WriteResult | undefined): string => {
  if (!result?.ok) throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result.rev;
};

describe.each(STORE_ADAPTERS)('document feeds on $name', (adapter) => {
  let fx: StoreFixture;
  let docs: DocumentStore;

  beforeEach(async () => {
    fx = await adapter.create();
    docs = (await fx.store.open(await fx.store.instances.create('alice.localhost'))).documents;
  });
  afterEach(async () => {
    await fx.dispose();
  });

  const put = async (id: string, body: DocBody = {}, parentRev: string | null = null, doctype = NOTES) =>
    okRev(
      (await docs.writeDocs(doctype, [{ id, deleted: false, body, parentRev }], { newEdits: true }))
        .results[0],
    );
  const remove = async (id: string, parentRev: string, doctype = NOTES) =>
    okRev(
      (await docs.writeDocs(doctype, [{ id, deleted: true, body: {}, parentRev }], { newEdits: true }))
        .results[0],
    );

  describe('allDocs', () => {
    const ids = ['b', 'a', 'B', 'é', '😀', '\uffff', 'a0', '_design/x'];
    beforeEach(async () => {
      const { results } = await docs.writeDocs(
        NOTES,
        ids.map((id) => ({ id, deleted: false, body: { id } })),
        { newEdits: true },
      );
      expect(results.every((r) => r.ok)).toBe(true);
      await remove('a0', okRev(results[6]));
    });
    const list = async (query: Parameters<DocumentStore['allDocs']>[1]) =>
      (await docs.allDocs(NOTES, query)).rows.map((r) => r.id);

    it('lists live documents in code-point order of ids, without bodies unless asked', async () => {
      const result = await docs.allDocs(NOTES, {});
      expect(result.rows.map((r) => r.id)).toEqual(['B', '_design/x', 'a', 'b', 'é', '\uffff', '😀']);
      expect(result.totalRows).toBe(7);
      expect(result.rows[0]).toEqual({ id: 'B', rev: expect.stringMatching(/^1-/) as string });
    });

    it('includes bodies with includeDocs', async () => {
      expect((await docs.allDocs(NOTES, { includeDocs: true, limit: 1 })).rows).toEqual([
        { id: 'B', rev: expect.any(String) as string, body: { id: 'B' } },
      ]);
    });

    it('reverses the order with descending', async () => {
      expect(await list({ descending: true })).toEqual(['😀', '\uffff', 'é', 'b', 'a', '_design/x', 'B']);
    });

    it('starts at startkey and stops at endkey, inclusive by default', async () => {
      expect(await list({ startkey: 'a', endkey: 'é' })).toEqual(['a', 'b', 'é']);
      expect(await list({ startkey: 'a0' })).toEqual(['b', 'é', '\uffff', '😀']);
    });

    it('leaves endkey out with inclusiveEnd false', async () => {
      expect(await list({ startkey: 'a', endkey: 'é', inclusiveEnd: false })).toEqual(['a', 'b']);
    });

    it('reads startkey as the upper end when descending', async () => {
      expect(await list({ descending: true, startkey: 'é', endkey: 'a' })).toEqual(['é', 'b', 'a']);
      expect(await list({ descending: true, startkey: 'é', endkey: 'a', inclusiveEnd: false })).toEqual([
        'é',
        'b',
      ]);
    });

    it('pages with limit and skip', async () => {
      expect(await list({ limit: 2 })).toEqual(['B', '_design/x']);
      expect(await list({ skip: 5 })).toEqual(['\uffff', '😀']);
      expect(await list({ skip: 1, limit: 2, descending: true })).toEqual(['\uffff', 'é']);
      expect(await list({ limit: 0 })).toEqual([]);
    });

    it('refuses a negative limit or skip', async () => {
      await expect(docs.allDocs(NOTES, { limit: -1 })).rejects.toBeInstanceOf(BadRequest);
      await expect(docs.allDocs(NOTES, { skip: -1 })).rejects.toBeInstanceOf(BadRequest);
    });

    it('answers an empty list for a doctype never written to', async () => {
      expect(await docs.allDocs(TODOS, {})).toEqual({ totalRows: 0, offset: 0, rows: [] });
    });
  });

  describe('changes', () => {
    it('gives one sequence per instance across doctypes, in write order', async () => {
      await put('n1');
      await put('t1', {}, null, TODOS);
      await put('n2');
      const all = await docs.changes({ since: 0 });
      expect(all.results.map((c) => [c.seq, c.doctype, c.id])).toEqual([
        [1, NOTES, 'n1'],
        [2, TODOS, 't1'],
        [3, NOTES, 'n2'],
      ]);
      expect(all.lastSeq).toBe(3);
      const notes = await docs.changes({ doctype: NOTES, since: 0 });
      expect(notes.results.map((c) => [c.seq, c.id])).toEqual([
        [1, 'n1'],
        [3, 'n2'],
      ]);
      expect(notes.lastSeq).toBe(3);
    });

    it('lists each document once, at its latest sequence, tombstones included', async () => {
      const r1 = await put('a', { n: 1 });
      await put('b');
      const r2 = await put('a', { n: 2 }, r1);
      const r3 = await remove('a', r2);
      const { results } = await docs.changes({ doctype: NOTES, since: 0, includeDocs: true });
      expect(results).toEqual([
        { seq: 2, doctype: NOTES, id: 'b', rev: expect.any(String) as string, deleted: false, body: {} },
        { seq: 4, doctype: NOTES, id: 'a', rev: r3, deleted: true, body: {} },
      ]);
    });

    it('starts after since and stops at limit, with lastSeq the last row then', async () => {
      for (const id of ['a', 'b', 'c', 'd']) await put(id);
      const page = await docs.changes({ doctype: NOTES, since: 1, limit: 2 });
      expect(page.results.map((c) => c.id)).toEqual(['b', 'c']);
      expect(page.lastSeq).toBe(3);
      const rest = await docs.changes({ doctype: NOTES, since: page.lastSeq, limit: 2 });
      expect(rest.results.map((c) => c.id)).toEqual(['d']);
      expect(rest.lastSeq).toBe(4);
      expect(await docs.changes({ since: 4 })).toEqual({ results: [], lastSeq: 4 });
    });

    it('filters by doc ids', async () => {
      for (const id of ['a', 'b', 'c']) await put(id);
      const { results } = await docs.changes({ doctype: NOTES, since: 0, docIds: ['c', 'a', 'zz'] });
      expect(results.map((c) => c.id)).toEqual(['a', 'c']);
      await expect(docs.changes({ since: 0, docIds: ['a'] })).rejects.toBeInstanceOf(BadRequest);
    });

    it('lists every leaf with allLeaves, winner first', async () => {
      await docs.writeDocs(
        NOTES,
        [
          { id: 'd', deleted: false, body: {}, revisions: { start: 2, ids: ['b', 'a'] } },
          { id: 'd', deleted: false, body: {}, revisions: { start: 2, ids: ['c', 'a'] } },
        ],
        { newEdits: false },
      );
      const { results } = await docs.changes({ since: 0, allLeaves: true });
      expect(results[0]?.leaves).toEqual([
        { rev: '2-c', deleted: false },
        { rev: '2-b', deleted: false },
      ]);
    });
  });

  describe('doctypes', () => {
    it('counts live and deleted documents per doctype with its last seq, zeroes when never written', async () => {
      const r = await put('a');
      await put('b');
      await put('t', {}, null, TODOS);
      await remove('a', r);
      expect(await docs.listDoctypes()).toEqual([
        { doctype: NOTES, docCount: 1, docDelCount: 1, updateSeq: 4 },
        { doctype: TODOS, docCount: 1, docDelCount: 0, updateSeq: 3 },
      ]);
      expect(await docs.doctypeInfo('io.nuage.none')).toEqual({
        doctype: 'io.nuage.none',
        docCount: 0,
        docDelCount: 0,
        updateSeq: 0,
      });
      expect(await docs.updateSeq()).toBe(4);
    });

    it('keeps doctypes apart: the same id in two doctypes is two documents', async () => {
      await put('same', { n: 1 });
      await put('same', { t: 1 }, null, TODOS);
      expect((await docs.getDocs(TODOS, ['same']))[0]?.body).toEqual({ t: 1 });
    });
  });

  describe('local documents', () => {
    it('creates, updates with its 0-N revision, and deletes a local document', async () => {
      expect(await docs.putLocal(NOTES, '_local/cp', null, { seq: 1 })).toBe('0-1');
      expect(await docs.putLocal(NOTES, '_local/cp', '0-1', { seq: 2 })).toBe('0-2');
      expect(await docs.getLocal(NOTES, '_local/cp')).toEqual({
        id: '_local/cp',
        rev: '0-2',
        body: { seq: 2 },
      });
      await docs.deleteLocal(NOTES, '_local/cp', '0-2');
      expect(await docs.getLocal(NOTES, '_local/cp')).toBeNull();
    });

    it('refuses a stale or absent revision with a Conflict, and deleting nothing with NotFound', async () => {
      await docs.putLocal(NOTES, '_local/cp', null, {});
      await expect(docs.putLocal(NOTES, '_local/cp', null, {})).rejects.toBeInstanceOf(Conflict);
      await expect(docs.putLocal(NOTES, '_local/cp', '0-7', {})).rejects.toBeInstanceOf(Conflict);
      await expect(docs.putLocal(NOTES, '_local/cp', '1-abc', {})).rejects.toBeInstanceOf(BadRequest);
      await expect(docs.deleteLocal(NOTES, '_local/cp', '0-2')).rejects.toBeInstanceOf(Conflict);
      await expect(docs.deleteLocal(NOTES, '_local/none', '0-1')).rejects.toBeInstanceOf(NotFound);
    });

    it('keeps local documents out of changes, allDocs and counts', async () => {
      await docs.putLocal(NOTES, '_local/cp', null, {});
      expect(await docs.updateSeq()).toBe(0);
      expect((await docs.allDocs(NOTES, {})).rows).toEqual([]);
      expect(await docs.listDoctypes()).toEqual([]);
    });
  });

  it('keeps instances apart', async () => {
    await put('a');
    const bob = (await fx.store.open(await fx.store.instances.create('bob.localhost'))).documents;
    expect(await bob.getDocs(NOTES, ['a'])).toEqual([null]);
    expect(await bob.updateSeq()).toBe(0);
    expect((await bob.changes({ since: 0 })).results).toEqual([]);
  });
});
