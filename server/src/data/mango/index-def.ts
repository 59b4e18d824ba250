import { createHash } from 'node:crypto';

import { BadRequest } from '../../errors.js';
import { getField, parseFieldPath } from './field-path.js';
import { designDocId, parseSortFields } from './find-request.js';
import { pushComponent } from './index-key.js';
import { matches } from './match.js';
import { parseSelector, selectorToJSON, type Selector } from './selector.js';
import type { SortField } from './sort.js';

/** Most fields a json index may have. */
export const MAX_INDEX_FIELDS = 16;

/**
 * A Mango json index: its design document id (`_design/…`), its name, its fields (canonical dotted
 * names, all with one direction) and an optional partial filter (only documents matching it are indexed).
 */
export interface IndexDef {
  ddoc: string;
  name: string;
  fields: SortField[];
  partialFilter?: Selector;
}

/** An index as CouchDB lists it (`GET /db/_index`), also the persistable form of an {@link IndexDef}. */
export interface IndexDefJSON {
  ddoc: string;
  name: string;
  type: 'json';
  def: { fields: Record<string, 'asc' | 'desc'>[]; partial_filter_selector?: Record<string, unknown> };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new BadRequest(`${what} must be a non-empty string`);
  if (value.length > 256) throw new BadRequest(`${what} is too long (256 characters at most)`);
  return value;
}

/** The `def` member of {@link IndexDefJSON}: what the default name is a hash of. */
function definitionJSON(fields: readonly SortField[], partialFilter?: Selector): IndexDefJSON['def'] {
  const def: IndexDefJSON['def'] = { fields: fields.map((f) => ({ [f.field]: f.dir })) };
  if (partialFilter !== undefined) def.partial_filter_selector = selectorToJSON(partialFilter);
  return def;
}

/**
 * Validates a `POST /db/_index` body: `{index: {fields: [...], partial_filter_selector?}, ddoc?, name?,
 * type?: "json", partitioned?}`. Fields are `"f"` or `{"f": "asc"|"desc"}`, non-empty, distinct, one
 * direction. When `ddoc` or `name` is absent it is derived, like CouchDB, from a SHA-1 of the normalised
 * definition, so posting the same definition twice yields the same index. `ddoc` gets a `_design/` prefix
 * when it lacks one. Throws BadRequest for anything invalid (other types, such as "text", included).
 */
export function parseIndexRequest(body: unknown): IndexDef {
  if (!isPlainObject(body)) throw new BadRequest('the _index request body must be a JSON object');
  for (const key of Object.keys(body)) {
    if (!['index', 'ddoc', 'name', 'type', 'partitioned'].includes(key)) {
      throw new BadRequest(`unknown member "${key}" in _index request`);
    }
  }
  const type = body['type'];
  if (type !== undefined && type !== 'json') {
    throw new BadRequest(
      `unsupported index type ${JSON.stringify(type)}: only "json" indexes exist in Nuage`,
    );
  }
  const partitioned = body['partitioned'];
  if (partitioned !== undefined && typeof partitioned !== 'boolean') {
    throw new BadRequest('partitioned must be true or false');
  }
  const index = body['index'];
  if (!isPlainObject(index)) throw new BadRequest('an _index request needs an "index" object');
  for (const key of Object.keys(index)) {
    if (key !== 'fields' && key !== 'partial_filter_selector') {
      throw new BadRequest(`unknown member "index.${key}" in _index request`);
    }
  }
  const fields = parseSortFields(index['fields'], 'index.fields');
  if (fields.length === 0) throw new BadRequest('index.fields must list at least one field');
  if (fields.length > MAX_INDEX_FIELDS) {
    throw new BadRequest(`index.fields lists too many fields (${MAX_INDEX_FIELDS} at most)`);
  }
  const filter = index['partial_filter_selector'];
  const partialFilter = filter === undefined ? undefined : parseSelector(filter);

  const hash = createHash('sha1')
    .update(JSON.stringify(definitionJSON(fields, partialFilter)))
    .digest('hex');
  const ddoc = designDocId(body['ddoc'] === undefined ? hash : nonEmptyString(body['ddoc'], 'ddoc'));
  if (ddoc === '_design/') throw new BadRequest('ddoc must name a design document');
  const name = body['name'] === undefined ? hash : nonEmptyString(body['name'], 'name');
  const def: IndexDef = { ddoc, name, fields };
  if (partialFilter !== undefined) def.partialFilter = partialFilter;
  return def;
}

/** The CouchDB listing form of an index; `parseIndexRequest({index: json.def, ddoc, name})` gives it back. */
export function indexDefToJSON(def: IndexDef): IndexDefJSON {
  return { ddoc: def.ddoc, name: def.name, type: 'json', def: definitionJSON(def.fields, def.partialFilter) };
}

const pathCache = new WeakMap<IndexDef, string[][]>();

function fieldPaths(def: IndexDef): string[][] {
  let paths = pathCache.get(def);
  if (paths === undefined) {
    paths = def.fields.map((f) => parseFieldPath(f.field));
    pathCache.set(def, paths);
  }
  return paths;
}

/**
 * The key under which `doc` is stored in the index (the fields' values encoded by index-key.ts, a `desc`
 * field's component inverted), or null when the document is not indexed: it lacks one of the fields
 * (as in CouchDB) or does not match the partial filter. Deleted documents must not be passed in.
 */
export function indexKeyFor(def: IndexDef, doc: Readonly<Record<string, unknown>>): Buffer | null {
  if (def.partialFilter !== undefined && !matches(def.partialFilter, doc)) return null;
  const out: number[] = [];
  const paths = fieldPaths(def);
  for (let i = 0; i < paths.length; i++) {
    const found = getField(doc, paths[i] as string[]);
    if (found === undefined) return null;
    pushComponent(out, found.value, def.fields[i]?.dir === 'desc');
  }
  return Buffer.from(out);
}
