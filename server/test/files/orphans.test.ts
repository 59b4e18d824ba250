import { Readable, PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataScope } from '../../src/data/format.js';
import { ROOT_ID } from '../../src/files/file-doc.js';
import { FilesService } from '../../src/files/files-service.js';
import { ORPHAN_GRACE_MS, OrphanSweeper, sweepOrphans } from '../../src/files/orphans.js';
import { createLogger } from '../../src/http/framework/log.js';
import { DiskBlobStore } from '../../src/ports/blob/disk-blob-store.js';
import type { InstanceRecord, InstanceStore } from '../../src/ports/store/store.js';
import { startStack, type TestStack } from '../support/stack.js';
import { STORE_ADAPTERS, tempDir } from '../support/stores.js';

const body = (text: string) => Readable.from([Buffer.from(text)]);

describe.each(STORE_ADAPTERS)('the orphan sweep on $name', (adapter) => {
  let t: TestStack;
  let scope: DataScope;
  let instance: InstanceRecord;
  let storage: InstanceStore;
  let blobs: DiskBlobStore;
  let files: FilesService;
  const sweep = (cutoff: number) => sweepOrphans(t.stack.documents, blobs, scope, cutoff);
  const inventory = async () =>
    (await blobs.inventory(scope.instance.id)).map((e) => `${e.kind}:${e.id}`).sort();

  beforeEach(async () => {
    t = await startStack({ adapter });
    instance = await t.stack.instances.create('alice.localhost');
    storage = await t.stack.store.open(instance);
    scope = { instance, storage };
    blobs = new DiskBlobStore(tempDir('nuage-orphans-'));
    files = new FilesService({ documents: t.stack.documents, blobs });
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('removes a blob no document names, once it is older than the cutoff', async () => {
    const kept = await files.upload(scope, ROOT_ID, 'kept.txt', body('kept'));
    const orphan = await blobs.write(scope.instance.id, body('orphan'));
    expect(await sweep(Date.now() - ORPHAN_GRACE_MS)).toEqual({ blobs: 0, temps: 0 });
    expect(await sweep(Date.now() + 1000)).toEqual({ blobs: 1, temps: 0 });
    expect(await blobs.list(scope.instance.id)).toEqual([kept.blob]);
    expect(await blobs.list(scope.instance.id)).not.toContain(orphan.blobId);
  });

  it('never removes the blob of a file, trashed files included', async () => {
    const live = await files.upload(scope, ROOT_ID, 'live.txt', body('live'));
    const trashed = await files.upload(scope, ROOT_ID, 'trashed.txt', body('trashed'));
    await files.trash(scope, trashed._id);
    expect(await sweep(Date.now() + 1000)).toEqual({ blobs: 0, temps: 0 });
    expect(await inventory()).toEqual([`blob:${live.blob}`, `blob:${trashed.blob}`].sort());
  });

  it('leaves an upload still streaming alone within the grace period, and ends a stale one', async () => {
    const stream = new PassThrough();
    const upload = files.upload(scope, ROOT_ID, 'slow.bin', stream);
    upload.catch(() => undefined);
    stream.write(Buffer.alloc(100));
    while ((await inventory()).length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(await sweep(Date.now() - ORPHAN_GRACE_MS)).toEqual({ blobs: 0, temps: 0 });
    expect(await sweep(Date.now() + 1000)).toEqual({ blobs: 0, temps: 1 });
    stream.end(Buffer.alloc(10));
    await expect(upload).rejects.toThrow();
    expect(await inventory()).toEqual([]);
    expect(await files.children(scope, ROOT_ID)).toEqual([]);
  });

  it('on start-up, with the instances to itself, removes what was written before it started', async () => {
    const orphan = await blobs.write(scope.instance.id, body('left by a crash'));
    const kept = await files.upload(scope, ROOT_ID, 'kept.txt', body('kept'));
    const lines: Record<string, unknown>[] = [];
    const sweeper = new OrphanSweeper({
      documents: t.stack.documents,
      blobs,
      instances: { list: async () => [instance], storage: async () => storage },
      logger: createLogger('info', (line) => lines.push(JSON.parse(line) as Record<string, unknown>)),
      now: () => Date.now() + 10,
      exclusive: true,
      startDelayMs: 0,
    });
    sweeper.start();
    while (!lines.some((l) => l.msg === 'orphan sweep finished')) await new Promise((r) => setTimeout(r, 5));
    await sweeper.stop();
    expect(lines.at(-1)).toMatchObject({ instances: 1, blobs: 1, temps: 0 });
    expect(await blobs.list(scope.instance.id)).toEqual([kept.blob]);
    expect(orphan.blobId).not.toBe(kept.blob);
  });

  it('empties the trash of entries older than the kept days, with what they hold, in the daily pass', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const dated = new FilesService({ documents: t.stack.documents, blobs, now: () => clock });
    const day = 86_400_000;
    const old = await dated.createDirectory(scope, ROOT_ID, 'Old');
    const inside = await dated.upload(scope, old._id, 'inside.txt', body('inside'));
    await dated.trash(scope, old._id);
    clock += 20 * day;
    const recent = await dated.upload(scope, ROOT_ID, 'recent.txt', body('recent'));
    await dated.trash(scope, recent._id);
    const restored = await dated.upload(scope, ROOT_ID, 'restored.txt', body('restored'));
    await dated.trash(scope, restored._id);
    await dated.restore(scope, restored._id);
    expect((await dated.get(scope, restored._id)).trashed_at).toBeUndefined();

    clock += 15 * day; // Old: 35 days in the trash; recent.txt: 15.
    const lines: Record<string, unknown>[] = [];
    const sweeper = new OrphanSweeper({
      documents: t.stack.documents,
      blobs,
      instances: { list: async () => [instance], storage: async () => storage },
      logger: createLogger('info', (line) => lines.push(JSON.parse(line) as Record<string, unknown>)),
      exclusive: false,
      startDelayMs: 0,
      trash: { files: dated, keepMs: 30 * day, now: () => clock },
    });
    sweeper.start();
    while (!lines.some((l) => l.msg === 'orphan sweep finished')) await new Promise((r) => setTimeout(r, 5));
    await sweeper.stop();
    expect(lines.find((l) => l.msg === 'emptied old entries from the trash')).toMatchObject({ emptied: 1 });
    await expect(dated.get(scope, old._id)).rejects.toMatchObject({ status: 404 });
    await expect(dated.get(scope, inside._id)).rejects.toMatchObject({ status: 404 });
    expect((await dated.get(scope, recent._id)).trashed).toBe(true);
    expect((await dated.get(scope, restored._id)).trashed).toBe(false);
    expect((await blobs.list(scope.instance.id)).sort()).toEqual([recent.blob, restored.blob].sort());
  });

  it('empties old trash and sweeps when the files-sweep job runs', async () => {
    const files = t.stack.files;
    const gone = await files.upload(scope, ROOT_ID, 'gone.txt', body('old'));
    await files.trash(scope, gone._id);
    t.advance(31 * 86_400_000);
    const kept = await files.upload(scope, ROOT_ID, 'kept.txt', body('new'));
    await files.trash(scope, kept._id);
    const job = await t.stack.jobs.service.enqueue({ instance, storage }, { worker: 'files-sweep' });
    for (let i = 0; i < 50 && (await storage.jobs.get(job.id))?.state !== 'done'; i++) {
      await t.stack.jobs.runner.tick();
      await t.stack.jobs.runner.idle();
    }
    expect((await storage.jobs.get(job.id))?.state).toBe('done');
    await expect(files.get(scope, gone._id)).rejects.toMatchObject({ status: 404 });
    expect((await files.get(scope, kept._id)).trashed).toBe(true);
  });
});
