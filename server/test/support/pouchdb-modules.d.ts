/**
 * The parts of PouchDB the tests use. DefinitelyTyped's @types/pouchdb-* pull the DOM library into the
 * whole program (`/// <reference lib="dom" />`), which breaks Node's Buffer types, so we declare our own.
 */
declare module 'pouchdb-core' {
  export interface PouchDoc {
    _id: string;
    _rev: string;
    _conflicts?: string[];
    _deleted_conflicts?: string[];
    [member: string]: unknown;
  }

  export interface ReplicationResult {
    ok: boolean;
    status: string;
    docs_read: number;
    docs_written: number;
    last_seq: unknown;
  }

  export interface ReplicateOptions {
    live?: boolean;
    retry?: boolean;
    batch_size?: number;
    selector?: Record<string, unknown>;
  }

  /** A replication (or sync) in progress: awaitable, cancellable, with events. */
  export interface Replication extends PromiseLike<ReplicationResult> {
    on(event: 'change', listener: (info: ReplicationResult) => void): this;
    on(event: 'error' | 'paused' | 'active' | 'complete', listener: (info: unknown) => void): this;
    cancel(): void;
  }

  export interface PouchDatabase {
    info(): Promise<{ doc_count: number; update_seq: unknown }>;
    get(id: string, options: { open_revs: 'all' }): Promise<{ ok?: PouchDoc; missing?: string }[]>;
    get(id: string, options?: { conflicts?: boolean }): Promise<PouchDoc>;
    put(doc: object): Promise<{ ok: boolean; id: string; rev: string }>;
    bulkDocs(docs: object[]): Promise<unknown[]>;
    remove(doc: PouchDoc): Promise<{ ok: boolean; rev: string }>;
    remove(id: string, rev: string): Promise<{ ok: boolean; rev: string }>;
    replicate: {
      to(target: PouchDatabase, options?: ReplicateOptions): Replication;
      from(source: PouchDatabase, options?: ReplicateOptions): Replication;
    };
    sync(other: PouchDatabase, options?: ReplicateOptions): Replication;
  }

  export type Fetch = (url: unknown, options: { method?: string; headers: unknown }) => Promise<unknown>;

  export interface PouchStatic {
    new (name: string, options: Record<string, unknown>): PouchDatabase;
    plugin(plugin: unknown): PouchStatic;
    fetch: Fetch;
  }

  const PouchDB: PouchStatic;
  export default PouchDB;
}

declare module 'pouchdb-adapter-memory' {
  const plugin: unknown;
  export default plugin;
}

declare module 'pouchdb-adapter-http' {
  const plugin: unknown;
  export default plugin;
}

declare module 'pouchdb-replication' {
  const plugin: unknown;
  export default plugin;
}
