/**
 * The SQLite search index (sqlite/search.ts), one migration to append to INSTANCE_MIGRATIONS.
 *
 * `search_docs` says which document each FTS row stands for; a row's number is the document's change
 * seq when it was indexed, so the newest entries have the highest rowids and a search can rank just
 * the most recent matches of an unselective query. `search_fts` is contentless: it holds the index of
 * folded tokens made in JS (data/search) and not the text, which stays in `docs`; snippets are built
 * from the document. `kind` holds one token naming the doctype, so a doctype filter is part of the
 * MATCH. `contentless_delete` (SQLite 3.43+) lets a row be deleted by rowid. Prefix indexes make
 * type-ahead on one to three letters cheap (SQLITE_SEARCH_PREFIX_MIGRATION later keeps one and two).
 * The unicode61 tokenizer splits text we made (data/search/fts5-text.ts).
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

/**
 * A later migration: `search_fts` rebuilt with prefix indexes of one and two letters only, and the
 * same entries. A prefix index costs as much to keep as the main index (every token is written once
 * per index), so each index dropped is a fifth to a quarter of the FTS5 work of a bulk write. A
 * query of three letters or more (`jea`) reads the few words that start with it from the main index;
 * one or two letters (`j`, `je`) match so many words that they keep their indexes. The search reads
 * the index once per query (sqlite/search.ts), which keeps most three-letter queries within a few
 * milliseconds; a prefix of several very common words (`the`: the, they, there…) takes tens.
 *
 * The text is not in the table (contentless), so the entries are read back from the old index itself
 * with `fts5vocab` (every token of every live row, with its column and position) and written to the
 * new table in position order (an ordered `group_concat`, SQLite 3.44+): the same tokens, positions
 * and column sizes, for every doctype including those an app declared, so phrases match as before.
 * Scores become those of a fresh index of the same documents (the old index's totals still counted
 * rows deleted since). Only rows that `search_docs` still lists are copied (deleted rows may linger in
 * the old segments). About 4.5 s per 100k documents, once, when the instance is opened.
 */
export const SQLITE_SEARCH_PREFIX_MIGRATION = `CREATE VIRTUAL TABLE temp.search_old_tokens
     USING fts5vocab (main, search_fts, instance);
   CREATE VIRTUAL TABLE search_fts_new USING fts5 (
     title, body, kind,
     content = '', contentless_delete = 1,
     tokenize = 'unicode61 remove_diacritics 2',
     prefix = '1 2'
   );
   INSERT INTO search_fts_new (search_fts_new, rank) VALUES ('automerge', 16);
   INSERT INTO search_fts_new (rowid, title, body, kind)
     SELECT t.doc,
            group_concat(t.term, ' ' ORDER BY t.offset) FILTER (WHERE t.col = 'title'),
            group_concat(t.term, ' ' ORDER BY t.offset) FILTER (WHERE t.col = 'body'),
            group_concat(t.term, ' ' ORDER BY t.offset) FILTER (WHERE t.col = 'kind')
       FROM temp.search_old_tokens t
      WHERE t.doc IN (SELECT doc_row FROM search_docs)
      GROUP BY t.doc
      ORDER BY t.doc;
   DROP TABLE temp.search_old_tokens;
   DROP TABLE search_fts;
   ALTER TABLE search_fts_new RENAME TO search_fts;`;
