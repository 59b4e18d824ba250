import type { Doc } from '../data/format.js';

/** The doctype of the file tree: directories and files are documents of it. */
export const FILES = 'io.nuage.files';
/** The id of every instance's root directory (path `/`). */
export const ROOT_ID = 'io.nuage.files.root-dir';

/** A directory or file as stored (`io.nuage.files`), without `_id`/`_rev`. */
export interface FileBody {
  type: 'directory' | 'file';
  name: string;
  /** The parent directory's id; the root's is empty. */
  dir_id: string;
  /** `/a/b/name`, recomputed for descendants when a directory moves. */
  path: string;
  created_at: string;
  updated_at: string;
  tags: string[];
  /** In the trash: hidden from listings and name clashes; restore clears it (docs/files.md). */
  trashed: boolean;
  /** When it went to the trash: the trash is emptied of entries older than the configured days. */
  trashed_at?: string;
  size?: number;
  mime?: string;
  /** The content's MD5, lowercase hex: only when the uploader sent one (`Content-MD5`) and it matched. */
  md5sum?: string;
  /** The content's SHA-256, lowercase hex: its ETag and what names it (`contentKey`). */
  sha256?: string;
  /** The BlobStore id of the content. */
  blob?: string;
  /**
   * Dead properties set over WebDAV (PROPPATCH), kept so a client reads back what it wrote: keyed by
   * Clark name (`{namespace}local`), each the property element as self-contained XML.
   */
  properties?: Record<string, string>;
  /** Earlier contents of a file, newest first, at most the configured number (docs/files.md, Versions). */
  versions?: FileVersion[];
}

/** One earlier content of a file: what its content fields said before it was overwritten. */
export interface FileVersion {
  /** The BlobStore id of that content; the API shows it as the version's `id`. */
  blob: string;
  size: number;
  mime: string;
  md5sum?: string;
  sha256?: string;
  /** When this content was written (the file's `updated_at` then). */
  updated_at: string;
}

export type FileDoc = FileBody & { _id: string; _rev: string };

/** The API's view of an entry: the document minus internals, with `id` and `rev`. */
export function present(doc: FileDoc): Record<string, unknown> {
  const { _id, _rev, blob: _blob, versions, ...rest } = doc;
  return {
    id: _id,
    rev: _rev,
    ...rest,
    ...(versions === undefined ? {} : { versions: versions.map(presentVersion) }),
  };
}

/**
 * What names a content's bytes: its SHA-256 (every content written since SHA-256 became the one hash
 * always computed has it), else its MD5.
 */
export function contentKey(content: {
  md5sum?: string | undefined;
  sha256?: string | undefined;
}): string | undefined {
  return content.sha256 ?? content.md5sum;
}

/**
 * The strong ETag of a content: 128 bits of its checksum, which change whenever the bytes do. Not the
 * whole SHA-256: WebDAV clients echo ETags in If headers, and some (litmus) cut those at 200 bytes.
 */
export function etagOf(content: { md5sum?: string | undefined; sha256?: string | undefined }): string {
  return `"${(contentKey(content) ?? '').slice(0, 32)}"`;
}

/** A version as the API shows it: its blob id is its id. */
export function presentVersion(version: FileVersion): Record<string, unknown> {
  const { blob, ...rest } = version;
  return { id: blob, ...rest };
}

/** Whether a document of `io.nuage.files` is a file or directory entry (not an index or other record). */
export function isEntry(doc: Doc): doc is Doc & FileDoc {
  return (doc.type === 'directory' || doc.type === 'file') && typeof doc.path === 'string';
}

/** The bytes an entry holds: its content and its versions. */
export function bytesOf(doc: FileBody): number {
  return (doc.size ?? 0) + (doc.versions ?? []).reduce((sum, v) => sum + v.size, 0);
}
