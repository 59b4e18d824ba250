import type { Config } from '../config.js';
import { NotFound } from '../errors.js';
import type { Instances } from '../instances/instances.js';
import { hostname } from '../instances/instances.js';
import type { Authenticator } from './authenticate.js';
import type { Site } from './context.js';
import { checkCsrf } from './csrf.js';
import { App } from './framework/app.js';
import type { Logger } from './framework/log.js';
import { handleError } from './problem.js';

export interface HttpDeps {
  config: Config;
  logger: Logger;
  instances: Instances;
  authenticator: Authenticator;
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
    request.site = await resolveSite(instances, request.headers.host);
    if (request.site.kind === 'none') {
      if (HOSTLESS.has(request.path)) return;
      throw new NotFound(`no Nuage instance answers to "${hostname(request.headers.host)}"`);
    }
    if (request.site.kind === 'app') {
      throw new NotFound(`no app "${request.site.slug}" is installed on ${request.site.instance.domain}`);
    }
    const instance = request.site.instance;
    const storage = await instances.storage(instance);
    request.ctx = { instance, storage, accounts: { records: storage.records, now: instances.now } };
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
 * A Host names an instance (`alice.example.org`) or one of its apps (`contacts.alice.example.org`).
 * Anything else reaches no instance, and so no data.
 */
export async function resolveSite(instances: Instances, host: string | undefined): Promise<Site> {
  const name = hostname(host);
  if (!name) return { kind: 'none' };
  const instance = await instances.byHost(name);
  if (instance) return { kind: 'instance', instance };
  const dot = name.indexOf('.');
  if (dot > 0) {
    const parent = await instances.byHost(name.slice(dot + 1));
    if (parent) return { kind: 'app', instance: parent, slug: name.slice(0, dot) };
  }
  return { kind: 'none' };
}
