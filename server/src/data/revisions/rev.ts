/**
 * Revision identifiers, the way CouchDB and PouchDB write them: `N-hash`, where `N` is the position of
 * the revision in its document's history (1 for the first write) and `hash` identifies the edit.
 * Everything here is pure; nothing touches storage.
 */
import { hash } from 'node:crypto';
import { BadRequest } from '../../errors.js';

/** A revision split into its position and its hash. */
export interface Rev {
  pos: number;
  hash: string;
}

/**
 * The `_revisions` object of CouchDB: `ids[0]` is the hash of the revision at position `start`, `ids[1]`
 * its parent's hash at `start - 1`, and so on back to the oldest ancestor given.
 */
export interface RevisionPath {
  start: number;
  ids: string[];
}

/** The most ids accepted in one `_revisions` object (ten times CouchDB's default revs_limit). */
export const MAX_REVISION_IDS = 10_000;

const REV = /^([1-9][0-9]*)-([0-9a-zA-Z]+)$/;
const HASH = /^[0-9a-zA-Z]+$/;

/** Whether `hash` has the form of a revision hash (`[0-9a-zA-Z]+`). */
export function isRevHash(hash: unknown): hash is string {
  return typeof hash === 'string' && HASH.test(hash);
}

/**
 * Parses a revision string `N-hash`: `N` a positive safe integer without leading zeros, `hash` one or
 * more ASCII letters or digits. Throws BadRequest for anything else (including non-strings).
 */
export function parseRev(rev: string): Rev {
  const match = typeof rev === 'string' ? REV.exec(rev) : null;
  const pos = match ? Number(match[1]) : NaN;
  if (!match || !Number.isSafeInteger(pos)) {
    throw new BadRequest(`Invalid rev format: ${describe(rev)}.`);
  }
  return { pos, hash: match[2] as string };
}

/** Joins a position and a hash into `N-hash`. Does not validate; use parseRev on untrusted input. */
export function formatRev(pos: number, hash: string): string {
  return `${pos}-${hash}`;
}

/**
 * The hash of a new revision: 32 lowercase hex digits, the MD5 of the canonical JSON of
 * `[parentRev, deleted, body]`. Deterministic, so the same edit (same parent, same deletion flag, same
 * body up to key order) made on two replicas yields the same revision, as in CouchDB. The caller decides
 * what `body` is (normally the document without its `_`-prefixed metadata members).
 */
export function newRevHash(input: { parentRev: string | null; deleted: boolean; body: unknown }): string {
  // The one-shot hash: no Hash object per revision (bulk writes hash every document).
  return hash('md5', canonicalJson([input.parentRev, input.deleted, input.body]), 'hex');
}

/**
 * The full `N-hash` of a new revision: one position past `parentRev` (position 1 without a parent),
 * with the hash of newRevHash. Throws BadRequest if `parentRev` is malformed.
 */
export function nextRev(input: { parentRev: string | null; deleted: boolean; body: unknown }): string {
  const pos = input.parentRev === null ? 1 : parseRev(input.parentRev).pos + 1;
  return formatRev(pos, newRevHash(input));
}

/**
 * nextRev for a body whose canonical JSON the caller already has (`canonicalBody`, as canonicalJson or
 * bodyJson write it): the same revision, without writing the body again. BadRequest as nextRev.
 */
export function nextRevOfJson(parentRev: string | null, deleted: boolean, canonicalBody: string): string {
  const pos = parentRev === null ? 1 : parseRev(parentRev).pos + 1;
  // The text canonicalJson([parentRev, deleted, body]) gives: a revision is a string or null.
  const text = `[${JSON.stringify(parentRev)},${deleted ? 'true' : 'false'},${canonicalBody}]`;
  return formatRev(pos, hash('md5', text, 'hex'));
}

/**
 * A document body written both ways a write needs it: `text`, exactly JSON.stringify(body) (member
 * order kept, as stored and returned), and `canonical`, exactly canonicalJson(body) (for the revision
 * hash). A member whose value reads the same both ways (a string, a number, an array or object whose
 * keys are already in order: most members) is written once for both, where two whole serialisations
 * wrote every document of a bulk write twice.
 */
