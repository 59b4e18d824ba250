import type Database from 'better-sqlite3';
import { BOUND_COUNT, Statements } from './statements.js';
import {
  INSERT_JOB_COLUMNS,
  newJobValues,
  TIME_TYPES,
  toJob,
  toTrigger,
  type JobRow,
  type TriggerRow,
} from '../jobs-rows.js';
import {
  LEASE_GRACE_MS,
  type JobListQuery,
  type JobQueue,
  type JobRecord,
  type NewJob,
  type NewTrigger,
  type TriggerRecord,
} from '../jobs.js';

/**
 * The SQLite JobQueue. One process owns an instance file, and better-sqlite3 is synchronous, so every
 * method body runs without interleaving; claims still run in an IMMEDIATE transaction so that another
 * process opening the same file (a CLI, say) is serialised by SQLite's write lock.
 */
export class SqliteJobs implements JobQueue {
  private readonly sql: Statements;

  constructor(private readonly db: Database.Database) {
    this.sql = new Statements(db);
  }

  private insert(job: NewJob, now: number): JobRecord {
    const [record, values] = newJobValues(job, now);
    this.sql
      .get(`INSERT INTO jobs (${INSERT_JOB_COLUMNS}) VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`)
      .run(...values);
    return record;
  }

  async enqueue(job: NewJob, now: number): Promise<JobRecord> {
    return this.insert(job, now);
  }

  async get(id: string): Promise<JobRecord | null> {
    const row = this.sql.get<[string], JobRow>('SELECT * FROM jobs WHERE id = ?').get(id);
    return row ? toJob(row, true) : null;
  }

