/** Jobs and triggers of one instance (jobs.ts). `{s}` is the instance schema; times are epoch ms. */
export const POSTGRES_JOBS_MIGRATION = `
  CREATE TABLE {s}.jobs (
    id TEXT COLLATE "C" PRIMARY KEY,
    worker TEXT NOT NULL,
    payload JSONB NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    timeout_ms BIGINT NOT NULL,
    run_at BIGINT NOT NULL,
    locked_until BIGINT,
    error TEXT,
    trigger_id TEXT,
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT
  );
  CREATE INDEX jobs_due ON {s}.jobs (worker, state, run_at);
  CREATE INDEX jobs_recent ON {s}.jobs (created_at, id);
  CREATE TABLE {s}.triggers (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    arguments TEXT NOT NULL,
    worker TEXT NOT NULL,
    payload JSONB NOT NULL,
    max_attempts INTEGER,
    timeout_ms BIGINT,
    next_run BIGINT,
    secret TEXT UNIQUE,
    cursor BIGINT,
    created_at BIGINT NOT NULL
  );
  CREATE INDEX triggers_next_run ON {s}.triggers (next_run) WHERE next_run IS NOT NULL;`;
