import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Checkpointer } from '../../../src/ports/store/sqlite/checkpointer.js';
import { tune } from '../../../src/ports/store/sqlite/migrate.js';
import { tempDir } from '../../support/stores.js';

const MiB = 1024 * 1024;
const walSize = (path: string): number => statSync(`${path}-wal`).size;

describe('the SQLite checkpointer: write-ahead logs checkpointed on a worker thread', () => {
  const open: Database.Database[] = [];
  let checkpointer: Checkpointer | undefined;
  afterEach(async () => {
    await checkpointer?.close();
    for (const db of open.splice(0)) db.close();
  });

  /** A tuned database with a table, written `mib` MiB at a time through `commit` (0: one small row). */
  const database = () => {
    const path = join(tempDir('nuage-checkpoint-'), 'store.sqlite');
    const db = new Database(path);
    open.push(db);
    tune(db);
    db.exec('CREATE TABLE t (x BLOB)');
    const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
    const commit = (mib: number) => {
      db.transaction(() => {
        for (let i = 0; i < mib * 16; i++) insert.run(Buffer.alloc(64 * 1024, i));
        if (mib === 0) insert.run(Buffer.from('a small write'));
      })();
      checkpointer?.committed(path);
    };
    return { path, db, commit };
  };

  it('checkpoints a WAL grown past its threshold, so the next write starts it again from the top', async () => {
    const errors: unknown[] = [];
    checkpointer = new Checkpointer((error) => errors.push(error), 4 * MiB);
    const { path, db, commit } = database();
    for (let i = 0; i < 7; i++) commit(1); // below the threshold, or not yet looked at
    expect(walSize(path)).toBeGreaterThan(6 * MiB);
    commit(1); // the eighth commit looks, and asks
    await checkpointer.settled();
    commit(0); // a write after a complete checkpoint restarts the WAL, cut back to 1 MiB
    expect(walSize(path)).toBeLessThanOrEqual(MiB);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 8 * 16 + 1 });
    expect(errors).toEqual([]);
  });

  it('leaves a WAL below the threshold to grow, as SQLite would until its own backstop', async () => {
    checkpointer = new Checkpointer(() => undefined, 64 * MiB);
    const { path, commit } = database();
    for (let i = 0; i < 16; i++) commit(1);
    await checkpointer.settled();
    commit(0);
    expect(walSize(path)).toBeGreaterThan(15 * MiB);
  });

  it('reports a file it cannot checkpoint, and goes on with the others', async () => {
    const errors: unknown[] = [];
    checkpointer = new Checkpointer((error) => errors.push(error), 4 * MiB);
    checkpointer.request(join(tempDir('nuage-checkpoint-'), 'missing.sqlite'));
    await checkpointer.settled();
    expect(String(errors[0])).toMatch(/missing\.sqlite/);
    const { path, commit } = database();
    for (let i = 0; i < 8; i++) commit(1);
    await checkpointer.settled();
    commit(0);
    expect(walSize(path)).toBeLessThanOrEqual(MiB);
  });
});
