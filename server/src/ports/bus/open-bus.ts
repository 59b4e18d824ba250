import type { Bus } from './bus.js';
import { MemoryBus } from './memory-bus.js';

/**
 * The bus the configuration asks for: Redis pub/sub when a Redis URL is set (several processes), else
 * in-process. `onError` hears connection problems and handlers that throw.
 */
export async function openBus(
  config: { redisUrl: string | undefined },
  onError: (error: unknown) => void,
): Promise<Bus> {
  if (config.redisUrl === undefined) return new MemoryBus(onError);
  const { RedisBus } = await import('./redis-bus.js');
  return RedisBus.connect(config.redisUrl, onError);
}
