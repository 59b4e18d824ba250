import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SearchRegistry } from '../../../src/data/search/index.js';
import type { DocBody } from '../../../src/ports/store/documents.js';
import { SqliteDocuments } from '../../../src/ports/store/sqlite/documents.js';
import { migrate, tune } from '../../../src/ports/store/sqlite/migrate.js';
import { INSTANCE_MIGRATIONS } from '../../../src/ports/store/sqlite/schema.js';
import { SqliteSearch } from '../../../src/ports/store/sqlite/search.js';
import {
  SQLITE_SEARCH_AUTOMERGE_MIGRATION,
  SQLITE_SEARCH_PREFIX_MIGRATION,
} from '../../../src/ports/store/sqlite/search-schema.js';
import { tempDir } from '../../support/stores.js';

const NOTES = 'io.nuage.notes';
const CONTACTS = 'io.nuage.contacts';

const automerge = (db: Database.Database) =>
  db.prepare<[], { v: number }>("SELECT v FROM search_fts_config WHERE k = 'automerge'").get()?.v;

describe('the SQLite search index of a data directory made before its merge tuning', () => {
  const dir = tempDir();
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

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

describe('the SQLite search index of a data directory made before its prefix indexes were cut', () => {
  const dir = tempDir();
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const RECIPES = 'com.example.recipes';
  const QUERIES = ['j', 'je', 'jea', 'garden', 'elodie', '"jeanne dupont"', '"dupont jeanne"', 'tom', 'soup'];

  const registry = () => {
    const searchable = new SearchRegistry();
    searchable.declare(RECIPES, { title: ['name'], body: ['steps'] });
    return searchable;
  };
  /** A database at `migrations`, with a writer that keeps its search index. */
  const open = (name: string, migrations: readonly string[]) => {
    const db = new Database(join(dir, name));
    tune(db);
    migrate(db, migrations);
    const docs = new SqliteDocuments(db);
    docs.addParticipant(new SqliteSearch(db, registry()));
    const write = async (doctype: string, id: string, body: DocBody, parentRev: string | null = null) => {
      const [result] = (
        await docs.writeDocs(doctype, [{ id, deleted: false, body, parentRev }], { newEdits: true })
      ).results;
      if (!result?.ok) throw new Error('write failed');
      return result.rev;
    };
    const remove = (doctype: string, id: string, parentRev: string) =>
      docs.writeDocs(doctype, [{ id, deleted: true, body: {}, parentRev }], { newEdits: true });
    /** Every query's hits, without revisions (a fresh database writes other ones). */
    const results = async () => {
      const search = new SqliteSearch(db, registry());
      const all: unknown[] = [];
      for (const q of QUERIES) {
        const found = await search.search(q, { doctypes: 'all' });
        all.push(found.hits.map(({ rev: _rev, ...hit }) => hit));
      }
      return all;
    };
    return { db, write, remove, results };
  };
  /** The documents the index ends up with (what `open(…).write` would leave after any history). */
  const LIVE: [string, string, DocBody][] = [
    [CONTACTS, 'jeanne', { fullname: 'Jeanne Dupont', org: 'Jardins Élodie' }],
    [CONTACTS, 'jean', { fullname: 'Jean Valjean', email: [{ address: 'jeanne.dupont@example.org' }] }],
    [NOTES, 'garden', { title: 'Garden plans', content: 'Tomatoes, then jeanne dupont comes' }],
    [NOTES, 'soup', { title: 'Soup again', content: 'leek soup, garden leeks' }],
    [RECIPES, 'tomato', { name: 'Tomato tart', steps: 'Jeanne bakes it' }],
  ];

  it('opens with the same entries: the hits of a fresh index of its documents, phrases included', async () => {
    const cut = INSTANCE_MIGRATIONS.indexOf(SQLITE_SEARCH_PREFIX_MIGRATION);
    expect(cut).toBeGreaterThan(INSTANCE_MIGRATIONS.indexOf(SQLITE_SEARCH_AUTOMERGE_MIGRATION));
    // The file as an earlier release left it, with an app's doctype, an update and a deletion.
    const old = open('old.sqlite', INSTANCE_MIGRATIONS.slice(0, cut));
    for (const [doctype, id, body] of LIVE.slice(0, 3)) await old.write(doctype, id, body);
    const rev = await old.write(NOTES, 'soup', { title: 'Soup', content: 'tomato soup' });
    await old.write(...LIVE[3]!, rev);
    await old.remove(NOTES, 'gone', await old.write(NOTES, 'gone', { title: 'Garden shed' }));
    await old.write(...LIVE[4]!);
    const before = await old.results();

    migrate(old.db, INSTANCE_MIGRATIONS);
    const sql = old.db.prepare<[], { sql: string }>(
      "SELECT sql FROM sqlite_master WHERE name = 'search_fts'",
    );
    expect(sql.get()?.sql).toContain("prefix = '1 2'");
    expect(automerge(old.db)).toBe(16);
    const after = await old.results();
    // Same hits in the same order; scores may move, as the old index still counted deleted rows
    // in its statistics: the rebuilt one scores like a fresh index of the same documents.
    const withoutScores = (all: unknown[]) =>
      (all as { score: number }[][]).map((hits) => hits.map(({ score: _score, ...hit }) => hit));
    expect(withoutScores(after)).toEqual(withoutScores(before));
    const fresh = open('fresh.sqlite', INSTANCE_MIGRATIONS);
    for (const entry of LIVE) await fresh.write(...entry);
    expect(after).toEqual(await fresh.results());
    fresh.db.close();

    // Still written and searched after the rebuild, phrases by position.
    await old.write(NOTES, 'late', { title: 'Dupont Jeanne', content: 'garden' });
    const search = new SqliteSearch(old.db, registry());
    const ids = async (q: string) =>
      (await search.search(q, { doctypes: 'all' })).hits.map((h) => h.id).sort();
    expect(await ids('"jeanne dupont"')).toEqual(['garden', 'jean', 'jeanne']);
    expect(await ids('"dupont jeanne"')).toEqual(['late']);
    expect(await ids('gard')).toEqual(['garden', 'late', 'soup']);
    old.db.close();
  });
});
