import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresStore } from '../../src/ports/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/ports/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/ports/store/store.js';

/** The PostgreSQL server the store contract also runs against; CI sets it (see .ci/run). */
export const POSTGRES_URL = process.env.NUAGE_TEST_POSTGRES;

export interface StoreFixture {
  store: Store;
  /** The options a stack config needs to reach the same storage. */
  dataDir: string;
  databaseUrl: string | undefined;
  dispose(): Promise<void>;
}

export interface StoreAdapter {
  name: 'sqlite' | 'postgres';
  create(): Promise<StoreFixture>;
}

export function tempDir(prefix = 'nuage-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

const sqlite: StoreAdapter = {
  name: 'sqlite',
  async create() {
    const dataDir = tempDir();
    const store = new SqliteStore(dataDir);
    return {
      store,
      dataDir,
      databaseUrl: undefined,
      async dispose() {
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
};

const postgres: StoreAdapter = {
  name: 'postgres',
  async create() {
    const url = POSTGRES_URL!;
    // A private prefix per fixture keeps parallel test files from seeing each other's instances.
    const prefix = `t${randomBytes(5).toString('hex')}`;
    const store = await PostgresStore.connect({ url, prefix, maxConnections: 4 });
    const dataDir = tempDir();
    return {
      store,
      dataDir,
      databaseUrl: url,
      async dispose() {
        await store.dropEverything();
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
};

/** Every adapter available here: SQLite always, PostgreSQL when NUAGE_TEST_POSTGRES is set. */
export const STORE_ADAPTERS: StoreAdapter[] = POSTGRES_URL ? [sqlite, postgres] : [sqlite];
