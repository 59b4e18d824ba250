import { NotFound, ThumbnailPending } from '../../errors.js';
import { contentKey, FILES } from '../../files/file-doc.js';
import type { FilesService } from '../../files/files-service.js';
import { parseSize } from '../../files/thumbnails/sizes.js';
import { mayBeImage } from '../../files/thumbnails/sniff.js';
import type { ThumbnailStore } from '../../files/thumbnails/thumbnail-store.js';
import { instanceOf } from '../../http/context.js';
import type { App } from '../../http/framework/app.js';
import { checkReadable, reach } from '../data/access.js';
import { matchesEtag } from './headers.js';

/** A year: the longest lifetime caches honour, for a URL that names the content it shows (`?v=<sha256>`). */
const IMMUTABLE = 'private, max-age=31536000, immutable';

/**
 * `GET /files/<id>/thumbnails/<small|medium|large>[?v=<sha256>]` (docs/files.md, Thumbnails): the WebP
 * thumbnail of an image, to whoever may read the file. 400 for an unknown size; 404 `thumbnail_pending`
 * (with Retry-After) while the job has not made it for the current content; plain 404 for a directory,
 * a file that is not an image or could not be decoded, and a `v` that is no longer the content. The ETag
 * is the content's MD5 and the size; with `v` the answer is cacheable for good, since a new content
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
    const record = await thumbnails.current(scope, file);
    const thumbnail = record?.sizes?.[size];
    if (!thumbnail) {
      if (record || !mayBeImage(file)) throw new NotFound('this file has no thumbnails');
      throw new ThumbnailPending('the thumbnails of this file are being made');
    }
    const etag = `"${contentKey(file) ?? ''}-${size}"`;
    reply
      .header('etag', etag)
      .header('cache-control', version === undefined ? 'private, no-cache' : IMMUTABLE)
      .header('x-content-type-options', 'nosniff');
    if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
    reply.type('image/webp').header('content-length', thumbnail.bytes);
    if (request.method === 'HEAD') return reply.send();
    return reply.send(await thumbnails.read(scope, thumbnail));
  });
}
