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
 * JSON with object keys sorted by code unit at every level, so that equal values give equal text.
 * Follows JSON.stringify otherwise: `toJSON` is honoured, members whose value is undefined, a function or
 * a symbol are dropped, such array elements and non-finite numbers become `null`. Throws TypeError on a
 * cycle or a BigInt.
 */
export function canonicalJson(value: unknown): string {
  return stringify(value, new Set()) ?? 'null';
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
