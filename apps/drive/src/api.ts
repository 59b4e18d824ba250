import { NuageError, type FileEntry, type NuageClient } from '@nuage/client';

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

/**
 * The `/files` endpoints `@nuage/client` does not wrap yet: share links and zips. They go through
 * `fetch` with the client's token (which the client keeps fresh) and fail with the same NuageError.
 */
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
    await this.send('DELETE', `/files/shares/${encodeURIComponent(shareId)}`);
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

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await (await this.send(method, path, body)).json()) as T;
  }

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${await this.client.token()}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(new URL(path, this.client.instance), {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new NuageError(0, 'network_error', 'network error', message, {}, { cause: error });
    }
    if (!response.ok) throw await errorOf(response);
    return response;
  }
}

/** A problem+json refusal as a NuageError whose `detail` is the sentence to show the owner. */
async function errorOf(response: Response): Promise<NuageError> {
  let body: Record<string, unknown> = {};
  try {
    const parsed = (await response.json()) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's page): the status line says enough.
  }
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const title = text(body.title) ?? (response.statusText || `HTTP ${response.status}`);
  const code = text(body.code) ?? text(body.error) ?? `http_${response.status}`;
  return new NuageError(response.status, code, title, text(body.detail) ?? title, body);
}

/** The sentence to show for any failure. */
export function messageOf(error: unknown): string {
  if (error instanceof NuageError) return error.detail;
  return error instanceof Error ? error.message : String(error);
}
