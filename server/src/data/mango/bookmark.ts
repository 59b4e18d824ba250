import { BadRequest } from '../../errors.js';
import { compareStrings } from './collate.js';

/**
 * Where a `_find` page ended: the last returned row. For an index scan, its index key and doc id; for a
 * full scan without sort, just its doc id; after an in-memory sort, `sortKeyFor(sort, doc)` and its id.
 */
export interface Bookmark {
  key?: Buffer;
  docId: string;
}

/** Longest bookmark accepted (characters): keys embed indexed values, which are usually small. */
const MAX_BOOKMARK_LENGTH = 64 * 1024;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Encodes a bookmark as an opaque base64url string (no padding), safe in JSON and in URLs. */
export function encodeBookmark(bookmark: Bookmark): string {
  const body: { v: 1; d: string; k?: string } = { v: 1, d: bookmark.docId };
  if (bookmark.key !== undefined) body.k = bookmark.key.toString('base64url');
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

function invalid(): BadRequest {
  return new BadRequest('invalid bookmark: pass back the bookmark of a previous _find response unchanged');
}

function decodeBase64url(s: string): Buffer {
  if (!BASE64URL.test(s)) throw invalid();
  const bytes = Buffer.from(s, 'base64url');
  // Buffer.from silently skips what it cannot decode: insist on the canonical form.
  if (bytes.toString('base64url') !== s) throw invalid();
  return bytes;
}

/** Decodes a string made by {@link encodeBookmark}; anything else (tampered, truncated…) is a BadRequest. */
export function decodeBookmark(s: unknown): Bookmark {
  if (typeof s !== 'string' || s.length === 0 || s.length > MAX_BOOKMARK_LENGTH) throw invalid();
  let body: unknown;
  try {
    body = JSON.parse(decodeBase64url(s).toString('utf8'));
  } catch (error) {
    if (error instanceof BadRequest) throw error;
    throw invalid();
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid();
  const { v, d, k, ...rest } = body as Record<string, unknown>;
  if (v !== 1 || typeof d !== 'string' || Object.keys(rest).length > 0) throw invalid();
  if (k === undefined) return { docId: d };
  if (typeof k !== 'string') throw invalid();
  return { key: k === '' ? Buffer.alloc(0) : decodeBase64url(k), docId: d };
}

/**
 * Whether a row comes strictly after the bookmarked one in a scan ordered by `(key, docId)` (bytes, then
 * code points), ascending or `descending`. Rows without a key (full scans) compare by doc id alone.
 */
export function isAfterBookmark(
  row: { key?: Buffer; docId: string },
  bookmark: Bookmark,
  descending: boolean,
): boolean {
  const c =
    Buffer.compare(row.key ?? Buffer.alloc(0), bookmark.key ?? Buffer.alloc(0)) ||
    compareStrings(row.docId, bookmark.docId);
  return descending ? c < 0 : c > 0;
}
