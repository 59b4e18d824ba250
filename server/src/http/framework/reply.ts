import type { ServerResponse } from 'node:http';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { serializeCookie, type CookieOptions } from './cookies.js';

/**
 * The answer being built. `send` writes it once; anything else a route returns is sent as JSON by the
 * app. Streams are piped with back-pressure and destroyed if the client goes away.
 */
export class Reply {
  statusCode = 200;
  sent = false;
  private readonly cookies: string[] = [];

  constructor(readonly raw: ServerResponse) {}

  code(status: number): this {
    this.statusCode = status;
    return this;
  }

  header(name: string, value: string | number | string[]): this {
    this.raw.setHeader(name, value);
    return this;
  }

  getHeader(name: string): string | number | string[] | undefined {
    return this.raw.getHeader(name);
  }

  type(contentType: string): this {
    return this.header('content-type', contentType);
  }

  setCookie(name: string, value: string, options?: CookieOptions): this {
    this.cookies.push(serializeCookie(name, value, options));
    return this.header('set-cookie', this.cookies);
  }

  clearCookie(name: string, options?: CookieOptions): this {
    return this.setCookie(name, '', { ...options, maxAge: 0 });
  }

  redirect(location: string, status = 302): this {
    this.code(status).header('location', location);
    this.send();
    return this;
  }

  /** Sends a string, Buffer, stream or JSON value (objects get application/json). */
  send(body?: unknown): this {
    if (this.sent) return this;
    this.sent = true;
    const res = this.raw;
    res.statusCode = this.statusCode;
    if (body instanceof Readable) {
      const sent = isSendable(body) ? body.sendTo(res) : pipeline(body, res);
      sent.catch(() => res.destroy());
      return this;
    }
    let payload: string | Buffer | undefined;
    if (body === undefined || body === null) payload = undefined;
    else if (typeof body === 'string' || Buffer.isBuffer(body)) payload = body;
    else {
      payload = JSON.stringify(body);
      if (!res.hasHeader('content-type')) res.setHeader('content-type', 'application/json; charset=utf-8');
    }
    if (typeof payload === 'string' && !res.hasHeader('content-type')) {
      res.setHeader('content-type', 'text/plain; charset=utf-8');
    }
    if (payload !== undefined) res.setHeader('content-length', Buffer.byteLength(payload));
    // A HEAD answer keeps the Content-Length its route announced for the body it does not send.
    else if (this.statusCode !== 204 && this.statusCode !== 304 && !res.hasHeader('content-length'))
      res.setHeader('content-length', 0);
    res.end(payload);
    return this;
  }
}

/**
 * A stream body that can write itself into the response, and end it, faster than a pipe (a blob on
 * disk reuses its buffers: ports/blob/sendable-streams.ts); it rejects if either side fails.
 */
interface SendableBody {
  sendTo(out: Writable): Promise<void>;
}

function isSendable(body: Readable): body is Readable & SendableBody {
  return typeof (body as Partial<SendableBody>).sendTo === 'function';
}
