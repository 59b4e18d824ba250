import type { Doc } from './documents.js';
import { NuageError } from './errors.js';
import type { TokenSession } from './session.js';

export type RealtimeEventKind = 'CREATED' | 'UPDATED' | 'DELETED';

/** A document written by anyone (REST, replication, DAV, jobs) that a subscription covers. */
export interface RealtimeEvent<T extends object = Record<string, unknown>> {
  kind: RealtimeEventKind;
  doctype: string;
  id: string;
  /** The revision written; for DELETED a tombstone (`_deleted: true`, usually no other field). */
  doc: Doc<T>;
}

export type RealtimeHandler<T extends object> = (event: RealtimeEvent<T>) => void;

/** `connecting` (or waiting to reconnect), `open` (subscriptions sent), `closed` (nothing to listen to, or given up). */
export type RealtimeState = 'connecting' | 'open' | 'closed';

/**
 * The part of the WebSocket API the SDK uses: browsers' WebSocket and the `ws` package (for Node 20,
 * which has no global WebSocket) both fit. Handler parameters are `never` so that either one's own
 * event types are accepted; the SDK reads only `data`, `code` and `reason`.
 */
export interface WebSocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

type Unsubscribe = () => void;

interface Subscription {
  doctype: string;
  id: string | undefined;
  handlers: Set<RealtimeHandler<never>>;
}

interface ServerMessage {
  event?: string;
  payload?: {
    type?: string;
    id?: string;
    doc?: Record<string, unknown>;
    status?: string;
    code?: string;
    title?: string;
  };
}

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 30_000;
/** A socket that stayed open this long was healthy: the next failure starts the back-off over. */
const HEALTHY_MS = 10_000;

/**
 * Live document events over `/realtime` (docs/realtime.md). One socket per client, opened on the first
 * subscription and closed after the last; when it drops, it reconnects with back-off, authenticates
 * again (refreshing the token when the server said it expired) and sends every subscription again.
 * Events are delivered at most once and only while connected: after a reconnect (`onState('open')`
 * again), read what was missed from `changes` or reload the list.
 */
export class Realtime {
  private readonly subs = new Map<string, Subscription>();
  private readonly errorListeners = new Set<(error: NuageError) => void>();
  private readonly stateListeners = new Set<(state: RealtimeState) => void>();
  private socket: WebSocketLike | null = null;
  private state: RealtimeState = 'closed';
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** Set when the server refused the token: the next connection asks for a fresh one. */
  private tokenRefused = false;
  /** The token the last socket authenticated with (what a refresh replaces). */
  private lastToken: string | undefined;
  /** Bumped by every connect and stop, so a connection overtaken while it awaited its token gives up. */
  private generation = 0;

  constructor(
    private readonly instance: string,
    private readonly session: TokenSession,
    private readonly WebSocketImpl: WebSocketConstructor | undefined,
  ) {}

  /** Hears every CREATED/UPDATED/DELETED of a doctype; returns the function that stops it. */
  subscribe<T extends object = Record<string, unknown>>(
    doctype: string,
    handler: RealtimeHandler<T>,
  ): Unsubscribe;
  /** Hears the events of one document. */
  subscribe<T extends object = Record<string, unknown>>(
    doctype: string,
    id: string,
    handler: RealtimeHandler<T>,
  ): Unsubscribe;
  subscribe<T extends object>(
    doctype: string,
    idOrHandler: string | RealtimeHandler<T>,
    maybeHandler?: RealtimeHandler<T>,
  ): Unsubscribe {
    const id = typeof idOrHandler === 'string' ? idOrHandler : undefined;
    const handler = (typeof idOrHandler === 'string' ? maybeHandler : idOrHandler) as RealtimeHandler<never>;
    if (!handler) throw new TypeError('subscribe needs a handler');
    const key = keyOf(doctype, id);
    let sub = this.subs.get(key);
    if (!sub) {
      sub = { doctype, id, handlers: new Set() };
      this.subs.set(key, sub);
      if (this.state === 'open') this.send('SUBSCRIBE', payloadOf(sub));
    }
    sub.handlers.add(handler);
    // `closed` is the only state without a socket on its way: connecting covers waiting to retry too.
    if (this.state === 'closed') this.connect();
    return () => this.unsubscribe(key, handler);
  }

