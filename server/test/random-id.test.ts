import { describe, expect, it } from 'vitest';
import { randomId } from '../src/random-id.js';

describe('randomId', () => {
  it('gives 16 random bytes as 32 lowercase hex digits by default, and the size asked for', () => {
    expect(randomId()).toMatch(/^[0-9a-f]{32}$/);
    expect(randomId(6)).toMatch(/^[0-9a-f]{12}$/);
    expect(randomId(12)).toMatch(/^[0-9a-f]{24}$/);
  });

  it('never repeats, across many refills of its pool', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5000; i++) ids.add(randomId()); // 80 kB: about twenty pools
    expect(ids.size).toBe(5000);
  });

  it('hands out bytes that look uniform', () => {
    const counts = new Array<number>(16).fill(0);
    for (let i = 0; i < 2000; i++) for (const digit of randomId()) counts[parseInt(digit, 16)]! += 1;
    // 64 000 digits: 4000 per value expected; a bias or a stuck pool would land far outside.
    for (const count of counts) expect(count).toBeGreaterThan(3600);
    for (const count of counts) expect(count).toBeLessThan(4400);
  });

  it('refuses a size larger than its pool', () => {
    expect(() => randomId(8192)).toThrow(RangeError);
  });
});
