import type { DocumentStore } from './documents.js';
import type { JobQueue } from './jobs.js';
import type { SearchIndex } from './search-index.js';

/**
 * The Store port: everything Nuage persists except file contents. Two adapters implement it, SQLite
 * (embedded default, one file per instance) and PostgreSQL (one schema per instance); both pass the same
 * contract suite in server/test/ports/store/.
 *
 * Adapters never know about HTTP. They throw errors from ../../errors.ts (Conflict when an instance
 * already exists, for example) and nothing else on expected failures.
 */
export interface InstanceRecord {
  /** Stable random identifier; also names the instance's PostgreSQL schema. */
  readonly id: string;
  /** The host name that reaches this instance, lowercase, without port. */
  readonly domain: string;
  readonly createdAt: string;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly instances: InstanceRegistry;
  /**
   * The storage of one instance. Adapters cache what they open, so calling this on every request is
   * cheap. Must throw NotFound once the instance has been destroyed.
   */
  open(instance: InstanceRecord): Promise<InstanceStore>;
  /** Resolves when the underlying database answers a trivial query; used by GET /status. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface InstanceRegistry {
  /** Creates the instance and its storage. Throws Conflict if the domain is taken. */
  create(domain: string): Promise<InstanceRecord>;
  get(domain: string): Promise<InstanceRecord | null>;
  list(): Promise<InstanceRecord[]>;
  /** Removes the instance and every byte of its storage. Resolves false when it did not exist. */
  destroy(domain: string): Promise<boolean>;
}

export interface StoredRecord<T> {
  readonly id: string;
  readonly value: T;
  /** Milliseconds since the epoch, or null for records that never expire. */
  readonly expiresAt: number | null;
}

/**
 * Small typed records that are platform state, not user data: settings, sessions, tokens, device
 * passwords. They are deliberately not documents, so they never replicate or show up in search.
 * Expired records are invisible to `get` and `list` (the clock is passed in, so tests control time).
 */
export interface RecordTable {
  get<T>(kind: string, id: string, now: number): Promise<T | null>;
  put(kind: string, id: string, value: unknown, expiresAt?: number | null): Promise<void>;
  delete(kind: string, id: string): Promise<boolean>;
  list<T>(kind: string, now: number): Promise<StoredRecord<T>[]>;
  /** Deletes every expired record of every kind; returns how many went. */
  purgeExpired(now: number): Promise<number>;
}

export interface InstanceStore {
  readonly records: RecordTable;
  /** CouchDB-shaped documents, their changes feed and `_local` documents (see documents.ts). */
  readonly documents: DocumentStore;
  /** Full-text search over the searchable doctypes, updated in each write's transaction. */
  readonly search: SearchIndex;
  /** Jobs and triggers (jobs.ts): a persistent queue with leases, shared by the instance's processes. */
  readonly jobs: JobQueue;
}
