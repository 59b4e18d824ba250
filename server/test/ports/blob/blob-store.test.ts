import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BadRequest, NotFound, PayloadTooLarge, PreconditionFailed } from '../../../src/errors.js';
import type { BlobStore } from '../../../src/ports/blob/blob-store.js';
import { DiskBlobStore } from '../../../src/ports/blob/disk-blob-store.js';

interface BlobFixture {
  store: BlobStore;
  /** Every file left under the adapter's storage, temp files included. */
  files(): Promise<string[]>;
  dispose(): Promise<void>;
}

const ADAPTERS: { name: string; create: () => Promise<BlobFixture> }[] = [
  {
    name: 'disk',
    create: async () => {
      const root = await mkdtemp(join(tmpdir(), 'nuage-blobs-'));
      return {
        store: new DiskBlobStore(root),
        files: async () =>
          (await readdir(root, { recursive: true, withFileTypes: true }))
            .filter((entry) => entry.isFile())
            .map((entry) => entry.name),
        dispose: () => rm(root, { recursive: true, force: true }),
      };
    },
  },
];

const SCOPE = 'instance1';

async function* chunks(count: number, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < count; i++) yield Buffer.alloc(size, i % 251);
}

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

const hex = (algorithm: string, data: Buffer): string => createHash(algorithm).update(data).digest('hex');

