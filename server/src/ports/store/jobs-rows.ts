import { randomId } from '../../random-id.js';
import {
  JOB_DEFAULTS,
  type JobRecord,
  type JobState,
  type NewJob,
  type TriggerRecord,
  type TriggerType,
} from './jobs.js';

/** A jobs row as both adapters read it (PostgreSQL BIGINTs arrive as strings; JSON as text or values). */
export interface JobRow {
  id: string;
  worker: string;
  payload: unknown;
  state: string;
  attempts: number;
  max_attempts: number;
  timeout_ms: number | string;
  run_at: number | string;
  locked_until: number | string | null;
  error: string | null;
  trigger_id: string | null;
  created_at: number | string;
  started_at: number | string | null;
  finished_at: number | string | null;
}

export interface TriggerRow {
  id: string;
  type: string;
  arguments: string;
  worker: string;
  payload: unknown;
  max_attempts: number | null;
  timeout_ms: number | string | null;
  next_run: number | string | null;
  secret: string | null;
  cursor: number | string | null;
  created_at: number | string;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));
const json = (v: unknown, text: boolean): unknown => (text ? (JSON.parse(v as string) as unknown) : v);

export function toJob(row: JobRow, jsonAsText: boolean): JobRecord {
  return {
    id: row.id,
    worker: row.worker,
    payload: json(row.payload, jsonAsText),
    state: row.state as JobState,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    timeoutMs: Number(row.timeout_ms),
    runAt: Number(row.run_at),
    lockedUntil: num(row.locked_until),
    error: row.error,
    triggerId: row.trigger_id,
    createdAt: Number(row.created_at),
    startedAt: num(row.started_at),
    finishedAt: num(row.finished_at),
  };
}

export function toTrigger(row: TriggerRow, jsonAsText: boolean): TriggerRecord {
  return {
    id: row.id,
    type: row.type as TriggerType,
    arguments: row.arguments,
    worker: row.worker,
    payload: json(row.payload, jsonAsText),
    maxAttempts: row.max_attempts,
    timeoutMs: num(row.timeout_ms),
    nextRun: num(row.next_run),
    secret: row.secret,
    cursor: num(row.cursor),
    createdAt: Number(row.created_at),
  };
}

/** The row values of a new job, in column order (see INSERT_JOB_COLUMNS). */
export function newJobValues(job: NewJob, now: number): [JobRecord, unknown[]] {
  const record: JobRecord = {
    id: randomId(12),
    worker: job.worker,
    payload: job.payload ?? null,
    state: 'queued',
    attempts: 0,
    maxAttempts: job.maxAttempts ?? JOB_DEFAULTS.maxAttempts,
    timeoutMs: job.timeoutMs ?? JOB_DEFAULTS.timeoutMs,
    runAt: job.runAt ?? now,
    lockedUntil: null,
    error: null,
    triggerId: job.triggerId ?? null,
    createdAt: now,
    startedAt: null,
    finishedAt: null,
  };
  const values = [
    record.id,
    record.worker,
    JSON.stringify(record.payload),
    record.state,
    record.maxAttempts,
    record.timeoutMs,
    record.runAt,
    record.triggerId,
    record.createdAt,
  ];
  return [record, values];
}

export const INSERT_JOB_COLUMNS =
  'id, worker, payload, state, attempts, max_attempts, timeout_ms, run_at, trigger_id, created_at';

/** The trigger types that fire on time (the others fire on events or webhooks), as an SQL list. */
export const TIME_TYPES = "('@at', '@in', '@every', '@cron')";
