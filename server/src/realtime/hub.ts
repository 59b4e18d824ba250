import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { NuageError, Unauthorized } from '../errors.js';
import type { Authenticator } from '../http/authenticate.js';
import type { InstanceContext } from '../http/context.js';
import type { Logger } from '../http/framework/log.js';
import { Request } from '../http/framework/request.js';
import { resolveSite } from '../http/server.js';
import type { Instances } from '../instances/instances.js';
import { findSession } from '../auth/sessions.js';
import type { Principal } from '../http/context.js';
import { RealtimeConnection, type Credentials } from './connection.js';
import type { WriteEvents } from './events.js';

export const REALTIME_PATH = '/realtime';

export interface RealtimeOptions {
  instances: Instances;
  authenticator: Authenticator;
  logger: Logger;
  trustProxy: boolean;
  /** How often each socket is pinged; one that has not answered the previous ping is dropped. */
  pingIntervalMs?: number;
  /** How long a socket that connected without credentials has to send AUTH. */
  authTimeoutMs?: number;
}

/** Largest message a client may send; subscriptions are tiny. */
const MAX_CLIENT_MESSAGE = 64 * 1024;

/**
 * The `/realtime` WebSocket edge: takes over upgrade requests, resolves the instance by Host like the
 * HTTP edge, authenticates (session cookie from the instance's own origin, bearer header, or a first
 * AUTH message), and fans each instance's write events out to its sockets.
 */
export class RealtimeHub {
  /** Made on the first upgrade: an instance nobody opens a socket on never loads `ws` (idle memory). */
  private wss: Promise<WebSocketServer> | null = null;
  private readonly byInstance = new Map<string, Map<WebSocket, RealtimeConnection>>();
  private readonly alive = new WeakSet<WebSocket>();
  private readonly pinger: NodeJS.Timeout;
  private closing = false;

  constructor(private readonly options: RealtimeOptions) {
    this.pinger = setInterval(() => this.ping(), options.pingIntervalMs ?? 30_000);
    this.pinger.unref();
  }

  /** Sockets open on an instance (for tests and status). */
  connections(instanceId: string): number {
    return this.byInstance.get(instanceId)?.size ?? 0;
  }

  /** Hands a committed batch to every socket of its instance; each filters by subscription and rights. */
  dispatch(batch: WriteEvents): void {
    const sockets = this.byInstance.get(batch.instanceId);
    if (!sockets) return;
    for (const connection of sockets.values()) {
      for (const event of batch.events) connection.deliver(event);
    }
  }

  /** For `app.onUpgrade`: refuses with an HTTP status, or opens the socket. Never throws. */
  readonly handleUpgrade = (raw: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    this.upgrade(raw, socket, head).catch((error: unknown) => {
      if (error instanceof NuageError) return refuse(socket, error.status, error.message);
      this.options.logger.error({ err: error }, 'realtime upgrade failed');
      refuse(socket, 500, 'internal error');
    });
  };

  private async upgrade(raw: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const { instances, authenticator } = this.options;
    if (this.closing) return refuse(socket, 503, 'the server is shutting down');
    const id = randomBytes(6).toString('hex');
    const request = new Request(raw, id, this.options.logger.child({ reqId: id }), this.options.trustProxy);
    if (request.path !== REALTIME_PATH) return refuse(socket, 404, `nothing at ${request.path}`);
    const site = await resolveSite(instances, request.headers.host);
    if (site.kind !== 'instance') return refuse(socket, 404, 'no such instance');
    const storage = await instances.storage(site.instance);
    const ctx: InstanceContext = {
      instance: site.instance,
      storage,
      accounts: { records: storage.records, now: instances.now },
    };
    const principal = await authenticator.authenticate(request, ctx);
    if (principal.kind === 'session' && !sameOrigin(request)) {
      return refuse(socket, 403, 'a session may only open /realtime from its own origin');
    }
    const credentials = this.credentialsOf(ctx, principal, request);
    const wss = await this.server();
    if (this.closing) return refuse(socket, 503, 'the server is shutting down');
    wss.handleUpgrade(raw, socket, head, (ws) => this.open(ws, ctx, credentials, request));
  }

