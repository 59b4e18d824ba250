import type { Reply } from '../../http/framework/reply.js';
import type { Request } from '../../http/framework/request.js';
import type { PimService } from '../../pim/pim-service.js';
import { mkcol } from './collections.js';
import { DefaultCollections, openPimDav, type PimDav } from './context.js';
import { get, put, remove } from './objects.js';
import { propfind, proppatch } from './propfind.js';
import { report } from './reports.js';

const METHODS: Record<string, (dav: PimDav) => Promise<unknown>> = {
  GET: get,
  HEAD: get,
  PUT: put,
  DELETE: remove,
  PROPFIND: propfind,
  PROPPATCH: proppatch,
  REPORT: report,
  MKCOL: mkcol,
  MKCALENDAR: mkcol,
};

export type PimDavHandler = (request: Request, reply: Reply) => Promise<unknown>;

/** Answers one CardDAV/CalDAV request (routes.ts registers the paths and loads this on first use). */
export function pimDavHandler(pim: PimService, now: () => number): PimDavHandler {
  const defaults = new DefaultCollections();
  return async (request, reply) => {
    const dav = await openPimDav(request, reply, pim, now);
    await defaults.ensure(dav);
    return METHODS[request.method]!(dav);
  };
}
