import { splitAppHostname, type AppsDomains } from '../apps/origins.js';
import type { Config } from '../config.js';
import { NotFound } from '../errors.js';
import type { Instances } from '../instances/instances.js';
import { hostname } from '../instances/instances.js';
import type { Authenticator } from './authenticate.js';
import type { Site } from './context.js';
import { checkCsrf } from './csrf.js';
import { App, type Hook } from './framework/app.js';
import type { Request } from './framework/request.js';
import type { Logger } from './framework/log.js';
import { handleError } from './problem.js';

export interface HttpDeps {
  config: Config;
  logger: Logger;
  instances: Instances;
  authenticator: Authenticator;
  /** Answers every request made to an app's origin (edges/apps); it must send a reply. */
  serveApp: Hook;
}

/** Paths that answer on any host, before instance routing (health checks hit the bare IP). */
const HOSTLESS = new Set(['/status']);

/**
 * Builds the app with the cross-cutting parts: one log line per request, instance and app routing by
 * Host, authentication, CSRF, and error mapping. Edges register their routes on it afterwards.
 */
export function buildHttp(deps: HttpDeps): App {
  const { config, instances, authenticator } = deps;
  const app = new App({ logger: deps.logger, bodyLimit: config.bodyLimit, trustProxy: config.trustProxy });
  const started = new WeakMap<object, bigint>();

  app.addHook('onRequest', async (request, reply) => {
    started.set(request, process.hrtime.bigint());
    reply.header('x-request-id', request.id);
    request.principal = { kind: 'anonymous' };
    request.ctx = null;
    request.site = await resolveSite(instances, hostOf(request), config.appsDomains);
    if (request.site.kind === 'none') {
      if (HOSTLESS.has(request.path)) return;
      throw new NotFound(`no Nuage instance answers to "${hostname(request.headers.host)}"`);
    }
    const instance = request.site.instance;
    const storage = await instances.storage(instance);
    request.ctx = { instance, storage, accounts: { records: storage.records, now: instances.now } };
    if (request.site.kind === 'app') {
      // An app origin is a separate site: none of the instance's routes or credentials apply there.
      await deps.serveApp(request, reply);
      if (!reply.sent) throw new NotFound(`nothing at ${request.path}`);
      return;
    }
    request.principal = await authenticator.authenticate(request, request.ctx);
  });

  app.addHook('preHandler', (request) => {
    if (request.ctx) checkCsrf(request);
  });

  app.addHook('onResponse', (request, reply) => {
    const start = started.get(request);
    const ms = start === undefined ? undefined : Number(process.hrtime.bigint() - start) / 1e6;
    request.log.info(
      { method: request.method, url: request.url, host: request.headers.host, status: reply.statusCode, ms },
      'request',
    );
  });

  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request) => {
    throw new NotFound(`nothing at ${request.method} ${request.path}`);
  });
  return app;
}

/**
 * The host a request addresses. App services run on this machine and reach the stack on loopback,
 * where Node's fetch cannot set Host, so they name their instance in `X-Nuage-Instance`; honouring it
 * from loopback only grants nothing, since any local process can already send any Host header.
 */
function hostOf(request: Request): string | undefined {
  const named = request.headers['x-nuage-instance'];
  const peer = request.raw.socket.remoteAddress ?? '';
  if (typeof named === 'string' && /^(127\.|::1$|::ffff:127\.)/.test(peer)) return named;
  return request.headers.host;
}

/**
 * A Host names an instance (`alice.example.org`) or one of its apps (`contacts.alice.example.org`, or
 * `alice-contacts.example.org` with flat app domains).
 * Anything else reaches no instance, and so no data.
 */
export async function resolveSite(
  instances: Instances,
  host: string | undefined,
  mode: AppsDomains = 'nested',
): Promise<Site> {
  const name = hostname(host);
  if (!name) return { kind: 'none' };
  const instance = await instances.byHost(name);
  if (instance) return { kind: 'instance', instance };
  for (const app of splitAppHostname(name, mode)) {
    const parent = await instances.byHost(app.domain);
    if (parent) return { kind: 'app', instance: parent, slug: app.slug };
  }
  return { kind: 'none' };
}
