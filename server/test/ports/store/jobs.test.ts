import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEASE_GRACE_MS } from '../../../src/ports/store/jobs.js';
import { PostgresStore } from '../../../src/ports/store/postgres/postgres-store.js';
import { SqliteStore } from '../../../src/ports/store/sqlite/sqlite-store.js';
import type { InstanceRecord, InstanceStore, Store } from '../../../src/ports/store/store.js';
import { POSTGRES_URL, STORE_ADAPTERS, type StoreFixture } from '../../support/stores.js';

const T0 = 1_700_000_000_000;

describe.each(STORE_ADAPTERS)('job queue on $name', (adapter) => {
  let fx: StoreFixture;
  let record: InstanceRecord;
  let alice: InstanceStore;
  beforeEach(async () => {
    fx = await adapter.create();
    record = await fx.store.instances.create('alice.localhost');
    alice = await fx.store.open(record);
  });
  afterEach(async () => {
    await fx.dispose();
  });

  it('queues a job with defaults and reads it back', async () => {
    const job = await alice.jobs.enqueue({ worker: 'log', payload: { n: 1 } }, T0);
    expect(job).toMatchObject({ state: 'queued', attempts: 0, maxAttempts: 3, timeoutMs: 60_000, runAt: T0 });
    expect(await alice.jobs.get(job.id)).toEqual(job);
    expect(await alice.jobs.get('nope')).toBeNull();
  });

  it('claims only due jobs of the worker, oldest first, with a lease', async () => {
    const late = await alice.jobs.enqueue({ worker: 'w', runAt: T0 + 1000 }, T0);
    const first = await alice.jobs.enqueue({ worker: 'w', runAt: T0 - 10, timeoutMs: 500 }, T0);
    await alice.jobs.enqueue({ worker: 'other' }, T0);
    const claimed = await alice.jobs.claim('w', 5, T0);
    expect(claimed.map((j) => j.id)).toEqual([first.id]);
    expect(claimed[0]).toMatchObject({ state: 'running', attempts: 1, startedAt: T0 });
    expect(claimed[0]!.lockedUntil).toBe(T0 + 500 + LEASE_GRACE_MS);
    expect(await alice.jobs.claim('w', 5, T0)).toEqual([]);
    expect((await alice.jobs.claim('w', 5, T0 + 1000)).map((j) => j.id)).toEqual([late.id]);
  });

  it('gives each job to one of two concurrent claimers', async () => {
    for (let i = 0; i < 20; i++) await alice.jobs.enqueue({ worker: 'w' }, T0);
    const other = await openAgain(fx.store, adapter.name, record);
    const rounds = await Promise.all([
      ...Array.from({ length: 5 }, () => alice.jobs.claim('w', 3, T0)),
      ...Array.from({ length: 5 }, () => other.storage.jobs.claim('w', 3, T0)),
    ]);
    const ids = rounds.flat().map((j) => j.id);
    expect(ids.length).toBe(20);
    expect(new Set(ids).size).toBe(20);
    await other.close();
  });

  it('records success and failure, fenced by the attempt', async () => {
    const job = await alice.jobs.enqueue({ worker: 'w' }, T0);
    const [run] = await alice.jobs.claim('w', 1, T0);
    expect(await alice.jobs.fail(job.id, 1, 'boom', T0 + 5, T0 + 1000)).toBe(true);
    expect(await alice.jobs.get(job.id)).toMatchObject({ state: 'queued', error: 'boom', runAt: T0 + 1000 });
    expect(await alice.jobs.complete(job.id, run!.attempts, T0 + 6)).toBe(false);
    expect(await alice.jobs.claim('w', 1, T0 + 999)).toEqual([]);
    const [again] = await alice.jobs.claim('w', 1, T0 + 1000);
    expect(again!.attempts).toBe(2);
    expect(await alice.jobs.complete(job.id, 2, T0 + 1100)).toBe(true);
    expect(await alice.jobs.get(job.id)).toMatchObject({
      state: 'done',
      attempts: 2,
      finishedAt: T0 + 1100,
      lockedUntil: null,
    });
    const other = await alice.jobs.enqueue({ worker: 'w' }, T0);
    await alice.jobs.claim('w', 1, T0);
    expect(await alice.jobs.fail(other.id, 1, 'bad', T0 + 1, null)).toBe(true);
    expect(await alice.jobs.get(other.id)).toMatchObject({
      state: 'errored',
      error: 'bad',
      finishedAt: T0 + 1,
    });
  });

  it('lets another claimer take a job whose lease expired, and errors it after the last attempt', async () => {
    const job = await alice.jobs.enqueue({ worker: 'w', timeoutMs: 100, maxAttempts: 2 }, T0);
    await alice.jobs.claim('w', 1, T0);
    const expiry = T0 + 100 + LEASE_GRACE_MS;
    expect(await alice.jobs.claim('w', 1, expiry - 1)).toEqual([]);
    const [retaken] = await alice.jobs.claim('w', 1, expiry);
    expect(retaken).toMatchObject({ id: job.id, attempts: 2 });
    // The first attempt comes back late: its outcome no longer counts.
    expect(await alice.jobs.complete(job.id, 1, expiry)).toBe(false);
    expect(await alice.jobs.claim('w', 1, expiry * 2)).toEqual([]);
    expect(await alice.jobs.get(job.id)).toMatchObject({
      state: 'errored',
      error: expect.stringMatching(/lease/),
    });
  });

  it('forgets finished jobs older than a date, never queued or running ones', async () => {
    const done = await alice.jobs.enqueue({ worker: 'w' }, T0);
    const errored = await alice.jobs.enqueue({ worker: 'w', maxAttempts: 1 }, T0);
    const recent = await alice.jobs.enqueue({ worker: 'w' }, T0);
    const running = await alice.jobs.enqueue({ worker: 'w' }, T0);
    const queued = await alice.jobs.enqueue({ worker: 'later', runAt: T0 - 10_000 }, T0);
    await alice.jobs.claim('w', 4, T0);
    await alice.jobs.complete(done.id, 1, T0 + 10);
    await alice.jobs.fail(errored.id, 1, 'boom', T0 + 20, null);
    await alice.jobs.complete(recent.id, 1, T0 + 5000);
    expect(await alice.jobs.deleteFinished(T0 + 1000)).toBe(2);
    expect(await alice.jobs.get(done.id)).toBeNull();
    expect(await alice.jobs.get(errored.id)).toBeNull();
    for (const kept of [recent, running, queued]) expect(await alice.jobs.get(kept.id)).not.toBeNull();
    expect(await alice.jobs.deleteFinished(T0 + 1000)).toBe(0);
  });

  it('lists jobs newest first, filtered and paged', async () => {
    const a = await alice.jobs.enqueue({ worker: 'x' }, T0);
    const b = await alice.jobs.enqueue({ worker: 'y' }, T0 + 1);
    const c = await alice.jobs.enqueue({ worker: 'x' }, T0 + 2);
    expect((await alice.jobs.list({ limit: 10 })).map((j) => j.id)).toEqual([c.id, b.id, a.id]);
    expect((await alice.jobs.list({ limit: 10, worker: 'x' })).map((j) => j.id)).toEqual([c.id, a.id]);
    expect(await alice.jobs.list({ limit: 10, state: 'done' })).toEqual([]);
    const page = await alice.jobs.list({ limit: 10, before: { createdAt: c.createdAt, id: c.id } });
    expect(page.map((j) => j.id)).toEqual([b.id, a.id]);
  });

  it('reports when work is next due', async () => {
    expect(await alice.jobs.nextDue(['w'])).toBeNull();
    await alice.jobs.enqueue({ worker: 'w', runAt: T0 + 50 }, T0);
    await alice.jobs.enqueue({ worker: 'unknown', runAt: T0 + 10 }, T0);
    expect(await alice.jobs.nextDue(['w'])).toBe(T0 + 50);
    await alice.jobs.createTrigger(trigger('t1', { nextRun: T0 + 20 }), T0);
    expect(await alice.jobs.nextDue(['w'])).toBe(T0 + 20);
    await alice.jobs.claim('w', 1, T0 + 50);
    expect(await alice.jobs.nextDue(['w'])).toBe(T0 + 20);
    expect(await alice.jobs.nextDue([])).toBe(T0 + 20);
  });

  it('fires a time trigger once and queues its job in the same step', async () => {
    await alice.jobs.createTrigger(trigger('t1', { nextRun: T0 }), T0);
    expect((await alice.jobs.dueTriggers(T0 - 1)).length).toBe(0);
    const [due] = await alice.jobs.dueTriggers(T0);
    const fired = await Promise.all([
      alice.jobs.fireTrigger(due!.id, T0, T0 + 60_000, { worker: 'log', triggerId: 't1' }, T0),
      alice.jobs.fireTrigger(due!.id, T0, T0 + 60_000, { worker: 'log', triggerId: 't1' }, T0),
    ]);
    expect(fired.filter((j) => j !== null).length).toBe(1);
    expect((await alice.jobs.list({ limit: 10 })).length).toBe(1);
    expect((await alice.jobs.getTrigger('t1'))!.nextRun).toBe(T0 + 60_000);
  });

  it('moves an event cursor once, queuing its jobs with it', async () => {
    await alice.jobs.createTrigger(trigger('e1', { type: '@event', arguments: 'io.x', cursor: 5 }), T0);
    expect(await alice.jobs.advanceCursor('e1', 5, 9, [{ worker: 'log' }, { worker: 'log' }], T0)).toBe(true);
    expect(await alice.jobs.advanceCursor('e1', 5, 9, [{ worker: 'log' }], T0)).toBe(false);
    expect((await alice.jobs.list({ limit: 10 })).length).toBe(2);
    expect((await alice.jobs.getTrigger('e1'))!.cursor).toBe(9);
  });

  it('stores triggers, finds webhooks by secret and deletes them', async () => {
    await alice.jobs.createTrigger(
      trigger('h1', { type: '@webhook', secret: 's3cret', payload: { a: 1 } }),
      T0,
    );
    expect(await alice.jobs.triggerBySecret('s3cret')).toMatchObject({ id: 'h1', payload: { a: 1 } });
    expect(await alice.jobs.triggerBySecret('other')).toBeNull();
    expect((await alice.jobs.listTriggers()).map((t) => t.id)).toEqual(['h1']);
    expect(await alice.jobs.deleteTrigger('h1')).toBe(true);
    expect(await alice.jobs.deleteTrigger('h1')).toBe(false);
  });

  it('keeps jobs across a restart', async () => {
    const job = await alice.jobs.enqueue({ worker: 'w' }, T0);
    const other = await openAgain(fx.store, adapter.name, record);
    expect(await other.storage.jobs.get(job.id)).toEqual(job);
    await other.close();
  });
});

function trigger(id: string, fields: Partial<Parameters<InstanceStore['jobs']['createTrigger']>[0]> = {}) {
  return {
    id,
    type: '@every' as const,
    arguments: '1m',
    worker: 'log',
    payload: null,
    maxAttempts: null,
    timeoutMs: null,
    nextRun: null,
    secret: null,
    cursor: null,
    ...fields,
  };
}

/** A second store object on the same data: another process, or the same one after a restart. */
async function openAgain(
  store: Store,
  kind: 'sqlite' | 'postgres',
  record: InstanceRecord,
): Promise<{ storage: InstanceStore; close(): Promise<void> }> {
  const other =
    kind === 'sqlite'
      ? new SqliteStore((store as SqliteStore).instanceDir('x').replace(/\/instances\/x$/, ''))
      : await PostgresStore.connect({ url: POSTGRES_URL!, prefix: prefixOf(store as PostgresStore) });
  return { storage: await other.open(record), close: () => other.close() };
}

function prefixOf(store: PostgresStore): string {
  return (store as unknown as { prefix: string }).prefix;
}
