import type { Store } from './store.js';

/**
 * Opens the store named by the configuration: PostgreSQL for a `postgres://` URL, otherwise SQLite
 * under the data directory. pg is imported lazily so the embedded default never loads it.
 */
export async function openStore(options: {
  dataDir: string;
  databaseUrl?: string | undefined;
  /** Hears what fails in the background (SQLite: a checkpoint on the worker thread). */
  onError?: (error: unknown) => void;
}): Promise<Store> {
  if (options.databaseUrl) {
    const { PostgresStore } = await import('./postgres/postgres-store.js');
    return PostgresStore.connect({ url: options.databaseUrl });
  }
  const { SqliteStore } = await import('./sqlite/sqlite-store.js');
  return new SqliteStore(options.dataDir, options.onError ? { onError: options.onError } : {});
}
