import { ChangeNotifier } from '../../src/data/notifier.js';
import { createLogger } from '../../src/http/framework/log.js';
import { createJobs, type Jobs } from '../../src/jobs/index.js';
import { defineWorker, type JobContext } from '../../src/jobs/workers.js';
import type { InstanceRecord, InstanceStore, Store } from '../../src/ports/store/store.js';
import type { StoreAdapter, StoreFixture } from '../support/stores.js';

export const T0 = Date.parse('2026-01-01T00:00:00Z');

export interface Harness {
  fx: StoreFixture;
  jobs: Jobs;
  instance: InstanceRecord;
  storage: InstanceStore;
  notifier: ChangeNotifier;
  /** What the `record` test worker saw, in order. */
  seen: { payload: unknown; attempt: number }[];
  clock: { now: number };
  scope: { instance: InstanceRecord; storage: InstanceStore };
  dispose(): Promise<void>;
}

/** A jobs subsystem on a fresh store with a hand-moved clock and a few test workers. */
export async function harness(adapter: StoreAdapter, store?: StoreFixture): Promise<Harness> {
  const fx = store ?? (await adapter.create());
  const clock = { now: T0 };
  const notifier = new ChangeNotifier();
  const jobs = createJobsOn(fx.store, clock, notifier);
  const seen: Harness['seen'] = [];
  jobs.workers.register(
    defineWorker<unknown>({
      name: 'record',
      parse: (p) => p,
      run: async (payload, ctx: JobContext) => {
        seen.push({ payload, attempt: ctx.job.attempts });
      },
    }),
  );
  const instance =
    (await fx.store.instances.get('alice.localhost')) ?? (await fx.store.instances.create('alice.localhost'));
  const storage = await fx.store.open(instance);
  await jobs.start();
  return {
    fx,
    jobs,
    instance,
    storage,
    notifier,
    seen,
    clock,
    scope: { instance, storage },
    async dispose() {
      await jobs.stop();
      if (!store) await fx.dispose();
    },
  };
}

export function createJobsOn(store: Store, clock: { now: number }, notifier = new ChangeNotifier()): Jobs {
  return createJobs({
    store,
    now: () => clock.now,
    logger: createLogger('silent'),
    notifier,
    // Long timers: the tests drive the runner with tick().
    config: { pollMs: 60_000, rescanMs: 3_600_000, stopTimeoutMs: 2000 },
  });
}

/**
 * Runs rounds until nothing runs and nothing more was started. Jobs written straight to the store are
 * unknown to the runner until it rescans, so the instance is woken first, as an enqueue would.
 */
export async function settle(jobs: Jobs, instance?: InstanceRecord): Promise<void> {
  for (let i = 0; i < 5; i++) {
    if (instance) jobs.runner.wake(instance);
    await jobs.runner.tick();
    await jobs.runner.idle();
  }
}
