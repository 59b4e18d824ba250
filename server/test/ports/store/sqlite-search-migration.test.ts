import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SearchRegistry } from '../../../src/data/search/index.js';
import { SqliteDocuments } from '../../../src/ports/store/sqlite/documents.js';
import { migrate, tune } from '../../../src/ports/store/sqlite/migrate.js';
import { INSTANCE_MIGRATIONS } from '../../../src/ports/store/sqlite/schema.js';
import { SqliteSearch } from '../../../src/ports/store/sqlite/search.js';
import { SQLITE_SEARCH_AUTOMERGE_MIGRATION } from '../../../src/ports/store/sqlite/search-schema.js';
import { tempDir } from '../../support/stores.js';

const NOTES = 'io.nuage.notes';

describe('the SQLite search index of a data directory made before its merge tuning', () => {
  const dir = tempDir();
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const automerge = (db: Database.Database) =>
    db.prepare<[], { v: number }>("SELECT v FROM search_fts_config WHERE k = 'automerge'").get()?.v;

  it('opens, keeps its entries and merges at 16 segments from then on', async () => {
    const tuning = INSTANCE_MIGRATIONS.indexOf(SQLITE_SEARCH_AUTOMERGE_MIGRATION);
    expect(tuning).toBeGreaterThan(0);
    const db = new Database(join(dir, 'store.sqlite'));
    tune(db);
    // The file as an earlier release left it: every migration before the tuning, and a document.
    migrate(db, INSTANCE_MIGRATIONS.slice(0, tuning));
    const before = new SqliteDocuments(db);
    before.addParticipant(new SqliteSearch(db, new SearchRegistry()));
    await before.writeDocs(NOTES, [{ id: 'n', deleted: false, body: { title: 'Garden party' } }], {
      newEdits: true,
    });
    expect(automerge(db)).toBeUndefined();

    migrate(db, INSTANCE_MIGRATIONS);
    expect(automerge(db)).toBe(16);
    const search = new SqliteSearch(db, new SearchRegistry());
    const found = await search.search('gard', { doctypes: [NOTES] });
    expect(found.hits.map((h) => h.id)).toEqual(['n']);
    db.close();
  });
});
