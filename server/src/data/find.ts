import { NotFound } from '../errors.js';
import { execute, MAX_IN_MEMORY_SORT, type DocFilter } from './find-scan.js';
import type { DataScope } from './format.js';
import {
  decodeBookmark,
  designDocId,
  encodeBookmark,
  explain,
  indexDefToJSON,
  parseFindRequest,
  parseIndexRequest,
  planFind,
  project,
  type Explanation,
  type FindRequest,
  type IndexDefJSON,
  type Plan,
} from './mango/index.js';
import { checkDoctype } from './validate.js';

export { MAX_IN_MEMORY_SORT, type DocFilter } from './find-scan.js';

/** CouchDB's warning when no index served a query. */
export const NO_INDEX_WARNING = 'No matching index found, create an index to optimize query time.';

/** The bookmark of a page that returned nothing, without a bookmark to pass on (CouchDB's). */
const NIL_BOOKMARK = 'nil';

export interface FindOptions {
  /**
   * Documents for which this returns false are left out before `skip` and `limit` count, as if they did
   * not exist: how an edge applies selector-scoped read permissions.
   */
  filter?: DocFilter;
}

/** CouchDB's `execution_stats`, when the request asks for them. */
export interface ExecutionStats {
  total_keys_examined: number;
  total_docs_examined: number;
  total_quorum_docs_examined: 0;
  results_returned: number;
  execution_time_ms: number;
}

/** The answer of `POST /data/<doctype>/_find`. */
export interface FindResponse {
  /** Whole documents, or their projection on the requested `fields`. */
  docs: Record<string, unknown>[];
  /** Pass it back (with the same request) for the next page. */
  bookmark: string;
  warning?: string;
  execution_stats?: ExecutionStats;
}

/** The answer of `POST /data/<doctype>/_explain`. */
export type ExplainResponse = { dbname: string } & Explanation;

export interface CreateIndexResponse {
  result: 'created' | 'exists';
  id: string;
  name: string;
}

/** CouchDB's special index: every document by id. */
export interface SpecialIndexJSON {
  ddoc: null;
  name: '_all_docs';
  type: 'special';
  def: { fields: [{ _id: 'asc' }] };
}

export interface IndexListResponse {
  total_rows: number;
  indexes: (SpecialIndexJSON | IndexDefJSON)[];
}

export interface FindServiceOptions {
  /** A monotonic clock in milliseconds, for `execution_time_ms`. */
  now?: () => number;
  /** Most documents an in-memory sort may hold (MAX_IN_MEMORY_SORT by default). */
  maxInMemorySort?: number;
}

/** `nil`, or a bookmark of a page that returned nothing, starts from the beginning: CouchDB's `nil`. */
function withoutNilBookmark(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  if ((body as Record<string, unknown>)['bookmark'] !== NIL_BOOKMARK) return body;
  const { bookmark: _nil, ...rest } = body as Record<string, unknown>;
  return rest;
}

function warnings(request: FindRequest, plan: Plan): string | undefined {
  const list: string[] = [];
  const useIndex = request.useIndex;
  if (useIndex !== undefined) {
    const [ddoc, name] = typeof useIndex === 'string' ? [useIndex, undefined] : useIndex;
    const used =
      plan.index !== null && plan.index.ddoc === ddoc && (name === undefined || plan.index.name === name);
    if (!used) {
      const label = name === undefined ? ddoc : `${ddoc}, ${name}`;
      list.push(`${label} was not used because it does not contain a valid index for this query.`);
    }
  }
  if (plan.index === null) list.push(NO_INDEX_WARNING);
  return list.length > 0 ? list.join('\n') : undefined;
}

/**
 * Mango queries over one doctype (`_find`, `_explain`) and their json indexes (`_index`), CouchDB-shaped,
 * knowing nothing of HTTP. Request bodies are validated before the store is touched: a bad one is a
 * BadRequest and nothing happens. Like DocumentService it checks no permissions; an edge passes a
 * `filter` for selector-scoped read tokens.
 *
 * A query uses the index `planFind` picks and reads only its key range, stopping at the `limit`-th match;
 * without a usable index it reads the doctype by id, and sorts in memory (bounded, see
 * MAX_IN_MEMORY_SORT) when a sort is asked that no index gives, where CouchDB would refuse the query.
 */
