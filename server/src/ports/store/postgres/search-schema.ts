/**
 * The PostgreSQL search index (postgres/search.ts), one migration to append to INSTANCE_MIGRATIONS;
 * `{s}` is the instance's quoted schema.
 *
 * One row per indexed document. `tsv` is built in JS from folded tokens (data/search/entry.ts): title
 * positions weight A, body positions weight B, so no text search configuration tokenises anything and
 * results match SQLite's. `seq` is the document's change seq when it was indexed: a search ranks the
 * most recent matches of an unselective query only. The text stays in `docs`; snippets are built from
 * the document.
 */
export const POSTGRES_SEARCH_MIGRATION = `CREATE TABLE {s}.search_docs (
     doctype TEXT COLLATE "C" NOT NULL,
     id TEXT COLLATE "C" NOT NULL,
     rev TEXT NOT NULL,
     seq BIGINT NOT NULL,
     tsv TSVECTOR NOT NULL,
     PRIMARY KEY (doctype, id)
   );
   CREATE INDEX search_docs_tsv ON {s}.search_docs USING GIN (tsv);
   CREATE INDEX search_docs_seq ON {s}.search_docs (seq);`;
