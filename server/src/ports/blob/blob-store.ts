import type { Readable } from 'node:stream';

/** What a stored blob is: its random id, its size in bytes and its checksums (lowercase hex). */
export interface BlobInfo {
  readonly blobId: string;
  readonly size: number;
  /** Only when the writer announced an MD5 to check (`expectedMd5`). */
  readonly md5?: string;
  readonly sha256: string;
}

export interface BlobWriteOptions {
  /** The MD5 the client announced (lowercase hex); a different digest → PreconditionFailed. */
  expectedMd5?: string;
  /** The SHA-256 the client announced (lowercase hex); a different digest → PreconditionFailed. */
  expectedSha256?: string;
  /** The most bytes accepted; one byte more → `tooLarge()` is thrown (PayloadTooLarge by default). */
  maxBytes?: number;
  /** The error thrown when maxBytes is passed (e.g. a 507 when the limit comes from a quota). */
  tooLarge?: () => Error;
}

/** What a cleanup pass sees of a scope's storage: a finished blob or an unfinished write. */
export interface BlobEntry {
  /** `blob`: a finished blob (`id` is its blob id); `temp`: a write that has not finished (or never will). */
  readonly kind: 'blob' | 'temp';
  /** The blob id, or for a temp entry the id its blob would get; pass it to `delete` or `deleteTemp`. */
  readonly id: string;
  readonly size: number;
  /**
   * When the bytes were last written (ms since the epoch): for a blob, about when its write finished
   * (its document is written right after); for a temp entry, its last write to storage, so an upload
   * still streaming looks recent (adapters may buffer a little, never minutes).
   */
  readonly modifiedAt: number;
}

/** An inclusive byte range, as in HTTP's `Range: bytes=start-end`. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Where file contents live, apart from their metadata. Blobs are immutable and named by a random id the
 * store chooses, so no path is ever built from user input. Every adapter (disk, and later S3) must:
 *
 * - `write`: consume the stream without holding it whole in memory, hashing as it goes (SHA-256, and MD5
 *   when one is expected); make the blob
 *   durable (fsync or equivalent) before resolving; if the stream fails, a checksum differs
 *   (PreconditionFailed) or `maxBytes` is passed, reject and leave nothing behind — no blob, no temp file.
 *   A blob is visible to `read`/`stat` only once `write` has resolved.
 * - `read`: stream the bytes, or the inclusive `range` of them; throw NotFound for an unknown id and
 *   BadRequest for a range outside the blob.
 * - `stat`: the size of a blob, or NotFound.
 * - `delete`: remove a blob; deleting an unknown id is not an error (cleanup passes may repeat).
 * - `list`: every blob id of a scope, for orphan cleanup.
 * - `inventory`: every blob and every temp entry (a write in progress, or left by a crash) of a scope,
 *   with its size and last modification time, so a cleanup pass can apply a grace period. An unknown
 *   scope has none. It may miss a write that starts or ends while it runs (callers keep a grace period).
 * - `deleteTemp`: remove a temp entry; unknown is not an error. Removing the temp entry of a write still
 *   running makes that write fail (it never produces a blob), so callers only remove old ones.
 *
 * `scope` separates instances (an instance id); ids and scopes are checked, never trusted as paths.
 */
export interface BlobStore {
  write(scope: string, body: Readable, options?: BlobWriteOptions): Promise<BlobInfo>;
  read(scope: string, blobId: string, range?: ByteRange): Promise<Readable>;
  stat(scope: string, blobId: string): Promise<{ size: number }>;
  delete(scope: string, blobId: string): Promise<void>;
  list(scope: string): Promise<string[]>;
  inventory(scope: string): Promise<BlobEntry[]>;
  deleteTemp(scope: string, id: string): Promise<void>;
  /** Removes every blob of a scope (an instance being destroyed); safe to repeat. */
  removeScope(scope: string): Promise<void>;
}
