import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataScope } from '../../src/data/format.js';
import { BadRequest, Conflict, PayloadTooLarge } from '../../src/errors.js';
import { ROOT_ID } from '../../src/files/file-doc.js';
import { FilesService } from '../../src/files/files-service.js';
import { DiskBlobStore } from '../../src/ports/blob/disk-blob-store.js';
import { startStack, type TestStack } from '../support/stack.js';

const body = (text: string) => Readable.from([Buffer.from(text)]);
const read = async (stream: Readable) => {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

describe('FilesService: resolve, replace, copy and dead properties (what WebDAV needs)', () => {
  let t: TestStack;
  let scope: DataScope;
  let files: FilesService;
  let blobDir: string;
  const blobCount = async () =>
    (await readdir(blobDir, { recursive: true, withFileTypes: true }).catch(() => [])).filter((e) =>
      e.isFile(),
    ).length;

  beforeEach(async () => {
    t = await startStack();
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

  it('resolves a path by ids: what lies below a trashed directory is out of reach', async () => {
    const dir = await files.createDirectory(scope, ROOT_ID, 'a');
    const file = await files.upload(scope, dir._id, 'f.txt', body('f'));
    expect((await files.resolve(scope, ['a', 'f.txt'])).entry?._id).toBe(file._id);
    expect((await files.resolve(scope, [])).entry?._id).toBe(ROOT_ID);
    expect(await files.resolve(scope, ['a', 'missing'])).toMatchObject({
      entry: null,
      parent: { _id: dir._id },
    });
    expect(await files.resolve(scope, ['a', 'f.txt', 'below'])).toEqual({ entry: null, parent: null });
    await files.trash(scope, dir._id);
    await files.createDirectory(scope, ROOT_ID, 'a');
    expect((await files.resolve(scope, ['a', 'f.txt'])).entry).toBeNull();
  });

  it('replaces a file’s content, freeing the old blob, within the room the old content leaves', async () => {
    const file = await files.upload(scope, ROOT_ID, 'r.txt', body('x'.repeat(60)));
    const replaced = await files.replace(scope, file._id, body('y'.repeat(90)));
    expect(replaced).toMatchObject({ _id: file._id, size: 90 });
    expect(await read((await files.download(scope, file._id)).stream)).toBe('y'.repeat(90));
    expect(await blobCount()).toBe(1);
    await expect(files.replace(scope, file._id, body('z'.repeat(101)))).rejects.toBeInstanceOf(
      PayloadTooLarge,
    );
    expect(await blobCount()).toBe(1);
    expect((await files.get(scope, file._id)).size).toBe(90);
  });

  it('copies a file to a new blob and a directory deep or shallow, dead properties included', async () => {
    const dir = await files.createDirectory(scope, ROOT_ID, 'src');
    await files.setProperties(scope, dir._id, new Map([['{urn:x}p', '<p xmlns="urn:x">1</p>']]));
    const f = await files.upload(scope, dir._id, 'f.txt', body('copy me'));
    const deep = await files.copy(scope, dir._id, ROOT_ID, 'deep', { deep: true });
    expect(deep.properties).toEqual({ '{urn:x}p': '<p xmlns="urn:x">1</p>' });
    const [copied] = await files.children(scope, deep._id);
    expect(copied).toMatchObject({ name: 'f.txt', path: '/deep/f.txt', sha256: f.sha256 });
    expect(copied!.blob).not.toBe(f.blob);
    const shallow = await files.copy(scope, dir._id, ROOT_ID, 'shallow');
    expect(await files.children(scope, shallow._id)).toEqual([]);
    await expect(files.copy(scope, f._id, ROOT_ID, 'deep')).rejects.toBeInstanceOf(Conflict);
    await expect(files.copy(scope, dir._id, dir._id, 'inside')).rejects.toBeInstanceOf(BadRequest);
  });

  it('refuses a copy that does not fit the quota and keeps no blob of it', async () => {
    const f = await files.upload(scope, ROOT_ID, 'big.txt', body('b'.repeat(60)));
    await expect(files.copy(scope, f._id, ROOT_ID, 'big2.txt')).rejects.toBeInstanceOf(PayloadTooLarge);
    expect(await blobCount()).toBe(1);
    expect((await files.resolve(scope, ['big2.txt'])).entry).toBeNull();
  });

  it('sets and removes dead properties in one write', async () => {
    const f = await files.upload(scope, ROOT_ID, 'p.txt', body('p'));
    await files.setProperties(
      scope,
      f._id,
      new Map([
        ['{urn:x}a', '<a/>'],
        ['{urn:x}b', '<b/>'],
      ]),
    );
    const after = await files.setProperties(scope, f._id, new Map([['{urn:x}a', null]]));
    expect(after.properties).toEqual({ '{urn:x}b': '<b/>' });
  });
});
