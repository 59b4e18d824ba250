import type Database from 'better-sqlite3';

/**
 * Applies the migrations a database has not seen yet, in order, each in its own transaction.
 * The applied count is kept in SQLite's `user_version`, so no table is needed for it.
 */
export function migrate(db: Database.Database, migrations: readonly string[]): void {
  const applied = db.pragma('user_version', { simple: true }) as number;
  for (let i = applied; i < migrations.length; i++) {
    db.transaction(() => {
      db.exec(migrations[i]!);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
}

/** Pragmas every Nuage SQLite connection runs with: WAL for concurrent readers, a bounded cache. */
export function tune(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Negative means KiB: at most 8 MiB of page cache per open instance keeps a Pi's memory in check.
  db.pragma('cache_size = -8192');
  // Checkpoints run on a worker (checkpointer.ts); SQLite's own, in the committing call, are a backstop
  // should it fall behind. A WAL that restarts is cut back to 1 MiB, so its size says how much was
  // written since, which is what the Checkpointer looks at.
  db.pragma('wal_autocheckpoint = 10000');
  db.pragma('journal_size_limit = 1048576');
}
