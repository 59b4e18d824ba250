import { BadRequest } from '../../errors.js';
import { decodeBookmark } from './bookmark.js';
import { canonicalField } from './field-path.js';
import { parseSelector, type Selector } from './selector.js';
import type { SortField } from './sort.js';

/** Rows returned when a `_find` request gives no `limit` (CouchDB's default). */
export const DEFAULT_LIMIT = 25;

/** A validated `_find` request body. */
export interface FindRequest {
  selector: Selector;
  /** Fields to return (canonical dotted names); absent means whole documents. */
  fields?: string[];
  /** Sort fields, all with the same direction; absent when no sort was asked. */
  sort?: SortField[];
  limit: number;
  skip: number;
  bookmark?: string;
  /** `use_index`: a design document (`_design/…`), or a design document and an index name. */
  useIndex?: string | [string, string];
  /** `allow_fallback: false`: fail rather than ignore an unusable `use_index` (CouchDB 3.3+). */
  allowFallback?: boolean;
  executionStats?: boolean;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fieldName(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new BadRequest(`${where}: field names must be strings`);
  return canonicalField(value);
}

/**
 * Parses a sort or index field list: each entry is `"field"` (ascending) or `{"field": "asc"|"desc"}`.
 * Rejects duplicates and, like CouchDB, mixed directions. `where` names the list in error messages.
 */
export function parseSortFields(input: unknown, where: string): SortField[] {
  if (!Array.isArray(input)) throw new BadRequest(`${where} must be an array`);
  const result: SortField[] = [];
  for (const entry of input) {
    let field: string;
    let dir: unknown = 'asc';
    if (typeof entry === 'string') {
      field = fieldName(entry, where);
    } else if (isPlainObject(entry) && Object.keys(entry).length === 1) {
      const [name, value] = Object.entries(entry)[0] as [string, unknown];
      field = fieldName(name, where);
      dir = value;
    } else {
      throw new BadRequest(`${where}: each entry must be "field" or {"field": "asc" | "desc"}`);
    }
    if (dir !== 'asc' && dir !== 'desc') {
      throw new BadRequest(`${where}: direction of "${field}" must be "asc" or "desc"`);
    }
    if (result.some((s) => s.field === field)) throw new BadRequest(`${where}: "${field}" is listed twice`);
    result.push({ field, dir });
  }
  if (result.some((s) => s.dir !== result[0]?.dir)) {
    throw new BadRequest(`${where}: all fields must have the same direction (all "asc" or all "desc")`);
  }
  return result;
}

function count(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new BadRequest(`${name} must be a non-negative integer`);
  }
  return value as number;
}

/** `_design/` + name, unless already there. */
export function designDocId(ddoc: string): string {
  return ddoc.startsWith('_design/') ? ddoc : `_design/${ddoc}`;
}

function indexName(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '' || value === '_design/') {
    throw new BadRequest(`use_index: ${what} must be a non-empty string`);
  }
  return value;
}

function parseUseIndex(value: unknown): string | [string, string] | undefined {
  if (typeof value === 'string')
    return value === '' ? undefined : designDocId(indexName(value, 'design document'));
  if (!Array.isArray(value) || value.length > 2) {
    throw new BadRequest('use_index must be "design_doc" or ["design_doc", "index_name"]');
  }
  if (value.length === 0) return undefined;
  const ddoc = designDocId(indexName(value[0], 'design document'));
  return value.length === 1 ? ddoc : [ddoc, indexName(value[1], 'index name')];
}

const KNOWN_KEYS = new Set([
  'selector',
  'fields',
  'sort',
  'limit',
  'skip',
  'bookmark',
  'use_index',
  'allow_fallback',
  'execution_stats',
  // Accepted for CouchDB compatibility, without effect in Nuage:
  'r',
  'conflicts',
  'update',
  'stable',
  'stale',
]);

/**
 * Validates a `_find` (or `_explain`) request body: `selector` (required), `fields`, `sort`, `limit`
 * (default 25), `skip` (default 0), `bookmark`, `use_index`, `allow_fallback`, `execution_stats`;
 * `r`, `conflicts`, `update`, `stable` and `stale` are accepted and ignored. Any other member, or a
 * member of the wrong type, is a BadRequest. Sort fields must share one direction (CouchDB rule).
 */
export function parseFindRequest(body: unknown): FindRequest {
  if (!isPlainObject(body)) throw new BadRequest('the _find request body must be a JSON object');
  for (const key of Object.keys(body)) {
    if (!KNOWN_KEYS.has(key)) throw new BadRequest(`unknown member "${key}" in _find request`);
  }
  if (body['selector'] === undefined) throw new BadRequest('a _find request needs a "selector"');
  const request: FindRequest = {
    selector: parseSelector(body['selector']),
    limit: count(body['limit'], 'limit', DEFAULT_LIMIT),
    skip: count(body['skip'], 'skip', 0),
  };

  const fields = body['fields'];
  if (fields !== undefined) {
    if (!Array.isArray(fields)) throw new BadRequest('fields must be an array of field names');
    const names = [...new Set(fields.map((f) => fieldName(f, 'fields')))];
    if (names.length > 0) request.fields = names;
  }

  if (body['sort'] !== undefined) {
    const sort = parseSortFields(body['sort'], 'sort');
    if (sort.length > 0) request.sort = sort;
  }

  const bookmark = body['bookmark'];
  if (bookmark !== undefined && bookmark !== null && bookmark !== '') {
    decodeBookmark(bookmark);
    request.bookmark = bookmark as string;
  }

  if (body['use_index'] !== undefined) {
    const useIndex = parseUseIndex(body['use_index']);
    if (useIndex !== undefined) request.useIndex = useIndex;
  }

  for (const [key, prop] of [
    ['allow_fallback', 'allowFallback'],
    ['execution_stats', 'executionStats'],
  ] as const) {
    const value = body[key];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') throw new BadRequest(`${key} must be true or false`);
    request[prop] = value;
  }

  for (const key of ['conflicts', 'update', 'stable']) {
    const value = body[key];
    if (value !== undefined && typeof value !== 'boolean')
      throw new BadRequest(`${key} must be true or false`);
  }
  const r = body['r'];
  if (r !== undefined && (!Number.isSafeInteger(r) || (r as number) < 1)) {
    throw new BadRequest('r must be a positive integer');
  }
  const stale = body['stale'];
  if (stale !== undefined && typeof stale !== 'string' && typeof stale !== 'boolean') {
    throw new BadRequest('stale must be a string');
  }
  return request;
}