  async list(query: JobListQuery): Promise<JobRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.worker !== undefined) {
      where.push('worker = ?');
      params.push(query.worker);
    }
    if (query.state !== undefined) {
      where.push('state = ?');
      params.push(query.state);
    }
    if (query.before) {
      where.push('(created_at < ? OR (created_at = ? AND id < ?))');
      params.push(query.before.createdAt, query.before.createdAt, query.before.id);
    }
    const sql =
      `SELECT * FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ` +
      `ORDER BY created_at DESC, id DESC LIMIT ${BOUND_COUNT}`;
    return this.sql
      .get<unknown[], JobRow>(sql)
      .all(...params, query.limit)
      .map((row) => toJob(row, true));
  }

  async claim(worker: string, limit: number, now: number): Promise<JobRecord[]> {
    return this.db
      .transaction(() => {
        this.sql
          .get(
            "UPDATE jobs SET state = 'errored', error = 'the lease expired on the last attempt', finished_at = ? " +
              "WHERE worker = ? AND state = 'running' AND locked_until <= ? AND attempts >= max_attempts",
          )
          .run(now, worker, now);
        const ids = this.sql
          .get<[string, number, number, number], { id: string }>(
            "SELECT id FROM jobs WHERE worker = ? AND ((state = 'queued' AND run_at <= ?) " +
              `OR (state = 'running' AND locked_until <= ?)) ORDER BY run_at, id LIMIT ${BOUND_COUNT}`,
          )
          .all(worker, now, now, limit);
        const take = this.sql.get<[number, number, number, string], JobRow>(
          "UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = ?, " +
            'locked_until = ? + timeout_ms + ? WHERE id = ? RETURNING *',
        );
        return ids.map(({ id }) => toJob(take.get(now, now, LEASE_GRACE_MS, id)!, true));
      })
      .immediate();
  }

  async complete(id: string, attempt: number, now: number): Promise<boolean> {
    const result = this.sql
      .get(
        "UPDATE jobs SET state = 'done', locked_until = NULL, finished_at = ? " +
          "WHERE id = ? AND state = 'running' AND attempts = ?",
      )
      .run(now, id, attempt);
    return result.changes > 0;
  }

  async deleteFinished(before: number): Promise<number> {
    return this.sql.get("DELETE FROM jobs WHERE state IN ('done', 'errored') AND finished_at < ?").run(before)
      .changes;
  }

  async fail(
    id: string,
    attempt: number,
    error: string,
    now: number,
    retryAt: number | null,
  ): Promise<boolean> {
    const result = this.sql
      .get(
        'UPDATE jobs SET state = ?, error = ?, locked_until = NULL, run_at = COALESCE(?, run_at), ' +
          "finished_at = ? WHERE id = ? AND state = 'running' AND attempts = ?",
      )
      .run(
        retryAt === null ? 'errored' : 'queued',
        error,
        retryAt,
        retryAt === null ? now : null,
        id,
        attempt,
      );
    return result.changes > 0;
  }

  async nextDue(workers: readonly string[]): Promise<number | null> {
    const names = JSON.stringify(workers);
    const row = this.sql
      .get<[string, string], { due: number | null }>(
        'SELECT MIN(due) AS due FROM (' +
          "SELECT MIN(run_at) AS due FROM jobs WHERE state = 'queued' AND worker IN (SELECT value FROM json_each(?)) " +
          "UNION ALL SELECT MIN(locked_until) FROM jobs WHERE state = 'running' AND worker IN (SELECT value FROM json_each(?)) " +
          'UNION ALL SELECT MIN(next_run) FROM triggers WHERE next_run IS NOT NULL)',
      )
      .get(names, names);
    return row?.due ?? null;
  }

  async createTrigger(t: NewTrigger, now: number): Promise<TriggerRecord> {
    this.sql
      .get(
        'INSERT INTO triggers (id, type, arguments, worker, payload, max_attempts, timeout_ms, next_run, ' +
          'secret, cursor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        t.id,
        t.type,
        t.arguments,
        t.worker,
        JSON.stringify(t.payload ?? null),
        t.maxAttempts,
        t.timeoutMs,
        t.nextRun,
        t.secret,
        t.cursor,
        now,
      );
    return { ...t, createdAt: now };
  }

  async getTrigger(id: string): Promise<TriggerRecord | null> {
    const row = this.sql.get<[string], TriggerRow>('SELECT * FROM triggers WHERE id = ?').get(id);
    return row ? toTrigger(row, true) : null;
  }

  async listTriggers(): Promise<TriggerRecord[]> {
    return this.sql
      .get<[], TriggerRow>('SELECT * FROM triggers ORDER BY created_at, id')
      .all()
      .map((row) => toTrigger(row, true));
  }

  async deleteTrigger(id: string): Promise<boolean> {
    return this.sql.get('DELETE FROM triggers WHERE id = ?').run(id).changes > 0;
  }

  async triggerBySecret(secret: string): Promise<TriggerRecord | null> {
    const row = this.sql
      .get<[string], TriggerRow>("SELECT * FROM triggers WHERE type = '@webhook' AND secret = ?")
      .get(secret);
    return row ? toTrigger(row, true) : null;
  }

  async dueTriggers(now: number): Promise<TriggerRecord[]> {
    return this.sql
      .get<[number], TriggerRow>(
        `SELECT * FROM triggers WHERE type IN ${TIME_TYPES} AND next_run <= ? ORDER BY next_run, id`,
      )
      .all(now)
      .map((row) => toTrigger(row, true));
  }

  async fireTrigger(
    id: string,
    expected: number,
    next: number | null,
    job: NewJob,
    now: number,
  ): Promise<JobRecord | null> {
    return this.db
      .transaction(() => {
        const moved = this.sql
          .get('UPDATE triggers SET next_run = ? WHERE id = ? AND next_run = ?')
          .run(next, id, expected);
        return moved.changes > 0 ? this.insert(job, now) : null;
      })
      .immediate();
  }

  async advanceCursor(
    id: string,
    expected: number,
    next: number,
    jobs: NewJob[],
    now: number,
  ): Promise<boolean> {
    return this.db
      .transaction(() => {
        const moved = this.sql
          .get('UPDATE triggers SET cursor = ? WHERE id = ? AND cursor = ?')
          .run(next, id, expected);
        if (moved.changes === 0) return false;
        for (const job of jobs) this.insert(job, now);
        return true;
      })
      .immediate();
  }
}
