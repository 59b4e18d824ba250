import { POSTGRES_JOBS_MIGRATION } from './jobs-schema.js';
import { POSTGRES_SEARCH_MIGRATION } from './search-schema.js';

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
  // Documents (ports/store/documents.ts). Ids are COLLATE "C" so that ranges and order are code-point
  // order, as in SQLite. `body` holds the winning revision's body, `doc_leaves` the other leaves' (the
  // conflicts). Bodies and trees are TEXT: written and read as JSON by the stack, never queried here.
  // `doc_seq` is the instance's one changes counter; writers lock its row until they commit.
  `CREATE TABLE {s}.doc_seq (id INTEGER PRIMARY KEY CHECK (id = 0), value BIGINT NOT NULL);
   INSERT INTO {s}.doc_seq (id, value) VALUES (0, 0);
   CREATE TABLE {s}.docs (
     doctype TEXT COLLATE "C" NOT NULL,
     id TEXT COLLATE "C" NOT NULL,
     rev TEXT NOT NULL,
     deleted BOOLEAN NOT NULL,
     seq BIGINT NOT NULL,
     tree TEXT NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (doctype, id)
   );
   CREATE UNIQUE INDEX docs_seq ON {s}.docs (seq);
   CREATE INDEX docs_doctype_seq ON {s}.docs (doctype, seq);
   CREATE TABLE {s}.doc_leaves (
     doctype TEXT COLLATE "C" NOT NULL,
     id TEXT COLLATE "C" NOT NULL,
     rev TEXT NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (doctype, id, rev)
   );
   CREATE TABLE {s}.doctypes (
     doctype TEXT COLLATE "C" PRIMARY KEY,
     doc_count BIGINT NOT NULL,
     doc_del_count BIGINT NOT NULL,
     update_seq BIGINT NOT NULL
   );
   CREATE TABLE {s}.local_docs (
     doctype TEXT COLLATE "C" NOT NULL,
     id TEXT COLLATE "C" NOT NULL,
     rev INTEGER NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (doctype, id)
   );
   CREATE TABLE {s}.mango_indexes (
     index_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     doctype TEXT COLLATE "C" NOT NULL,
     ddoc TEXT COLLATE "C" NOT NULL,
     name TEXT COLLATE "C" NOT NULL,
     def TEXT NOT NULL,
     UNIQUE (doctype, ddoc, name)
   );
   CREATE TABLE {s}.mango_entries (
     index_id BIGINT NOT NULL REFERENCES {s}.mango_indexes (index_id) ON DELETE CASCADE,
     key BYTEA NOT NULL,
     doc_id TEXT COLLATE "C" NOT NULL,
     PRIMARY KEY (index_id, key, doc_id)
   );
   CREATE INDEX mango_entries_doc ON {s}.mango_entries (index_id, doc_id);`,
  // Full-text search (search.ts): tsvector entries kept by a write participant.
  POSTGRES_SEARCH_MIGRATION,
  // Jobs and triggers (jobs.ts).
  POSTGRES_JOBS_MIGRATION,
  // The tombstones alone, so `_all_docs` counts live documents from indexes (document-reads.ts).
  `CREATE INDEX docs_tombstones ON {s}.docs (doctype, id) WHERE deleted;`,
];
