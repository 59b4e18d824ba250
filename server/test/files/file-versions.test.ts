import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataScope } from '../../src/data/format.js';
import { NotFound } from '../../src/errors.js';
import { ROOT_ID } from '../../src/files/file-doc.js';
import { FilesService, type FilesServiceOptions } from '../../src/files/files-service.js';
import { sweepOrphans } from '../../src/files/orphans.js';
import { DiskBlobStore } from '../../src/ports/blob/disk-blob-store.js';
import { startStack, type TestStack } from '../support/stack.js';

const body = (text: string) => Readable.from([Buffer.from(text)]);
const read = async (stream: Readable) => {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

describe('FilesService: versions of a file', () => {
  let t: TestStack;
  let scope: DataScope;
  let blobs: DiskBlobStore;
  let blobDir: string;
  let clock: number;
  const blobIds = async () =>
    (await readdir(blobDir, { recursive: true, withFileTypes: true }).catch(() => []))
      .filter((e) => e.isFile() && !e.name.endsWith('.part'))
      .map((e) => e.name)
      .sort();
  const service = (options: Partial<FilesServiceOptions> = {}) =>
    new FilesService({ documents: t.stack.documents, blobs, now: () => (clock += 1000), ...options });

  beforeEach(async () => {
    t = await startStack();
    const instance = await t.stack.instances.create('alice.localhost');
    scope = { instance, storage: await t.stack.store.open(instance) };
    blobDir = join(t.dataDir, 'version-blobs');
    blobs = new DiskBlobStore(blobDir);
    clock = Date.parse('2026-01-01T00:00:00Z');
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('keeps what an overwrite replaced as the newest version, at most the configured number', async () => {
    const files = service({ versions: 2 });
    const file = await files.upload(scope, ROOT_ID, 'notes.txt', body('one'));
    await files.replace(scope, file._id, body('two!'));
    await files.replace(scope, file._id, body('three'));
    const last = await files.replace(scope, file._id, body('four'));
    expect(await read((await files.download(scope, file._id)).stream)).toBe('four');
    const versions = await files.versions(scope, file._id);
    expect(versions.map((v) => v.size)).toEqual([5, 4]); // "three", then "two!"; "one" went
    expect(last.versions).toEqual(versions);
    expect(Date.parse(versions[0]?.updated_at ?? '')).toBeGreaterThan(
      Date.parse(versions[1]?.updated_at ?? ''),
    );
    const texts = await Promise.all(
      versions.map(async (v) => read((await files.downloadVersion(scope, file._id, v.blob)).stream)),
    );
    expect(texts).toEqual(['three', 'two!']);
    expect(await blobIds()).toEqual([last.blob, ...versions.map((v) => v.blob)].sort());
  });

  it('makes no version when the new bytes are the same, and none at all when configured to keep none', async () => {
    const files = service();
    const same = await files.upload(scope, ROOT_ID, 'same.txt', body('same'));
    const again = await files.replace(scope, same._id, body('same'));
    expect(again.versions).toBeUndefined();
    const none = service({ versions: 0 });
    const file = await none.upload(scope, ROOT_ID, 'none.txt', body('a'));
    expect((await none.replace(scope, file._id, body('b'))).versions).toBeUndefined();
    expect(await blobIds()).toHaveLength(2);
  });

  it('restores a version without copying bytes, keeping the replaced content as a version, so a restore can be undone', async () => {
    const files = service();
    const file = await files.upload(scope, ROOT_ID, 'draft.txt', body('first draft'));
    const second = await files.replace(scope, file._id, body('second draft'));
    const [first] = second.versions ?? [];
    const restored = await files.restoreVersion(scope, file._id, first?.blob ?? '');
    expect(restored.blob).toBe(first?.blob);
    expect(restored.sha256).toBe(first?.sha256);
    expect(restored.size).toBe('first draft'.length);
    expect(await read((await files.download(scope, file._id)).stream)).toBe('first draft');
    expect(restored.versions?.map((v) => v.blob)).toEqual([second.blob]);
    const undone = await files.restoreVersion(scope, file._id, second.blob ?? '');
    expect(await read((await files.download(scope, file._id)).stream)).toBe('second draft');
    expect(undone.versions?.map((v) => v.blob)).toEqual([first?.blob]);
    expect(await blobIds()).toHaveLength(2);
  });

  it('deletes one version for good, and answers NotFound for a version it does not have', async () => {
    const files = service();
    const file = await files.upload(scope, ROOT_ID, 'x.txt', body('old'));
    const replaced = await files.replace(scope, file._id, body('new'));
    const version = replaced.versions?.[0]?.blob ?? '';
    const after = await files.deleteVersion(scope, file._id, version);
    expect(after.versions).toBeUndefined();
    expect(await blobIds()).toEqual([replaced.blob]);
    await expect(files.deleteVersion(scope, file._id, version)).rejects.toBeInstanceOf(NotFound);
    await expect(
      files.downloadVersion(scope, file._id, 'ffffffffffffffffffffffffffffffff'),
    ).rejects.toBeInstanceOf(NotFound);
    await expect(files.restoreVersion(scope, file._id, '../../etc/passwd')).rejects.toBeInstanceOf(NotFound);
  });

  it('counts versions in the quota, and gives up the oldest ones rather than refusing an overwrite', async () => {
    const files = service({ quotaBytes: 100 });
    const file = await files.upload(scope, ROOT_ID, 'q.txt', body('a'.repeat(30)));
    await files.replace(scope, file._id, body('b'.repeat(30)));
    expect(await files.used(scope)).toBe(60);
    await files.replace(scope, file._id, body('c'.repeat(30)));
    expect(await files.used(scope)).toBe(90);
    // 41 new bytes: with two versions 100 would be passed, so only the newest one stays.
    const last = await files.replace(scope, file._id, body('d'.repeat(41)));
    expect(last.versions?.map((v) => v.size)).toEqual([30]);
    expect(
      await read((await files.downloadVersion(scope, file._id, last.versions?.[0]?.blob ?? '')).stream),
    ).toBe('c'.repeat(30));
    expect(await files.used(scope)).toBe(71);
    expect(await blobIds()).toHaveLength(2);
  });

  it('deletes the versions with the file, and the orphan sweep leaves them alone while the file lives', async () => {
    const files = service();
    const file = await files.upload(scope, ROOT_ID, 'gone.txt', body('v1'));
    await files.replace(scope, file._id, body('v2'));
    const swept = await sweepOrphans(t.stack.documents, blobs, scope, Date.now() + 3_600_000);
    expect(swept.blobs).toBe(0);
    expect(await blobIds()).toHaveLength(2);
    await files.trash(scope, file._id);
    await files.destroy(scope, file._id);
    expect(await blobIds()).toEqual([]);
  });
});
