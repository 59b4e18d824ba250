/**
 * Mutual exclusion per key, for a check-then-write no single store transaction covers (the file tree
 * checks that a name is free in a directory, then writes). With one process the in-process adapter is
 * enough; stack processes sharing a database share the Redis adapter, so the guard holds across them.
 *
 * Every adapter must:
 * - run at most one task per key at a time, across every process sharing the lock;
 * - leave tasks of different keys free to run at the same time;
 * - resolve or reject with what the task did, and free the key whatever it did;
 * - never fail a task that ran because freeing its key failed (the caller must not undo a write that
 *   happened): such a failure is reported elsewhere and the key frees itself in time;
 * - free the key of a process that died holding it, within a bounded time;
 * - on `close`, release connections (tasks still running keep their keys until they end or expire).
 *
 * Keys are global to everything sharing the lock: a caller names what it guards in its key.
 */
export interface Lock {
  /** Runs `task` once no other task holds `key`, holding it until `task` settles. */
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
