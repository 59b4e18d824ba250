import { KeyedLock } from './keyed-lock.js';
import type { Lock } from './lock.js';

/**
 * The lock the configuration asks for: Redis when a Redis URL is set (the setting that lets several
 * stack processes share one PostgreSQL database), else in-process. `onError` hears connection problems
 * and renewals or releases that failed.
 */
export async function openLock(
  config: { redisUrl: string | undefined },
  onError: (error: unknown) => void,
): Promise<Lock> {
  if (config.redisUrl === undefined) return new KeyedLock();
  const { RedisLock } = await import('./redis-lock.js');
  return RedisLock.connect(config.redisUrl, { onError });
}
