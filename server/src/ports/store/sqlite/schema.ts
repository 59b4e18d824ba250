import { SQLITE_JOBS_MIGRATION } from './jobs-schema.js';
import {
  SQLITE_SEARCH_AUTOMERGE_MIGRATION,
  SQLITE_SEARCH_MIGRATION,
  SQLITE_SEARCH_PREFIX_MIGRATION,
} from './search-schema.js';

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
  // Documents (ports/store/documents.ts). `seq` is the rowid: the instance's changes feed is a plain
  // rowid scan, and a document's row moves to the end of the table each time it changes. `body` holds
  // the winning revision's body; `doc_leaves` the bodies of the other leaves (conflicts), so most
  // writes touch one row. `doc_seq` is the instance's one changes counter.
  `CREATE TABLE doc_seq (id INTEGER PRIMARY KEY CHECK (id = 0), value INTEGER NOT NULL);
   INSERT INTO doc_seq (id, value) VALUES (0, 0);
   CREATE TABLE docs (
     seq INTEGER PRIMARY KEY,
     doctype TEXT NOT NULL,
     id TEXT NOT NULL,
     rev TEXT NOT NULL,
     deleted INTEGER NOT NULL,
     tree TEXT NOT NULL,
     body TEXT NOT NULL
   );
   CREATE UNIQUE INDEX docs_id ON docs (doctype, id);
   CREATE INDEX docs_doctype_seq ON docs (doctype, seq);
   CREATE TABLE doc_leaves (
     doctype TEXT NOT NULL,
     id TEXT NOT NULL,
     rev TEXT NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (doctype, id, rev)
   );
   CREATE TABLE doctypes (
     doctype TEXT PRIMARY KEY,
     doc_count INTEGER NOT NULL,
     doc_del_count INTEGER NOT NULL,
     update_seq INTEGER NOT NULL
   ) WITHOUT ROWID;
   CREATE TABLE local_docs (
     doctype TEXT NOT NULL,
     id TEXT NOT NULL,
     rev INTEGER NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (doctype, id)
   );
   CREATE TABLE mango_indexes (
     index_id INTEGER PRIMARY KEY,
     doctype TEXT NOT NULL,
     ddoc TEXT NOT NULL,
     name TEXT NOT NULL,
     def TEXT NOT NULL,
     UNIQUE (doctype, ddoc, name)
   );
   CREATE TABLE mango_entries (
     index_id INTEGER NOT NULL REFERENCES mango_indexes (index_id) ON DELETE CASCADE,
     key BLOB NOT NULL,
     doc_id TEXT NOT NULL,
     PRIMARY KEY (index_id, key, doc_id)
   ) WITHOUT ROWID;
   CREATE INDEX mango_entries_doc ON mango_entries (index_id, doc_id);`,
  // Full-text search (search.ts): a contentless FTS5 index kept by a write participant.
  SQLITE_SEARCH_MIGRATION,
  // Jobs and triggers (jobs.ts).
  SQLITE_JOBS_MIGRATION,
  // Cheaper search indexing of bulk writes (search-schema.ts).
  SQLITE_SEARCH_AUTOMERGE_MIGRATION,
  // The tombstones alone, so `_all_docs` counts live documents from indexes (document-reads.ts).
  `CREATE INDEX docs_tombstones ON docs (doctype, id) WHERE deleted = 1;`,
  // Cheaper search indexing again: prefix indexes of one and two letters only (search-schema.ts).
  SQLITE_SEARCH_PREFIX_MIGRATION,
];
