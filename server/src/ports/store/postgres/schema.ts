/**
 * PostgreSQL migrations. `{s}` stands for the quoted schema name of the registry or of an instance.
 * Never edit a released entry: append a new one.
 */
export const REGISTRY_MIGRATIONS: readonly string[] = [
  `CREATE TABLE {s}.instances (
     id TEXT PRIMARY KEY,
     domain TEXT NOT NULL UNIQUE,
     created_at TEXT NOT NULL
   );`,
];

export const INSTANCE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE {s}.records (
     kind TEXT NOT NULL,
     id TEXT NOT NULL,
     value JSONB NOT NULL,
     expires_at BIGINT,
     PRIMARY KEY (kind, id)
   );
   CREATE INDEX records_expiry ON {s}.records (expires_at) WHERE expires_at IS NOT NULL;`,
];
