import { randomBytes } from 'node:crypto';
import type { RedisClientType } from '@redis/client';
import { ServiceUnavailable } from '../../errors.js';
import { KeyedLock } from './keyed-lock.js';
import type { Lock } from './lock.js';

/** Deletes the key only while it holds our token: a key that expired and passed to another holder stays theirs. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
/** Extends the key's life only while it holds our token, for the same reason. */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/** Waits between two tries at a taken key: from 2 ms doubling to 50 ms, so a hand-over costs little. */
const FIRST_RETRY_MS = 2;
const LAST_RETRY_MS = 50;

export interface RedisLockOptions {
  /** How long a key outlives a holder that stopped renewing it, i.e. a process that died (default 10 s). */
  ttlMs?: number;
  /** How long a task waits for its key before giving up with a 503 (default 30 s). */
  waitMs?: number;
  /** What every Redis key starts with (default `nuage:lock:`). */
  prefix?: string;
  /** Hears what must not fail a task: a renewal or release that failed, a key lost while held. */
  onError?: (error: unknown) => void;
}

/**
 * A Lock shared by every stack process on one Redis: a key per lock, `SET NX PX` with a random token to
 * take it, a compare-and-delete script to free it. While a task runs its key is renewed every third of
 * the TTL, so only a holder that died (or froze longer than the TTL) loses it, and then it expires.
 *
 * Tasks of this process first queue on an in-process KeyedLock, so at most one task per key and process
 * asks Redis at a time, and they keep their arrival order. Waiting for another process is polling with
 * backoff: hand-overs between processes are rare (two processes writing names in one directory at the
 * same instant), and a poll needs no subscription per waiter.
 *
 * Single Redis, no fencing: a holder frozen past the TTL can overlap the next one. The renewal makes
 * that need a freeze of the whole TTL, and it is reported (`onError`) when it happens.
 */
export class RedisLock implements Lock {
  private readonly local = new KeyedLock();
  private readonly ttlMs: number;
  private readonly waitMs: number;
  private readonly prefix: string;
  private readonly onError: (error: unknown) => void;

  constructor(
    private readonly client: RedisClientType,
    options: RedisLockOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 10_000;
    this.waitMs = options.waitMs ?? 30_000;
    this.prefix = options.prefix ?? 'nuage:lock:';
    this.onError = options.onError ?? (() => undefined);
  }

  /** Connects its own connection; rejects if Redis does not answer. */
  static async connect(url: string, options: RedisLockOptions = {}): Promise<RedisLock> {
    const { createClient } = await import('@redis/client');
    let started = false;
    const client = createClient({
      url,
      // While Redis is away a command fails at once (a 503 for the request) rather than queueing
      // behind the reconnection with the request's directory waiting on it.
      disableOfflineQueue: true,
      socket: {
        // As the bus: unreachable at start-up is a configuration error; once running, retried with backoff.
        reconnectStrategy: (retries: number, cause: Error) =>
          started ? Math.min(100 * 2 ** retries, 5_000) : cause,
      },
    }) as RedisClientType;
    // Without a listener, a lost connection would be an unhandled 'error' event and end the process.
    client.on('error', options.onError ?? (() => undefined));
    try {
      await client.connect();
      started = true;
    } catch (error) {
      if (client.isOpen) client.destroy();
      throw error;
    }
    return new RedisLock(client, options);
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return this.local.run(key, () => this.holding(this.prefix + key, task));
  }

  async close(): Promise<void> {
    if (this.client.isOpen) await this.client.close();
  }

  private async holding<T>(key: string, task: () => Promise<T>): Promise<T> {
    const token = randomBytes(16).toString('hex');
    await this.acquire(key, token);
    const renewal = setInterval(() => void this.renew(key, token), this.ttlMs / 3);
    renewal.unref();
    try {
      return await task();
    } finally {
      clearInterval(renewal);
      await this.release(key, token);
    }
  }

  private async acquire(key: string, token: string): Promise<void> {
    const deadline = Date.now() + this.waitMs;
    for (let retry = FIRST_RETRY_MS; ; retry = Math.min(retry * 2, LAST_RETRY_MS)) {
      let taken: string | null;
      try {
        taken = await this.client.set(key, token, {
          condition: 'NX',
          expiration: { type: 'PX', value: this.ttlMs },
        });
      } catch (error) {
        throw new ServiceUnavailable('the lock server (Redis) is unreachable; try again', { cause: error });
      }
      if (taken === 'OK') return;
      const left = deadline - Date.now();
      if (left <= 0) throw new ServiceUnavailable('this directory is busy; try again');
      // Jitter, so two processes that collided once do not retry in step.
      await sleep(Math.min(left, retry * (0.5 + Math.random() / 2)));
    }
  }

  private async renew(key: string, token: string): Promise<void> {
    try {
      const renewed = await this.client.eval(RENEW, { keys: [key], arguments: [token, String(this.ttlMs)] });
      if (renewed === 0) this.onError(new Error(`lost the lock ${JSON.stringify(key)} while holding it`));
    } catch (error) {
      this.onError(error);
    }
  }

  /** Never throws: the task has written by now, and its caller must not undo that. The key expires anyway. */
  private async release(key: string, token: string): Promise<void> {
    try {
      const released = await this.client.eval(RELEASE, { keys: [key], arguments: [token] });
      if (released === 0) this.onError(new Error(`the lock ${JSON.stringify(key)} expired while held`));
    } catch (error) {
      this.onError(error);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
