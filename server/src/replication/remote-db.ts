import { RemoteError, type HttpTransport } from './couch-http.js';

/** A `_changes` row as every CouchDB-compatible server writes it (seqs may be numbers or strings). */
export interface ChangeRow {
  seq: unknown;
  id: string;
  changes: { rev: string }[];
  deleted?: boolean;
}

export interface ChangesPage {
  results: ChangeRow[];
  last_seq: unknown;
}

/** A document revision as `_bulk_get?revs=true` gives it: `_id`, `_rev`, `_revisions`, the body. */
export type RevisionDoc = Record<string, unknown> & { _id: string; _rev: string };

/** What a replication reads and writes of one database: the calls of the CouchDB replication protocol. */
export class RemoteDb {
  /** The database URL, ending with `/`, without credentials. */
  readonly url: URL;

  constructor(
    url: URL | string,
    private readonly http: HttpTransport,
  ) {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    if (!u.pathname.endsWith('/')) u.pathname += '/';
    this.url = u;
  }

  private at(path: string, query: Record<string, string | number | boolean> = {}): URL {
    const u = new URL(path, this.url);
    for (const [k, v] of Object.entries(query)) u.searchParams.set(k, String(v));
    return u;
  }

  /** Database info (`GET /db/`); throws RemoteError (401, 403, 404) when it cannot be read. */
  async info(): Promise<Record<string, unknown>> {
    return (await this.http({ method: 'GET', url: this.url })) as Record<string, unknown>;
  }

  /** Creates the database when it does not exist (Nuage's doctypes always exist; CouchDB's may not). */
  async ensure(): Promise<void> {
    const found = await this.http({ method: 'GET', url: this.url, tolerate: [404] });
    if (found === null) await this.http({ method: 'PUT', url: this.url, tolerate: [412] });
  }

  /**
   * One page of changes after `since`, every leaf revision of each document (`style=all_docs`). With
   * `waitMs`, a longpoll that returns at the first change, kept alive by heartbeats.
   */
  async changes(
    since: unknown,
    options: { limit: number; waitMs?: number; signal?: AbortSignal },
  ): Promise<ChangesPage> {
    const query: Record<string, string | number> = {
      style: 'all_docs',
      since: typeof since === 'string' || typeof since === 'number' ? since : JSON.stringify(since),
      limit: options.limit,
    };
    if (options.waitMs !== undefined) {
      Object.assign(query, { feed: 'longpoll', timeout: options.waitMs, heartbeat: 10_000 });
    }
    const page = (await this.http({
      method: 'GET',
      url: this.at('_changes', query),
      ...(options.signal ? { signal: options.signal } : {}),
    })) as ChangesPage;
    if (!Array.isArray(page?.results)) throw new Error(`${this.url.href}_changes did not answer a feed`);
    return page;
  }

  /** `_revs_diff`: the revisions of each id this database lacks. */
  async revsDiff(revs: Record<string, string[]>): Promise<Record<string, { missing?: string[] }>> {
    const body = await this.http({ method: 'POST', url: this.at('_revs_diff'), body: revs });
    return (body ?? {}) as Record<string, { missing?: string[] }>;
  }

  /**
   * The asked revisions with their history (`_revisions`), ready for `new_edits=false`. Uses
   * `_bulk_get`, or one `open_revs` read per document on servers without it (CouchDB 1.x).
   */
  async bulkGet(wanted: readonly { id: string; rev: string }[]): Promise<RevisionDoc[]> {
    const answer = (await this.http({
      method: 'POST',
      url: this.at('_bulk_get', { revs: true, latest: true }),
      body: { docs: wanted },
      tolerate: [400, 404, 405, 501],
    })) as { results?: { docs?: { ok?: RevisionDoc }[] }[] } | null;
    if (answer === null) return this.openRevs(wanted);
    return (answer.results ?? []).flatMap((r) => (r.docs ?? []).flatMap((d) => (d.ok ? [d.ok] : [])));
  }

  private async openRevs(wanted: readonly { id: string; rev: string }[]): Promise<RevisionDoc[]> {
    const byId = new Map<string, string[]>();
    for (const { id, rev } of wanted) byId.set(id, [...(byId.get(id) ?? []), rev]);
    const docs: RevisionDoc[] = [];
    for (const [id, revs] of byId) {
      const entries = (await this.http({
        method: 'GET',
        url: this.at(docPath(id), { open_revs: JSON.stringify(revs), revs: true, latest: true }),
      })) as { ok?: RevisionDoc }[];
      for (const entry of entries ?? []) if (entry.ok) docs.push(entry.ok);
    }
    return docs;
  }

  /** `_bulk_docs` with `new_edits=false`; returns the documents the server refused. */
  async bulkDocs(docs: readonly RevisionDoc[]): Promise<{ id: string; error: string; reason?: string }[]> {
    const answer = await this.http({
      method: 'POST',
      url: this.at('_bulk_docs'),
      body: { docs, new_edits: false },
    });
    if (!Array.isArray(answer)) return [];
    return (answer as { id: string; error?: string; reason?: string }[]).flatMap((r) =>
      r.error === undefined ? [] : [{ id: r.id, error: r.error, ...(r.reason ? { reason: r.reason } : {}) }],
    );
  }

  /** A `_local` document, or null when there is none. */
  async getLocal(id: string): Promise<Record<string, unknown> | null> {
    const doc = await this.http({
      method: 'GET',
      url: this.at(`_local/${encodeURIComponent(id)}`),
      tolerate: [404],
    });
    return doc as Record<string, unknown> | null;
  }

  /** Writes a `_local` document (`_rev` inside `doc` when it exists); returns its new revision. */
  async putLocal(id: string, doc: Record<string, unknown>): Promise<string> {
    const answer = (await this.http({
      method: 'PUT',
      url: this.at(`_local/${encodeURIComponent(id)}`),
      body: doc,
    })) as { rev?: string };
    if (typeof answer?.rev !== 'string') throw new RemoteError(500, 'bad_answer', 'no rev', this.url.href);
    return answer.rev;
  }
}

function docPath(id: string): string {
  return id.startsWith('_design/') ? `_design/${encodeURIComponent(id.slice(8))}` : encodeURIComponent(id);
}
