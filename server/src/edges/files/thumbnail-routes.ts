import { NotFound, ThumbnailPending } from '../../errors.js';
import { contentKey, FILES, type FileDoc } from '../../files/file-doc.js';
import type { FilesService } from '../../files/files-service.js';
import { parseSize, type ThumbnailSize } from '../../files/thumbnails/sizes.js';
import { mayBeImage } from '../../files/thumbnails/sniff.js';
import type { ThumbnailScope, ThumbnailStore } from '../../files/thumbnails/thumbnail-store.js';
import { instanceOf } from '../../http/context.js';
import type { App } from '../../http/framework/app.js';
import type { Reply } from '../../http/framework/reply.js';
import type { Request } from '../../http/framework/request.js';
import { checkReadable, reach } from '../data/access.js';
import { matchesEtag } from './headers.js';

/** A year: the longest lifetime caches honour, for a URL that names the content it shows (`?v=<sha256>`). */
const IMMUTABLE = 'private, max-age=31536000, immutable';

/**
 * `GET /files/<id>/thumbnails/<small|medium|large>[?v=<sha256>]` (docs/files.md, Thumbnails): the WebP
 * thumbnail of an image, to whoever may read the file. 400 for an unknown size; 404 `thumbnail_pending`
 * (with Retry-After) while the job has not made it for the current content; plain 404 for a directory,
 * a file that is not an image or could not be decoded, and a `v` that is no longer the content. The ETag
 * is the content's key and the size; with `v` the answer is cacheable for good, since a new content
 * means a new URL.
 */
export function registerThumbnailRoutes(app: App, files: FilesService, thumbnails: ThumbnailStore): void {
  app.get('/files/:id/thumbnails/:size', async (request, reply) => {
    const r = reach(request, 'GET', FILES);
    const size = parseSize(request.params.size);
    const scope = instanceOf(request);
    const file = await files.get(scope, request.params.id ?? '');
    checkReadable(r, FILES, file as unknown as Record<string, unknown>);
    const version = request.query.v;
    if (typeof version === 'string' && version !== contentKey(file))
      throw new NotFound('the file has another content now');
    const sent = await sendThumbnail(request, reply, thumbnails, scope, file, size, {
      cacheControl: version === undefined ? 'private, no-cache' : IMMUTABLE,
    });
    if (sent) return sent;
    if ((await thumbnails.current(scope, file)) || !mayBeImage(file))
      throw new NotFound('this file has no thumbnails');
    throw new ThumbnailPending('the thumbnails of this file are being made');
  });
}

/**
 * Sends the `size` thumbnail of a file the caller may read (WebP, ETag of content and size, 304 on
 * If-None-Match), or resolves null when there is none for its current content: the caller answers then.
 */
export async function sendThumbnail(
  request: Request,
  reply: Reply,
  thumbnails: ThumbnailStore,
  scope: ThumbnailScope,
  file: FileDoc,
  size: ThumbnailSize,
  options: { cacheControl: string },
): Promise<Reply | null> {
  const thumbnail = (await thumbnails.current(scope, file))?.sizes?.[size];
  if (!thumbnail) return null;
  const etag = `"${contentKey(file) ?? ''}-${size}"`;
  reply
    .header('etag', etag)
    .header('cache-control', options.cacheControl)
    .header('x-content-type-options', 'nosniff');
  if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
  reply.type('image/webp').header('content-length', thumbnail.bytes);
  if (request.method === 'HEAD') return reply.send();
  return reply.send(await thumbnails.read(scope, thumbnail));
}
