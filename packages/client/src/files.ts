import type { Transport } from './transport.js';
import { sendUpload, type ProgressCallback, type UploadBody } from './upload.js';

/** The id of every instance's root directory (path `/`). */
export const ROOT_DIR_ID = 'io.nuage.files.root-dir';

/** A directory or file of the tree, as the `/files` API answers it (docs/files.md). */
export interface FileEntry {
  id: string;
  rev: string;
  type: 'directory' | 'file';
  name: string;
  /** The parent directory's id; empty for the root. */
  dir_id: string;
  path: string;
  created_at: string;
  updated_at: string;
  tags: string[];
  trashed: boolean;
  size?: number;
  mime?: string;
  /** Only when the uploader sent a `Content-MD5` (checked). */
  md5sum?: string;
  /** The content's SHA-256: what names it (and its ETag's first 128 bits). */
  sha256?: string;
  /** Earlier contents, newest first, after overwrites (see `versions`). */
  versions?: FileVersion[];
}

/** An earlier content of a file (docs/files.md, Versions). */
export interface FileVersion {
  id: string;
  size: number;
  mime: string;
  sha256?: string;
  md5sum?: string;
  updated_at: string;
}

/** One row of `/files/_changes`: an entry's latest state (with `includeDocs`), or its deletion. */
export interface FileChange {
  seq: number;
  id: string;
  rev: string;
  deleted?: true;
  doc?: FileEntry;
}

