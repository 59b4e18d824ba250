import type pg from 'pg';
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
import { inTransaction } from './transaction.js';

/**
 * The PostgreSQL JobQueue, shared by every stack process on the database: claims lock their rows with
 * `FOR UPDATE SKIP LOCKED`, and trigger firings are conditional UPDATEs, so each happens in one process.
 */
export class PostgresJobs implements JobQueue {
  constructor(
    private readonly pool: pg.Pool,
    private readonly s: string,
  ) {}

  private async insert(db: pg.Pool | pg.PoolClient, job: NewJob, now: number): Promise<JobRecord> {
    const [record, values] = newJobValues(job, now);
    await db.query(
      `INSERT INTO ${this.s}.jobs (${INSERT_JOB_COLUMNS}) VALUES ($1, $2, $3, $4, 0, $5, $6, $7, $8, $9)`,
      values,
    );
    return record;
  }

  async enqueue(job: NewJob, now: number): Promise<JobRecord> {
    return this.insert(this.pool, job, now);
  }

  async get(id: string): Promise<JobRecord | null> {
    const { rows } = await this.pool.query<JobRow>(`SELECT * FROM ${this.s}.jobs WHERE id = $1`, [id]);
    return rows[0] ? toJob(rows[0], false) : null;
  }

  async list(query: JobListQuery): Promise<JobRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (value: unknown): string => `$${params.push(value)}`;
    if (query.worker !== undefined) where.push(`worker = ${p(query.worker)}`);
    if (query.state !== undefined) where.push(`state = ${p(query.state)}`);
    if (query.before) {
      const at = p(query.before.createdAt);
      where.push(`(created_at < ${at} OR (created_at = ${at} AND id < ${p(query.before.id)}))`);
    }
    const { rows } = await this.pool.query<JobRow>(
      `SELECT * FROM ${this.s}.jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id DESC LIMIT ${p(query.limit)}`,
      params,
    );
    return rows.map((row) => toJob(row, false));
  }

  async claim(worker: string, limit: number, now: number): Promise<JobRecord[]> {
    return inTransaction(this.pool, async (client) => {
      await client.query(
        `UPDATE ${this.s}.jobs SET state = 'errored', error = 'the lease expired on the last attempt',
           finished_at = $1
         WHERE worker = $2 AND state = 'running' AND locked_until <= $1 AND attempts >= max_attempts`,
        [now, worker],
      );
      const { rows } = await client.query<JobRow>(
        `UPDATE ${this.s}.jobs SET state = 'running', attempts = attempts + 1, started_at = $1,
           locked_until = $1 + timeout_ms + $4
         WHERE id IN (
           SELECT id FROM ${this.s}.jobs
           WHERE worker = $2 AND ((state = 'queued' AND run_at <= $1) OR (state = 'running' AND locked_until <= $1))
           ORDER BY run_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        [now, worker, limit, LEASE_GRACE_MS],
      );
      return rows.map((row) => toJob(row, false)).sort((a, b) => a.runAt - b.runAt || (a.id < b.id ? -1 : 1));
    });
  }

  async complete(id: string, attempt: number, now: number): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE ${this.s}.jobs SET state = 'done', locked_until = NULL, finished_at = $1
       WHERE id = $2 AND state = 'running' AND attempts = $3`,
      [now, id, attempt],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async deleteFinished(before: number): Promise<number> {
    const result = await this.pool.query(
      `DELETE FROM ${this.s}.jobs WHERE state IN ('done', 'errored') AND finished_at < $1`,
      [before],
    );
    return result.rowCount ?? 0;
  }

  async fail(
    id: string,
    attempt: number,
    error: string,
    now: number,
    retryAt: number | null,
  ): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE ${this.s}.jobs SET state = $1, error = $2, locked_until = NULL,
         run_at = COALESCE($3, run_at), finished_at = $4
       WHERE id = $5 AND state = 'running' AND attempts = $6`,
      [retryAt === null ? 'errored' : 'queued', error, retryAt, retryAt === null ? now : null, id, attempt],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async nextDue(workers: readonly string[]): Promise<number | null> {
    const { rows } = await this.pool.query<{ due: string | null }>(
      `SELECT LEAST(
         (SELECT MIN(run_at) FROM ${this.s}.jobs WHERE state = 'queued' AND worker = ANY($1)),
         (SELECT MIN(locked_until) FROM ${this.s}.jobs WHERE state = 'running' AND worker = ANY($1)),
         (SELECT MIN(next_run) FROM ${this.s}.triggers WHERE next_run IS NOT NULL)) AS due`,
      [workers],
    );
    const due = rows[0]?.due ?? null;
    return due === null ? null : Number(due);
  }

  async createTrigger(t: NewTrigger, now: number): Promise<TriggerRecord> {
    await this.pool.query(
      `INSERT INTO ${this.s}.triggers (id, type, arguments, worker, payload, max_attempts, timeout_ms,
         next_run, secret, cursor, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
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
      ],
    );
    return { ...t, createdAt: now };
  }

  async getTrigger(id: string): Promise<TriggerRecord | null> {
    const { rows } = await this.pool.query<TriggerRow>(`SELECT * FROM ${this.s}.triggers WHERE id = $1`, [
      id,
    ]);
    return rows[0] ? toTrigger(rows[0], false) : null;
  }

  async listTriggers(): Promise<TriggerRecord[]> {
    const { rows } = await this.pool.query<TriggerRow>(
      `SELECT * FROM ${this.s}.triggers ORDER BY created_at, id`,
    );
    return rows.map((row) => toTrigger(row, false));
  }

  async deleteTrigger(id: string): Promise<boolean> {
    const result = await this.pool.query(`DELETE FROM ${this.s}.triggers WHERE id = $1`, [id]);
    return (result.rowCount ?? 0) > 0;
  }

  async triggerBySecret(secret: string): Promise<TriggerRecord | null> {
    const { rows } = await this.pool.query<TriggerRow>(
      `SELECT * FROM ${this.s}.triggers WHERE type = '@webhook' AND secret = $1`,
      [secret],
    );
    return rows[0] ? toTrigger(rows[0], false) : null;
  }

  async dueTriggers(now: number): Promise<TriggerRecord[]> {
    const { rows } = await this.pool.query<TriggerRow>(
      `SELECT * FROM ${this.s}.triggers WHERE type IN ${TIME_TYPES} AND next_run <= $1 ORDER BY next_run, id`,
      [now],
    );
    return rows.map((row) => toTrigger(row, false));
  }

  async fireTrigger(
    id: string,
    expected: number,
    next: number | null,
    job: NewJob,
    now: number,
  ): Promise<JobRecord | null> {
    return inTransaction(this.pool, async (client) => {
      const moved = await client.query(
        `UPDATE ${this.s}.triggers SET next_run = $1 WHERE id = $2 AND next_run = $3`,
        [next, id, expected],
      );
      return (moved.rowCount ?? 0) > 0 ? this.insert(client, job, now) : null;
    });
  }

  async advanceCursor(
    id: string,
    expected: number,
    next: number,
    jobs: NewJob[],
    now: number,
  ): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      const moved = await client.query(
        `UPDATE ${this.s}.triggers SET cursor = $1 WHERE id = $2 AND cursor = $3`,
        [next, id, expected],
      );
      if ((moved.rowCount ?? 0) === 0) return false;
      for (const job of jobs) await this.insert(client, job, now);
      return true;
    });
  }
}
