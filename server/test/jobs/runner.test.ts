import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineWorker, InvalidPayload } from '../../src/jobs/workers.js';
import { STORE_ADAPTERS } from '../support/stores.js';
import { harness, settle, T0, type Harness } from './harness.js';

describe.each(STORE_ADAPTERS)('job runner on $name', (adapter) => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness(adapter);
  });
  afterEach(async () => {
    await h.dispose();
  });

  it('runs a queued job once and records it as done', async () => {
    const job = await h.jobs.service.enqueue(h.scope, { worker: 'record', payload: { n: 1 } });
    await settle(h.jobs, h.instance);
    expect(h.seen).toEqual([{ payload: { n: 1 }, attempt: 1 }]);
    expect(await h.storage.jobs.get(job.id)).toMatchObject({ state: 'done', attempts: 1, finishedAt: T0 });
  });

  it('starts a job as soon as it is queued, without waiting for the poll', async () => {
    await h.jobs.service.enqueue(h.scope, { worker: 'record' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await h.jobs.runner.idle();
    expect(h.seen.length).toBe(1);
  });

  it('does not run a job before its runAt', async () => {
    await h.jobs.service.enqueue(h.scope, { worker: 'record', runAt: T0 + 5000 });
    await settle(h.jobs, h.instance);
    expect(h.seen).toEqual([]);
    h.clock.now += 5000;
    await settle(h.jobs, h.instance);
    expect(h.seen.length).toBe(1);
  });

  it('keeps to the per-worker concurrency', async () => {
    let running = 0;
    let most = 0;
    h.jobs.workers.register(
      defineWorker<null>({
        name: 'busy',
        concurrency: 2,
        parse: () => null,
        run: async () => {
          running++;
          most = Math.max(most, running);
          await new Promise((resolve) => setTimeout(resolve, 20));
          running--;
        },
      }),
    );
    for (let i = 0; i < 6; i++) await h.storage.jobs.enqueue({ worker: 'busy' }, T0);
    h.jobs.runner.wake(h.instance);
    await h.jobs.runner.tick();
    expect(h.jobs.runner.runningCount).toBe(2);
    await settle(h.jobs, h.instance);
    expect(most).toBe(2);
    expect((await h.storage.jobs.list({ limit: 10, state: 'done' })).length).toBe(6);
  });

  it('aborts a job at its timeout and records the error, then retries it after a backoff', async () => {
    let aborted = false;
    h.jobs.workers.register(
      defineWorker<null>({
        name: 'slow',
        parse: () => null,
        run: async (_, { signal }) => {
          await new Promise<void>((resolve) => {
            signal.addEventListener('abort', () => {
              aborted = true;
              resolve();
            });
          });
        },
      }),
    );
    const job = await h.jobs.service.enqueue(h.scope, { worker: 'slow', timeoutMs: 30, maxAttempts: 2 });
    await settle(h.jobs, h.instance);
    expect(aborted).toBe(true);
    expect(await h.storage.jobs.get(job.id)).toMatchObject({
      state: 'queued',
      attempts: 1,
      error: 'timed out after 30 ms',
      runAt: T0 + 1000,
    });
    h.clock.now += 1000;
    await settle(h.jobs, h.instance);
    expect(await h.storage.jobs.get(job.id)).toMatchObject({ state: 'errored', attempts: 2 });
  });

  it('retries a failing job with exponential backoff, then marks it errored', async () => {
    const job = await h.jobs.service.enqueue(h.scope, {
      worker: 'sleep',
      payload: { ms: 0, fail: 'nope' },
      maxAttempts: 3,
    });
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      await settle(h.jobs, h.instance);
      const now = (await h.storage.jobs.get(job.id))!;
      delays.push(now.runAt - h.clock.now);
      h.clock.now = now.runAt;
    }
    // 1 s after the first failure, 2 s after the second; the third is final and keeps its runAt.
    expect(delays).toEqual([1000, 2000, 0]);
    const final = (await h.storage.jobs.get(job.id))!;
    expect(final).toMatchObject({ state: 'errored', attempts: 3, error: 'nope' });
  });

  it('errors a job whose payload the worker refuses, without retrying', async () => {
    h.jobs.workers.register(
      defineWorker<null>({
        name: 'picky',
        parse: (p) => {
          if (p !== null) throw new InvalidPayload('null only');
          return null;
        },
        run: async () => undefined,
      }),
    );
    const job = await h.storage.jobs.enqueue({ worker: 'picky', payload: 1 }, T0);
    await settle(h.jobs, h.instance);
    expect(await h.storage.jobs.get(job.id)).toMatchObject({
      state: 'errored',
      attempts: 1,
      error: 'null only',
    });
  });

  it('runs jobs left by a previous process when it starts', async () => {
    await h.jobs.stop();
    await h.storage.jobs.enqueue({ worker: 'record', payload: 'left' }, T0);
    const again = await harness(adapter, h.fx);
    await settle(again.jobs, again.instance);
    expect(again.seen).toEqual([{ payload: 'left', attempt: 1 }]);
    await again.dispose();
  });

  it('forgets an instance destroyed while it had pending jobs', async () => {
    await h.jobs.service.enqueue(h.scope, { worker: 'record', runAt: T0 + 1000 });
    await h.fx.store.instances.destroy(h.instance.domain);
    h.clock.now += 1000;
    await expect(settle(h.jobs)).resolves.toBeUndefined();
    expect(h.seen).toEqual([]);
  });

  it('waits for running jobs when it stops', async () => {
    await h.jobs.service.enqueue(h.scope, { worker: 'sleep', payload: { ms: 50 } });
    await h.jobs.runner.tick();
    expect(h.jobs.runner.runningCount).toBe(1);
    await h.jobs.stop();
    expect((await h.storage.jobs.list({ limit: 1 }))[0]).toMatchObject({ state: 'done' });
  });
});