export interface FileChangesOptions {
  /** A seq from a previous answer's `last_seq`, or `now`. */
  since?: number | string;
  limit?: number;
  includeDocs?: boolean;
  skipDeleted?: boolean;
  skipTrashed?: boolean;
  /** With `includeDocs`: only these fields of each entry (and its id and rev). */
  fields?: string[];
  /** Wait up to `timeoutMs` for a change when there is none yet. */
  longpoll?: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface UploadOptions {
  /** The content's type (defaults to the Blob's type, else application/octet-stream). */
  contentType?: string;
  /** The content's MD5, base64: the stack refuses (412) and keeps nothing when it differs. */
  md5?: string;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

/**
 * The file tree (`/files`): list, stat, upload, download, mkdir, rename/move, trash and restore.
 * Needs a token that may use `io.nuage.files`. Errors: 404 missing (or not yours to see), 409 name
 * taken, 400 bad name, 412 checksum mismatch or stale `ifMatch`, 413 over quota, 507 disk full.
 */
export class Files {
  constructor(private readonly transport: Transport) {}

  /** One entry (stat). */
  get(id: string): Promise<FileEntry> {
    return this.transport.json(`/files/${encodeURIComponent(id)}`);
  }

  /** A directory and its live entries, directories first then by name. */
  list(dirId: string = ROOT_DIR_ID): Promise<{ dir: FileEntry; children: FileEntry[] }> {
    return this.transport.json(`/files/${encodeURIComponent(dirId)}/children`);
  }

  /** Creates a directory in `dirId`. */
  mkdir(dirId: string, name: string): Promise<FileEntry> {
    return this.transport.json(`/files/${encodeURIComponent(dirId)}`, {
      method: 'POST',
      query: { Type: 'directory', Name: name },
    });
  }

  /** Uploads a file into `dirId`, streamed; reports progress where the platform allows (see upload.ts). */
  upload(dirId: string, name: string, content: UploadBody, options: UploadOptions = {}): Promise<FileEntry> {
    const type =
      options.contentType ??
      (content instanceof Blob && content.type ? content.type : 'application/octet-stream');
    return sendUpload<FileEntry>(this.transport, {
      path: `/files/${encodeURIComponent(dirId)}`,
      query: { Type: 'file', Name: name },
      headers: { 'content-type': type, ...(options.md5 ? { 'content-md5': options.md5 } : {}) },
      body: content,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /**
   * New content for a file, streamed like an upload; the replaced content becomes its newest version.
   * `ifMatch` (the entry's `rev`) refuses with 412 when the file changed since it was read.
   */
  replace(
    id: string,
    content: UploadBody,
    options: UploadOptions & { ifMatch?: string } = {},
  ): Promise<FileEntry> {
    const type =
      options.contentType ??
      (content instanceof Blob && content.type ? content.type : 'application/octet-stream');
    return sendUpload<FileEntry>(this.transport, {
      method: 'PUT',
      path: `/files/${encodeURIComponent(id)}`,
      query: {},
      headers: {
        'content-type': type,
        ...(options.md5 ? { 'content-md5': options.md5 } : {}),
        ...(options.ifMatch ? { 'if-match': `"${options.ifMatch}"` } : {}),
      },
      body: content,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /** A file's earlier contents, newest first. */
  async versions(id: string): Promise<FileVersion[]> {
    return (
      await this.transport.json<{ versions: FileVersion[] }>(`/files/${encodeURIComponent(id)}/versions`)
    ).versions;
  }

  /** One earlier content as a streamed Response. */
  downloadVersion(id: string, versionId: string, options: { signal?: AbortSignal } = {}) {
    return this.transport.request(
      `/files/${encodeURIComponent(id)}/versions/${encodeURIComponent(versionId)}`,
      { headers: { accept: '*/*' }, ...(options.signal ? { signal: options.signal } : {}) },
    );
  }

  /** Makes a version the content again (the current one becomes a version, so this can be undone). */
  restoreVersion(id: string, versionId: string): Promise<FileEntry> {
    return this.transport.json(
      `/files/${encodeURIComponent(id)}/versions/${encodeURIComponent(versionId)}/restore`,
      { method: 'POST' },
    );
  }

  /** Deletes one version for good. */
  deleteVersion(id: string, versionId: string): Promise<FileEntry> {
    return this.transport.json(`/files/${encodeURIComponent(id)}/versions/${encodeURIComponent(versionId)}`, {
      method: 'DELETE',
    });
  }

  /** What changed in the tree since `since`, for a client that mirrors it. */
  changes(options: FileChangesOptions = {}): Promise<{ results: FileChange[]; last_seq: number }> {
    const query: Record<string, string> = {};
    if (options.since !== undefined) query.since = String(options.since);
    if (options.limit !== undefined) query.limit = String(options.limit);
    if (options.includeDocs) query.include_docs = 'true';
    if (options.skipDeleted) query.skip_deleted = 'true';
    if (options.skipTrashed) query.skip_trashed = 'true';
    if (options.fields) query.fields = options.fields.join(',');
    if (options.longpoll) query.feed = 'longpoll';
    if (options.timeoutMs !== undefined) query.timeout = String(options.timeoutMs);
    return this.transport.json('/files/_changes', {
      query,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /**
   * The content's address. It needs the bearer token like every call, so it suits `fetch`-like
   * consumers; for a link or an `<img>`, use `download` and an object URL.
   */
  downloadUrl(id: string): string {
    return this.transport.url(`/files/download/${encodeURIComponent(id)}`);
  }

  /** The content as a streamed Response; `range` asks for bytes start..end inclusive (206). */
  download(id: string, options: { range?: { start: number; end?: number }; signal?: AbortSignal } = {}) {
    const { range, signal } = options;
    return this.transport.request(`/files/download/${encodeURIComponent(id)}`, {
      headers: { accept: '*/*', ...(range ? { range: `bytes=${range.start}-${range.end ?? ''}` } : {}) },
      ...(signal ? { signal } : {}),
    });
  }

  /** Renames and/or moves an entry (a directory takes everything below it along). */
  move(id: string, to: { name?: string; dirId?: string }): Promise<FileEntry> {
    return this.transport.json(`/files/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      json: {
        ...(to.name === undefined ? {} : { name: to.name }),
        ...(to.dirId === undefined ? {} : { dir_id: to.dirId }),
      },
    });
  }

  rename(id: string, name: string): Promise<FileEntry> {
    return this.move(id, { name });
  }

  /** Moves an entry to the trash: hidden from listings, its name freed, restorable. */
  trash(id: string): Promise<FileEntry> {
    return this.transport.json(`/files/${encodeURIComponent(id)}`, { method: 'DELETE' });
  }

  /** What is in the trash. */
  async trashed(): Promise<FileEntry[]> {
    return (await this.transport.json<{ trashed: FileEntry[] }>('/files/trash')).trashed;
  }

  /** Takes an entry out of the trash (409 when its name was taken meanwhile). */
  restore(id: string): Promise<FileEntry> {
    return this.transport.json(`/files/trash/${encodeURIComponent(id)}`, { method: 'POST' });
  }

  /** Deletes a trashed entry for good, with everything below it. */
  async destroy(id: string): Promise<void> {
    await this.transport.request(`/files/trash/${encodeURIComponent(id)}`, { method: 'DELETE' });
  }
}
