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
  /** The content's MD5, lowercase hex (the download ETag). */
  md5sum?: string;
  sha256?: string;
  /** The BlobStore id of the content. */
  blob?: string;
  /**
   * Dead properties set over WebDAV (PROPPATCH), kept so a client reads back what it wrote: keyed by
   * Clark name (`{namespace}local`), each the property element as self-contained XML.
   */
  properties?: Record<string, string>;
}

export type FileDoc = FileBody & { _id: string; _rev: string };

/** The API's view of an entry: the document minus internals, with `id` and `rev`. */
export function present(doc: FileDoc): Record<string, unknown> {
  const { _id, _rev, blob: _blob, ...rest } = doc;
  return { id: _id, rev: _rev, ...rest };
}
