import { BadRequest } from '../errors.js';
import { isDoctype } from '../permissions/permissions.js';
import type { DocBody } from '../ports/store/documents.js';
import { parseRev, parseRevisions, type RevisionPath } from './revisions/index.js';

/**
 * Checks on what clients send, done before anything is written: a batch with one bad document is
 * refused whole (400), as CouchDB does, so bad input never leaves half a batch behind.
 */

/** Members a client may send that start with `_`; `_attachments` stays in the body, the rest is metadata. */
const META_MEMBERS = new Set([
  '_id',
  '_rev',
  '_deleted',
  '_revisions',
  '_attachments',
  '_conflicts',
  '_deleted_conflicts',
  '_revs_info',
  '_local_seq',
]);

/** Longest document id accepted, in UTF-16 code units: ids are keys of every index. */
export const MAX_ID_LENGTH = 1024;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const LOCAL_PREFIX = '_local/';
export const DESIGN_PREFIX = '_design/';

/** A document as a client sent it, split into what the store needs. */
export interface IncomingDoc {
  /** `_id`, when the client gave one (else the service generates one). */
  id: string | undefined;
  /** `_rev`: for a normal id `N-hash`, for a `_local/` id `0-N`; null when absent. */
  rev: string | null;
  deleted: boolean;
  /** `_revisions`, when given (used with new_edits=false). */
  revisions: RevisionPath | undefined;
  /** Members without metadata, `_attachments` included. */
  body: DocBody;
}

export function checkDoctype(doctype: string): void {
  if (!isDoctype(doctype)) throw new BadRequest(`Invalid doctype: ${JSON.stringify(doctype.slice(0, 130))}`);
}

/**
 * Validates a document id: a non-empty string of at most MAX_ID_LENGTH code units, well-formed UTF-16
 * without NUL (PostgreSQL text cannot hold either), starting with `_` only for `_design/…` and
 * `_local/…`.
 */
export function checkDocId(id: unknown): string {
  if (typeof id !== 'string' || id === '') throw new BadRequest('Document id must be a non-empty string.');
  if (id.length > MAX_ID_LENGTH)
    throw new BadRequest(`Document id is longer than ${MAX_ID_LENGTH} characters.`);
  if (id.includes('\u0000') || LONE_SURROGATE.test(id)) {
    throw new BadRequest('Document id must be valid Unicode without NUL characters.');
  }
  if (id.startsWith('_')) {
    const reserved = [DESIGN_PREFIX, LOCAL_PREFIX].find((prefix) => id.startsWith(prefix));
    if (reserved === undefined || id.length === reserved.length) {
      throw new BadRequest('Only reserved document ids may start with underscore.');
    }
  }
  return id;
}

export const isLocalId = (id: string): boolean => id.startsWith(LOCAL_PREFIX);

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses one incoming document. `urlId` is the id from the path, which a body `_id` must then equal.
 * Throws BadRequest for a body that is not a JSON object, a bad id, an unknown `_` member, a malformed
 * `_rev` or `_revisions` (or the two disagreeing), a non-boolean `_deleted` or non-object `_attachments`.
 */
export function parseIncomingDoc(input: unknown, urlId?: string): IncomingDoc {
  if (!isPlainObject(input)) throw new BadRequest('Document must be a JSON object.');
  const body: DocBody = {};
  for (const key in input) {
    if (key.charCodeAt(0) === 95 /* _ */) {
      if (!META_MEMBERS.has(key)) throw new BadRequest(`Bad special document member: ${key.slice(0, 64)}`);
      if (key !== '_attachments') continue;
    }
    body[key] = input[key]; // `__proto__`, the one key where assignment is not a copy, starts with `_`.
  }
  const bodyId = input['_id'];
  if (bodyId !== undefined) checkDocId(bodyId);
  if (urlId !== undefined) {
    checkDocId(urlId);
    if (bodyId !== undefined && bodyId !== urlId) {
      throw new BadRequest('Document id in the body differs from the one in the path.');
    }
  }
  const id = urlId ?? (bodyId as string | undefined);
  const deleted = input['_deleted'];
  if (deleted !== undefined && typeof deleted !== 'boolean')
    throw new BadRequest('_deleted must be a boolean.');
  const attachments = input['_attachments'];
  if (attachments !== undefined && !isPlainObject(attachments)) {
    throw new BadRequest('_attachments must be an object.');
  }
  const rev = parseRevMember(input['_rev'], id !== undefined && isLocalId(id));
  const revisions = input['_revisions'] === undefined ? undefined : parseRevisions(input['_revisions']);
  if (revisions !== undefined && rev !== null && rev !== `${revisions.start}-${revisions.ids[0]}`) {
    throw new BadRequest('_rev and _revisions name different revisions.');
  }
  return { id, rev, deleted: deleted === true, revisions, body };
}

function parseRevMember(rev: unknown, local: boolean): string | null {
  if (rev === undefined || rev === null) return null;
  if (typeof rev !== 'string') throw new BadRequest('_rev must be a string.');
  if (local) {
    if (!/^0-[1-9][0-9]*$/.test(rev)) throw new BadRequest(`Invalid rev format: ${rev.slice(0, 64)}`);
  } else {
    parseRev(rev);
  }
  return rev;
}

/** A revision given outside a body (`?rev=`, If-Match, `DELETE ?rev=`): BadRequest unless `N-hash`. */
export function checkRev(rev: unknown): string {
  if (typeof rev !== 'string') throw new BadRequest('rev must be a string.');
  parseRev(rev);
  return rev;
}

/** A list of revisions (`open_revs=[…]`, a `_revs_diff` entry): an array of `N-hash` strings. */
export function checkRevList(input: unknown, what: string): string[] {
  if (!Array.isArray(input)) throw new BadRequest(`${what} must be an array of revisions.`);
  return input.map((rev) => checkRev(rev));
}
