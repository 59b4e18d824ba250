import type { AppsService } from '../../apps/apps-service.js';
import { splitAppHostname, type AppsDomains } from '../../apps/origins.js';
import type { Hook } from '../../http/framework/app.js';
import { hostname } from '../../instances/instances.js';

const METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, COPY, MOVE';
const HEADERS =
  'Authorization, Content-Type, If-Match, If-None-Match, Range, Content-MD5, Digest, X-Request-Id';
const EXPOSED = 'ETag, Content-Range, Content-Length, Content-Disposition, Location, X-Request-Id';

/**
 * Lets the installed apps of an instance call its API from their own origins, with bearer tokens
 * only: credentials are never allowed, so a page elsewhere cannot ride the owner's cookies. An origin
 * that is not an installed app of this very instance gets no CORS headers, and the browser blocks it.
 */
export function appsCors(apps: AppsService, mode: AppsDomains): Hook {
  return async (request, reply) => {
    const origin = request.headers.origin;
    if (!origin || request.site.kind !== 'instance' || !request.ctx) return;
    let host: string;
    try {
      host = hostname(new URL(origin).host);
    } catch {
      return;
    }
    const domain = request.site.instance.domain;
    const app = splitAppHostname(host, mode).find((a) => a.domain === domain);
    if (!app) return;
    const scope = { instance: request.ctx.instance, storage: request.ctx.storage };
    if (!(await apps.get(scope, app.slug))) return;
    reply.header('access-control-allow-origin', origin);
    reply.header('vary', 'Origin');
    reply.header('access-control-expose-headers', EXPOSED);
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
      reply.header('access-control-allow-methods', METHODS);
      reply.header('access-control-allow-headers', HEADERS);
      reply.header('access-control-max-age', '600');
      reply.code(204).send();
    }
  };
}
