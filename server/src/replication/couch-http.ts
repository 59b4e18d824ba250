import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

/** How a remote endpoint is reached: its credentials travel in one Authorization header. */
export type Credentials =
  { kind: 'basic'; user: string; password: string } | { kind: 'bearer'; token: string };

/** An answer of a CouchDB-compatible server that was not 2xx, with CouchDB's `error` and `reason`. */
export class RemoteError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly reason: string,
    readonly url: string,
  ) {
    super(`${url} answered ${status} ${error}${reason ? `: ${reason}` : ''}`);
    this.name = 'RemoteError';
  }
}

export interface HttpCall {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** Full URL, without credentials (they come from `credentials`). */
  url: URL;
  body?: unknown;
  signal?: AbortSignal;
  /** Answer statuses that are returned as `null` instead of thrown (e.g. 404 for a missing checkpoint). */
  tolerate?: readonly number[];
}

/** Sends one JSON request and parses the JSON answer; injected so tests can count or fail calls. */
export type HttpTransport = (call: HttpCall) => Promise<unknown>;

/**
 * `*.localhost` names reach the loopback interface (as browsers do) without asking DNS, which often
 * does not know them; the Host header keeps the name, so a multi-instance server still sees it.
 */
export const loopbackLookup: LookupFunction = (hostname, options, callback) => {
  const name = hostname.toLowerCase();
  if (name !== 'localhost' && !name.endsWith('.localhost')) {
    dnsLookup(hostname, options, callback);
    return;
  }
  const address: LookupAddress = { address: '127.0.0.1', family: 4 };
  if (options.all) (callback as (e: null, a: LookupAddress[]) => void)(null, [address]);
  else callback(null, address.address, address.family);
};

/** Longest silence on a connection before the request fails; heartbeats keep long polls under it. */
const IDLE_TIMEOUT_MS = 60_000;

/**
 * The real transport: node:http(s) with keep-alive agents (a replication makes thousands of small
 * calls) and the loopback lookup above. Node's fetch cannot do either: it forbids a Host header.
 */
export function nodeTransport(credentials: Credentials | null): HttpTransport {
  const agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets: 8 }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: 8 }),
  };
  const authorization =
    credentials === null
      ? undefined
      : credentials.kind === 'bearer'
        ? `Bearer ${credentials.token}`
        : `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
  return (call) =>
    new Promise((resolve, reject) => {
      const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
      const headers: Record<string, string> = { accept: 'application/json' };
      if (authorization) headers.authorization = authorization;
      if (payload !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(Buffer.byteLength(payload));
      }
      const https = call.url.protocol === 'https:';
      const send = https ? httpsRequest : httpRequest;
      const req = send(call.url, {
        method: call.method,
        headers,
        agent: https ? agents.https : agents.http,
        lookup: loopbackLookup,
        timeout: IDLE_TIMEOUT_MS,
        ...(call.signal ? { signal: call.signal } : {}),
      });
      req.on('timeout', () => req.destroy(new Error(`${call.url.origin} did not answer in time`)));
      req.on('error', reject);
      req.on('response', (res) => {
        readAnswer(res, call).then(resolve, reject);
      });
      req.end(payload);
    });
}

async function readAnswer(res: IncomingMessage, call: HttpCall): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const status = res.statusCode ?? 0;
  let json: unknown;
  try {
    // Long polls with heartbeats start with newlines, which JSON.parse skips as whitespace.
    json = text.trim() === '' ? null : (JSON.parse(text) as unknown);
  } catch {
    if (status >= 200 && status < 300) throw new Error(`${where(call)} did not answer JSON`);
  }
  if (status >= 200 && status < 300) return json;
  if (call.tolerate?.includes(status)) return null;
  const body = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const error = typeof body.error === 'string' ? body.error : (res.statusMessage ?? 'error');
  const reason =
    typeof body.reason === 'string' ? body.reason : typeof body.detail === 'string' ? body.detail : '';
  throw new RemoteError(status, error, reason, where(call));
}

/** A URL fit for messages: no query string, never credentials. */
function where(call: HttpCall): string {
  return `${call.method} ${call.url.origin}${call.url.pathname}`;
}
