import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataScope } from '../../src/data/format.js';
import { FindService } from '../../src/data/find.js';
import { Conflict } from '../../src/errors.js';
import { FILES, ROOT_ID } from '../../src/files/file-doc.js';
import { FilesService } from '../../src/files/files-service.js';
import { DiskBlobStore } from '../../src/ports/blob/disk-blob-store.js';
import { startStack, type TestStack } from '../support/stack.js';
import { STORE_ADAPTERS, tempDir } from '../support/stores.js';

const body = (text: string) => Readable.from([Buffer.from(text)]);

describe.each(STORE_ADAPTERS)('the tree on its Mango index, on $name', (adapter) => {
  let t: TestStack;
  let scope: DataScope;
  let find: FindService;
  /** One service on the index, one scanning: every answer must be the same. */
  let indexed: FilesService;
  let scanning: FilesService;

  beforeEach(async () => {
    t = await startStack({ adapter });
    const instance = await t.stack.instances.create('alice.localhost');
    scope = { instance, storage: await t.stack.store.open(instance) };
    const blobs = new DiskBlobStore(tempDir('nuage-tree-'));
    find = new FindService();
    indexed = new FilesService({ documents: t.stack.documents, blobs, find });
    scanning = new FilesService({ documents: t.stack.documents, blobs });
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('resolves paths, lists and checks clashes as a scan does, trash included', async () => {
    const docs = await indexed.mkdirP(scope, '/a/b');
    await indexed.upload(scope, docs._id, 'café.txt', body('x'));
    const gone = await indexed.upload(scope, docs._id, 'gone.txt', body('y'));
    await indexed.trash(scope, gone._id);
    const a = (await indexed.resolve(scope, ['a'])).entry!;
    await indexed.createDirectory(scope, a._id, 'c');
    await indexed.trash(scope, a._id);
    await indexed.restore(scope, a._id);

    for (const names of [['a'], ['a', 'b'], ['a', 'b', 'café.txt'], ['a', 'b', 'gone.txt'], ['x', 'y'], []]) {
      expect(await indexed.resolve(scope, names)).toEqual(await scanning.resolve(scope, names));
    }
    for (const dir of [ROOT_ID, a._id, docs._id]) {
      expect(await indexed.children(scope, dir)).toEqual(await scanning.children(scope, dir));
    }
    expect((await indexed.children(scope, docs._id)).map((c) => c.name)).toEqual(['café.txt']);
    // The NFD spelling is the same name once checked (NFC), and clashes.
    await expect(indexed.upload(scope, docs._id, 'cafe\u0301.txt', body('z'))).rejects.toBeInstanceOf(
      Conflict,
    );
    // A trashed name is free.
    await indexed.upload(scope, docs._id, 'gone.txt', body('again'));
  });

  it('walks subtrees directory by directory: listings, moves and deletions as a scan does them', async () => {
    const c = await indexed.mkdirP(scope, '/a/b/c');
    await indexed.upload(scope, c._id, 'deep.txt', body('deep'));
    const b = (await indexed.resolve(scope, ['a', 'b'])).entry!;
    const hidden = await indexed.createDirectory(scope, b._id, 'hidden');
    await indexed.upload(scope, hidden._id, 'inside.txt', body('x'));
    await indexed.trash(scope, hidden._id);
    const a = (await indexed.resolve(scope, ['a'])).entry!;

    for (const dir of [ROOT_ID, a._id, b._id]) {
      expect(await indexed.descendants(scope, dir)).toEqual(await scanning.descendants(scope, dir));
    }
    expect((await indexed.descendants(scope, a._id)).map((d) => d.path)).toEqual([
      '/a/b',
      '/a/b/c',
      '/a/b/c/deep.txt',
    ]);

    // A move gives every entry below, the trashed ones too, its new path.
    const x = await indexed.createDirectory(scope, ROOT_ID, 'x');
    await indexed.update(scope, a._id, { dir_id: x._id });
    const paths = (await t.stack.documents.allDocs(scope, FILES, { includeDocs: true })).rows
      .map((row) => ('doc' in row ? (row.doc?.path as string | undefined) : undefined))
      .filter((path) => path !== undefined)
      .sort();
    expect(paths).toEqual([
      '/',
      '/x',
      '/x/a',
      '/x/a/b',
      '/x/a/b/c',
      '/x/a/b/c/deep.txt',
      '/x/a/b/hidden',
      '/x/a/b/hidden/inside.txt',
    ]);

    // Deleting a trashed directory for good takes everything below it.
    await indexed.trash(scope, x._id);
    await indexed.destroy(scope, x._id);
    const left = (await t.stack.documents.allDocs(scope, FILES, { includeDocs: true })).rows.filter(
      (row) => 'doc' in row && typeof row.doc?.path === 'string',
    );
    expect(left.map((row) => ('doc' in row ? row.doc?.path : undefined))).toEqual(['/']);
  });

  it('lists and empties the trash on its own index, as a scan does', async () => {
    const docs = await indexed.mkdirP(scope, '/docs');
    const old = await indexed.upload(scope, ROOT_ID, 'old.txt', body('o'));
    const kept = await indexed.upload(scope, docs._id, 'kept.txt', body('k'));
    const back = await indexed.upload(scope, ROOT_ID, 'back.txt', body('b'));
    const inside = await indexed.upload(scope, docs._id, 'inside.txt', body('i'));
    await indexed.trash(scope, old._id);
    await indexed.trash(scope, back._id);
    await indexed.restore(scope, back._id);
    await indexed.trash(scope, docs._id);

    const names = async (service: FilesService) => (await service.trashed(scope)).map((d) => d.name).sort();
    expect(await names(indexed)).toEqual(['docs', 'old.txt']);
    expect(await names(indexed)).toEqual(await names(scanning));
    // Only entries flagged trashed are indexed: what lies below a trashed directory is not.
    const rows = await scope.storage.documents.indexes.scan(
      FILES,
      { ddoc: '_design/io.nuage.files.tree', name: 'trash' },
      { range: {} },
    );
    expect(rows.map((row) => row.id).sort()).toEqual([docs._id, old._id].sort());

    // Emptying takes the directory with what it holds; a live file elsewhere stays.
    expect(await indexed.emptyTrash(scope, Date.now() + 1000)).toBe(2);
    expect(await indexed.trashed(scope)).toEqual([]);
    await expect(indexed.get(scope, inside._id)).rejects.toThrow();
    await expect(indexed.get(scope, kept._id)).rejects.toThrow();
    expect((await indexed.get(scope, back._id)).trashed).toBe(false);
  });

  it('creates its index once, and the queries use it', async () => {
    await indexed.mkdirP(scope, '/a');
    const { indexes } = await find.listIndexes(scope, FILES);
    expect(indexes.filter((i) => i.name === 'dir-name')).toHaveLength(1);
    const plan = await find.explain(scope, FILES, {
      selector: { dir_id: ROOT_ID, name: { $type: 'string' } },
    });
    expect(plan.index).toMatchObject({ ddoc: '_design/io.nuage.files.tree', name: 'dir-name' });
  });

  it('makes its index again when someone deleted it through _index', async () => {
    await indexed.mkdirP(scope, '/a/b');
    expect(
      await scope.storage.documents.indexes.delete(FILES, '_design/io.nuage.files.tree', 'dir-name'),
    ).toBe(true);
    expect((await indexed.resolve(scope, ['a', 'b'])).entry?.name).toBe('b');
    expect((await indexed.children(scope, ROOT_ID)).map((c) => c.name)).toEqual(['a']);
  });
});
