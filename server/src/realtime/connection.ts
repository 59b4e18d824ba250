import type { WebSocket } from 'ws';
import { NuageError } from '../errors.js';
import type { Logger } from '../http/framework/log.js';
import { can, canAny, canWhole, isDoctype, type PermissionSet } from '../permissions/permissions.js';
import type { DocumentEvent } from './events.js';
import { parseClientMessage, ProtocolError, type ClientMessage, type ServerMessage } from './protocol.js';

/** What one doctype subscription covers: every document, or some ids. */
interface Subscription {
  all: boolean;
  ids: Set<string>;
}

/** A client that stops reading is cut off rather than buffered without end. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** What a socket authenticated with: its permissions, and how to tell that they still hold. */
export interface Credentials {
  perms: PermissionSet;
  /** False once the session ended or the token expired or was revoked. */
  stillValid: () => Promise<boolean>;
}

export interface ConnectionOptions {
  /** Known when the upgrade carried credentials (session cookie, bearer header); else AUTH must come first. */
  credentials: Credentials | null;
  /** Checks the token of an AUTH message; throws Unauthorized when it is not valid here. */
  authenticate: (token: string) => Promise<Credentials>;
  log: Logger;
}

/**
 * One `/realtime` socket: its permissions, its subscriptions, and the protocol of docs/realtime.md.
 * Permissions are checked twice: at SUBSCRIBE (a doctype the caller may not read at all is refused)
 * and for each event (a selector-scoped token only hears about the documents its rules name).
 */
export class RealtimeConnection {
  private credentials: Credentials | null;
  private readonly subscriptions = new Map<string, Subscription>();
  /** Messages are handled one at a time, so SUBSCRIBE right after AUTH sees the result of AUTH. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly ws: WebSocket,
    private readonly options: ConnectionOptions,
  ) {
    this.credentials = options.credentials;
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? null : Buffer.isBuffer(data) ? data.toString('utf8') : null;
      this.queue = this.queue.then(() => this.handle(text));
    });
  }

  get authenticated(): boolean {
    return this.credentials !== null;
  }

  /**
   * Closes the socket (after a 401 error event) when its session or token is no longer valid, so an
   * expired token or a logout does not keep hearing events. A failure to check keeps the socket.
   */
  async revalidate(): Promise<void> {
    const credentials = this.credentials;
    if (!credentials) return;
    let valid: boolean;
    try {
      valid = await credentials.stillValid();
    } catch (error) {
      this.options.log.warn({ err: error }, 'could not recheck realtime credentials');
      return;
    }
    if (valid) return;
    this.credentials = null;
    this.send({
      event: 'error',
      payload: { status: '401', code: 'unauthorized', title: 'the session or token has expired' },
    });
    this.ws.close(1008, 'credentials expired');
  }

  /** Sends the event if this socket subscribed to it and may read the document. */
  deliver(event: DocumentEvent): void {
    const perms = this.credentials?.perms;
    const sub = this.subscriptions.get(event.doctype);
    if (!perms || !sub || (!sub.all && !sub.ids.has(event.id))) return;
    if (!canWhole(perms, 'GET', event.doctype) && !can(perms, 'GET', event.doctype, event.doc)) return;
    this.send({ event: event.kind, payload: { type: event.doctype, id: event.id, doc: event.doc } });
  }

  private async handle(text: string | null): Promise<void> {
    let message: ClientMessage | undefined;
    try {
      if (text === null) throw new ProtocolError(400, 'bad_request', 'messages are JSON text frames');
      message = parseClientMessage(text);
      await this.apply(message);
    } catch (error) {
      this.refuse(error, message);
    }
  }

  private async apply(message: ClientMessage): Promise<void> {
    if (message.method === 'AUTH') {
      if (this.credentials) {
        throw new ProtocolError(400, 'bad_request', 'this socket is already authenticated');
      }
      try {
        this.credentials = await this.options.authenticate(message.payload);
      } catch (error) {
        this.refuse(error, { method: 'AUTH', payload: '…' });
        this.ws.close(1008, 'authentication failed');
      }
      return;
    }
    const perms = this.credentials?.perms;
    if (!perms) throw new ProtocolError(401, 'unauthorized', 'send AUTH with a token first');
    const { type, id } = message.payload;
    if (!isDoctype(type)) throw new ProtocolError(400, 'bad_request', `invalid doctype "${type}"`);
    if (message.method === 'SUBSCRIBE') {
      if (!canAny(perms, 'GET', type))
        throw new ProtocolError(403, 'forbidden', `this token may not GET ${type}`);
      const sub = this.subscriptions.get(type) ?? { all: false, ids: new Set<string>() };
      if (id === undefined) sub.all = true;
      else sub.ids.add(id);
      this.subscriptions.set(type, sub);
      return;
    }
    const sub = this.subscriptions.get(type);
    if (!sub) return;
    if (id === undefined) this.subscriptions.delete(type);
    else {
      sub.ids.delete(id);
      if (!sub.all && sub.ids.size === 0) this.subscriptions.delete(type);
    }
  }

  /** Answers a refused message with an `error` event; an unexpected failure is logged as a bug. */
  private refuse(error: unknown, source: unknown): void {
    if (error instanceof ProtocolError || error instanceof NuageError) {
      this.send({
        event: 'error',
        payload: { status: String(error.status), code: error.code, title: error.message, source },
      });
      return;
    }
    this.options.log.error({ err: error }, 'realtime message failed');
    this.send({
      event: 'error',
      payload: { status: '500', code: 'internal', title: 'internal error', source },
    });
  }

  private send(message: ServerMessage): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.options.log.warn('realtime client too slow to read its events; disconnecting it');
      this.ws.terminate();
      return;
    }
    this.ws.send(JSON.stringify(message));
  }
}