export function bodyJson(body: Readonly<Record<string, unknown>>): { text: string; canonical: string } {
  if (Object.getPrototypeOf(body) !== Object.prototype || typeof body['toJSON'] === 'function') {
    return { text: JSON.stringify(body), canonical: canonicalJson(body) };
  }
  const keys = Object.keys(body);
  // The canonical text of each member, by index in `keys`; undefined for a member JSON leaves out.
  const members = new Array<string | undefined>(keys.length);
  let text = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const value = body[key];
    const ordered = inKeyOrder(value, 1);
    // A toJSON is called with its key by JSON.stringify(body), not by JSON.stringify(value).
    if (ordered === UNUSUAL) return { text: JSON.stringify(body), canonical: canonicalJson(body) };
    const written = JSON.stringify(value) as string | undefined;
    if (written === undefined) continue;
    const name = JSON.stringify(key);
    text += `${text.length === 1 ? '' : ','}${name}:${written}`;
    members[i] = `${name}:${ordered === value ? written : JSON.stringify(ordered)}`;
  }
  text += '}';
  const order = keyOrder(keys);
  let canonical = '{';
  for (const i of order) {
    const member = members[i];
    if (member !== undefined) canonical += `${canonical.length === 1 ? '' : ','}${member}`;
  }
  return { text, canonical: `${canonical}}` };
}

/** Past this many keys, sorting falls back to Array.prototype.sort. */
const FEW_KEYS = 24;

/**
 * Sorts keys in code unit order, in place. Objects have few keys, and an insertion sort of a few
 * allocates nothing, where Array.prototype.sort allocates a work array on every call (a bulk write
 * sorts the keys of every object of every document).
 */
function sortKeys(keys: string[]): void {
  if (keys.length > FEW_KEYS) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    let j = i;
    for (; j > 0 && (keys[j - 1] as string) > key; j--) keys[j] = keys[j - 1] as string;
    keys[j] = key;
  }
}

/** The indexes of `keys` in the code unit order of the keys (distinct, as an object's are). */
function keyOrder(keys: readonly string[]): number[] {
  const order = new Array<number>(keys.length);
  for (let i = 0; i < keys.length; i++) order[i] = i;
  if (keys.length > FEW_KEYS)
    return order.sort((a, b) => ((keys[a] as string) < (keys[b] as string) ? -1 : 1));
  for (let i = 1; i < order.length; i++) {
    const at = order[i] as number;
    const key = keys[at] as string;
    let j = i;
    for (; j > 0 && (keys[order[j - 1] as number] as string) > key; j--) order[j] = order[j - 1] as number;
    order[j] = at;
  }
  return order;
}

/**
 * JSON with object keys sorted by code unit at every level, so that equal values give equal text.
 * Follows JSON.stringify otherwise: `toJSON` is honoured, members whose value is undefined, a function or
 * a symbol are dropped, such array elements and non-finite numbers become `null`. Throws TypeError on a
 * cycle or a BigInt.
 */
export function canonicalJson(value: unknown): string {
  // Most values (all that come from JSON.parse) take the fast way: the same value with its keys in
  // order, written by the native JSON.stringify. Anything unusual is written member by member.
  const ordered = inKeyOrder(value, 0);
  if (ordered !== UNUSUAL) return JSON.stringify(ordered) ?? 'null';
  return stringify(value, new Set()) ?? 'null';
}

/** Returned by inKeyOrder for a value it leaves to `stringify`. */
const UNUSUAL: unique symbol = Symbol('unusual');

/** Deeper than this, inKeyOrder gives up (a cycle, or a value stringify may as well handle). */
const MAX_ORDERED_DEPTH = 64;

/**
 * `value` with the keys of every object in code unit order, for JSON.stringify to write as
 * canonicalJson would: objects and arrays already in order are reused, others copied. UNUSUAL for
 * whatever JSON.stringify would not write the same way: a `toJSON`, anything but a plain object or
 * array (boxed primitives), a key an object would not keep in the order written (an array index, which
 * objects list first, or `__proto__`, which an assignment does not copy), or too deep a value.
 */
