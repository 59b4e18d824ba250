import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InstanceStore } from '../../src/ports/store/store.js';
import { startStack, type TestStack } from '../support/stack.js';

const DAY = 24 * 60 * 60 * 1000;

describe('the job janitor', () => {
  let t: TestStack;
  let storage: InstanceStore;
  beforeEach(async () => {
    t = await startStack();
    storage = await t.stack.store.open(await t.stack.instances.create('alice.localhost'));
  });
  afterEach(async () => {
    await t.dispose();
  });

  /** A job of a worker no runner has, taken and finished by hand at `at`. */
  const finishedAt = async (at: number, outcome: 'done' | 'errored') => {
    const job = await storage.jobs.enqueue({ worker: 'by-hand', maxAttempts: 1, runAt: at }, at);
    await storage.jobs.claim('by-hand', 1, at);
    if (outcome === 'done') await storage.jobs.complete(job.id, 1, at);
    else await storage.jobs.fail(job.id, 1, 'boom', at, null);
    return job.id;
  };

  it('forgets, in every instance, the jobs finished more than a week ago and keeps the rest', async () => {
    const now = Date.now();
    const old = await finishedAt(now - 8 * DAY, 'done');
    const oldError = await finishedAt(now - 8 * DAY, 'errored');
    const recent = await finishedAt(now - 6 * DAY, 'errored');
    const waiting = await storage.jobs.enqueue({ worker: 'by-hand', runAt: now + DAY }, now - 9 * DAY);
    expect(await t.stack.jobs.janitor.pass()).toBe(2);
    expect(await storage.jobs.get(old)).toBeNull();
    expect(await storage.jobs.get(oldError)).toBeNull();
    expect(await storage.jobs.get(recent)).not.toBeNull();
    expect(await storage.jobs.get(waiting.id)).not.toBeNull();
    t.advance(2 * DAY);
    expect(await t.stack.jobs.janitor.pass()).toBe(1);
    expect(await storage.jobs.get(recent)).toBeNull();
  });
});
