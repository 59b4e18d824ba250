import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Jobs } from '../../src/jobs/index.js';
import { defineWorker } from '../../src/jobs/workers.js';
import { PostgresStore } from '../../src/ports/store/postgres/postgres-store.js';
import type { InstanceRecord } from '../../src/ports/store/store.js';
import { POSTGRES_URL } from '../support/stores.js';
import { createJobsOn, T0 } from './harness.js';

/** Two stack processes on one PostgreSQL database, each with its own store (pool) and runner. */
describe.skipIf(!POSTGRES_URL)('two runners on one PostgreSQL', () => {
  const prefix = `t2p${Date.now().toString(36)}`;
  const clock = { now: T0 };
  let stores: PostgresStore[];
  let runners: Jobs[];
  let instance: InstanceRecord;
  const runs: string[] = [];

  beforeEach(async () => {
    runs.length = 0;
    stores = [
      await PostgresStore.connect({ url: POSTGRES_URL!, prefix, maxConnections: 4 }),
      await PostgresStore.connect({ url: POSTGRES_URL!, prefix, maxConnections: 4 }),
    ];
    instance = await stores[0]!.instances.create('alice.localhost');
    runners = stores.map((store, i) => {
      const jobs = createJobsOn(store, clock);
      jobs.workers.register(
        defineWorker<null>({
          name: 'count',
          concurrency: 4,
          parse: () => null,
          run: async (_, { job }) => {
            runs.push(`${job.id}@${i}`);
            await new Promise((r) => setTimeout(r, 2));
          },
        }),
      );
      return jobs;
    });
    for (const jobs of runners) await jobs.start();
  });
  afterEach(async () => {
    for (const jobs of runners) await jobs.stop();
    await stores[0]!.dropEverything();
    for (const store of stores) await store.close();
  });

  const bothRound = async () => {
    for (let i = 0; i < 10; i++) {
      for (const jobs of runners) jobs.runner.wake(instance);
      await Promise.all(runners.map((jobs) => jobs.runner.tick()));
      await Promise.all(runners.map((jobs) => jobs.runner.idle()));
    }
  };

  it('runs each job exactly once, spread over both processes', async () => {
    const storage = await stores[0]!.open(instance);
    for (let i = 0; i < 40; i++) await storage.jobs.enqueue({ worker: 'count' }, T0);
    await bothRound();
    const ids = runs.map((r) => r.split('@')[0]);
    expect(ids.length).toBe(40);
    expect(new Set(ids).size).toBe(40);
    expect((await storage.jobs.list({ limit: 100, state: 'done' })).length).toBe(40);
  });

  it('turns each change into one @event job, whichever process reads it', async () => {
    const scope = { instance, storage: await stores[0]!.open(instance) };
    await runners[0]!.service.createTrigger(scope, { type: '@event', arguments: 'io.x', worker: 'count' });
    for (let i = 0; i < 10; i++) {
      await scope.storage.documents.writeDocs('io.x', [{ id: `d${i}`, deleted: false, body: {} }], {
        newEdits: true,
      });
      await Promise.all(runners.map((jobs) => jobs.events.round(instance)));
    }
    await bothRound();
    expect(runs.length).toBe(10);
  });

  it('fires a trigger once per period', async () => {
    const scope = { instance, storage: await stores[1]!.open(instance) };
    const trigger = await runners[1]!.service.createTrigger(scope, {
      type: '@every',
      arguments: '1m',
      worker: 'count',
    });
    for (let i = 0; i < 3; i++) {
      clock.now += 60_000;
      await bothRound();
    }
    const jobs = (await scope.storage.jobs.list({ limit: 100 })).filter((j) => j.triggerId === trigger.id);
    expect(jobs.length).toBe(3);
    expect(runs.length).toBe(3);
  });
});