describe.each(ADAPTERS)('BlobStore contract on $name', (adapter) => {
  let fx: BlobFixture;
  beforeEach(async () => {
    fx = await adapter.create();
  });
  afterEach(async () => {
    await fx.dispose();
  });

  it('stores a streamed body and reports its size and SHA-256 (MD5 only when one is to be checked)', async () => {
    const expected = await collect(Readable.from(chunks(40, 64 * 1024)));
    const info = await fx.store.write(SCOPE, Readable.from(chunks(40, 64 * 1024)));
    expect(info).toEqual({
      blobId: expect.stringMatching(/^[0-9a-f]{32}$/),
      size: expected.length,
      sha256: hex('sha256', expected),
    });
    const checked = await fx.store.write(SCOPE, Readable.from(chunks(40, 64 * 1024)), {
      expectedMd5: hex('md5', expected),
    });
    expect(checked.md5).toBe(hex('md5', expected));
    await fx.store.delete(SCOPE, checked.blobId);
    expect(await fx.store.stat(SCOPE, info.blobId)).toEqual({ size: expected.length });
    expect((await collect(await fx.store.read(SCOPE, info.blobId))).equals(expected)).toBe(true);
    expect(await fx.store.list(SCOPE)).toEqual([info.blobId]);
  });

  it('stores small bodies whole, empty or in more pieces than one system call takes', async () => {
    // 3000 pieces: more than the 1024 buffers one writev accepts, so the write goes on after a short one.
    const pieces = Array.from({ length: 3000 }, (_, i) => Buffer.from(`piece ${i};`));
    for (const body of [[], [Buffer.from('x')], pieces]) {
      const expected = Buffer.concat(body);
      const info = await fx.store.write(SCOPE, Readable.from(body));
      expect(info).toMatchObject({ size: expected.length, sha256: hex('sha256', expected) });
      expect((await collect(await fx.store.read(SCOPE, info.blobId))).equals(expected)).toBe(true);
    }
  });

  it('reads an inclusive byte range', async () => {
    const info = await fx.store.write(SCOPE, Readable.from([Buffer.from('hello world')]));
    const part = await collect(await fx.store.read(SCOPE, info.blobId, { start: 6, end: 10 }));
    expect(part.toString()).toBe('world');
  });

  it('reads large blobs and ranges of them, streamed, as small ones are read', async () => {
    const big = randomBytes(5 * 64 * 1024);
    const info = await fx.store.write(SCOPE, Readable.from([big]));
    expect((await collect(await fx.store.read(SCOPE, info.blobId))).equals(big)).toBe(true);
    for (const [start, end] of [
      [0, 0],
      [100, 65_636], // just over one small read
      [200_000, big.length - 1],
    ] as const) {
      const part = await collect(await fx.store.read(SCOPE, info.blobId, { start, end }));
      expect(part.equals(big.subarray(start, end + 1))).toBe(true);
    }
  });

  it('refuses a range outside the blob', async () => {
    const info = await fx.store.write(SCOPE, Readable.from([Buffer.from('abc')]));
    await expect(fx.store.read(SCOPE, info.blobId, { start: 2, end: 3 })).rejects.toBeInstanceOf(BadRequest);
  });

  it('accepts matching announced checksums', async () => {
    const data = Buffer.from('checked content');
    const info = await fx.store.write(SCOPE, Readable.from([data]), {
      expectedMd5: hex('md5', data),
      expectedSha256: hex('sha256', data).toUpperCase(),
    });
    expect(info.size).toBe(data.length);
  });

  it('refuses an MD5 mismatch with PreconditionFailed and keeps nothing', async () => {
    const write = fx.store.write(SCOPE, Readable.from([Buffer.from('data')]), {
      expectedMd5: hex('md5', Buffer.from('other')),
    });
    await expect(write).rejects.toBeInstanceOf(PreconditionFailed);
    expect(await fx.files()).toEqual([]);
    expect(await fx.store.list(SCOPE)).toEqual([]);
  });

  it('refuses a SHA-256 mismatch with PreconditionFailed and keeps nothing', async () => {
    const write = fx.store.write(SCOPE, Readable.from([Buffer.from('data')]), {
      expectedSha256: hex('sha256', Buffer.from('other')),
    });
    await expect(write).rejects.toBeInstanceOf(PreconditionFailed);
    expect(await fx.files()).toEqual([]);
  });

  it('stops a body over maxBytes with PayloadTooLarge and keeps nothing', async () => {
    const write = fx.store.write(SCOPE, Readable.from(chunks(10, 1024)), { maxBytes: 4096 });
    await expect(write).rejects.toBeInstanceOf(PayloadTooLarge);
    expect(await fx.files()).toEqual([]);
  });

  it('throws the error chosen by tooLarge (a quota)', async () => {
    const quota = new Error('quota');
    const write = fx.store.write(SCOPE, Readable.from(chunks(10, 1024)), {
      maxBytes: 10,
      tooLarge: () => quota,
    });
    await expect(write).rejects.toBe(quota);
  });

  it('keeps nothing when the body stream fails', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.alloc(1024);
      throw new Error('client went away');
    }
    await expect(fx.store.write(SCOPE, Readable.from(failing()))).rejects.toThrow('client went away');
    expect(await fx.files()).toEqual([]);
  });

  it('deletes a blob, and deleting it again is not an error', async () => {
    const info = await fx.store.write(SCOPE, Readable.from([Buffer.from('bye')]));
    await fx.store.delete(SCOPE, info.blobId);
    await fx.store.delete(SCOPE, info.blobId);
    await expect(fx.store.stat(SCOPE, info.blobId)).rejects.toBeInstanceOf(NotFound);
    await expect(fx.store.read(SCOPE, info.blobId)).rejects.toBeInstanceOf(NotFound);
  });

  it('treats an id or scope that looks like a path as unknown, never as a path', async () => {
    await expect(fx.store.stat(SCOPE, '../../etc/passwd')).rejects.toBeInstanceOf(NotFound);
    await expect(fx.store.read(SCOPE, '..')).rejects.toBeInstanceOf(NotFound);
    await expect(fx.store.list('../x')).rejects.toBeInstanceOf(BadRequest);
  });

  it('keeps scopes apart', async () => {
    const info = await fx.store.write(SCOPE, Readable.from([Buffer.from('mine')]));
    await expect(fx.store.stat('instance2', info.blobId)).rejects.toBeInstanceOf(NotFound);
    expect(await fx.store.list('instance2')).toEqual([]);
  });

  it('inventories blobs with their size and modification time, and nothing for an unknown scope', async () => {
    const before = Date.now();
    const info = await fx.store.write(SCOPE, Readable.from([Buffer.from('twelve bytes')]));
    const entries = await fx.store.inventory(SCOPE);
    expect(entries).toEqual([{ kind: 'blob', id: info.blobId, size: 12, modifiedAt: expect.any(Number) }]);
    expect(entries[0]!.modifiedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(entries[0]!.modifiedAt).toBeLessThanOrEqual(Date.now() + 1000);
    expect(await fx.store.inventory('instance2')).toEqual([]);
  });

  it('inventories a write in progress as a temp entry; deleting it fails that write and leaves nothing', async () => {
    const body = new PassThrough();
    const write = fx.store.write(SCOPE, body);
    write.catch(() => undefined);
    body.write(Buffer.alloc(1000, 1));
    let temps: Awaited<ReturnType<BlobStore['inventory']>> = [];
    while (temps.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      temps = (await fx.store.inventory(SCOPE)).filter((entry) => entry.kind === 'temp');
    }
    expect(temps).toEqual([
      {
        kind: 'temp',
        id: expect.stringMatching(/^[0-9a-f]{32}$/),
        size: expect.any(Number),
        modifiedAt: expect.any(Number),
      },
    ]);
    expect(await fx.store.list(SCOPE)).toEqual([]);
    await fx.store.deleteTemp(SCOPE, temps[0]!.id);
    body.end(Buffer.alloc(10));
    await expect(write).rejects.toThrow();
    expect(await fx.files()).toEqual([]);
    expect(await fx.store.inventory(SCOPE)).toEqual([]);
  });

  it('deletes an unknown temp entry without error, and never reads a temp id as a path', async () => {
    await fx.store.deleteTemp(SCOPE, 'a'.repeat(32));
    await expect(fx.store.deleteTemp(SCOPE, '../../x')).rejects.toBeInstanceOf(NotFound);
    await expect(fx.store.inventory('../x')).rejects.toBeInstanceOf(BadRequest);
  });
});
