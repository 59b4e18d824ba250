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
  md5sum?: string;
  sha256?: string;
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
 * taken, 400 bad name, 412 checksum mismatch, 413 over quota.
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
