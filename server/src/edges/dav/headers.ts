import { BadGateway, BadRequest } from '../../errors.js';

export type Depth = '0' | '1' | 'infinity';

/**
 * The Depth header (RFC 4918 §10.2): `fallback` when absent; BadRequest for anything not in `allowed`
 * (each method accepts its own values).
 */
export function parseDepth(
  value: string | string[] | undefined,
  allowed: readonly Depth[],
  fallback: Depth,
): Depth {
  if (value === undefined) return fallback;
  const depth = (Array.isArray(value) ? value.join(',') : value).trim().toLowerCase();
  if (!(allowed as readonly string[]).includes(depth)) {
    throw new BadRequest(`Depth must be one of ${allowed.join(', ')} here`);
  }
  return depth as Depth;
}

/** The Overwrite header (§10.6): true unless `F`. */
export function parseOverwrite(value: string | string[] | undefined): boolean {
  if (value === undefined) return true;
  const v = String(value).trim().toUpperCase();
  if (v !== 'T' && v !== 'F') throw new BadRequest('Overwrite must be T or F');
  return v === 'T';
}

/** The longest lock we grant, and the one given when the client asks for none or for Infinite. */
export const MAX_LOCK_SECONDS = 7 * 24 * 3600;
const DEFAULT_LOCK_SECONDS = 3600;

/** The Timeout header of LOCK (§10.7): the first `Second-n` or `Infinite` offered, capped. */
export function parseTimeout(value: string | string[] | undefined): number {
  if (typeof value !== 'string') return DEFAULT_LOCK_SECONDS;
  for (const part of value.split(',')) {
    const t = part.trim();
    if (/^infinite$/i.test(t)) return MAX_LOCK_SECONDS;
    const m = /^second-(\d{1,12})$/i.exec(t);
    if (m) return Math.max(1, Math.min(Number(m[1]), MAX_LOCK_SECONDS));
  }
  return DEFAULT_LOCK_SECONDS;
}

/**
 * The path of a Destination header (§10.3), still percent-encoded: an absolute URI must name this host
 * (else BadGateway, 502: we do not copy to other servers), an absolute path is taken as is. The path is
 * cut out by hand rather than by `new URL`, which would resolve `..` and `%2e%2e` steps on its own: the
 * caller decodes and refuses them exactly as for the request URI.
 */
export function parseDestination(value: string | string[] | undefined, host: string | undefined): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new BadRequest('a Destination header is required');
  const v = value.trim();
  if (v.startsWith('/')) return stripQuery(v);
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)(\/[^?#]*)?/i.exec(v);
  if (!m) throw new BadRequest('Destination must be an absolute URI or path');
  const destHost = hostnameOf(m[1] ?? '');
  if (destHost !== hostnameOf(host ?? '')) throw new BadGateway('the Destination is on another server');
  return m[2] ?? '/';
}

function stripQuery(path: string): string {
  const q = path.search(/[?#]/);
  return q < 0 ? path : path.slice(0, q);
}

/** A host without user info or port, lowercase (a reverse proxy may change the port, never the name). */
function hostnameOf(authority: string): string {
  const host = authority.slice(authority.lastIndexOf('@') + 1).toLowerCase();
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.indexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}
