import { LoginRateLimiter } from '../../auth/rate-limit.js';
import { MAX_PASSWORD_LENGTH } from '../../auth/passwords.js';
import { BadRequest, Forbidden, NotFound } from '../../errors.js';
import { FILES, type FileDoc } from '../../files/file-doc.js';
import type { FilesService } from '../../files/files-service.js';
import type { ThumbnailStore } from '../../files/thumbnails/thumbnail-store.js';
import { presentShare, ShareService, type NewShare } from '../../files/shares.js';
import { instanceOf } from '../../http/context.js';
import type { App } from '../../http/framework/app.js';
import type { Request } from '../../http/framework/request.js';
import { checkReadable, reach } from '../data/access.js';
import { registerSharePublicRoutes } from './share-public.js';
import { registerZipRoutes } from './zip-routes.js';

export interface ShareRoutesOptions {
  /** The stack's clock (link expiry, password cookies, the password rate limit). */
  now: () => number;
  /** Where the public pages find the thumbnails they preview images with. */
  thumbnails?: ThumbnailStore;
}

/**
 * Share links and zip downloads (docs/files.md), in one call from the composition root: the owner's
 * API on `/files/…` (`/files/<id>/shares`, `/files/shares/<id>`, `/files/<id>/zip`, `/files/zip`) and
 * the public pages under `/s/<secret>`.
 */
export function registerShareRoutes(app: App, files: FilesService, options: ShareRoutesOptions): void {
  const shares = new ShareService(files, options.now);
  registerZipRoutes(app, files);
  registerSharePublicRoutes(app, files, shares, new LoginRateLimiter(options.now), options.thumbnails);

  /** The entry a share is about, which the caller must be able to read (404 otherwise). */
  const readableEntry = async (request: Request, id: string): Promise<FileDoc> => {
    const entry = await files.get(instanceOf(request), id);
    checkReadable(reach(request, 'GET', FILES), FILES, entry as unknown as Record<string, unknown>);
    return entry;
  };

  app.post('/files/:id/shares', async (request, reply) => {
    const scope = instanceOf(request);
    const entry = await readableEntry(request, request.params.id ?? '');
    const input = parseNewShare(request.body);
    if (input.mode === 'upload' && reach(request, 'POST', FILES).kind !== 'whole') {
      throw new Forbidden('a drop box needs a token that may create any io.nuage.files document');
    }
    if (!(await files.reachable(scope, entry)))
      throw new BadRequest('an entry in the trash cannot be shared');
    const { share, secret } = await shares.create(scope, entry, input);
    const url = `${request.protocol}://${request.headers.host ?? scope.instance.domain}/s/${secret}`;
    return reply.code(201).send({ ...presentShare(share), url });
  });

  app.get('/files/:id/shares', async (request) => {
    const entry = await readableEntry(request, request.params.id ?? '');
    return { shares: (await shares.list(instanceOf(request), entry._id)).map(presentShare) };
  });

  app.delete('/files/shares/:shareId', async (request, reply) => {
    const scope = instanceOf(request);
    reach(request, 'PUT', FILES);
    const share = await shares.get(scope, request.params.shareId ?? '');
    if (!share) throw new NotFound('no such share');
    try {
      await readableEntry(request, share.fileId);
    } catch (error) {
      // A link to an entry deleted for good may still be revoked by whoever may touch every entry.
      if (!(error instanceof NotFound) || reach(request, 'GET', FILES).kind !== 'whole') throw error;
    }
    await shares.revoke(scope, share.id);
    return reply.code(204).send();
  });
}

/** `{mode, password?, expiresAt?, label?}`; expiresAt is an ISO time or milliseconds since the epoch. */
function parseNewShare(body: unknown): NewShare {
  if (body === undefined) return { mode: 'read' };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequest('a JSON object is expected');
  }
  const { mode = 'read', password, expiresAt, label } = body as Record<string, unknown>;
  if (mode !== 'read' && mode !== 'upload') throw new BadRequest('mode must be "read" or "upload"');
  const out: NewShare = { mode };
  if (password !== undefined && password !== null) {
    if (typeof password !== 'string' || password === '' || password.length > MAX_PASSWORD_LENGTH) {
      throw new BadRequest(`password must be a string of 1 to ${MAX_PASSWORD_LENGTH} characters`);
    }
    out.password = password;
  }
  if (expiresAt !== undefined && expiresAt !== null) {
    const at =
      typeof expiresAt === 'number' ? expiresAt : typeof expiresAt === 'string' ? Date.parse(expiresAt) : NaN;
    if (!Number.isFinite(at))
      throw new BadRequest('expiresAt must be an ISO date or milliseconds since 1970');
    out.expiresAt = at;
  }
  if (label !== undefined && label !== null) {
    if (typeof label !== 'string' || label.length > 200) {
      throw new BadRequest('label must be a string of at most 200 characters');
    }
    out.label = label;
  }
  return out;
}
