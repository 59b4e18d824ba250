import type { Logger } from '../http/framework/log.js';
import type { JobRecord } from '../ports/store/jobs.js';
import type { InstanceRecord, InstanceStore } from '../ports/store/store.js';

/** What a running job is given besides its payload. */
export interface JobContext {
  readonly instance: InstanceRecord;
  readonly storage: InstanceStore;
  readonly job: JobRecord;
  /** Aborts when the job times out or the stack stops; long work should watch it. */
  readonly signal: AbortSignal;
  readonly now: () => number;
  readonly logger: Logger;
}

/**
 * A named job function with a typed payload. Delivery is at least once: a job may run again after a
 * crash, a timeout or a lost lease, so `run` must be idempotent (or check what it already did).
 */
export interface Worker<P = unknown> {
  readonly name: string;
  /** Checks and types a payload; throws a message for a payload it cannot run (400 at enqueue time). */
  parse(payload: unknown): P;
  run(payload: P, context: JobContext): Promise<void>;
  /** Jobs of this worker running at once in one process; default 1. */
  readonly concurrency?: number;
  /** Default per-job timeout; default 60 s. */
  readonly timeoutMs?: number;
  /** Default attempts before a job is errored; default 3. */
  readonly maxAttempts?: number;
}

/** A worker whose payload type is kept while it sits in a registry of workers of any payload. */
export function defineWorker<P>(worker: Worker<P>): Worker<unknown> {
  return worker;
}

/** A failure that retrying cannot fix (bad payload, missing settings): the job is errored at once. */
export class PermanentFailure extends Error {}

/** A payload the worker refuses. */
export class InvalidPayload extends PermanentFailure {}

/** The workers this stack runs, by name. */
export class WorkerRegistry {
  private readonly byName = new Map<string, Worker<unknown>>();

  register(worker: Worker<unknown>): void {
    if (this.byName.has(worker.name)) throw new Error(`worker ${worker.name} is already registered`);
    this.byName.set(worker.name, worker);
  }

  get(name: string): Worker<unknown> | undefined {
    return this.byName.get(name);
  }

  all(): Worker<unknown>[] {
    return [...this.byName.values()];
  }
}
