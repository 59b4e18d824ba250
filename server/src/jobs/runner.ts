import { NotFound } from '../errors.js';
import type { Logger } from '../http/framework/log.js';
import type { JobRecord, NewJob, TriggerRecord } from '../ports/store/jobs.js';
import type { InstanceRecord, InstanceStore, Store } from '../ports/store/store.js';
import { nextRunAfter } from './schedule.js';
import { PermanentFailure, type Worker, type WorkerRegistry } from './workers.js';

export interface RunnerOptions {
  store: Store;
  workers: WorkerRegistry;
  now: () => number;
  logger: Logger;
  /** Longest sleep while some instance has pending work (bounds the lag on a late or busy job). */
  pollMs?: number;
  /** How often every instance is asked again for pending work (jobs queued by another process). */
  rescanMs?: number;
  /** How long `stop()` waits for running jobs before aborting them. */
  stopTimeoutMs?: number;
  /** Delay before retry number `attempt` (1 after the first failure). */
  backoff?: (attempt: number) => number;
}

/** 1 s, 2 s, 4 s… capped at one hour. */
export const exponentialBackoff = (attempt: number): number => Math.min(1000 * 2 ** (attempt - 1), 3_600_000);

/** The job a trigger queues, with the trigger's payload and options. */
export function jobOfTrigger(trigger: TriggerRecord, payload: unknown = trigger.payload): NewJob {
  const job: NewJob = { worker: trigger.worker, payload, triggerId: trigger.id };
  if (trigger.maxAttempts !== null) job.maxAttempts = trigger.maxAttempts;
  if (trigger.timeoutMs !== null) job.timeoutMs = trigger.timeoutMs;
  return job;
}

class JobTimeout extends Error {}

/**
 * Runs the jobs of every instance in this process. It keeps, per instance known to have pending work,
 * the time that work is due, and one timer for the earliest; an enqueue in this process wakes it at
 * once. On PostgreSQL, every `rescanMs` it asks all instances again, which is how it learns of jobs
 * queued by another process (the database, not this class, makes sure a job runs once); a SQLite file
 * belongs to one process, so it is scanned at start only and an idle SQLite stack has no timer.
 */
export class JobRunner {
  private readonly due = new Map<string, { instance: InstanceRecord; at: number }>();
  private readonly running = new Map<string, number>();
  private readonly active = new Map<Promise<void>, AbortController>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | null = null;
  private again = false;
  private nextRescan = 0;
  private stopped = false;
  private readonly pollMs: number;
  private readonly rescanMs: number;
  private readonly backoff: (attempt: number) => number;

  constructor(private readonly options: RunnerOptions) {
    this.pollMs = options.pollMs ?? 1000;
    this.rescanMs = options.rescanMs ?? 60_000;
    this.backoff = options.backoff ?? exponentialBackoff;
  }

  /** Learns which instances have pending work and starts the timer. */
  async start(): Promise<void> {
    await this.rescan();
    this.schedule();
  }

  /** Work for `instance` is due at `at` (default now): an enqueue, a new trigger, a freed slot. */
  wake(instance: InstanceRecord, at = this.options.now()): void {
    if (this.stopped) return;
    const known = this.due.get(instance.id);
    if (!known || at < known.at) this.due.set(instance.id, { instance, at });
    this.schedule();
  }

