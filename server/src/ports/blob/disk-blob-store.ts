import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BadRequest, NotFound, PayloadTooLarge, PreconditionFailed } from '../../errors.js';
import type { BlobInfo, BlobStore, BlobWriteOptions, ByteRange } from './blob-store.js';

const BLOB_ID = /^[0-9a-f]{32}$/;
const SCOPE = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Blobs as files under `<root>/<scope>/<id[0..2]>/<id>`; uploads go to `<root>/<scope>/tmp/` first, are
 * hashed while written, fsynced, then renamed into place, so a crash never leaves a partial blob under
 * a blob id (only a temp file, which `write` removes on failure and a cleanup pass may sweep).
 */
export class DiskBlobStore implements BlobStore {
  constructor(
    private readonly root: string,
    private readonly newId: () => string = () => randomBytes(16).toString('hex'),
  ) {}

  async write(scope: string, body: Readable, options: BlobWriteOptions = {}): Promise<BlobInfo> {
    const base = this.scopeDir(scope);
    const blobId = this.newId();
    const target = this.blobPath(scope, blobId);
    const tmpDir = join(base, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, `${blobId}.part`);
    const meter = new HashingMeter(options);
    const out = createWriteStream(tmp, { flags: 'wx' });
    try {
      await pipeline(body, meter, out);
      const md5 = meter.md5.digest('hex');
      const sha256 = meter.sha256.digest('hex');
      if (options.expectedMd5 !== undefined && options.expectedMd5.toLowerCase() !== md5) {
        throw new PreconditionFailed('the content does not match its announced MD5');
      }
      if (options.expectedSha256 !== undefined && options.expectedSha256.toLowerCase() !== sha256) {
        throw new PreconditionFailed('the content does not match its announced SHA-256');
      }
      await fsyncFile(tmp);
      await mkdir(join(base, blobId.slice(0, 2)), { recursive: true });
      await rename(tmp, target);
      return { blobId, size: meter.size, md5, sha256 };
    } catch (error) {
      // A failed pipeline may reject before the temp file's open has even completed: wait for the
      // stream to close, or the file would appear after we removed it.
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
      await rm(tmp, { force: true });
      throw error;
    }
  }

  async read(scope: string, blobId: string, range?: ByteRange): Promise<Readable> {
    const { size } = await this.stat(scope, blobId);
    if (range) {
      if (range.start < 0 || range.end < range.start || range.end >= size) {
        throw new BadRequest(`range ${range.start}-${range.end} is outside a blob of ${size} bytes`);
      }
      return createReadStream(this.blobPath(scope, blobId), { start: range.start, end: range.end });
    }
    return createReadStream(this.blobPath(scope, blobId));
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

  async removeScope(scope: string): Promise<void> {
    await rm(this.scopeDir(scope), { recursive: true, force: true });
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

/** Passes bytes through while hashing and counting them, failing as soon as maxBytes is passed. */
class HashingMeter extends Transform {
  readonly md5 = createHash('md5');
  readonly sha256 = createHash('sha256');
  size = 0;

  constructor(private readonly options: BlobWriteOptions) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    const max = this.options.maxBytes;
    if (max !== undefined && this.size > max) {
      done(this.options.tooLarge?.() ?? new PayloadTooLarge(`the content is larger than ${max} bytes`));
      return;
    }
    this.md5.update(chunk);
    this.sha256.update(chunk);
    done(null, chunk);
  }
}

async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
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
