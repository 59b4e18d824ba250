import type { FilesService } from '../../files/files-service.js';
import type { Reply } from '../../http/framework/reply.js';
import type { Request } from '../../http/framework/request.js';
import { openDav, type Dav } from './context.js';
import { copyOrMove } from './copy-move.js';
import { lock, unlock } from './lock-methods.js';
import { get, propfind } from './read-methods.js';
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

export type WebdavHandler = (request: Request, reply: Reply) => Promise<unknown>;

/** Answers one WebDAV request on /dav/files (webdav-routes.ts loads this on first use). */
export function webdavHandler(files: FilesService, now: () => number): WebdavHandler {
  return async (request, reply) => {
    const dav = await openDav(request, reply, files, now);
    return METHODS[request.method === 'HEAD' ? 'GET' : request.method]!(dav);
  };
}
