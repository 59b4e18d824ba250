import type { Lock } from './lock.js';

/**
 * The default Lock: one process, no server. Tasks of one key run one at a time, in arrival order, each
 * waiting only on a promise chain, so it costs nothing measurable on the hot path of every upload.
 */
export class KeyedLock implements Lock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      // The last one out forgets the key, so the map does not grow with every directory ever used.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
