import PouchDBCore, { type Fetch, type PouchDatabase } from 'pouchdb-core';
import httpAdapter from 'pouchdb-adapter-http';
import memoryAdapter from 'pouchdb-adapter-memory';
import replication from 'pouchdb-replication';

export type { PouchDatabase, PouchDoc } from 'pouchdb-core';

/** Real PouchDB as Node apps use it: in-memory local databases, HTTP remotes, replication and sync. */
export const PouchDB = PouchDBCore.plugin(memoryAdapter).plugin(httpAdapter).plugin(replication);

let counter = 0;

/** A fresh in-memory database (a phone, a laptop), never shared between tests. */
export function localDb(): PouchDatabase {
  return new PouchDB(`local-${process.pid}-${++counter}`, { adapter: 'memory' });
}

export interface RemoteOptions {
  port: number;
  /** The instance's host name, sent as Host while connecting to 127.0.0.1. */
  host: string;
  doctype: string;
  /** Basic credentials, or an Authorization header value (`Bearer …`). */
  auth: { username: string; password: string } | string;
}

/**
 * PouchDB's view of `/data/<doctype>` on a test stack. Node's fetch cannot set Host, but PouchDB's own
 * (node-fetch) can: the wrapper adds it, and the Authorization header for a token.
 */
export function remoteDb(o: RemoteOptions): PouchDatabase {
  const fetch: Fetch = (url, options) => {
    const headers = options.headers as { set(name: string, value: string): void };
    headers.set('Host', o.host);
    if (typeof o.auth === 'string') headers.set('Authorization', o.auth);
    return PouchDB.fetch(url, options);
  };
  return new PouchDB(`http://127.0.0.1:${o.port}/data/${o.doctype}`, {
    fetch,
    ...(typeof o.auth === 'string' ? {} : { auth: o.auth }),
  });
}
