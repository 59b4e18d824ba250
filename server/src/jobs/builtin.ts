import { defineWorker, InvalidPayload } from './workers.js';

/** `log`: writes its payload to the log and succeeds. A harmless worker to test triggers with. */
export const logWorker = defineWorker<unknown>({
  name: 'log',
  concurrency: 4,
  timeoutMs: 10_000,
  parse: (payload) => payload,
  run: async (payload, { logger, job }) => {
    logger.info({ job: job.id, payload }, 'log job');
  },
});

interface SleepPayload {
  ms: number;
  fail?: string;
}

/**
 * `sleep`: waits `ms` (abortable), then succeeds, or fails with `fail` as its message. Used by tests and
 * benchmarks of the runner.
 */
export const sleepWorker = defineWorker<SleepPayload>({
  name: 'sleep',
  concurrency: 2,
  timeoutMs: 60_000,
  parse: (payload) => {
    const p = payload as Partial<SleepPayload> | null;
    if (typeof p?.ms !== 'number' || p.ms < 0) throw new InvalidPayload('sleep needs { ms: number }');
    if (p.fail !== undefined && typeof p.fail !== 'string') throw new InvalidPayload('fail must be a string');
    return p as SleepPayload;
  },
  run: async ({ ms, fail }, { signal }) => {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(signal.reason as Error);
        },
        { once: true },
      );
    });
    if (fail !== undefined) throw new Error(fail);
  },
});
