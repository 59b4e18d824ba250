import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataScope } from '../../src/data/format.js';
import { BadRequest, Conflict, PayloadTooLarge, PreconditionFailed } from '../../src/errors.js';
import { ROOT_ID } from '../../src/files/file-doc.js';
import { FilesService } from '../../src/files/files-service.js';
import { DiskBlobStore } from '../../src/ports/blob/disk-blob-store.js';
import { startStack, type TestStack } from '../support/stack.js';
import { STORE_ADAPTERS } from '../support/stores.js';

const body = (text: string) => Readable.from([Buffer.from(text)]);

async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => e.name);
  } catch {
    return [];
  }
}

describe.each(STORE_ADAPTERS)('FilesService on $name', (adapter) => {
  let t: TestStack;
  let scope: DataScope;
  let files: FilesService;
  let blobDir: string;

  beforeEach(async () => {
    t = await startStack({ adapter });
    const instance = await t.stack.instances.create('alice.localhost');
    scope = { instance, storage: await t.stack.store.open(instance) };
    blobDir = join(t.dataDir, 'test-blobs');
    files = new FilesService({
      documents: t.stack.documents,
      blobs: new DiskBlobStore(blobDir),
      quotaBytes: 100,
    });
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('lets only one of several simultaneous uploads of one name land, and keeps no blob of the others', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => files.upload(scope, ROOT_ID, 'same.txt', body(`version ${i}`))),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes.filter((o) => o.status === 'rejected')) {
      expect(o.reason).toBeInstanceOf(Conflict);
    }
    expect((await files.children(scope, ROOT_ID)).map((c) => c.name)).toEqual(['same.txt']);
  });

  it('creates a directory once when asked for it twice at the same time', async () => {
    const outcomes = await Promise.allSettled([
      files.createDirectory(scope, ROOT_ID, 'twice'),
      files.createDirectory(scope, ROOT_ID, 'twice'),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  describe('names', () => {
    it.each(['', '.', '..', 'a/b', 'nul\0byte', 'x'.repeat(256), 'é'.repeat(128)])(
      'refuses the name %j',
      async (name) => {
        await expect(files.createDirectory(scope, ROOT_ID, name)).rejects.toBeInstanceOf(BadRequest);
      },
    );

    it('refuses `..` however it was encoded once decoded, and keeps `%2e%2e` literal when not decoded', async () => {
      await expect(
        files.createDirectory(scope, ROOT_ID, decodeURIComponent('%2e%2e')),
      ).rejects.toBeInstanceOf(BadRequest);
      const literal = await files.createDirectory(scope, ROOT_ID, '%2e%2e');
      expect(literal.path).toBe('/%2e%2e');
    });

    it('accepts 255 bytes of Unicode and stores names in NFC', async () => {
      const dir = await files.createDirectory(scope, ROOT_ID, 'Cafe\u0301');
      expect(dir.name).toBe('Café');
      expect(dir.name).toBe(dir.name.normalize('NFC'));
      await expect(files.createDirectory(scope, ROOT_ID, 'é'.repeat(127) + 'a')).resolves.toBeDefined();
    });

    it('treats NFC and NFD spellings as the same name (409)', async () => {
      await files.createDirectory(scope, ROOT_ID, 'Caf\u00e9');
      await expect(files.createDirectory(scope, ROOT_ID, 'Cafe\u0301')).rejects.toBeInstanceOf(Conflict);
    });
  });

  it('refuses a name clash in the same directory, for files and directories alike', async () => {
    await files.createDirectory(scope, ROOT_ID, 'photos');
    await expect(files.upload(scope, ROOT_ID, 'photos', body('x'))).rejects.toBeInstanceOf(Conflict);
    expect(await filesUnder(blobDir)).toEqual([]);
  });

  it('makes every missing directory of a path (mkdir -p) and reuses existing ones', async () => {
    const c = await files.mkdirP(scope, '/a/b/c');
    expect(c.path).toBe('/a/b/c');
    const again = await files.mkdirP(scope, 'a/b/c/');
    expect(again._id).toBe(c._id);
    await expect(files.mkdirP(scope, '/a/../etc')).rejects.toBeInstanceOf(BadRequest);
  });

  it('uploads then downloads a file, whole or a range', async () => {
    const file = await files.upload(scope, ROOT_ID, 'hello.txt', body('hello world'), { mime: 'text/plain' });
    expect(file).toMatchObject({ type: 'file', size: 11, path: '/hello.txt', mime: 'text/plain' });
    expect(file.sha256).toBe(createHash('sha256').update('hello world').digest('hex'));
    expect(file.md5sum).toBeUndefined(); // computed only to check a Content-MD5
    const { stream } = await files.download(scope, file._id, { start: 6, end: 10 });
    const parts: Buffer[] = [];
    for await (const part of stream) parts.push(part as Buffer);
    expect(Buffer.concat(parts).toString()).toBe('world');
  });

  it('keeps nothing after a checksum mismatch', async () => {
    const upload = files.upload(scope, ROOT_ID, 'bad.txt', body('content'), { expectedMd5: '0'.repeat(32) });
    await expect(upload).rejects.toBeInstanceOf(PreconditionFailed);
    expect(await files.children(scope, ROOT_ID)).toEqual([]);
    expect(await filesUnder(blobDir)).toEqual([]);
  });

  it('refuses an upload over the quota with 413 and keeps nothing', async () => {
    await files.upload(scope, ROOT_ID, 'a', body('x'.repeat(60)));
    const upload = files.upload(scope, ROOT_ID, 'b', body('x'.repeat(60)));
    await expect(upload).rejects.toBeInstanceOf(PayloadTooLarge);
    expect((await files.children(scope, ROOT_ID)).map((c) => c.name)).toEqual(['a']);
    expect(await filesUnder(blobDir)).toHaveLength(1);
    await expect(files.upload(scope, ROOT_ID, 'c', body('x'), { declaredSize: 41 })).rejects.toBeInstanceOf(
      PayloadTooLarge,
    );
  });

  it('renames and moves, with descendants following', async () => {
    const a = await files.mkdirP(scope, '/a');
    const b = await files.mkdirP(scope, '/b');
    const file = await files.upload(scope, a._id, 'f.txt', body('f'));
    const moved = await files.update(scope, a._id, { name: 'A', dir_id: b._id });
    expect(moved.path).toBe('/b/A');
    expect((await files.get(scope, file._id)).path).toBe('/b/A/f.txt');
  });

  it('refuses to move a directory into itself or below itself', async () => {
    const a = await files.mkdirP(scope, '/a');
    const deep = await files.mkdirP(scope, '/a/b/c');
    await expect(files.update(scope, a._id, { dir_id: a._id })).rejects.toBeInstanceOf(BadRequest);
    await expect(files.update(scope, a._id, { dir_id: deep._id })).rejects.toBeInstanceOf(BadRequest);
  });

  it('refuses a move onto a taken name', async () => {
    await files.mkdirP(scope, '/a');
    const b = await files.mkdirP(scope, '/b');
    await expect(files.update(scope, b._id, { name: 'a' })).rejects.toBeInstanceOf(Conflict);
  });

  it('trashes, restores, and deletes for good (document, then blob)', async () => {
    const file = await files.upload(scope, ROOT_ID, 'f.txt', body('f'));
    await files.trash(scope, file._id);
    expect(await files.children(scope, ROOT_ID)).toEqual([]);
    expect((await files.trashed(scope)).map((d) => d._id)).toEqual([file._id]);
    // The name is free while the first one is in the trash; restoring onto it is a Conflict.
    const other = await files.upload(scope, ROOT_ID, 'f.txt', body('g'));
    await expect(files.restore(scope, file._id)).rejects.toBeInstanceOf(Conflict);
    await files.trash(scope, other._id);
    await files.destroy(scope, other._id);
    await files.restore(scope, file._id);
    expect((await files.children(scope, ROOT_ID)).map((d) => d._id)).toEqual([file._id]);
    expect(await filesUnder(blobDir)).toHaveLength(1);
  });

  it('refuses to delete for good what is not in the trash, and to trash the root', async () => {
    const file = await files.upload(scope, ROOT_ID, 'f.txt', body('f'));
    await expect(files.destroy(scope, file._id)).rejects.toBeInstanceOf(BadRequest);
    await expect(files.trash(scope, ROOT_ID)).rejects.toBeInstanceOf(BadRequest);
  });
});
