/**
 * The JobQueue port: an instance's jobs and triggers, stored as rows so they survive a restart. Both
 * adapters (SQLite, PostgreSQL) pass the contract suite in server/test/ports/store/jobs.test.ts.
 *
 * Delivery is at least once: a claimed job holds a lease (`lockedUntil`); if its process dies, the job
 * is claimable again once the lease expires. Completion and failure are fenced by the attempt number,
 * so a process whose lease expired cannot overwrite the outcome of the attempt that replaced it.
 * Times are milliseconds since the epoch and always passed in, so tests control the clock.
 */
export type JobState = 'queued' | 'running' | 'done' | 'errored';

export interface JobRecord {
  readonly id: string;
  readonly worker: string;
  readonly payload: unknown;
  readonly state: JobState;
  /** Attempts started so far (a claim counts as an attempt). */
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly timeoutMs: number;
  /** When the job becomes (or became) due; moved forward by backoff after a failed attempt. */
  readonly runAt: number;
  /** While running: when the lease ends and another process may take the job over. */
  readonly lockedUntil: number | null;
  /** The last attempt's error message, kept after a later success is recorded too. */
  readonly error: string | null;
  /** The trigger that queued the job, if any. */
  readonly triggerId: string | null;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
}

export interface NewJob {
  worker: string;
  payload?: unknown;
  /** Defaults to now. */
  runAt?: number;
  /** Defaults to 3. */
  maxAttempts?: number;
  /** Defaults to 60 000 ms. */
  timeoutMs?: number;
  triggerId?: string | null;
}

export const JOB_DEFAULTS = { maxAttempts: 3, timeoutMs: 60_000 } as const;
/** Added to a job's timeout to make its lease: time for the runner to record the outcome. */
export const LEASE_GRACE_MS = 30_000;

export interface JobListQuery {
  worker?: string;
  state?: JobState;
  limit: number;
  /** Jobs created strictly before this job's (createdAt, id), for paging; newest first. */
  before?: { createdAt: number; id: string };
}

export type TriggerType = '@at' | '@in' | '@every' | '@cron' | '@event' | '@webhook';

export interface TriggerRecord {
  readonly id: string;
  readonly type: TriggerType;
  /** What follows the type: an ISO date, a duration, a cron expression, `doctype[:VERBS]`, or ''. */
  readonly arguments: string;
  readonly worker: string;
  readonly payload: unknown;
  readonly maxAttempts: number | null;
  readonly timeoutMs: number | null;
  /** Time triggers: the next firing, or null once a one-shot trigger has fired. */
  readonly nextRun: number | null;
  /** `@webhook` only: the unguessable secret of its URL. */
  readonly secret: string | null;
  /** `@event` only: the instance seq up to which changes have been turned into jobs. */
  readonly cursor: number | null;
  readonly createdAt: number;
}

export type NewTrigger = Omit<TriggerRecord, 'createdAt'>;

export interface JobQueue {
  /** Stores a queued job and returns it. */
  enqueue(job: NewJob, now: number): Promise<JobRecord>;
  get(id: string): Promise<JobRecord | null>;
  /** Newest first. */
  list(query: JobListQuery): Promise<JobRecord[]>;
  /**
   * Atomically takes up to `limit` jobs of `worker` that are due (queued with `runAt <= now`, or running
   * with an expired lease), oldest `runAt` first: each becomes running, its attempts grow by one and its
   * lease ends at `now + timeoutMs + LEASE_GRACE_MS`. Two claimers, in this process or another, never
   * get the same job for the same lease. A job whose lease expired on its last attempt becomes errored
   * instead of being claimed.
   */
  claim(worker: string, limit: number, now: number): Promise<JobRecord[]>;
  /** Records success of attempt `attempt`. False when that attempt no longer owns the job. */
  complete(id: string, attempt: number, now: number): Promise<boolean>;
  /**
   * Records a failed attempt: queued again at `retryAt`, or errored when `retryAt` is null. False when
   * that attempt no longer owns the job.
   */
  fail(id: string, attempt: number, error: string, now: number, retryAt: number | null): Promise<boolean>;
  /** Deletes the done and errored jobs that finished before `before`; resolves how many went. */
  deleteFinished(before: number): Promise<number>;
  /**
   * The earliest time something needs the runner: a queued job's `runAt`, a running job's lease end, or
   * a time trigger's `nextRun`. Only jobs of `workers` count: a job no process here can run must not
   * keep the runner awake. Null when nothing is pending.
   */
  nextDue(workers: readonly string[]): Promise<number | null>;

  createTrigger(trigger: NewTrigger, now: number): Promise<TriggerRecord>;
  getTrigger(id: string): Promise<TriggerRecord | null>;
  listTriggers(): Promise<TriggerRecord[]>;
  deleteTrigger(id: string): Promise<boolean>;
  triggerBySecret(secret: string): Promise<TriggerRecord | null>;
  /** Time triggers with `nextRun <= now`. */
  dueTriggers(now: number): Promise<TriggerRecord[]>;
  /**
   * Claims one firing of a time trigger: in one transaction, moves `nextRun` from `expected` to `next`
   * (null: done) and queues `job`. Resolves null, queuing nothing, when `nextRun` was no longer
   * `expected` (another process fired it) or the trigger is gone. This makes a firing happen once.
   */
  fireTrigger(
    id: string,
    expected: number,
    next: number | null,
    job: NewJob,
    now: number,
  ): Promise<JobRecord | null>;
  /**
   * Same for `@event` triggers: moves the cursor from `expected` to `next` and queues `jobs`, all or
   * nothing; false when the cursor had moved (another process handled those changes).
   */
  advanceCursor(id: string, expected: number, next: number, jobs: NewJob[], now: number): Promise<boolean>;
}
