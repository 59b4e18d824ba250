import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { parseCookies } from './cookies.js';
import type { Logger } from './log.js';

/** The request as routes see it: parsed URL, params, lazily parsed cookies, and the body once read. */
export class Request {
  readonly method: string;
  /** Path and query as received. */
  readonly url: string;
  /** Path only, not decoded (routes decode their params). */
  readonly path: string;
  readonly query: Record<string, string>;
  params: Record<string, string> = {};
  body: unknown = undefined;
  private cookies_: Record<string, string> | undefined;

  constructor(
    readonly raw: IncomingMessage,
    readonly id: string,
    readonly log: Logger,
    private readonly trustProxy: boolean,
  ) {
    this.method = raw.method ?? 'GET';
    this.url = raw.url ?? '/';
    const q = this.url.indexOf('?');
    this.path = q < 0 ? this.url : this.url.slice(0, q);
    this.query = {};
    if (q >= 0) {
      for (const [k, v] of new URLSearchParams(this.url.slice(q + 1))) {
        if (!(k in this.query) && k !== '__proto__') this.query[k] = v;
      }
    }
  }

  get headers(): IncomingMessage['headers'] {
    return this.raw.headers;
  }

  get cookies(): Record<string, string> {
    return (this.cookies_ ??= parseCookies(this.raw.headers.cookie));
  }

  /** The client address; the first X-Forwarded-For hop only when a trusted proxy sets it. */
  get ip(): string {
    const forwarded = this.raw.headers['x-forwarded-for'];
    if (this.trustProxy && typeof forwarded === 'string') return forwarded.split(',')[0]!.trim();
    return this.raw.socket.remoteAddress ?? '';
  }

  get protocol(): 'http' | 'https' {
    if (this.trustProxy) {
      const proto = this.raw.headers['x-forwarded-proto'];
      if (proto === 'https' || proto === 'http') return proto;
    }
    return (this.raw.socket as TLSSocket).encrypted ? 'https' : 'http';
  }
}
