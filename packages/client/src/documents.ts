import type { QueryValue, Transport } from './transport.js';

/** What every stored document carries besides its own fields. */
export interface DocMeta {
  _id: string;
  _rev: string;
  _conflicts?: string[];
  _deleted?: boolean;
}

/** A stored document of type T. */
export type Doc<T extends object> = T & DocMeta;

/** A document to create: its own fields, with an optional chosen id. */
export type NewDoc<T extends object> = T & { _id?: string };

/** What a write answers. */
export interface WriteResult {
  id: string;
  rev: string;
}

/** One line of a `_bulk_docs` answer: written, or refused with CouchDB's error and reason. */
export type BulkResult =
  { ok: true; id: string; rev: string } | { id: string; error: string; reason: string };

/** The `_all_docs` options, camelCased. Keys are document ids. */
export interface AllDocsOptions {
  /** Include each document (default true: what apps almost always want). */
  includeDocs?: boolean;
  keys?: string[];
  key?: string;
  startKey?: string;
  endKey?: string;
  inclusiveEnd?: boolean;
  descending?: boolean;
  limit?: number;
  skip?: number;
  conflicts?: boolean;
}

export interface AllDocsRow<T extends object> {
  id: string;
  key: string;
  value: { rev: string; deleted?: boolean };
  doc?: Doc<T> | null;
  error?: string;
}

export interface AllDocsResult<T extends object> {
  total_rows: number;
  /** Rows before the first one returned, in key order; null for a `keys` lookup or a partial token. */
  offset?: number | null;
  rows: AllDocsRow<T>[];
}

export interface ChangesOptions {
  /** A seq from a previous answer's `last_seq`, or `now`. */
  since?: number | string;
  limit?: number;
  includeDocs?: boolean;
  /** Only these documents. */
  docIds?: string[];
  /** Only documents matching this Mango selector. */
  selector?: MangoSelector;
  /** `all_docs` lists every leaf revision, conflicts included. */
  style?: 'main_only' | 'all_docs';
  /** `longpoll` waits for the next change when there is none yet (up to `timeout` ms). */
  feed?: 'normal' | 'longpoll';
  timeout?: number;
  signal?: AbortSignal;
}

export interface Change<T extends object> {
  id: string;
  seq: number | string;
  changes: { rev: string }[];
  deleted?: boolean;
  doc?: Doc<T>;
}

export interface ChangesResult<T extends object> {
  results: Change<T>[];
  last_seq: number | string;
  pending?: number;
}

/** A Mango selector (`{"title": {"$regex": "^a"}}`): field paths to values or operator objects. */
export type MangoSelector = Record<string, unknown>;

export type SortField = string | Record<string, 'asc' | 'desc'>;

export interface FindQuery {
  selector: MangoSelector;
  fields?: string[];
  sort?: SortField[];
  limit?: number;
  skip?: number;
  /** The `bookmark` of the previous page, to read the next one. */
  bookmark?: string;
  useIndex?: string | [string, string];
}

/** A page of `_find`: whole documents, or only the requested `fields` of each (`Partial`). */
export interface FindResult<D extends object> {
  docs: D[];
  bookmark?: string;
  warning?: string;
}

export interface IndexOptions {
  name?: string;
  ddoc?: string;
  partialFilterSelector?: MangoSelector;
}

export interface IndexResult {
  result: 'created' | 'exists';
  id: string;
  name: string;
}

/**
 * One doctype's documents (`/data/<doctype>/`), typed by what the app stores in them. Every method
 * throws a NuageError when refused: 404 missing, 409 conflict (stale `_rev`), 403 not granted.
 */
export class Documents<T extends object = Record<string, unknown>> {
  private readonly base: string;

  constructor(
    private readonly transport: Transport,
    readonly doctype: string,
  ) {
    this.base = `/data/${encodeURIComponent(doctype)}/`;
  }