  /** Runs one round now: fires due triggers and starts due jobs. Tests call it after moving the clock. */
  tick(): Promise<void> {
    if (this.ticking) {
      this.again = true;
      return this.ticking;
    }
    this.ticking = this.round().finally(() => {
      this.ticking = null;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.tick();
      } else this.schedule();
    });
    return this.ticking;
  }

  /** Resolves when no job is running and no round is in progress (tests). */
  async idle(): Promise<void> {
    while (this.ticking || this.active.size > 0) {
      await this.ticking;
      await Promise.all(this.active.keys());
    }
  }

  /** Jobs running now in this process. */
  get runningCount(): number {
    return this.active.size;
  }

  /** Stops starting jobs, waits up to `stopTimeoutMs` for running ones, then aborts and records them. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
    const all = Promise.all(this.active.keys());
    let limit: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      limit = setTimeout(() => resolve('late'), this.options.stopTimeoutMs ?? 10_000);
    });
    if ((await Promise.race([all, late])) === 'late') {
      for (const controller of this.active.values()) controller.abort(new Error('the stack is stopping'));
      await all;
    }
    clearTimeout(limit);
  }

  private workerNames(): string[] {
    return this.options.workers.all().map((w) => w.name);
  }

  private schedule(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const now = this.options.now();
    let at = this.nextRescan;
    for (const entry of this.due.values()) at = Math.min(at, entry.at);
    // Nothing pending and nothing to rescan (SQLite): no timer at all until something wakes us.
    if (!Number.isFinite(at)) return;
    const delay = Math.max(0, Math.min(at - now, this.due.size > 0 ? this.pollMs : this.rescanMs));
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    if (this.options.now() >= this.nextRescan) await this.rescan();
    const now = this.options.now();
    for (const [id, entry] of [...this.due]) {
      if (this.stopped) return;
      if (entry.at > now) continue;
      this.due.delete(id);
      try {
        await this.runInstance(entry.instance);
      } catch (error) {
        if (error instanceof NotFound) continue; // the instance was destroyed: forget it
        this.options.logger.error({ err: error, instance: entry.instance.domain }, 'job round failed');
        this.wake(entry.instance, now + this.pollMs);
      }
    }
  }

  private async rescan(): Promise<void> {
    // A SQLite instance file belongs to this process: after the start-up scan, every enqueue wakes us.
    const periodic = this.options.store.kind === 'postgres';
    this.nextRescan = periodic ? this.options.now() + this.rescanMs : Number.POSITIVE_INFINITY;
    for (const instance of await this.options.store.instances.list()) {
      try {
        const storage = await this.options.store.open(instance);
        const at = await storage.jobs.nextDue(this.workerNames());
        if (at !== null) this.wake(instance, at);
      } catch (error) {
        this.options.logger.warn({ err: error, instance: instance.domain }, 'could not read pending jobs');
      }
    }
  }

  private async runInstance(instance: InstanceRecord): Promise<void> {
    const storage = await this.options.store.open(instance);
    const now = this.options.now();
    for (const trigger of await storage.jobs.dueTriggers(now)) {
      const next = await nextRunAfter(trigger, trigger.nextRun!, now);
      await storage.jobs.fireTrigger(trigger.id, trigger.nextRun!, next, jobOfTrigger(trigger), now);
    }
    for (const worker of this.options.workers.all()) {
      const free = (worker.concurrency ?? 1) - (this.running.get(worker.name) ?? 0);
      if (free <= 0) continue;
      for (const job of await storage.jobs.claim(worker.name, free, now))
        this.launch(instance, storage, worker, job);
    }
    const at = await storage.jobs.nextDue(this.workerNames());
    // Due but not claimable here (busy or unknown worker): look again later, or when a job ends.
    if (at !== null) this.wake(instance, Math.max(at, now + (at <= now ? this.pollMs : 0)));
  }

  private launch(instance: InstanceRecord, storage: InstanceStore, worker: Worker, job: JobRecord): void {
    this.running.set(worker.name, (this.running.get(worker.name) ?? 0) + 1);
    const controller = new AbortController();
    const done = this.execute(instance, storage, worker, job, controller).finally(() => {
      this.running.set(worker.name, (this.running.get(worker.name) ?? 1) - 1);
      this.active.delete(done);
      this.wake(instance);
    });
    this.active.set(done, controller);
  }

  private async execute(
    instance: InstanceRecord,
    storage: InstanceStore,
    worker: Worker,
    job: JobRecord,
    controller: AbortController,
  ): Promise<void> {
    const { now, logger } = this.options;
    const log = logger.child({ job: job.id, worker: worker.name, instance: instance.domain });
    const timer = setTimeout(
      () => controller.abort(new JobTimeout(`timed out after ${job.timeoutMs} ms`)),
      job.timeoutMs,
    );
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason as Error), {
        once: true,
      });
    });
    aborted.catch(() => undefined);
    try {
      const payload = worker.parse(job.payload);
      const signal = controller.signal;
      await Promise.race([
        worker.run(payload, { instance, storage, job, signal, now, logger: log }),
        aborted,
      ]);
      await storage.jobs.complete(job.id, job.attempts, now());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const final = error instanceof PermanentFailure || job.attempts >= job.maxAttempts;
      const retryAt = final ? null : now() + this.backoff(job.attempts);
      log.warn({ err: error, attempt: job.attempts, retryAt }, 'job failed');
      await storage.jobs.fail(job.id, job.attempts, message, now(), retryAt).catch((e: unknown) => {
        log.error({ err: e }, 'could not record a job failure; its lease will expire');
      });
    } finally {
      clearTimeout(timer);
    }
  }
}