  private server(): Promise<WebSocketServer> {
    this.wss ??= import('ws').then(
      ({ WebSocketServer }) => new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE }),
    );
    return this.wss;
  }

  private open(ws: WebSocket, ctx: InstanceContext, credentials: Credentials | null, request: Request): void {
    if (this.closing) return ws.close(1001, 'server shutting down');
    const instanceId = ctx.instance.id;
    const connection = new RealtimeConnection(ws, {
      credentials,
      log: request.log,
      authenticate: (token) => this.tokenCredentials(ctx, token),
    });
    let sockets = this.byInstance.get(instanceId);
    if (!sockets) this.byInstance.set(instanceId, (sockets = new Map<WebSocket, RealtimeConnection>()));
    sockets.set(ws, connection);
    this.alive.add(ws);
    ws.on('pong', () => this.alive.add(ws));
    ws.on('error', (error) => request.log.debug({ err: error }, 'realtime socket error'));
    ws.on('close', () => {
      const set = this.byInstance.get(instanceId);
      set?.delete(ws);
      if (set?.size === 0) this.byInstance.delete(instanceId);
    });
    if (credentials === null) {
      const timer = setTimeout(() => {
        if (!connection.authenticated) ws.close(1008, 'no AUTH message in time');
      }, this.options.authTimeoutMs ?? 10_000);
      timer.unref();
      ws.once('close', () => clearTimeout(timer));
    }
    request.log.debug({ instance: ctx.instance.domain }, 'realtime socket open');
  }

  /** The credentials an upgrade request carried, with how to recheck them later; null for none. */
  private credentialsOf(ctx: InstanceContext, principal: Principal, request: Request): Credentials | null {
    switch (principal.kind) {
      case 'anonymous':
        return null;
      case 'session':
        return {
          perms: principal.perms,
          stillValid: async () => (await findSession(ctx.accounts, principal.cookie)) !== null,
        };
      case 'token': {
        const token = (request.headers.authorization ?? '').split(/\s+/, 2)[1] ?? '';
        return { perms: principal.perms, stillValid: () => this.tokenStillValid(ctx, token) };
      }
      case 'basic':
        return { perms: principal.perms, stillValid: () => Promise.resolve(true) };
    }
  }

  /** Credentials from a token (the AUTH message); rejects with Unauthorized when it is not valid here. */
  private async tokenCredentials(ctx: InstanceContext, token: string): Promise<Credentials> {
    const principal = await this.options.authenticator.bearer(ctx, token);
    if (principal.kind === 'anonymous') throw new Unauthorized('invalid token');
    return { perms: principal.perms, stillValid: () => this.tokenStillValid(ctx, token) };
  }

  private async tokenStillValid(ctx: InstanceContext, token: string): Promise<boolean> {
    try {
      await this.options.authenticator.bearer(ctx, token);
      return true;
    } catch (error) {
      if (error instanceof Unauthorized) return false;
      throw error;
    }
  }

  /** Rechecks every socket's session or token now (the ping timer does it every interval). */
  async revalidate(): Promise<void> {
    const all = [...this.byInstance.values()].flatMap((sockets) => [...sockets.values()]);
    await Promise.all(all.map((connection) => connection.revalidate()));
  }

  private ping(): void {
    void this.revalidate();
    for (const sockets of this.byInstance.values()) {
      for (const ws of sockets.keys()) {
        if (!this.alive.has(ws)) {
          ws.terminate();
          continue;
        }
        this.alive.delete(ws);
        ws.ping();
      }
    }
  }

  /**
   * Refuses new sockets, asks every open one to close (1001, going away) and waits for them, cutting
   * off those that do not answer within `graceMs`.
   */
  async close(graceMs = 2_000): Promise<void> {
    this.closing = true;
    clearInterval(this.pinger);
    const all = [...this.byInstance.values()].flatMap((sockets) => [...sockets.keys()]);
    await Promise.all(
      all.map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === ws.CLOSED) return resolve();
            const timer = setTimeout(() => ws.terminate(), graceMs);
            ws.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            ws.close(1001, 'server shutting down');
          }),
      ),
    );
    const wss = await this.wss;
    if (wss) await new Promise<void>((resolve) => wss.close(() => resolve()));
  }
}

/** A browser sends Origin on every WebSocket; cookie auth only counts from the instance's own origin. */
function sameOrigin(request: Request): boolean {
  const origin = request.headers.origin;
  const host = request.headers.host;
  if (!origin || !host) return false;
  return origin.toLowerCase() === `${request.protocol}://${host.toLowerCase()}`;
}

/** Answers an upgrade request with a plain HTTP error, then closes the connection. */
function refuse(socket: Duplex, status: number, title: string): void {
  if (!socket.writable) return void socket.destroy();
  const body = JSON.stringify({ status, title });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Connection: close\r\nContent-Type: application/problem+json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