  /** One document, by id. `rev` reads an older leaf; `conflicts` adds `_conflicts`. */
  get(
    id: string,
    options: { rev?: string; conflicts?: boolean; signal?: AbortSignal } = {},
  ): Promise<Doc<T>> {
    return this.transport.json<Doc<T>>(this.docPath(id), {
      query: { rev: options.rev, conflicts: options.conflicts },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /** Creates a document, with the given `_id` or one the stack generates; answers it as stored. */
  async create(doc: NewDoc<T>): Promise<Doc<T>> {
    const written =
      doc._id === undefined
        ? await this.transport.json<WriteResult>(this.base, { method: 'POST', json: doc })
        : await this.transport.json<WriteResult>(this.docPath(doc._id), { method: 'PUT', json: doc });
    return { ...doc, _id: written.id, _rev: written.rev };
  }

  /** Writes a new revision of a document read before (its `_rev` must still be the latest: else 409). */
  async update(doc: Doc<T>): Promise<Doc<T>> {
    const written = await this.transport.json<WriteResult>(this.docPath(doc._id), {
      method: 'PUT',
      json: doc,
    });
    return { ...doc, _rev: written.rev };
  }

  /** Deletes a document at its current revision (409 when someone wrote it since). */
  remove(doc: Pick<DocMeta, '_id' | '_rev'>): Promise<WriteResult> {
    return this.transport.json<WriteResult>(this.docPath(doc._id), {
      method: 'DELETE',
      query: { rev: doc._rev },
    });
  }

  /** `_all_docs`: documents in id order, with their bodies unless `includeDocs: false`. */
  all(options: AllDocsOptions = {}): Promise<AllDocsResult<T>> {
    const { keys, ...rest } = options;
    const query: Record<string, QueryValue> = {
      include_docs: rest.includeDocs ?? true,
      key: jsonKey(rest.key),
      startkey: jsonKey(rest.startKey),
      endkey: jsonKey(rest.endKey),
      inclusive_end: rest.inclusiveEnd,
      descending: rest.descending,
      limit: rest.limit,
      skip: rest.skip,
      conflicts: rest.conflicts,
    };
    const path = `${this.base}_all_docs`;
    // Many keys do not fit in a URL: CouchDB takes them in a POST body.
    return keys === undefined
      ? this.transport.json(path, { query })
      : this.transport.json(path, { method: 'POST', query, json: { keys } });
  }

  /** `_bulk_docs`: several writes in one request; each line says whether its document was written. */
  bulk(docs: (NewDoc<T> | Doc<T> | (DocMeta & { _deleted: true }))[]): Promise<BulkResult[]> {
    return this.transport.json(`${this.base}_bulk_docs`, { method: 'POST', json: { docs } });
  }

  /** `_changes`: what changed since a seq, for catching up after being offline or disconnected. */
  changes(options: ChangesOptions = {}): Promise<ChangesResult<T>> {
    const query: Record<string, QueryValue> = {
      since: options.since,
      limit: options.limit,
      include_docs: options.includeDocs,
      style: options.style,
      feed: options.feed,
      timeout: options.timeout,
    };
    const signal = options.signal ? { signal: options.signal } : {};
    const path = `${this.base}_changes`;
    if (options.docIds) {
      return this.transport.json(path, {
        method: 'POST',
        query: { ...query, filter: '_doc_ids' },
        json: { doc_ids: options.docIds },
        ...signal,
      });
    }
    if (options.selector) {
      return this.transport.json(path, {
        method: 'POST',
        query: { ...query, filter: '_selector' },
        json: { selector: options.selector },
        ...signal,
      });
    }
    return this.transport.json(path, { query, ...signal });
  }

  /** A Mango query (`_find`). Sorting needs an index on the sorted fields (`createIndex`). */
  find(query: FindQuery & { fields: string[] }): Promise<FindResult<Partial<Doc<T>>>>;
  find(query: FindQuery): Promise<FindResult<Doc<T>>>;
  find(query: FindQuery): Promise<FindResult<Partial<Doc<T>>>> {
    const { useIndex, ...rest } = query;
    return this.transport.json(`${this.base}_find`, {
      method: 'POST',
      json: useIndex === undefined ? rest : { ...rest, use_index: useIndex },
    });
  }

  /** Creates (or finds existing) a Mango index on these fields; needs POST on the doctype. */
  createIndex(fields: SortField[], options: IndexOptions = {}): Promise<IndexResult> {
    const index: Record<string, unknown> = { fields };
    if (options.partialFilterSelector) index.partial_filter_selector = options.partialFilterSelector;
    return this.transport.json(`${this.base}_index`, {
      method: 'POST',
      json: {
        index,
        ...(options.name ? { name: options.name } : {}),
        ...(options.ddoc ? { ddoc: options.ddoc } : {}),
      },
    });
  }

  private docPath(id: string): string {
    // `_design/x` and `_local/x` keep their slash; every other character of an id is escaped.
    const special = /^(_design|_local)\/(.+)$/.exec(id);
    if (special) return `${this.base}${special[1]}/${encodeURIComponent(special[2]!)}`;
    return `${this.base}${encodeURIComponent(id)}`;
  }
}

/** CouchDB keys travel as JSON in the query (`startkey="abc"`). */
function jsonKey(key: string | undefined): string | undefined {
  return key === undefined ? undefined : JSON.stringify(key);
}
