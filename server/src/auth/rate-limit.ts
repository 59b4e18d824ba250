import { TooManyRequests } from '../errors.js';

/**
 * Counts failed logins per (instance, address) in a sliding window. More than `max` failures within
 * `windowMs` locks that pair out until the oldest failure leaves the window. In memory: one process
 * guards its own door; a multi-process deployment would move this to the Bus's Redis.
 */
export class LoginRateLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly now: () => number,
    private readonly max = 10,
    private readonly windowMs = 5 * 60_000,
  ) {}

  /** Throws TooManyRequests when the pair is locked out. */
  check(instanceId: string, address: string): void {
    const recent = this.recent(`${instanceId} ${address}`);
    if (recent.length >= this.max) {
      const retryAfter = Math.ceil((recent[0]! + this.windowMs - this.now()) / 1000);
      throw new TooManyRequests('too many failed logins; try again later', Math.max(1, retryAfter));
    }
  }

  fail(instanceId: string, address: string): void {
    const key = `${instanceId} ${address}`;
    const recent = this.recent(key);
    recent.push(this.now());
    this.failures.set(key, recent);
    if (this.failures.size > 10_000) this.prune();
  }

  /** A success clears the count, as users expect after they finally get it right. */
  succeed(instanceId: string, address: string): void {
    this.failures.delete(`${instanceId} ${address}`);
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.windowMs;
    return (this.failures.get(key) ?? []).filter((t) => t > cutoff);
  }

  private prune(): void {
    for (const key of [...this.failures.keys()]) {
      const recent = this.recent(key);
      if (recent.length === 0) this.failures.delete(key);
      else this.failures.set(key, recent);
    }
  }
}
