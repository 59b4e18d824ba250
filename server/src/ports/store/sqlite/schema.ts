/**
 * Migrations of the per-instance SQLite file, in order. Never edit a released entry: append a new one.
 * Each service that owns tables contributes its list; the order of this array is the upgrade order.
 */
export const REGISTRY_MIGRATIONS: readonly string[] = [
  `CREATE TABLE instances (
     id TEXT PRIMARY KEY,
     domain TEXT NOT NULL UNIQUE,
     created_at TEXT NOT NULL
   );`,
];

export const INSTANCE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE records (
     kind TEXT NOT NULL,
     id TEXT NOT NULL,
     value TEXT NOT NULL,
     expires_at INTEGER,
     PRIMARY KEY (kind, id)
   ) WITHOUT ROWID;
   CREATE INDEX records_expiry ON records (expires_at) WHERE expires_at IS NOT NULL;`,
];
