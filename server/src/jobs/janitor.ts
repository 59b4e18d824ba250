import type { Logger } from '../http/framework/log.js';
import type { Store } from '../ports/store/store.js';
import { PeriodicPass } from './periodic-pass.js';

/** How long a finished job (done or errored) stays listed, with its error, before it is forgotten. */
export const FINISHED_JOBS_KEEP_MS = 7 * 24 * 60 * 60 * 1000;

export interface JobJanitorOptions {
  store: Store;
  now: () => number;
  logger: Logger;
  keepMs?: number;
  startDelayMs?: number;
  everyMs?: number;
}

/**
 * Forgets finished jobs a week after they finished, in every instance: a trigger fires for every
 * matching write (thumbnails, reminders), so without it the jobs table grows with each of them.
 * Runs a few seconds after start-up and daily, on unref'd timers that hold nothing between passes.
 * Several processes may each run it: a delete is idempotent.
 */
export class JobJanitor {
  private readonly periodic: PeriodicPass;

  constructor(private readonly options: JobJanitorOptions) {
    this.periodic = new PeriodicPass(
      async () => void (await this.pass()),
      { startDelayMs: options.startDelayMs ?? 5000, everyMs: options.everyMs ?? 24 * 60 * 60 * 1000 },
      (error) => options.logger.error({ err: error }, 'job janitor failed'),
    );
  }

  start(): void {
    this.periodic.start();
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** One pass over every instance; resolves how many jobs were forgotten. */
  async pass(): Promise<number> {
    const { store, now, logger } = this.options;
    const before = now() - (this.options.keepMs ?? FINISHED_JOBS_KEEP_MS);
    let forgotten = 0;
    for (const instance of await store.instances.list()) {
      if (this.periodic.stopped) break;
      try {
        forgotten += await (await store.open(instance)).jobs.deleteFinished(before);
      } catch (error) {
        logger.error({ err: error, instance: instance.domain }, 'could not forget finished jobs');
      }
    }
    if (forgotten > 0) logger.info({ forgotten }, 'forgot finished jobs older than a week');
    return forgotten;
  }
}
