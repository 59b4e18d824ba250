import { randomBytes } from 'node:crypto';
import { BadRequest, NotFound } from '../errors.js';
import type { JobListQuery, JobRecord, NewJob, TriggerRecord, TriggerType } from '../ports/store/jobs.js';
import type { InstanceRecord, InstanceStore } from '../ports/store/store.js';
import type { EventWatcher } from './events.js';
import { jobOfTrigger, type JobRunner } from './runner.js';
import { firstRun, TRIGGER_TYPES } from './schedule.js';
import type { WorkerRegistry } from './workers.js';

/** The instance a call is about: its record and its open storage. */
export interface JobScope {
  instance: InstanceRecord;
  storage: InstanceStore;
}

export interface EnqueueInput {
  worker: string;
  payload?: unknown;
  runAt?: number;
  maxAttempts?: number;
  timeoutMs?: number;
}

export interface TriggerInput {
  type: string;
  arguments?: string;
  worker: string;
  payload?: unknown;
  maxAttempts?: number;
  timeoutMs?: number;
}

/** Longest timeout a caller may ask for a job. */
const MAX_TIMEOUT_MS = 24 * 3_600_000;

/**
 * Jobs and triggers as the edges see them: validates worker names and payloads, stores, and wakes the
 * runner (or the event watcher) so new work starts at once in this process.
 */
export class JobService {
  constructor(
    private readonly deps: {
      workers: WorkerRegistry;
      runner: JobRunner;
      events: EventWatcher;
      now: () => number;
    },
  ) {}

  /** Queues a job; BadRequest for an unknown worker, a payload it refuses or out-of-range options. */
  async enqueue(scope: JobScope, input: EnqueueInput): Promise<JobRecord> {
    const job = this.validate(input);
    const record = await scope.storage.jobs.enqueue(job, this.deps.now());
    this.deps.runner.wake(scope.instance, record.runAt);
    return record;
  }

  get(scope: JobScope, id: string): Promise<JobRecord | null> {
    return scope.storage.jobs.get(id);
  }

  list(scope: JobScope, query: JobListQuery): Promise<JobRecord[]> {
    return scope.storage.jobs.list(query);
  }

  /** Stores a trigger after checking its type, arguments, worker and payload. */
  async createTrigger(scope: JobScope, input: TriggerInput): Promise<TriggerRecord> {
    const type = input.type as TriggerType;
    if (!TRIGGER_TYPES.includes(type))
      throw new BadRequest(`type must be one of ${TRIGGER_TYPES.join(', ')}`);
    const job = this.validate({ ...input, payload: input.payload ?? null });
    const args = input.arguments ?? '';
    const now = this.deps.now();
    const nextRun = await firstRun(type, args, now);
    const trigger = await scope.storage.jobs.createTrigger(
      {
        id: randomBytes(12).toString('hex'),
        type,
        arguments: args,
        worker: job.worker,
        payload: job.payload ?? null,
        maxAttempts: job.maxAttempts ?? null,
        timeoutMs: job.timeoutMs ?? null,
        nextRun,
        // 256 random bits: the webhook URL is its only credential.
        secret: type === '@webhook' ? randomBytes(32).toString('base64url') : null,
        cursor: type === '@event' ? await scope.storage.documents.updateSeq() : null,
      },
      now,
    );
    if (nextRun !== null) this.deps.runner.wake(scope.instance, nextRun);
    if (type === '@event') this.deps.events.watch(scope.instance);
    return trigger;
  }

  listTriggers(scope: JobScope): Promise<TriggerRecord[]> {
    return scope.storage.jobs.listTriggers();
  }

  getTrigger(scope: JobScope, id: string): Promise<TriggerRecord | null> {
    return scope.storage.jobs.getTrigger(id);
  }

  deleteTrigger(scope: JobScope, id: string): Promise<boolean> {
    return scope.storage.jobs.deleteTrigger(id);
  }

  /** Queues the job of the webhook trigger with this secret; NotFound for any other secret. */
  async webhook(scope: JobScope, secret: string, body: unknown): Promise<JobRecord> {
    const trigger = secret.length >= 22 ? await scope.storage.jobs.triggerBySecret(secret) : null;
    if (!trigger) throw new NotFound('no such webhook');
    const base = trigger.payload;
    const object = base !== null && typeof base === 'object' && !Array.isArray(base) ? base : {};
    const payload = body === undefined ? base : { ...object, webhook: body };
    const record = await scope.storage.jobs.enqueue(jobOfTrigger(trigger, payload), this.deps.now());
    this.deps.runner.wake(scope.instance);
    return record;
  }

  private validate(input: EnqueueInput): NewJob {
    const worker = this.deps.workers.get(input.worker);
    if (!worker) throw new BadRequest(`no worker named "${input.worker}"`);
    try {
      worker.parse(input.payload ?? null);
    } catch (error) {
      throw new BadRequest(`bad payload for ${worker.name}: ${(error as Error).message}`);
    }
    const job: NewJob = { worker: worker.name, payload: input.payload ?? null };
    if (input.runAt !== undefined) job.runAt = checkInt(input.runAt, 'runAt', 0, 8.64e15);
    const maxAttempts = input.maxAttempts ?? worker.maxAttempts;
    if (maxAttempts !== undefined) job.maxAttempts = checkInt(maxAttempts, 'maxAttempts', 1, 100);
    const timeoutMs = input.timeoutMs ?? worker.timeoutMs;
    if (timeoutMs !== undefined) job.timeoutMs = checkInt(timeoutMs, 'timeoutMs', 1, MAX_TIMEOUT_MS);
    return job;
  }
}

function checkInt(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new BadRequest(`${name} must be a whole number from ${min} to ${max}`);
  return value;
}
