import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { leaves, nextRev } from '../../../src/data/revisions/index.js';
import { Conflict, Forbidden } from '../../../src/errors.js';
import type {
  DocBody,
  DocEdit,
  DocumentStore,
  WriteResult,
  WrittenDoc,
} from '../../../src/ports/store/documents.js';
import type { PostgresDocuments } from '../../../src/ports/store/postgres/documents.js';
import type { SqliteDocuments } from '../../../src/ports/store/sqlite/documents.js';
import { STORE_ADAPTERS, type StoreFixture } from '../../support/stores.js';

const T = 'io.nuage.notes';

const okRev = (result: WriteResult | undefined): string => {
  if (!result?.ok) throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result.rev;
};

/** A replicated edit: `revs` newest first, as CouchDB writes them ('3-c', '2-b', '1-a'). */
function replicated(id: string, revs: string[], body: DocBody = {}, deleted = false): DocEdit {
  const start = Number(revs[0]?.split('-')[0]);
  return { id, deleted, body, revisions: { start, ids: revs.map((r) => r.split('-')[1] as string) } };
}

describe.each(STORE_ADAPTERS)('document store on $name', (adapter) => {
  let fx: StoreFixture;
  let docs: DocumentStore;
  /** Both adapters take write participants; their transaction handle differs, these tests ignore it. */
  const participate = (onWrite: (doctype: string, written: readonly WrittenDoc[]) => void) =>
    (docs as SqliteDocuments | PostgresDocuments).addParticipant({
      onWrite: (_tx: unknown, doctype: string, written: readonly WrittenDoc[]) => {
        onWrite(doctype, written);
        return Promise.resolve();
      },
    });

  beforeEach(async () => {
    fx = await adapter.create();
    docs = (await fx.store.open(await fx.store.instances.create('alice.localhost'))).documents;
  });
  afterEach(async () => {
    await fx.dispose();
  });

  const put = async (id: string, body: DocBody, parentRev: string | null = null, doctype = T) =>
    okRev(
      (await docs.writeDocs(doctype, [{ id, deleted: false, body, parentRev }], { newEdits: true }))
        .results[0],
    );
  const remove = async (id: string, parentRev: string, doctype = T) =>
    okRev(
      (await docs.writeDocs(doctype, [{ id, deleted: true, body: {}, parentRev }], { newEdits: true }))
        .results[0],
    );
  const merge = async (...edits: DocEdit[]) => (await docs.writeDocs(T, edits, { newEdits: false })).results;
  const one = async (id: string) => (await docs.getDocs(T, [id]))[0];

  describe('writes', () => {
    it('creates a document at revision 1, hashed from its parent, deletion flag and body', async () => {
      const rev = await put('a', { title: 'hello' });
      expect(rev).toBe(nextRev({ parentRev: null, deleted: false, body: { title: 'hello' } }));
      const doc = await one('a');
      expect(doc).toMatchObject({ id: 'a', rev, deleted: false, seq: 1, body: { title: 'hello' } });
      expect(leaves(doc!.tree)).toEqual([{ rev, deleted: false }]);
    });

    it('updates from the current revision and refuses a stale one with a Conflict', async () => {
      const r1 = await put('a', { n: 1 });
      const r2 = await put('a', { n: 2 }, r1);
      expect(r2.startsWith('2-')).toBe(true);
      const { results } = await docs.writeDocs(
        T,
        [{ id: 'a', deleted: false, body: { n: 3 }, parentRev: r1 }],
        {
          newEdits: true,
        },
      );
      expect(results[0]).toMatchObject({ id: 'a', ok: false });
      expect(results[0]?.ok === false && results[0].error).toBeInstanceOf(Conflict);
      expect(await one('a')).toMatchObject({ rev: r2, body: { n: 2 } });
    });

    it('refuses to create over a live document, and to update one that does not exist', async () => {
      await put('a', { n: 1 });
      const { results } = await docs.writeDocs(
        T,
        [
          { id: 'a', deleted: false, body: { n: 2 } },
          { id: 'nope', deleted: false, body: {}, parentRev: '1-abc' },
        ],
        { newEdits: true },
      );
      expect(results.map((r) => r.ok)).toEqual([false, false]);
      expect(await one('nope')).toBeNull();
    });

    it('deletes with a tombstone that is still readable, and re-creates on top of it', async () => {
      const r1 = await put('a', { n: 1 });
      const r2 = await remove('a', r1);
      expect(await one('a')).toMatchObject({ rev: r2, deleted: true, body: {} });
      const r3 = await put('a', { n: 3 });
      expect(r3.startsWith('3-')).toBe(true);
      expect(await one('a')).toMatchObject({ rev: r3, deleted: false, body: { n: 3 } });
    });

    it('applies two edits of the same id in one batch in order', async () => {
      const first = nextRev({ parentRev: null, deleted: false, body: { n: 1 } });
      const { results } = await docs.writeDocs(
        T,
        [
          { id: 'a', deleted: false, body: { n: 1 } },
          { id: 'a', deleted: false, body: { n: 2 }, parentRev: first },
        ],
        { newEdits: true },
      );
      expect(results.map((r) => r.ok)).toEqual([true, true]);
      expect(await one('a')).toMatchObject({ rev: okRev(results[1]), seq: 1, body: { n: 2 } });
    });

    it('shows checks and participants the document as the earlier edits of the batch left it', async () => {
      const first = nextRev({ parentRev: null, deleted: false, body: { n: 1 } });
      const second = nextRev({ parentRev: first, deleted: false, body: { n: 2 } });
      const seen: unknown[] = [];
      const docsSeen: unknown[] = [];
      participate((_doctype, written) => docsSeen.push(...written.map((w) => w.doc)));
      const { results } = await docs.writeDocs(
        T,
        [
          { id: 'a', deleted: false, body: { n: 1 } },
          { id: 'a', deleted: false, body: { n: 2 }, parentRev: first },
          { id: 'a', deleted: false, body: { n: 3 }, parentRev: second },
        ],
        { newEdits: true, check: (current) => seen.push(current && current.n) },
      );
      expect(results.map((r) => r.ok)).toEqual([true, true, true]);
      expect(seen).toEqual([null, 1, 2]);
      expect(docsSeen).toEqual([{ _id: 'a', _rev: okRev(results[2]), n: 3 }]);
    });

    it('fails only the conflicting edit of a batch and writes the others', async () => {
      const r1 = await put('a', { n: 1 });
      await put('a', { n: 2 }, r1);
      const { results, updateSeq } = await docs.writeDocs(
        T,
        [
          { id: 'b', deleted: false, body: {} },
          { id: 'a', deleted: false, body: { n: 3 }, parentRev: r1 },
          { id: 'c', deleted: false, body: {} },
        ],
        { newEdits: true },
      );
      expect(results.map((r) => [r.id, r.ok])).toEqual([
        ['b', true],
        ['a', false],
        ['c', true],
      ]);
      expect(updateSeq).toBe(4);
      expect((await docs.allDocs(T, {})).rows.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    });

    it('fails an edit whose check throws, seeing the current and the next document', async () => {
      const r1 = await put('a', { owner: 'bob' });
      const seen: unknown[] = [];
      const { results } = await docs.writeDocs(
        T,
        [
          { id: 'a', deleted: false, body: { owner: 'alice' }, parentRev: r1 },
          { id: 'b', deleted: false, body: { owner: 'alice' } },
        ],
        {
          newEdits: true,
          check: (current, next) => {
            seen.push([current, next._id, next.owner]);
            if (current?.owner === 'bob') throw new Forbidden('not yours');
          },
        },
      );
      expect(results.map((r) => r.ok)).toEqual([false, true]);
      expect(results[0]?.ok === false && results[0].error).toBeInstanceOf(Forbidden);
      expect(seen).toEqual([
        [{ _id: 'a', _rev: r1, owner: 'bob' }, 'a', 'alice'],
        [null, 'b', 'alice'],
      ]);
      expect(await one('a')).toMatchObject({ rev: r1 });
    });

    it('writes 1000 documents in one batch with consecutive sequence numbers', async () => {
      const edits = Array.from({ length: 1000 }, (_, i) => ({
        id: `doc-${String(i).padStart(4, '0')}`,
        deleted: false,
        body: { i, text: 'lorem ipsum' },
      }));
      const { results, updateSeq } = await docs.writeDocs(T, edits, { newEdits: true });
      expect(results.every((r) => r.ok)).toBe(true);
      expect(updateSeq).toBe(1000);
      const { results: changes } = await docs.changes({ doctype: T, since: 0 });
      expect(changes.map((c) => c.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
      expect(await docs.doctypeInfo(T)).toEqual({
        doctype: T,
        docCount: 1000,
        docDelCount: 0,
        updateSeq: 1000,
      });
    });

    it('stems each leaf history to revsLimit revisions', async () => {
      let rev = await put('a', { n: 0 });
      for (let n = 1; n < 6; n++) {
        const result = await docs.writeDocs(T, [{ id: 'a', deleted: false, body: { n }, parentRev: rev }], {
          newEdits: true,
          revsLimit: 3,
        });
        rev = okRev(result.results[0]);
      }
      const tree = (await one('a'))!.tree;
      expect(tree.nodes.map((n) => n[0])).toEqual([4, 5, 6]);
      // An update from the winner still works after stemming.
      expect((await put('a', { n: 7 }, rev)).startsWith('7-')).toBe(true);
    });
  });

  describe('replicated edits (new_edits=false)', () => {
    it('keeps conflicting branches and picks the same winner on every store', async () => {
      await merge(replicated('d', ['1-a'], { v: 'a' }));
      const results = await merge(
        replicated('d', ['2-b', '1-a'], { v: 'b' }),
        replicated('d', ['2-c', '1-a'], { v: 'c' }),
      );
      expect(results).toEqual([
        { id: 'd', ok: true, rev: '2-b' },
        { id: 'd', ok: true, rev: '2-c' },
      ]);
      const doc = await one('d');
      expect(doc).toMatchObject({ rev: '2-c', deleted: false, body: { v: 'c' }, seq: 2 });
      expect(leaves(doc!.tree)).toEqual([
        { rev: '2-c', deleted: false },
        { rev: '2-b', deleted: false },
      ]);
      const [all] = await docs.openRevs(T, [{ id: 'd', revs: 'all' }]);
      expect(all?.found).toEqual([
        { rev: '2-c', deleted: false, body: { v: 'c' } },
        { rev: '2-b', deleted: false, body: { v: 'b' } },
      ]);
    });

    it('lets a losing branch win when the winner is deleted, with its stored body', async () => {
      await merge(
        replicated('d', ['1-a'], { v: 'a' }),
        replicated('d', ['2-b', '1-a'], { v: 'b' }),
        replicated('d', ['2-c', '1-a'], { v: 'c' }),
      );
      const tombstone = await remove('d', '2-c');
      expect(await one('d')).toMatchObject({ rev: '2-b', deleted: false, body: { v: 'b' } });
      const [all] = await docs.openRevs(T, [{ id: 'd', revs: 'all' }]);
      expect(all?.found).toEqual([
        { rev: '2-b', deleted: false, body: { v: 'b' } },
        { rev: tombstone, deleted: true, body: {} },
      ]);
      await remove('d', '2-b');
      expect(await one('d')).toMatchObject({ deleted: true });
      expect(await docs.doctypeInfo(T)).toMatchObject({ docCount: 0, docDelCount: 1 });
    });

    it('treats a revision it already holds as a success that changes nothing', async () => {
      await merge(replicated('d', ['2-b', '1-a'], { v: 'b' }));
      const before = await docs.updateSeq();
      expect(await merge(replicated('d', ['2-b', '1-a'], { v: 'b' }))).toEqual([
        { id: 'd', ok: true, rev: '2-b' },
      ]);
      expect(await docs.updateSeq()).toBe(before);
    });

    it('merges a deletion and reports it as a deleted leaf', async () => {
      await merge(replicated('d', ['1-a'], { v: 'a' }), replicated('d', ['2-z', '1-a'], {}, true));
      expect(await one('d')).toMatchObject({ rev: '2-z', deleted: true });
    });
  });

  describe('reads', () => {
    it('opens given revisions, reporting inner and unknown ones as missing', async () => {
      await merge(replicated('d', ['2-b', '1-a'], { v: 'b' }), replicated('d', ['2-c', '1-a'], { v: 'c' }));
      const [result] = await docs.openRevs(T, [{ id: 'd', revs: ['2-b', '1-a', '9-x', '2-b'] }]);
      expect(result?.found).toEqual([{ rev: '2-b', deleted: false, body: { v: 'b' } }]);
      expect(result?.missing).toEqual(['1-a', '9-x']);
      const [none] = await docs.openRevs(T, [{ id: 'ghost', revs: ['1-a'] }]);
      expect(none).toEqual({ id: 'ghost', tree: null, found: [], missing: ['1-a'] });
    });

    it('returns documents in the order asked, null for unknown ids, and trees alone', async () => {
      await put('a', { n: 1 });
      await put('b', { n: 2 });
      expect((await docs.getDocs(T, ['b', 'x', 'a'])).map((d) => d?.id ?? null)).toEqual(['b', null, 'a']);
      const trees = await docs.getTrees(T, ['a', 'x']);
      expect([...trees.keys()]).toEqual(['a']);
    });

    describe('_all_docs offset, as CouchDB counts it', () => {
      // Live documents a..e; a tombstone between them and a document of another doctype must not count.
      beforeEach(async () => {
        for (const id of ['a', 'b', 'c', 'd', 'e']) await put(id, {});
        await remove('bb', await put('bb', {}));
        await put('aa', {}, null, 'io.nuage.other');
      });
      const page = async (query: Parameters<DocumentStore['allDocs']>[1]) => {
        const { totalRows, offset, rows } = await docs.allDocs(T, query);
        return { totalRows, offset, ids: rows.map((r) => r.id) };
      };

      it('is 0 from the start, and counts the rows before startkey', async () => {
        expect(await page({})).toEqual({ totalRows: 5, offset: 0, ids: ['a', 'b', 'c', 'd', 'e'] });
        expect(await page({ startkey: 'c', limit: 2 })).toEqual({ totalRows: 5, offset: 2, ids: ['c', 'd'] });
        // A startkey between ids: the rows below it come first.
        expect(await page({ startkey: 'bz', limit: 1 })).toMatchObject({ offset: 2, ids: ['c'] });
      });

      it('adds the skipped rows', async () => {
        expect(await page({ skip: 1, limit: 2 })).toMatchObject({ offset: 1, ids: ['b', 'c'] });
        expect(await page({ startkey: 'b', skip: 2 })).toMatchObject({ offset: 3, ids: ['d', 'e'] });
      });

      it('counts from the other end when descending', async () => {
        expect(await page({ descending: true, limit: 2 })).toMatchObject({ offset: 0, ids: ['e', 'd'] });
        expect(await page({ descending: true, startkey: 'c', limit: 1 })).toMatchObject({
          offset: 2,
          ids: ['c'],
        });
        expect(await page({ descending: true, startkey: 'cz', skip: 1 })).toMatchObject({
          offset: 3,
          ids: ['b', 'a'],
        });
      });

      it('says where the next row would be when none comes back', async () => {
        // Past the last id: every row comes before.
        expect(await page({ startkey: 'z' })).toEqual({ totalRows: 5, offset: 5, ids: [] });
        expect(await page({ descending: true, startkey: '0' })).toMatchObject({ offset: 5, ids: [] });
        // Skipping past the end of a range stops at the range's end; limit=0 still counts the skip.
        expect(await page({ startkey: 'b', endkey: 'c', skip: 10 })).toMatchObject({ offset: 3, ids: [] });
        expect(await page({ startkey: 'b', limit: 0, skip: 1 })).toMatchObject({ offset: 2, ids: [] });
      });

      it('is 0 for a doctype with no document', async () => {
        expect(await docs.allDocs('io.nuage.never', { startkey: 'a' })).toEqual({
          totalRows: 0,
          offset: 0,
          rows: [],
        });
      });
    });
  });
  describe('write participants and concurrency', () => {
    it('tells participants which documents got a new winner, with the winning document', async () => {
      const calls: [string, WrittenDoc[]][] = [];
      // What the WrittenDoc contract promises; `doc` may be a getter, built on first use.
      const seen = ({ id, rev, seq, doc }: WrittenDoc) => ({ id, rev, seq, doc });
      participate((doctype, written) => calls.push([doctype, written.map(seen)]));
      const r1 = await put('a', { n: 1 });
      await merge(replicated('a', ['2-zzz', r1], { n: 'branch' }));
      await merge(replicated('a', ['2-000', r1], { n: 'loser' }));
      const tombstone = await remove('a', '2-zzz');
      expect(calls).toEqual([
        [T, [{ id: 'a', rev: r1, seq: 1, doc: { _id: 'a', _rev: r1, n: 1 } }]],
        [T, [{ id: 'a', rev: '2-zzz', seq: 2, doc: { _id: 'a', _rev: '2-zzz', n: 'branch' } }]],
        [T, [{ id: 'a', rev: '2-000', seq: 4, doc: { _id: 'a', _rev: '2-000', n: 'loser' } }]],
      ]);
      expect(tombstone.startsWith('3-')).toBe(true);
    });

    it('rolls the whole batch back when a participant throws', async () => {
      participate(() => {
        throw new Error('index full');
      });
      await expect(
        docs.writeDocs(T, [{ id: 'a', deleted: false, body: {} }], { newEdits: true }),
      ).rejects.toThrow('index full');
      expect(await one('a')).toBeNull();
      expect(await docs.updateSeq()).toBe(0);
      expect(await docs.listDoctypes()).toEqual([]);
    });

    it('serialises racing batches: one of two updates from the same revision conflicts', async () => {
      const r1 = await put('a', { n: 1 });
      const race = await Promise.all(
        [2, 3].map((n) =>
          docs.writeDocs(T, [{ id: 'a', deleted: false, body: { n }, parentRev: r1 }], { newEdits: true }),
        ),
      );
      expect(race.map((b) => b.results[0]?.ok).sort()).toEqual([false, true]);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          docs.writeDocs(T, [{ id: `p${i}`, deleted: false, body: {} }], { newEdits: true }),
        ),
      );
      expect(results.map((b) => b.updateSeq).sort((x, y) => x - y)).toEqual([
        3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
      ]);
      expect((await docs.changes({ since: 2 })).results).toHaveLength(10);
    });
  });
});
