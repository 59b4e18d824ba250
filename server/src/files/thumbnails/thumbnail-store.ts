import { Readable } from 'node:stream';
import type { DataScope } from '../../data/format.js';
import type { BlobStore } from '../../ports/blob/blob-store.js';
import type { RecordTable } from '../../ports/store/store.js';
import { contentKey, FILES, type FileDoc } from '../file-doc.js';
import type { Rendered } from './render.js';
import type { ThumbnailSize } from './sizes.js';

/** One stored thumbnail: the blob holding its WebP bytes. */
export interface StoredThumbnail {
  blob: string;
  width: number;
  height: number;
  bytes: number;
}

/**
 * What was made of one content of a file, keyed by that content's MD5: the thumbnails, or why there
 * are none (not an image, unreadable, too large), so the question is not asked again for that content.
 */
export interface ThumbnailRecord {
  /** The `contentKey` (SHA-256) of the content they were made from. */
  content: string;
  sizes?: Record<ThumbnailSize, StoredThumbnail>;
  failed?: string;
}

/** What thumbnails need of an instance: its documents (the files) and its records (the index). */
export type ThumbnailScope = DataScope & { readonly storage: { readonly records: RecordTable } };

/** The record kind: one record per file, under the file's id. Records never replicate. */
const KIND = 'file-thumbnails';

/**
 * Where thumbnails live: their bytes are blobs in the instance's own BlobStore scope (so they go with
 * the instance, and move to S3 with the files), and one record per file names them together with the
 * MD5 of the content they were made from. A record whose MD5 is not the file's current one is stale and
 * never served. As for files, blobs are written before the record that names them and deleted after the
 * record stops naming them: a crash leaves orphan blobs, which the orphan sweep reclaims because
 * `referenced` does not list them.
 */
export class ThumbnailStore {
  constructor(
    private readonly blobs: BlobStore,
    private readonly now: () => number,
  ) {}

  /** The record of a file, whichever content it was made from; null when there is none. */
  record(scope: ThumbnailScope, fileId: string): Promise<ThumbnailRecord | null> {
    return scope.storage.records.get<ThumbnailRecord>(KIND, fileId, this.now());
  }

  /** The record made from the file's current content, or null (none yet, or stale). */
  async current(scope: ThumbnailScope, file: FileDoc): Promise<ThumbnailRecord | null> {
    const record = await this.record(scope, file._id);
    const key = contentKey(file);
    return record && key !== undefined && record.content === key ? record : null;
  }

  /** The WebP bytes of one stored thumbnail. */
  read(scope: ThumbnailScope, thumbnail: StoredThumbnail): Promise<Readable> {
    return this.blobs.read(scope.instance.id, thumbnail.blob);
  }

  /** Stores the thumbnails of content `content` of a file, replacing (and then deleting) earlier ones. */
  async save(scope: ThumbnailScope, fileId: string, content: string, rendered: Rendered[]): Promise<void> {
    const sizes: Partial<Record<ThumbnailSize, StoredThumbnail>> = {};
    try {
      for (const r of rendered) {
        const info = await this.blobs.write(scope.instance.id, Readable.from([r.data]));
        sizes[r.size] = { blob: info.blobId, width: r.width, height: r.height, bytes: info.size };
      }
      await this.replace(scope, fileId, { content, sizes: sizes as Record<ThumbnailSize, StoredThumbnail> });
    } catch (error) {
      for (const s of Object.values(sizes)) await this.blobs.delete(scope.instance.id, s.blob);
      throw error;
    }
  }

  /** Notes that content `content` of a file has no thumbnails, and why; earlier thumbnails go. */
  markFailed(scope: ThumbnailScope, fileId: string, content: string, reason: string): Promise<void> {
    return this.replace(scope, fileId, { content, failed: reason });
  }

  /** Removes a file's thumbnails (the file is gone, or is no longer an image); safe to repeat. */
  async remove(scope: ThumbnailScope, fileId: string): Promise<void> {
    const old = await this.record(scope, fileId);
    if (!old) return;
    await scope.storage.records.delete(KIND, fileId);
    await this.deleteBlobs(scope, old);
  }

  /**
   * The blob ids of the thumbnails of files that still exist with the content they were made from,
   * for the orphan sweep: every other thumbnail blob is garbage once it is older than the sweep's
   * cutoff. Records of files deleted without their thumbnail job running (a crash) are deleted here; a
   * stale record of a changed file is left for its job, which replaces it.
   */
  async referenced(scope: ThumbnailScope): Promise<Set<string>> {
    const records = await scope.storage.records.list<ThumbnailRecord>(KIND, this.now());
    const docs = await scope.storage.documents.getDocs(
      FILES,
      records.map((r) => r.id),
    );
    const ids = new Set<string>();
    for (const [i, { id, value }] of records.entries()) {
      const doc = docs[i];
      if (!doc || doc.deleted) await scope.storage.records.delete(KIND, id);
      else if (contentKey(doc.body) === value.content)
        for (const s of Object.values(value.sizes ?? {})) ids.add(s.blob);
    }
    return ids;
  }

  private async replace(scope: ThumbnailScope, fileId: string, record: ThumbnailRecord): Promise<void> {
    const old = await this.record(scope, fileId);
    await scope.storage.records.put(KIND, fileId, record);
    if (old) await this.deleteBlobs(scope, old, record);
  }

  /** Deletes the blobs of `old` that `kept` does not name. */
  private async deleteBlobs(scope: ThumbnailScope, old: ThumbnailRecord, kept?: ThumbnailRecord) {
    const keep = new Set(Object.values(kept?.sizes ?? {}).map((s) => s.blob));
    for (const s of Object.values(old.sizes ?? {}))
      if (!keep.has(s.blob)) await this.blobs.delete(scope.instance.id, s.blob);
  }
}