  /** Hears refusals (a doctype not granted: 403) and the end of the owner's session (401). */
  onError(listener: (error: NuageError) => void): Unsubscribe {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  /** Hears the connection's state; `open` after a reconnect is the moment to catch up. */
  onState(listener: (state: RealtimeState) => void): Unsubscribe {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Drops every subscription and the socket. */
  close(): void {
    this.subs.clear();
    this.stop();
  }

  private unsubscribe(key: string, handler: RealtimeHandler<never>): void {
    const sub = this.subs.get(key);
    if (!sub?.handlers.delete(handler) || sub.handlers.size > 0) return;
    this.subs.delete(key);
    if (this.subs.size === 0) return this.stop();
    if (this.state !== 'open') return;
    this.send('UNSUBSCRIBE', payloadOf(sub));
    // The server drops a doctype's id subscriptions along with the doctype one: ask for them again.
    if (sub.id === undefined) {
      for (const other of this.subs.values()) {
        if (other.doctype === sub.doctype) this.send('SUBSCRIBE', payloadOf(other));
      }
    }
  }

  private stop(): void {
    this.generation += 1;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'no more subscriptions');
    this.setState('closed');
  }

  private connect(): void {
    this.setState('connecting');
    const generation = ++this.generation;
    void this.open(generation).catch((error: unknown) => {
      if (generation !== this.generation) return;
      const failure =
        error instanceof NuageError ? error : new NuageError(0, 'realtime', 'realtime', String(error));
      // No token to be had (the owner's session ended, no way to refresh) or no WebSocket: retrying cannot help.
      if (failure.status === 401 || failure.code === 'no_websocket') {
        this.emitError(failure);
        this.subs.clear();
        this.stop();
      } else {
        this.retry();
      }
    });
  }

  private async open(generation: number): Promise<void> {
    const Impl = this.WebSocketImpl ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Impl) {
      throw new NuageError(
        0,
        'no_websocket',
        'no WebSocket',
        'pass a WebSocket constructor (e.g. from `ws`)',
      );
    }
    const token = this.tokenRefused
      ? (await this.session.refresh(this.lastToken)).token
      : await this.session.current();
    if (generation !== this.generation) return;
    this.tokenRefused = false;
    this.lastToken = token;
    const socket = new Impl(realtimeUrl(this.instance));
    this.socket = socket;
    let openedAt = 0;
    socket.onopen = () => {
      openedAt = Date.now();
      socket.send(JSON.stringify({ method: 'AUTH', payload: token }));
      for (const sub of this.subs.values()) this.send('SUBSCRIBE', payloadOf(sub), socket);
      this.setState('open');
    };
    socket.onmessage = (event: { data: unknown }) => this.receive(event.data);
    socket.onclose = (event: { code: number }) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (event.code === 1008) this.tokenRefused = true;
      if (openedAt > 0 && Date.now() - openedAt >= HEALTHY_MS) this.attempts = 0;
      this.retry();
    };
    // A failed connection is followed by a close event, which retries.
    socket.onerror = () => undefined;
  }

  private retry(): void {
    if (this.subs.size === 0) return this.stop();
    this.setState('connecting');
    const ceiling = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** this.attempts);
    this.attempts += 1;
    // Jitter spreads the reconnections of many pages after a server restart.
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private receive(data: unknown): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(typeof data === 'string' ? data : String(data)) as ServerMessage;
    } catch {
      return;
    }
    const payload = message.payload ?? {};
    if (message.event === 'error') {
      const status = Number(payload.status ?? 0);
      if (status === 401) this.tokenRefused = true;
      const title = payload.title ?? 'realtime error';
      this.emitError(new NuageError(status, payload.code ?? 'realtime', title, title, payload));
      return;
    }
    if (message.event !== 'CREATED' && message.event !== 'UPDATED' && message.event !== 'DELETED') return;
    const { type, id, doc } = payload;
    if (type === undefined || id === undefined || doc === undefined) return;
    const event = { kind: message.event, doctype: type, id, doc } as RealtimeEvent<never>;
    for (const key of [keyOf(type, undefined), keyOf(type, id)]) {
      for (const handler of this.subs.get(key)?.handlers ?? []) handler(event);
    }
  }

  private send(method: string, payload: unknown, socket = this.socket): void {
    socket?.send(JSON.stringify({ method, payload }));
  }

  private setState(state: RealtimeState): void {
    if (state === this.state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }

  private emitError(error: NuageError): void {
    for (const listener of this.errorListeners) listener(error);
  }
}

function keyOf(doctype: string, id: string | undefined): string {
  return id === undefined ? doctype : `${doctype}\u0000${id}`;
}

function payloadOf(sub: Subscription): { type: string; id?: string } {
  return sub.id === undefined ? { type: sub.doctype } : { type: sub.doctype, id: sub.id };
}

/** `https://host` → `wss://host/realtime`. */
export function realtimeUrl(instance: string): string {
  const url = new URL('/realtime', instance);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}
