import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataScope } from '../../src/data/format.js';
import { bytesOf, FILES, isEntry, ROOT_ID } from '../../src/files/file-doc.js';
import { FilesService } from '../../src/files/files-service.js';
import { FileUsage } from '../../src/files/usage.js';
import { DiskBlobStore } from '../../src/ports/blob/disk-blob-store.js';
import { startStack, type TestStack } from '../support/stack.js';

const body = (bytes: number) => Readable.from([Buffer.alloc(bytes, 7)]);

describe('FileUsage: the bytes an instance holds, kept from the changes feed', () => {
  let t: TestStack;
  let scope: DataScope;
  let files: FilesService;

  /** What a scan of every file document says: the figure the tally must always equal. */
  const scanned = async (): Promise<number> => {
    const { rows } = await t.stack.documents.allDocs(scope, FILES, { includeDocs: true });
    let total = 0;
    for (const row of rows) if ('doc' in row && row.doc && isEntry(row.doc)) total += bytesOf(row.doc);
    return total;
  };

  beforeEach(async () => {
    t = await startStack();
    const instance = await t.stack.instances.create('alice.localhost');
    scope = { instance, storage: await t.stack.store.open(instance) };
    const blobs = new DiskBlobStore(join(t.dataDir, 'usage-blobs'));
    files = new FilesService({ documents: t.stack.documents, blobs, versions: 2 });
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('counts contents, versions and the trash, and follows every kind of change', async () => {
    const usage = new FileUsage(t.stack.documents);
    expect(await usage.used(scope)).toBe(0);
    const dir = await files.createDirectory(scope, ROOT_ID, 'photos');
    const a = await files.upload(scope, dir._id, 'a.jpg', body(1000));
    const b = await files.upload(scope, ROOT_ID, 'b.txt', body(300));
    expect(await usage.used(scope)).toBe(1300);

    await files.replace(scope, a._id, body(1500)); // 1000 becomes a version
    await files.replace(scope, a._id, body(1700));
    await files.replace(scope, a._id, body(1900)); // the oldest version (1000) goes: 2 kept
    expect(await usage.used(scope)).toBe(1900 + 1700 + 1500 + 300);

    await files.copy(scope, b._id, dir._id, 'b copy.txt');
    await files.trash(scope, dir._id); // trashed entries still count
    expect(await usage.used(scope)).toBe(await scanned());
    await files.destroy(scope, dir._id);
    expect(await usage.used(scope)).toBe(300);
    expect(await scanned()).toBe(300);
  });

  it('counts what another process wrote, as the feed carries it', async () => {
    const mine = new FileUsage(t.stack.documents);
    expect(await mine.used(scope)).toBe(0);
    // Another FilesService has its own tally, as another stack process would.
    await files.upload(scope, ROOT_ID, 'elsewhere.bin', body(4096));
    expect(await mine.used(scope)).toBe(4096);
  });

  it('reads a feed longer than one page, and callers at the same time get the same answer', async () => {
    for (let i = 0; i < 30; i++) await files.upload(scope, ROOT_ID, `f${i}`, body(10 + i));
    const usage = new FileUsage(t.stack.documents, 7);
    const answers = await Promise.all([usage.used(scope), usage.used(scope), usage.used(scope)]);
    expect(answers).toEqual([await scanned(), await scanned(), await scanned()]);
    expect(answers[0]).toBe(30 * 10 + (29 * 30) / 2);
  });

  it('keeps the tallies of the instances last asked only, and counts a forgotten one again', async () => {
    const other = await t.stack.instances.create('bob.localhost');
    const bobScope = { instance: other, storage: await t.stack.store.open(other) };
    await files.upload(scope, ROOT_ID, 'alice.bin', body(100));
    await files.upload(bobScope, ROOT_ID, 'bob.bin', body(200));
    // The feed reads the tally makes, by instance and `since`.
    const reads: string[] = [];
    const documents = Object.create(t.stack.documents) as typeof t.stack.documents;
    documents.changes = (s, options) => {
      reads.push(`${s.instance.id === other.id ? 'bob' : 'alice'}@${String(options.since)}`);
      return t.stack.documents.changes(s, options);
    };
    const usage = new FileUsage(documents, 1000, 1);
    expect(await usage.used(scope)).toBe(100);
    expect(await usage.used(scope)).toBe(100);
    expect(await usage.used(bobScope)).toBe(200); // alice's tally is forgotten
    await files.upload(scope, ROOT_ID, 'more.bin', body(50));
    expect(await usage.used(scope)).toBe(150);
    expect(reads.map((r) => r.replace(/@[1-9]\d*$/, '@seq'))).toEqual([
      'alice@0',
      'alice@seq', // only what changed since
      'bob@0',
      'alice@0', // counted again from the start
    ]);
    expect(await usage.used(bobScope)).toBe(200);
  });
});
