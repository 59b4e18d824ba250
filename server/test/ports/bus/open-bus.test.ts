import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { MemoryBus } from '../../../src/ports/bus/memory-bus.js';
import { openBus } from '../../../src/ports/bus/open-bus.js';

describe('choosing the bus', () => {
  it('uses the in-process bus when no Redis URL is configured', async () => {
    const bus = await openBus(loadConfig({}, {}), () => undefined);
    expect(bus).toBeInstanceOf(MemoryBus);
    await bus.close();
  });

  it('reads the Redis URL from --redis, then NUAGE_REDIS_URL', () => {
    expect(loadConfig({}, { NUAGE_REDIS_URL: 'redis://cache:6379' }).redisUrl).toBe('redis://cache:6379');
    expect(loadConfig({ redis: 'rediss://a:1' }, { NUAGE_REDIS_URL: 'redis://b:2' }).redisUrl).toBe(
      'rediss://a:1',
    );
  });

  it('refuses a Redis URL of another scheme', () => {
    expect(() => loadConfig({}, { NUAGE_REDIS_URL: 'http://cache:6379' })).toThrow(/unsupported Redis URL/);
  });

  it('fails to start when the configured Redis does not answer', async () => {
    await expect(openBus({ redisUrl: 'redis://127.0.0.1:1' }, () => undefined)).rejects.toThrow();
  });
});
