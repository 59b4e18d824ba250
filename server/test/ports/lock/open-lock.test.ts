import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { KeyedLock } from '../../../src/ports/lock/keyed-lock.js';
import { openLock } from '../../../src/ports/lock/open-lock.js';
import { RedisLock } from '../../../src/ports/lock/redis-lock.js';

const REDIS_URL = process.env.NUAGE_TEST_REDIS;

describe('choosing the lock', () => {
  it('uses the in-process lock when no Redis URL is configured', async () => {
    const lock = await openLock(loadConfig({}, {}), () => undefined);
    expect(lock).toBeInstanceOf(KeyedLock);
    await lock.close();
  });

  it.runIf(REDIS_URL !== undefined)('uses Redis when the bus does', async () => {
    const lock = await openLock(loadConfig({ redis: REDIS_URL }, {}), () => undefined);
    expect(lock).toBeInstanceOf(RedisLock);
    await lock.close();
  });

  it('fails to start when the configured Redis does not answer', async () => {
    await expect(openLock({ redisUrl: 'redis://127.0.0.1:1' }, () => undefined)).rejects.toThrow();
  });
});
