import { describe, expect, it } from 'vitest';
import { LoginRateLimiter } from '../../src/auth/rate-limit.js';
import { TooManyRequests } from '../../src/errors.js';

describe('login rate limit', () => {
  it('refuses the eleventh attempt after ten failures, for five minutes from the first', () => {
    let now = 0;
    const limiter = new LoginRateLimiter(() => now);
    for (let i = 0; i < 10; i++) {
      limiter.check('i', '1.2.3.4');
      limiter.fail('i', '1.2.3.4');
      now += 1000;
    }
    expect(() => limiter.check('i', '1.2.3.4')).toThrow(TooManyRequests);
    try {
      limiter.check('i', '1.2.3.4');
    } catch (error) {
      expect((error as TooManyRequests).retryAfterSeconds).toBe(290);
    }
    expect(() => limiter.check('i', '5.6.7.8')).not.toThrow();
    expect(() => limiter.check('other', '1.2.3.4')).not.toThrow();
    now = 5 * 60_000 + 1;
    expect(() => limiter.check('i', '1.2.3.4')).not.toThrow();
  });

  it('forgets failures after a success', () => {
    const limiter = new LoginRateLimiter(() => 0);
    for (let i = 0; i < 9; i++) limiter.fail('i', 'a');
    limiter.succeed('i', 'a');
    for (let i = 0; i < 9; i++) limiter.fail('i', 'a');
    expect(() => limiter.check('i', 'a')).not.toThrow();
  });
});
