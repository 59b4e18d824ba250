import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { BadRequest } from '../../errors.js';
import { randomId } from '../../random-id.js';
import { parseBody } from './body.js';
import type { Logger } from './log.js';
import { Reply } from './reply.js';
import { Request } from './request.js';
import { Router } from './router.js';

export type Handler = (request: Request, reply: Reply) => unknown;
export type Hook = (request: Request, reply: Reply) => Promise<void> | void;
export type ErrorHandler = (error: unknown, request: Request, reply: Reply) => void;
/** Takes over a connection that asked to switch protocols (WebSocket); it owns `socket` from then on. */
export type UpgradeHandler = (raw: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface RouteOptions {
  /** The route reads `request.raw` itself (uploads, DAV bodies); no body parsing happens. */
  rawBody?: boolean;
  /** Overrides the app's body size limit for this route. */
  bodyLimit?: number;
}

interface Route {
  handler: Handler;
  options: RouteOptions;
}

export interface AppOptions {
  logger: Logger;
  bodyLimit: number;
  trustProxy: boolean;
}

/**
 * The HTTP application: a router per method, three hooks (onRequest before the body is read,
 * preHandler after, onResponse when done), one error handler. Deliberately small: Nuage needs raw
 * streams for DAV and replication, and every megabyte counts on a Raspberry Pi.
 */
export class App {
  readonly log: Logger;
  private readonly routers = new Map<string, Router<Route>>();
  private readonly hooks = { onRequest: [] as Hook[], preHandler: [] as Hook[], onResponse: [] as Hook[] };
  private errorHandler: ErrorHandler = (_e, _q, reply) => void reply.code(500).send();
  private notFound: Handler = (_q, reply) => reply.code(404).send();
  private server: Server | null = null;
  private upgradeHandler: UpgradeHandler | null = null;

  constructor(private readonly options: AppOptions) {
    this.log = options.logger;
  }

  route(method: string | string[], path: string, handler: Handler, options: RouteOptions = {}): void {
    for (const m of Array.isArray(method) ? method : [method]) {
      let router = this.routers.get(m);
      if (!router) this.routers.set(m, (router = new Router()));
      router.add(path, { handler, options });
    }
  }

  get(path: string, handler: Handler, options?: RouteOptions): void {
    this.route('GET', path, handler, options);
  }
  post(path: string, handler: Handler, options?: RouteOptions): void {
    this.route('POST', path, handler, options);
  }
  put(path: string, handler: Handler, options?: RouteOptions): void {
    this.route('PUT', path, handler, options);
  }
  delete(path: string, handler: Handler, options?: RouteOptions): void {
    this.route('DELETE', path, handler, options);
  }

  addHook(name: keyof App['hooks'], hook: Hook): void {
    this.hooks[name].push(hook);
  }

  setErrorHandler(handler: ErrorHandler): void {
    this.errorHandler = handler;
  }

  setNotFoundHandler(handler: Handler): void {
    this.notFound = handler;
  }

  /** Sets who handles `Upgrade:` requests; without one they are refused by closing the connection. */
  onUpgrade(handler: UpgradeHandler): void {
    this.upgradeHandler = handler;
  }

  /** Handles one request from node:http; exposed so tests or other servers can mount the app. */
  readonly handle = (raw: IncomingMessage, res: ServerResponse): void => {
    const given = raw.headers['x-request-id'];
    const id = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomId(6);
    const request = new Request(raw, id, this.log.child({ reqId: id }), this.options.trustProxy);
    const reply = new Reply(res);
    res.on('finish', () => {
      for (const hook of this.hooks.onResponse)
        void Promise.resolve(hook(request, reply)).catch(() => undefined);
    });
    this.run(request, reply).catch((error: unknown) => {
      if (reply.sent) {
        request.log.error({ err: error }, 'error after the answer was sent');
        res.destroy();
        return;
      }
      this.errorHandler(error, request, reply);
    });
  };

  private async run(request: Request, reply: Reply): Promise<void> {
    for (const hook of this.hooks.onRequest) {
      await hook(request, reply);
      if (reply.sent) return;
    }
    const method = request.method === 'HEAD' && !this.routers.get('HEAD') ? 'GET' : request.method;
    let match;
    try {
      match = this.routers.get(method)?.find(request.path) ?? null;
    } catch {
      throw new BadRequest('malformed percent-encoding in the URL');
    }
    if (match === null && request.method === 'HEAD')
      match = this.routers.get('GET')?.find(request.path) ?? null;
    const route = match?.value;
    if (match) request.params = match.params;
    if (route && !route.options.rawBody && request.method !== 'GET' && request.method !== 'HEAD') {
      request.body = await parseBody(request.raw, route?.options.bodyLimit ?? this.options.bodyLimit);
    }
    for (const hook of this.hooks.preHandler) {
      await hook(request, reply);
      if (reply.sent) return;
    }
    const result = await (route ? route.handler(request, reply) : this.notFound(request, reply));
    if (!reply.sent && result !== reply) reply.send(result);
  }

  async listen(options: { port: number; host: string }): Promise<string> {
    const server = createServer({ keepAliveTimeout: 65_000 }, this.handle);
    this.server = server;
    server.on('upgrade', (raw: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (this.upgradeHandler) this.upgradeHandler(raw, socket, head);
      else socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
  }

  /** Stops accepting connections, closes idle ones and waits for in-flight requests to finish. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      // Long polls and streams would hold shutdown forever: give them ten seconds.
      setTimeout(() => server.closeAllConnections(), 10_000).unref();
    });
  }
}