function inKeyOrder(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_ORDERED_DEPTH) return UNUSUAL;
  const proto: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    if (proto !== Array.prototype) return UNUSUAL;
    let out: unknown[] = value;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const ordered = inKeyOrder(item, depth + 1);
      if (ordered === UNUSUAL) return UNUSUAL;
      if (ordered !== item) {
        if (out === value) out = value.slice();
        out[i] = ordered;
      }
    }
    return out;
  }
  if (proto !== Object.prototype && proto !== null) return UNUSUAL;
  const record = value as Record<string, unknown>;
  if (typeof record['toJSON'] === 'function') return UNUSUAL;
  const keys = Object.keys(record);
  let sorted = true;
  for (let i = 1; i < keys.length; i++) {
    if ((keys[i - 1] as string) > (keys[i] as string)) {
      sorted = false;
      break;
    }
  }
  let changed = !sorted;
  const values: unknown[] = new Array<unknown>(keys.length);
  if (changed) sortKeys(keys);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const code = key.charCodeAt(0);
    if ((code >= 48 && code <= 57) || key === '__proto__') return UNUSUAL; // 0-9: maybe an index
    const item = record[key];
    const ordered = inKeyOrder(item, depth + 1);
    if (ordered === UNUSUAL) return UNUSUAL;
    if (ordered !== item) changed = true;
    values[i] = ordered;
  }
  if (!changed) return value;
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) out[keys[i] as string] = values[i];
  return out;
}

function stringify(value: unknown, ancestors: Set<object>): string | undefined {
  // Strings and numbers first: most of a document. Bulk writes hash every document, so this is hot.
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  ) {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  if (value === null || typeof value !== 'object') {
    // Primitives exactly as JSON.stringify writes them; its typing hides that undefined, a function or
    // a symbol gives undefined, which the return type of this function states.
    return JSON.stringify(value);
  }
  if (ancestors.has(value)) throw new TypeError('canonicalJson: cyclic value');
  ancestors.add(value);
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i++) {
      out += `${i === 0 ? '' : ','}${stringify(value[i], ancestors) ?? 'null'}`;
    }
    out += ']';
  } else {
    const record = value as Record<string, unknown>;
    out = '{';
    for (const key of Object.keys(record).sort()) {
      const text = stringify(record[key], ancestors);
      if (text !== undefined) out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${text}`;
    }
    out += '}';
  }
  ancestors.delete(value);
  return out;
}

/**
 * Validates an untrusted `_revisions` object: `start` a positive safe integer, `ids` a non-empty array of
 * at most MAX_REVISION_IDS revision hashes, and no more ids than `start` (so every position is at least 1).
 * Returns a fresh copy with only those two members; throws BadRequest otherwise.
 */
export function parseRevisions(input: unknown): RevisionPath {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new BadRequest('_revisions must be an object with start and ids.');
  }
  const { start, ids } = input as { start?: unknown; ids?: unknown };
  if (typeof start !== 'number' || !Number.isSafeInteger(start) || start < 1) {
    throw new BadRequest('_revisions.start must be a positive integer.');
  }
  if (!Array.isArray(ids) || ids.length === 0) {
    throw new BadRequest('_revisions.ids must be a non-empty array.');
  }
  if (ids.length > MAX_REVISION_IDS) {
    throw new BadRequest(`_revisions.ids may hold at most ${MAX_REVISION_IDS} ids.`);
  }
  if (ids.length > start) {
    throw new BadRequest('_revisions.ids is longer than _revisions.start allows.');
  }
  const copy: string[] = [];
  for (const id of ids as unknown[]) {
    if (!isRevHash(id)) throw new BadRequest(`Invalid revision id in _revisions.ids: ${describe(id)}.`);
    copy.push(id);
  }
  return { start, ids: copy };
}

/** A short, safe rendering of an untrusted value for an error message. */
function describe(value: unknown): string {
  if (typeof value !== 'string') return typeof value;
  const shown = value.length > 64 ? `${value.slice(0, 64)}…` : value;
  return JSON.stringify(shown);
}
