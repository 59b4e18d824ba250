import type { Readable } from 'node:stream';

/** What a stored blob is: its random id, its size in bytes and its checksums (lowercase hex). */
export interface BlobInfo {
  readonly blobId: string;
  readonly size: number;
  readonly md5: string;
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

/** An inclusive byte range, as in HTTP's `Range: bytes=start-end`. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Where file contents live, apart from their metadata. Blobs are immutable and named by a random id the
 * store chooses, so no path is ever built from user input. Every adapter (disk, and later S3) must:
 *
 * - `write`: consume the stream without holding it whole in memory, hashing as it goes; make the blob
 *   durable (fsync or equivalent) before resolving; if the stream fails, a checksum differs
 *   (PreconditionFailed) or `maxBytes` is passed, reject and leave nothing behind — no blob, no temp file.
 *   A blob is visible to `read`/`stat` only once `write` has resolved.
 * - `read`: stream the bytes, or the inclusive `range` of them; throw NotFound for an unknown id and
 *   BadRequest for a range outside the blob.
 * - `stat`: the size of a blob, or NotFound.
 * - `delete`: remove a blob; deleting an unknown id is not an error (cleanup passes may repeat).
 * - `list`: every blob id of a scope, for orphan cleanup.
 *
 * `scope` separates instances (an instance id); ids and scopes are checked, never trusted as paths.
 */
export interface BlobStore {
  write(scope: string, body: Readable, options?: BlobWriteOptions): Promise<BlobInfo>;
  read(scope: string, blobId: string, range?: ByteRange): Promise<Readable>;
  stat(scope: string, blobId: string): Promise<{ size: number }>;
  delete(scope: string, blobId: string): Promise<void>;
  list(scope: string): Promise<string[]>;
  /** Removes every blob of a scope (an instance being destroyed); safe to repeat. */
  removeScope(scope: string): Promise<void>;
}
