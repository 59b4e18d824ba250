import type { FilesService } from '../../files/files-service.js';
import type { App } from '../../http/framework/app.js';
import type { Reply } from '../../http/framework/reply.js';
import type { Request } from '../../http/framework/request.js';
import { requireAuth } from '../../http/context.js';
import { openDav, type Dav } from './context.js';
import { copyOrMove } from './copy-move.js';
import { lock, unlock } from './lock-methods.js';
import { MOUNT } from './paths.js';
import { ALLOW, get, propfind } from './read-methods.js';
import { mkcol, proppatch, put, remove } from './write-methods.js';

const METHODS: Record<string, (dav: Dav) => Promise<unknown>> = {
  GET: get,
  PROPFIND: propfind,
  PUT: put,
  MKCOL: mkcol,
  DELETE: remove,
  PROPPATCH: proppatch,
  COPY: (dav) => copyOrMove(dav, false),
  MOVE: (dav) => copyOrMove(dav, true),
  LOCK: lock,
  UNLOCK: unlock,
};

export interface WebdavOptions {
  now: () => number;
}

/**
 * WebDAV class 1 and 2 on `/dav/files/` over the file tree (docs/webdav.md): one route per method, all
 * reading the raw body themselves. Errors go to the app's one handler, which answers a DAV:error body
 * for the conditions WebDAV names and problem+json otherwise; an unread body is drained first, so the
 * client hears the answer.
 */
export function registerWebdav(app: App, files: FilesService, options: WebdavOptions): void {
  const handle = async (request: Request, reply: Reply) => {
    try {
      requireAuth(request);
      const dav = await openDav(request, reply, files, options.now);
      const method = request.method === 'HEAD' ? 'GET' : request.method;
      return await METHODS[method]!(dav);
    } catch (error) {
      if (!request.raw.readableEnded) request.raw.resume();
      throw error;
    }
  };
  // OPTIONS needs no credentials: clients (Windows, macOS) probe for DAV before they authenticate.
  const answerOptions = (_request: Request, reply: Reply) =>
    reply.header('dav', '1, 2').header('allow', ALLOW).header('ms-author-via', 'DAV').code(200).send();
  for (const path of [MOUNT, `${MOUNT}/*`]) {
    app.route([...Object.keys(METHODS), 'HEAD'], path, handle, { rawBody: true });
    app.route('OPTIONS', path, answerOptions, { rawBody: true });
  }
}
