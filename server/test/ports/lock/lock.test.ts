import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyedLock } from '../../../src/ports/lock/keyed-lock.js';
import type { Lock } from '../../../src/ports/lock/lock.js';
import { RedisLock } from '../../../src/ports/lock/redis-lock.js';

/** The Redis server the lock contract also runs against; CI sets it (see .ci/run). */
const REDIS_URL = process.env.NUAGE_TEST_REDIS;

interface LockAdapter {
  name: string;
  /** Two views of one lock, as two processes would have (the same object in process). */
  open(): Promise<[Lock, Lock]>;
}

const keyed: LockAdapter = {
  name: 'in-process',
  open() {
    const lock = new KeyedLock();
    return Promise.resolve([lock, lock]);
  },
};

const redis: LockAdapter = {
  name: 'Redis',
  async open() {
    // A prefix per pair keeps parallel test files on one Redis apart.
    const prefix = `test:${randomBytes(6).toString('hex')}:`;
    return [await RedisLock.connect(REDIS_URL!, { prefix }), await RedisLock.connect(REDIS_URL!, { prefix })];
  },
};

const ADAPTERS = REDIS_URL ? [keyed, redis] : [keyed];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(ADAPTERS)('the $name lock', (adapter) => {
  let open: Lock[] = [];
  const pair = async () => {
    const locks = await adapter.open();
    open.push(...locks);
    return locks;
  };

  afterEach(async () => {
    await Promise.all([...new Set(open)].map((l) => l.close()));
    open = [];
  });

  it('runs the tasks of one key one at a time, from both ends', async () => {
    const [a, b] = await pair();
    let inside = 0;
    let most = 0;
    const ran: number[] = [];
    const task = (i: number) => async () => {
      inside++;
      most = Math.max(most, inside);
      await sleep(2);
      ran.push(i);
      inside--;
    };
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).run('dir', task(i))));
    expect(most).toBe(1);
    expect(ran.sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('lets the tasks of other keys run meanwhile', async () => {
    const [a, b] = await pair();
    let release!: () => void;
    const held = a.run('one dir', () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(20);
    await expect(b.run('another dir', () => Promise.resolve('ran'))).resolves.toBe('ran');
    release();
    await held;
  });

  it('passes on what the task returned or threw, and frees the key either way', async () => {
    const [a, b] = await pair();
    await expect(a.run('dir', () => Promise.resolve(42))).resolves.toBe(42);
    await expect(a.run('dir', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(b.run('dir', () => Promise.resolve('next'))).resolves.toBe('next');
  });
});
