/**
 * Runs tasks one at a time per key, in arrival order. The file tree checks that a name is free and then
 * writes, two steps no single store transaction covers; holding the directory's key across both makes
 * that check-then-write atomic within this process. (Several stack processes would need the Bus's
 * Redis locks: docs/files.md.)
 */
export class KeyedLock {
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
}
