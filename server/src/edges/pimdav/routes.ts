import type { App } from '../../http/framework/app.js';
import type { Reply } from '../../http/framework/reply.js';
import type { Request } from '../../http/framework/request.js';
import type { PimService } from '../../pim/pim-service.js';
import type { PimDavHandler } from './handler.js';
import { DAV_ROOT } from './paths.js';

/** The methods `handler.ts` answers (kept here so routes exist before the handler is loaded). */
const METHODS = ['GET', 'HEAD', 'PUT', 'DELETE', 'PROPFIND', 'PROPPATCH', 'REPORT', 'MKCOL', 'MKCALENDAR'];
const ALLOW = `OPTIONS, ${METHODS.join(', ')}`;
/** The compliance classes CardDAV and CalDAV clients look for (RFC 6352 §6.1, RFC 4791 §5.1, RFC 5689). */
const DAV_CLASSES = '1, 3, addressbook, calendar-access, extended-mkcol';
const MOUNTS = ['principals', 'addressbooks', 'calendars'];

export interface PimDavOptions {
  now: () => number;
}

/**
 * CardDAV (RFC 6352) and CalDAV (RFC 4791) over the PIM service (docs/dav.md): discovery from
 * `/.well-known/carddav|caldav` to `/dav/`, whose PROPFIND names the principal, whose home sets name
 * `/dav/addressbooks/<owner>/` and `/dav/calendars/<owner>/`. One route per method reads the raw body;
 * errors go to the app's one handler, which answers DAV:error bodies for the conditions they carry.
 */
export function registerPimDav(app: App, pim: () => Promise<PimService>, options: PimDavOptions): void {
  // The protocol code, the PIM service and ical.js load on the first DAV request: a stack whose owner
  // syncs no phone pays nothing for them at idle.
  let loaded: Promise<PimDavHandler> | undefined;
  const handler = () =>
    (loaded ??= Promise.all([import('./handler.js'), pim()]).then(([m, service]) =>
      m.pimDavHandler(service, options.now),
    ));
  const handle = async (request: Request, reply: Reply) => (await handler())(request, reply);
  // OPTIONS needs no credentials: clients probe what a server speaks before they log in.
  const answerOptions = (_request: Request, reply: Reply) =>
    reply.header('dav', DAV_CLASSES).header('allow', ALLOW).code(200).send();
  const paths = ['/dav', DAV_ROOT, ...MOUNTS.flatMap((m) => [`${DAV_ROOT}${m}`, `${DAV_ROOT}${m}/*`])];
  for (const path of paths) {
    app.route(METHODS, path, handle, { rawBody: true });
    app.route('OPTIONS', path, answerOptions, { rawBody: true });
  }
  // RFC 6764 §5: the well-known URIs redirect to the context path, where PROPFIND finds the principal.
  const redirect = (request: Request, reply: Reply) => {
    if (!request.raw.readableEnded) request.raw.resume();
    return reply.redirect(DAV_ROOT, 301);
  };
  for (const name of ['carddav', 'caldav']) {
    app.route(['GET', 'HEAD', 'PROPFIND', 'OPTIONS', 'REPORT'], `/.well-known/${name}`, redirect, {
      rawBody: true,
    });
  }
}