export class FindService {
  private readonly now: () => number;
  private readonly maxInMemorySort: number;

  constructor(options: FindServiceOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.maxInMemorySort = options.maxInMemorySort ?? MAX_IN_MEMORY_SORT;
  }

  /**
   * `_find`: the page of matching documents, the bookmark of its last row (pass it back for the next
   * page; `nil` when nothing was returned and none was given), CouchDB's warning when no index (or not
   * the `use_index` one) was used, and `execution_stats` when asked. Across pages every matching
   * document comes exactly once, as long as no write moves it in between.
   */
  async find(
    scope: DataScope,
    doctype: string,
    body: unknown,
    options: FindOptions = {},
  ): Promise<FindResponse> {
    const started = this.now();
    checkDoctype(doctype);
    const request = parseFindRequest(withoutNilBookmark(body));
    const bookmark = request.bookmark === undefined ? undefined : decodeBookmark(request.bookmark);
    const store = scope.storage.documents;
    const plan = planFind(request, await store.indexes.list(doctype));
    const run = await execute(store, doctype, request, plan, {
      bookmark,
      filter: options.filter,
      maxInMemorySort: this.maxInMemorySort,
    });

    const fields = request.fields;
    const docs = run.rows.map(({ doc }): Record<string, unknown> => (fields ? project(doc, fields) : doc));
    const last = run.rows[run.rows.length - 1];
    const response: FindResponse = {
      docs,
      bookmark:
        last === undefined
          ? (request.bookmark ?? NIL_BOOKMARK)
          : encodeBookmark({ key: last.key, docId: last.doc._id }),
    };
    const warning = warnings(request, plan);
    if (warning !== undefined) response.warning = warning;
    if (request.executionStats) {
      response.execution_stats = {
        total_keys_examined: run.keysExamined,
        total_docs_examined: run.docsExamined,
        total_quorum_docs_examined: 0,
        results_returned: docs.length,
        execution_time_ms: this.now() - started,
      };
    }
    return response;
  }

  /** `_explain`: which index `find` would use for `body`, with what range and why (mango's `explain`). */
  async explain(scope: DataScope, doctype: string, body: unknown): Promise<ExplainResponse> {
    checkDoctype(doctype);
    const request = parseFindRequest(withoutNilBookmark(body));
    const plan = planFind(request, await scope.storage.documents.indexes.list(doctype));
    return { dbname: doctype, ...explain(plan, request) };
  }

  /**
   * `POST _index`: creates a json index, filled from the documents already stored before this resolves
   * (the store does it atomically with respect to writes). `exists` when the same definition already
   * has that design document and name; another definition under them is replaced, as in CouchDB.
   */
  async createIndex(scope: DataScope, doctype: string, body: unknown): Promise<CreateIndexResponse> {
    checkDoctype(doctype);
    const def = parseIndexRequest(body);
    const result = await scope.storage.documents.indexes.create(doctype, def);
    return { result, id: def.ddoc, name: def.name };
  }

  /** `GET _index`: CouchDB's special `_all_docs` index first, then the json indexes by ddoc and name. */
  async listIndexes(scope: DataScope, doctype: string): Promise<IndexListResponse> {
    checkDoctype(doctype);
    const defs = await scope.storage.documents.indexes.list(doctype);
    const special: SpecialIndexJSON = {
      ddoc: null,
      name: '_all_docs',
      type: 'special',
      def: { fields: [{ _id: 'asc' }] },
    };
    return { total_rows: defs.length + 1, indexes: [special, ...defs.map(indexDefToJSON)] };
  }

  /**
   * `DELETE _index/<ddoc>/json/<name>`: removes an index and its entries. `ddoc` may omit `_design/`.
   * NotFound when there is no such index.
   */
  async deleteIndex(scope: DataScope, doctype: string, ddoc: string, name: string): Promise<{ ok: true }> {
    checkDoctype(doctype);
    const removed = await scope.storage.documents.indexes.delete(doctype, designDocId(ddoc), name);
    if (!removed) throw new NotFound('Index not found');
    return { ok: true };
  }
}
