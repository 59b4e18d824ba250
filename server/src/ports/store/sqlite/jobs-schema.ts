/** Jobs and triggers of one instance (jobs.ts). Times are epoch milliseconds. */
export const SQLITE_JOBS_MIGRATION = `
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    worker TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    timeout_ms INTEGER NOT NULL,
    run_at INTEGER NOT NULL,
    locked_until INTEGER,
    error TEXT,
    trigger_id TEXT,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER
  );
  CREATE INDEX jobs_due ON jobs (worker, state, run_at);
  CREATE INDEX jobs_recent ON jobs (created_at, id);
  CREATE TABLE triggers (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    arguments TEXT NOT NULL,
    worker TEXT NOT NULL,
    payload TEXT NOT NULL,
    max_attempts INTEGER,
    timeout_ms INTEGER,
    next_run INTEGER,
    secret TEXT UNIQUE,
    cursor INTEGER,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX triggers_next_run ON triggers (next_run) WHERE next_run IS NOT NULL;`;
