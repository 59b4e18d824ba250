import { randomBytes } from 'node:crypto';
import { createClient, type RedisClientType } from '@redis/client';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceUnavailable } from '../../../src/errors.js';
import { RedisLock, type RedisLockOptions } from '../../../src/ports/lock/redis-lock.js';

const REDIS_URL = process.env.NUAGE_TEST_REDIS;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A task that runs until told to end, and says when it started. */
function heldTask(): { task: () => Promise<void>; started: Promise<void>; end: () => void } {
  let end!: () => void;
  let begin!: () => void;
  const started = new Promise<void>((resolve) => (begin = resolve));
  const done = new Promise<void>((resolve) => (end = resolve));
  return {
    task: () => {
      begin();
      return done;
    },
    started,
    end,
  };
}

describe.runIf(REDIS_URL !== undefined)('the Redis lock', () => {
  const cleanups: (() => Promise<void>)[] = [];
  // Keys of their own per test, so parallel test files on one Redis never meet.
  const prefix = `test:${randomBytes(6).toString('hex')}:`;

  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  });

  /** A raw connection: what the test uses to look at (or tamper with) the keys. */
  async function raw(): Promise<RedisClientType> {
    const client = createClient({ url: REDIS_URL! }) as RedisClientType;
    await client.connect();
    cleanups.push(async () => {
      if (client.isOpen) await client.close();
    });
    return client;
  }

  /** One process's lock, on a connection the test can cut as a crash would. */
  async function holder(
    options: RedisLockOptions = {},
  ): Promise<{ lock: RedisLock; client: RedisClientType }> {
    const client = await raw();
    const lock = new RedisLock(client, { prefix, ...options });
    return { lock, client };
  }

  it('takes a key in Redis while a task runs and deletes it after', async () => {
    const redis = await raw();
    const { lock } = await holder();
    const held = heldTask();
    const running = lock.run('dir', held.task);
    await held.started;
    expect(await redis.get(`${prefix}dir`)).toMatch(/^[0-9a-f]{32}$/);
    held.end();
    await running;
    expect(await redis.get(`${prefix}dir`)).toBeNull();
  });

  it('keeps a key alive past its TTL while its holder is alive and working', async () => {
    const redis = await raw();
    const { lock: a } = await holder({ ttlMs: 150 });
    const { lock: b } = await holder({ ttlMs: 150 });
    const held = heldTask();
    const running = a.run('dir', held.task);
    await held.started;
    let bRan = false;
    const waiting = b.run('dir', () => Promise.resolve((bRan = true)));
    await sleep(500);
    expect(bRan).toBe(false);
    expect(await redis.pTTL(`${prefix}dir`)).toBeGreaterThan(0);
    held.end();
    await Promise.all([running, waiting]);
    expect(bRan).toBe(true);
  });

  it('frees the key of a holder that crashed once its TTL runs out', async () => {
    const errors: unknown[] = [];
    const { lock: a, client: aConnection } = await holder({ ttlMs: 300, onError: (e) => errors.push(e) });
    const { lock: b } = await holder({ ttlMs: 300 });
    const held = heldTask();
    const orphaned = a.run('dir', held.task);
    await held.started;
    // The process dies: no release, no more renewals.
    aConnection.destroy();
    const waitFrom = Date.now();
    await expect(b.run('dir', () => Promise.resolve('taken over'))).resolves.toBe('taken over');
    const waited = Date.now() - waitFrom;
    expect(waited).toBeGreaterThan(150);
    expect(waited).toBeLessThan(2_000);
    held.end();
    // Its task still ends without an error of the lock's: the failed release is only reported.
    await expect(orphaned).resolves.toBeUndefined();
    expect(errors.length).toBeGreaterThan(0);
  });

  it('never frees a key that passed to another holder', async () => {
    const redis = await raw();
    const errors: unknown[] = [];
    const { lock: a } = await holder({ onError: (e) => errors.push(e) });
    const { lock: b } = await holder();
    const { lock: c } = await holder();
    const first = heldTask();
    const aRunning = a.run('dir', first.task);
    await first.started;
    // As if a froze past its TTL: its key goes, and b takes the lock.
    await redis.del(`${prefix}dir`);
    const second = heldTask();
    const bRunning = b.run('dir', second.task);
    await second.started;
    const bToken = await redis.get(`${prefix}dir`);

    first.end();
    await aRunning;
    expect(await redis.get(`${prefix}dir`)).toBe(bToken);
    expect(errors.map(String)).toContainEqual(expect.stringMatching(/expired while held/));
    let cRan = false;
    const cWaiting = c.run('dir', () => Promise.resolve((cRan = true)));
    await sleep(100);
    expect(cRan).toBe(false);
    second.end();
    await Promise.all([bRunning, cWaiting]);
    expect(cRan).toBe(true);
  });

  it('gives up with a 503 when the key stays taken longer than it may wait', async () => {
    const { lock: a } = await holder();
    const { lock: b } = await holder({ waitMs: 200 });
    const held = heldTask();
    const running = a.run('dir', held.task);
    await held.started;
    let ran = false;
    await expect(b.run('dir', () => Promise.resolve((ran = true)))).rejects.toBeInstanceOf(
      ServiceUnavailable,
    );
    expect(ran).toBe(false);
    held.end();
    await running;
  });

  it('answers 503 without running the task when Redis cannot be reached', async () => {
    const { lock, client } = await holder();
    await client.close();
    let ran = false;
    await expect(lock.run('dir', () => Promise.resolve((ran = true)))).rejects.toBeInstanceOf(
      ServiceUnavailable,
    );
    expect(ran).toBe(false);
  });

  it('queues the tasks of one key within a process, each taking the key with a token of its own', async () => {
    const redis = await raw();
    const { lock } = await holder();
    const held = heldTask();
    const first = lock.run('dir', held.task);
    await held.started;
    const token = await redis.get(`${prefix}dir`);
    const seen: (string | null)[] = [];
    const queued = Array.from({ length: 3 }, () =>
      lock.run('dir', async () => {
        seen.push(await redis.get(`${prefix}dir`));
      }),
    );
    await sleep(50);
    expect(seen).toEqual([]);
    held.end();
    await Promise.all([first, ...queued]);
    // Each took the key in turn with a token of its own, never sharing one.
    expect(seen).toHaveLength(3);
    expect(new Set([token, ...seen]).size).toBe(4);
  });
});
