import type { FileEntry, NuageClient } from '@nuage/client';

/** A share link as the stack lists it (docs/files.md); `url` exists only in the answer that made it. */
export interface Share {
  id: string;
  mode: 'read' | 'upload';
  fileId: string;
  label: string | null;
  createdAt: string;
  expiresAt: string | null;
  hasPassword: boolean;
  url?: string;
}

export interface NewShare {
  mode: 'read' | 'upload';
  password?: string;
  /** ISO time, in the future. */
  expiresAt?: string;
}

/** The `/files` endpoints `@nuage/client` does not wrap: share links and download links. */
export class DriveApi {
  constructor(readonly client: NuageClient) {}

  get files() {
    return this.client.files;
  }

  createShare(id: string, input: NewShare): Promise<Share> {
    return this.json('POST', `/files/${encodeURIComponent(id)}/shares`, input);
  }

  async shares(id: string): Promise<Share[]> {
    return (await this.json<{ shares: Share[] }>('GET', `/files/${encodeURIComponent(id)}/shares`)).shares;
  }

  async revokeShare(shareId: string): Promise<void> {
    await this.json<unknown>('DELETE', `/files/shares/${encodeURIComponent(shareId)}`);
  }

  /**
   * A one-minute link to one file, or to several entries as a zip (docs/files.md): links cannot carry
   * the bearer token, and the browser then streams the download to disk instead of the page's memory.
   */
  async downloadLink(ids: readonly string[], zip: boolean): Promise<string> {
    const { url } = await this.json<{ url: string }>('POST', '/files/_download-links', { ids, zip });
    return new URL(url, this.client.instance).toString();
  }

  /** Name search through `/search`, then a stat of each hit for its type, path and trash flag. */
  async search(q: string): Promise<FileEntry[]> {
    const { results } = await this.client.search(q, { doctypes: ['io.nuage.files'], limit: 50 });
    const entries = await Promise.all(
      results.map((hit) => this.files.get(hit.id).catch((): FileEntry | null => null)),
    );
    return entries.filter((e): e is FileEntry => e !== null && !e.trashed);
  }

  private json<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.client.json<T>(path, { method, ...(body === undefined ? {} : { json: body }) });
  }
}

export { messageOf } from '@nuage/client';
