import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { AppLayout } from '../../apps/app-files.js';
import type { AppRoute } from '../../apps/manifest.js';
import { NotFound } from '../../errors.js';
import type { Reply } from '../../http/framework/reply.js';
import type { Request } from '../../http/framework/request.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.wasm': 'application/wasm',
  '.mp3': 'audio/mpeg',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.pdf': 'application/pdf',
};

/** Bundlers put a content hash in file names (`index-4f3a9c1b.js`): such a file never changes. */
const HASHED = /[.-][A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

/**
 * The file of `route` that a request path names, as a path inside the app's files, or null for the
 * route's index page. Every segment is decoded and checked, so `..`, `%2e%2e`, `%2f`, backslashes,
 * NUL and dot-files are refused whatever their encoding.
 */
export function resolveFile(route: AppRoute, rest: string): string | null {
  const segments: string[] = [];
  for (const raw of rest.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      throw new NotFound('no such file');
    }
    if (segment.startsWith('.') || /[/\\\0]/.test(segment)) throw new NotFound('no such file');
    segments.push(segment);
  }
  if (segments.length === 0) return null;
  return join(route.folder, ...segments);
}

/**
 * Serves one file of an installed app: its precompressed twin when the client accepts it, a strong
 * ETag (install folders never change, so size and time identify the bytes), year-long caching for
 * hashed names and revalidation for the rest. A missing file without an extension falls back to the
 * route's index (client-side routing); `index` lets the caller rewrite that page (token injection).
 */
export async function serveAppFile(
  request: Request,
  reply: Reply,
  layout: AppLayout,
  route: AppRoute,
  rest: string,
  index: (html: string) => Promise<string>,
): Promise<Reply> {
  const named = resolveFile(route, rest);
  let relative = named ?? join(route.folder, route.index);
  let info = await fileStat(join(layout.files, relative));
  if (!info) {
    if (named !== null && extname(named) !== '') throw new NotFound('no such file');
    relative = join(route.folder, route.index);
    info = await fileStat(join(layout.files, relative));
    if (!info) throw new NotFound('no such file');
  }
  const isIndex = relative === join(route.folder, route.index);
  const type = TYPES[extname(relative).toLowerCase()] ?? 'application/octet-stream';
  reply.header('content-type', type);
  reply.header('x-content-type-options', 'nosniff');

  if (isIndex && type.startsWith('text/html')) {
    // The page carries a fresh token: never cached, never shared.
    const html = await index(await readFile(join(layout.files, relative), 'utf8'));
    reply.header('cache-control', 'no-store');
    return reply.send(request.method === 'HEAD' ? undefined : html);
  }

  const accepted = String(request.headers['accept-encoding'] ?? '');
  let path = join(layout.files, relative);
  let size = info.size;
  let encoding: 'br' | 'gzip' | null = null;
  for (const [name, suffix] of [
    ['br', '.br'],
    ['gzip', '.gz'],
  ] as const) {
    if (!new RegExp(`\\b${name}\\b`).test(accepted)) continue;
    const twin = await fileStat(join(layout.compressed, `${relative}${suffix}`));
    if (twin) {
      path = join(layout.compressed, `${relative}${suffix}`);
      size = twin.size;
      encoding = name;
      break;
    }
  }
  const etag = `"${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}${encoding ? `-${encoding}` : ''}"`;
  reply.header('etag', etag);
  reply.header('vary', 'Accept-Encoding');
  reply.header('cache-control', HASHED.test(relative) ? 'public, max-age=31536000, immutable' : 'no-cache');
  if (encoding) reply.header('content-encoding', encoding);
  const inm = request.headers['if-none-match'];
  if (typeof inm === 'string' && inm.split(/\s*,\s*/).some((t) => t === etag || t === `W/${etag}`)) {
    return reply.code(304).send();
  }
  reply.header('content-length', size);
  if (request.method === 'HEAD') return reply.send();
  return reply.send(createReadStream(path));
}

async function fileStat(path: string): Promise<{ size: number; mtimeMs: number } | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? info : null;
  } catch {
    return null;
  }
}
