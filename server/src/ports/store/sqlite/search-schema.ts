/**
 * The SQLite search index (sqlite/search.ts), one migration to append to INSTANCE_MIGRATIONS.
 *
 * `search_docs` says which document each FTS row stands for; a row's number is the document's change
 * seq when it was indexed, so the newest entries have the highest rowids and a search can rank just
 * the most recent matches of an unselective query. `search_fts` is contentless: it holds the index of
 * folded tokens made in JS (data/search) and not the text, which stays in `docs`; snippets are built
 * from the document. `kind` holds one token naming the doctype, so a doctype filter is part of the
 * MATCH. `contentless_delete` (SQLite 3.43+) lets a row be deleted by rowid. Prefix indexes make
 * type-ahead on one to three letters cheap. The unicode61 tokenizer only splits the tokens we made.
 */
export const SQLITE_SEARCH_MIGRATION = `CREATE TABLE search_docs (
     doc_row INTEGER PRIMARY KEY,
     doctype TEXT NOT NULL,
     id TEXT NOT NULL,
     rev TEXT NOT NULL,
     UNIQUE (doctype, id)
   );
   CREATE VIRTUAL TABLE search_fts USING fts5 (
     title, body, kind,
     content = '', contentless_delete = 1,
     tokenize = 'unicode61 remove_diacritics 2',
     prefix = '1 2 3'
   );`;

/**
 * A later migration: FTS5 merges its index segments less eagerly (at 16 segments of a size rather
 * than 4). Every write transaction adds a segment, and the merges it then triggers were a large share
 * of indexing a bulk write (about a third less FTS5 CPU per document at 100k documents), while a
 * search over the few more segments measured no slower. The setting is stored in the index itself, so it
 * applies to data directories made before it too.
 */
export const SQLITE_SEARCH_AUTOMERGE_MIGRATION = `INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', 16);`;
