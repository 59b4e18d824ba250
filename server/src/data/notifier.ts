/**
 * Wakes longpoll `_changes` readers when an instance gets a new sequence number. In-process only: the
 * data service feeds it after every write, and the realtime Bus (a later piece, which also spans
 * processes) will take its place behind the same two methods.
 */
export class ChangeNotifier {
  /** Highest seq seen per instance: a reader that asks after a write it missed is answered at once. */
  private readonly latest = new Map<string, number>();
  private readonly waiters = new Map<string, Set<(seq: number) => void>>();

  /** Records that `instanceId` reached `seq`, waking every reader waiting for something after a lower seq. */
  notify(instanceId: string, seq: number): void {
    if (seq <= (this.latest.get(instanceId) ?? 0)) return;
    this.latest.set(instanceId, seq);
    const waiting = this.waiters.get(instanceId);
    if (waiting) for (const wake of [...waiting]) wake(seq);
  }

  /**
   * Resolves true as soon as the instance has a seq above `since` (at once if one was already
   * notified), false after `timeoutMs` or when `signal` aborts (the client went away). Never rejects.
   */
  waitForChange(
    instanceId: string,
    since: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<boolean> {
    if ((this.latest.get(instanceId) ?? 0) > since) return Promise.resolve(true);
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      let set = this.waiters.get(instanceId);
      if (!set) {
        set = new Set();
        this.waiters.set(instanceId, set);
      }
      const waiting = set;
      const finish = (changed: boolean): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        waiting.delete(wake);
        if (waiting.size === 0 && this.waiters.get(instanceId) === waiting) this.waiters.delete(instanceId);
        resolve(changed);
      };
      const wake = (seq: number): void => {
        if (seq > since) finish(true);
      };
      const onAbort = (): void => finish(false);
      const timer = setTimeout(() => finish(false), Math.max(0, timeoutMs));
      signal?.addEventListener('abort', onAbort, { once: true });
      waiting.add(wake);
    });
  }

  /** Readers currently waiting on an instance (for tests and status). */
  waiting(instanceId: string): number {
    return this.waiters.get(instanceId)?.size ?? 0;
  }
}
