import { createHash, type Hash } from 'node:crypto';
import { closeSync, fdatasync, fstatSync, fsync, open, read, writev, writevSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { BadRequest, NotFound, PayloadTooLarge, PreconditionFailed } from '../../errors.js';
import { randomId } from '../../random-id.js';
import type { BlobEntry, BlobInfo, BlobStore, BlobWriteOptions, ByteRange } from './blob-store.js';
import { BytesStream, FileRangeStream } from './sendable-streams.js';

const BLOB_ID = /^[0-9a-f]{32}$/;
/**
 * Bytes gathered per write system call: fewer, larger calls than a stream's 64 KiB chunks. 1 MiB
 * uploaded 200 MB about a third faster than 256 KiB (bench/README.md, webdav), for 2 MiB of memory
 * per upload at most (one batch filling, one being written).
 */
const WRITE_BATCH = 1024 * 1024;
/**
 * Bytes read per chunk, for a blob of `size`: up to 1 MiB (a large download runs about twice as fast as
 * with the 64 KiB default), never more than the blob, since each read allocates a buffer this large.
 */
const readBuffer = (size: number): number => Math.min(1024 * 1024, Math.max(16 * 1024, size));
/** Blobs (or ranges) up to this size are read in one call rather than streamed (see read). */
const SMALL_READ = 64 * 1024;
/** Bytes written between two background flushes of a large upload (see writeDurably). */
const SYNC_EVERY = 16 * 1024 * 1024;
const TEMP_NAME = /^([0-9a-f]{32})\.part$/;
const SCOPE = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Blobs as files under `<root>/<scope>/<id[0..2]>/<id>`; uploads go to `<root>/<scope>/tmp/` first, are
 * hashed while written, fsynced, then renamed into place, so a crash never leaves a partial blob under
 * a blob id (only a temp file, which `write` removes on failure and a cleanup pass may sweep).
 */
export class DiskBlobStore implements BlobStore {
  private readonly dirs = new Set<string>();

  constructor(
    private readonly root: string,
    private readonly newId: () => string = randomId,
  ) {}

  async write(scope: string, body: Readable, options: BlobWriteOptions = {}): Promise<BlobInfo> {
    const base = this.scopeDir(scope);
    const blobId = this.newId();
    const target = this.blobPath(scope, blobId);
    const tmpDir = join(base, 'tmp');
    await this.ensureDir(tmpDir);
    const tmp = join(tmpDir, `${blobId}.part`);
    const meter = new HashingMeter(options);
    try {
      await writeDurably(tmp, body, meter);
      const md5 = meter.md5?.digest('hex');
      const sha256 = meter.sha256.digest('hex');
      if (options.expectedMd5 !== undefined && options.expectedMd5.toLowerCase() !== md5) {
        throw new PreconditionFailed('the content does not match its announced MD5');
      }
      if (options.expectedSha256 !== undefined && options.expectedSha256.toLowerCase() !== sha256) {
        throw new PreconditionFailed('the content does not match its announced SHA-256');
      }
      await this.ensureDir(dirname(target));
      await rename(tmp, target);
      return { blobId, size: meter.size, sha256, ...(md5 === undefined ? {} : { md5 }) };
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  /**
   * Opens the blob once, then reads a small one (up to SMALL_READ) whole in one call and closes it in
   * place (a BytesStream), and streams a larger one from the same descriptor (a FileRangeStream); a
   * response sends either without a stream pipeline (sendable-streams.ts). A stat, an open, a read to
   * the end and a close were each a trip through the thread pool: most of a 4 KiB GET's time in the
   * blob store.
   */
  async read(scope: string, blobId: string, range?: ByteRange): Promise<Readable> {
    const path = this.blobPath(scope, blobId);
    let fd: number;
    try {
      fd = await openAsync(path, 'r');
    } catch (error) {
      if (isMissing(error)) throw new NotFound(`no blob ${blobId}`);
      throw error;
    }
    try {
      const { size } = fstatSync(fd);
      if (range && (range.start < 0 || range.end < range.start || range.end >= size)) {
        throw new BadRequest(`range ${range.start}-${range.end} is outside a blob of ${size} bytes`);
      }
      const start = range?.start ?? 0;
      const length = range ? range.end - range.start + 1 : size;
      if (length <= SMALL_READ) {
        const bytes = await readWhole(fd, start, length);
        closeSync(fd);
        return new BytesStream(bytes);
      }
      return new FileRangeStream(fd, start, length, readBuffer(length));
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  async stat(scope: string, blobId: string): Promise<{ size: number }> {
    try {
      const info = await stat(this.blobPath(scope, blobId));
      return { size: info.size };
    } catch (error) {
      if (isMissing(error)) throw new NotFound(`no blob ${blobId}`);
      throw error;
    }
  }

  async delete(scope: string, blobId: string): Promise<void> {
    await rm(this.blobPath(scope, blobId), { force: true });
  }

  async list(scope: string): Promise<string[]> {
    const base = this.scopeDir(scope);
    const ids: string[] = [];
    for (const shard of await readdirOrEmpty(base)) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      for (const name of await readdirOrEmpty(join(base, shard))) {
        if (BLOB_ID.test(name)) ids.push(name);
      }
    }
    return ids.sort();
  }

  async inventory(scope: string): Promise<BlobEntry[]> {
    const base = this.scopeDir(scope);
    const entries: BlobEntry[] = [];
    const add = async (kind: BlobEntry['kind'], id: string, path: string): Promise<void> => {
      try {
        const info = await stat(path);
        entries.push({ kind, id, size: info.size, modifiedAt: info.mtimeMs });
      } catch (error) {
        if (!isMissing(error)) throw error; // renamed or removed meanwhile
      }
    };
    for (const shard of await readdirOrEmpty(base)) {
      if (shard === 'tmp') {
        for (const name of await readdirOrEmpty(join(base, 'tmp'))) {
          const id = TEMP_NAME.exec(name)?.[1];
          if (id !== undefined) await add('temp', id, join(base, 'tmp', name));
        }
      } else if (/^[0-9a-f]{2}$/.test(shard)) {
        for (const name of await readdirOrEmpty(join(base, shard))) {
          if (BLOB_ID.test(name)) await add('blob', name, join(base, shard, name));
        }
      }
    }
    return entries;
  }

  async deleteTemp(scope: string, id: string): Promise<void> {
    if (!BLOB_ID.test(id)) throw new NotFound(`no temp entry ${id}`);
    await rm(join(this.scopeDir(scope), 'tmp', `${id}.part`), { force: true });
  }

  async removeScope(scope: string): Promise<void> {
    const dir = this.scopeDir(scope);
    for (const known of this.dirs) if (known.startsWith(`${dir}/`)) this.dirs.delete(known);
    await rm(dir, { recursive: true, force: true });
  }

  /** mkdir -p, once per directory and process: the shard and temp directories are never removed but with their scope. */
  private async ensureDir(dir: string): Promise<void> {
    if (this.dirs.has(dir)) return;
    await mkdir(dir, { recursive: true });
    this.dirs.add(dir);
  }

  private scopeDir(scope: string): string {
    if (!SCOPE.test(scope)) throw new BadRequest('invalid blob scope');
    return join(this.root, scope);
  }

  private blobPath(scope: string, blobId: string): string {
    if (!BLOB_ID.test(blobId)) throw new NotFound(`no blob ${blobId}`);
    return join(this.scopeDir(scope), blobId.slice(0, 2), blobId);
  }
}

/**
 * Hashes and counts bytes, failing as soon as maxBytes is passed. SHA-256 always; MD5 only when the
 * client announced one to check: it runs at less than half SHA-256's speed (no CPU instructions for
 * it), and hashing twice capped a large upload near a third of the disk's speed (bench/README.md).
 */
class HashingMeter {
  readonly md5: Hash | undefined;
  readonly sha256 = createHash('sha256');
  size = 0;

  constructor(private readonly options: BlobWriteOptions) {
    this.md5 = options.expectedMd5 === undefined ? undefined : createHash('md5');
  }

  add(chunk: Buffer): void {
    this.size += chunk.length;
    const max = this.options.maxBytes;
    if (max !== undefined && this.size > max) {
      throw this.options.tooLarge?.() ?? new PayloadTooLarge(`the content is larger than ${max} bytes`);
    }
    this.md5?.update(chunk);
    this.sha256.update(chunk);
  }
}

const openAsync = promisify(open);
const readAsync = promisify(read);
const writevAsync = promisify(writev);
const fsyncAsync = promisify(fsync);
const fdatasyncAsync = promisify(fdatasync);

/**
 * Streams `body` into a new file at `path` through `meter`, then fsyncs it on the same descriptor. Bytes
 * go to the disk in batches of WRITE_BATCH with one batch in flight while the next is read and hashed,
 * so hashing and disk writes overlap and memory stays at about two batches. Rejects, with the file
 * closed (the caller removes it), when the body fails, the meter throws or a write fails.
 *
 * A body smaller than one batch (most uploads) is written with one synchronous call, and the file is
 * closed in place: copying a few KiB into the page cache takes microseconds, less than handing the call
 * to the thread pool and back (SQLite's writes on this thread are synchronous too). Creating the file,
 * the writes of a large body and every fsync wait on the disk or its journal (an open measured 0.4 ms
 * while other files were being fsynced), so they go to the thread pool. 2000 WebDAV PUTs of 4 KiB
 * spent a fifth of their file-writing time in the hand-offs this saves (bench/README.md, webdav).
 */
async function writeDurably(path: string, body: Readable, meter: HashingMeter): Promise<void> {
  const fd = await openAsync(path, 'wx');
  let inFlight: Promise<unknown> | undefined;
  // Flushing the written bytes to the disk as the upload goes leaves the last fsync little to do:
  // alone at the end, it took a third of a 200 MB upload's time. One flush at a time, not awaited.
  let syncing: Promise<unknown> = Promise.resolve();
  let syncPending = false;
  let sinceSync = 0;
  try {
    let batch: Buffer[] = [];
    let batched = 0;
    for await (const chunk of body as AsyncIterable<Buffer | string>) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      meter.add(bytes);
      batch.push(bytes);
      batched += bytes.length;
      if (batched >= WRITE_BATCH) {
        await inFlight;
        sinceSync += batched;
        if (sinceSync >= SYNC_EVERY && !syncPending) {
          sinceSync = 0;
          syncPending = true;
          syncing = fdatasyncAsync(fd).finally(() => (syncPending = false));
          syncing.catch(() => undefined); // its failure shows again in the last sync
        }
        inFlight = writeAll(fd, batch);
        inFlight.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
        batch = [];
        batched = 0;
      }
    }
    if (inFlight === undefined) {
      for (let rest = batch; rest.length > 0;) rest = remainder(rest, writevSync(fd, rest));
    } else {
      await inFlight;
      if (batched > 0) await writeAll(fd, batch);
    }
    await syncing.catch(() => undefined);
    await fsyncAsync(fd);
  } finally {
    await inFlight?.catch(() => undefined);
    await syncing.catch(() => undefined);
    closeSync(fd);
  }
}

/** Writes `buffers` on the thread pool, going on after a short write. */
async function writeAll(fd: number, buffers: Buffer[]): Promise<void> {
  // A short write is how a filling disk first answers: write the rest, and the disk says ENOSPC.
  for (let rest = buffers; rest.length > 0;)
    rest = remainder(rest, (await writevAsync(fd, rest)).bytesWritten);
}

/** What is left of `buffers` once their first `written` bytes are written (after a short write). */
function remainder(buffers: Buffer[], written: number): Buffer[] {
  let skip = written;
  const rest: Buffer[] = [];
  for (const buffer of buffers) {
    if (skip >= buffer.length) skip -= buffer.length;
    else {
      rest.push(skip > 0 ? buffer.subarray(skip) : buffer);
      skip = 0;
    }
  }
  return rest;
}

/** `length` bytes from `start`, in as many reads as it takes (a blob is never shorter than its stat). */
async function readWhole(fd: number, start: number, length: number): Promise<Buffer> {
  const bytes = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await readAsync(fd, bytes, got, length - got, start + got);
    if (bytesRead === 0) return bytes.subarray(0, got);
    got += bytesRead;
  }
  return bytes;
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
