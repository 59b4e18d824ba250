import { BadRequest, NuageError } from '../../errors.js';
import type { ByteRange } from '../../ports/blob/blob-store.js';

/** 416: the Range asked lies outside the file. */
export class RangeNotSatisfiable extends NuageError {
  readonly status = 416;
  readonly code = 'range_not_satisfiable';
}

/** `Content-MD5` (base64 of the 16 bytes) as lowercase hex; BadRequest when it is not one. */
export function md5FromHeader(value: string | string[] | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const bytes = Buffer.from(value.trim(), 'base64');
  if (bytes.length !== 16) throw new BadRequest('Content-MD5 must be the base64 of 16 bytes');
  return bytes.toString('hex');
}

/** The `sha-256=` member of a `Digest` header as lowercase hex; other algorithms are ignored. */
export function sha256FromDigest(value: string | string[] | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim().toLowerCase() !== 'sha-256') continue;
    const bytes = Buffer.from(part.slice(eq + 1).trim(), 'base64');
    if (bytes.length !== 32) throw new BadRequest('Digest sha-256 must be the base64 of 32 bytes');
    return bytes.toString('hex');
  }
  return undefined;
}

/**
 * A single `Range: bytes=…` over a file of `size` bytes: undefined for none (or a form we do not serve,
 * such as several ranges: the whole file is then sent, as HTTP allows); RangeNotSatisfiable outside.
 */
export function parseRange(value: string | string[] | undefined, size: number): ByteRange | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  let start: number;
  let end: number;
  if (first === '') {
    if (last === '') return undefined;
    start = Math.max(0, size - Number(last));
    end = size - 1;
  } else {
    start = Number(first);
    end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  }
  if (size === 0 || start > end || start >= size) {
    throw new RangeNotSatisfiable(`range ${value} is outside a file of ${size} bytes`, {
      extra: { size },
    });
  }
  return { start, end };
}

/** `attachment` with an ASCII fallback and the exact UTF-8 name (RFC 6266). */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Whether an If-None-Match header names this ETag (or `*`). */
export function matchesEtag(header: string | string[] | undefined, etag: string): boolean {
  if (typeof header !== 'string') return false;
  return header.split(',').some((tag) => {
    const t = tag.trim().replace(/^W\//, '');
    return t === '*' || t === etag;
  });
}
