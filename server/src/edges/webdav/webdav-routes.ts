import type { FilesService } from '../../files/files-service.js';
import type { App } from '../../http/framework/app.js';
import type { Reply } from '../../http/framework/reply.js';
import type { Request } from '../../http/framework/request.js';
import { requireAuth } from '../../http/context.js';
import type { WebdavHandler } from './handler.js';
import { MOUNT } from './paths.js';

/** The methods `handler.ts` answers, known here so the routes exist before it is loaded. */
const METHODS = [
  'GET',
  'HEAD',
  'PUT',
  'DELETE',
  'PROPFIND',
  'PROPPATCH',
  'MKCOL',
  'COPY',
  'MOVE',
  'LOCK',
  'UNLOCK',
];
const ALLOW = `OPTIONS, ${METHODS.join(', ')}`;

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
  // The protocol code loads on the first WebDAV request: a stack nobody mounts pays nothing for it.
  let loaded: Promise<WebdavHandler> | undefined;
  const handler = () => (loaded ??= import('./handler.js').then((m) => m.webdavHandler(files, options.now)));
  const handle = async (request: Request, reply: Reply) => {
    requireAuth(request);
    return (await handler())(request, reply);
  };
  // OPTIONS needs no credentials: clients (Windows, macOS) probe for DAV before they authenticate.
  const answerOptions = (_request: Request, reply: Reply) =>
    reply.header('dav', '1, 2').header('allow', ALLOW).header('ms-author-via', 'DAV').code(200).send();
  for (const path of [MOUNT, `${MOUNT}/*`]) {
    app.route(METHODS, path, handle, { rawBody: true });
    app.route('OPTIONS', path, answerOptions, { rawBody: true });
  }
}
