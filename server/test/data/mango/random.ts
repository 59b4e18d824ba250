/** Seeded pseudo-random JSON values for the property tests (deterministic: failures reproduce). */
import type { JsonValue } from '../../../src/data/mango/index.js';

export type Random = () => number;

/** mulberry32: a small, fast, seeded generator of floats in [0, 1). */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(r: Random, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)] as T;
}

/** Characters chosen to hit every encoding edge: escapes, UTF-8 lengths, surrogates, astral planes. */
const CHARS = [
  'a',
  'b',
  'B',
  '\u0000',
  '\u0001',
  '\u0002',
  '.',
  '\u007f',
  '\u0080',
  'é',
  '\u07ff',
  '\u0800',
  '\ud7ff',
  '\ue000',
  '\uffff',
  '😀',
  '\u{10000}',
  '\u{10ffff}',
  '\ud800',
  '\udc00',
];

const NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  2,
  1e308,
  -1e308,
  5e-324,
  -5e-324,
  Number.MAX_SAFE_INTEGER,
  2 ** 53 + 2,
  -(2 ** 53),
  Infinity,
  -Infinity,
  1e-7,
];

export function randomString(r: Random): string {
  const length = Math.floor(r() * 5);
  let s = '';
  for (let i = 0; i < length; i++) s += pick(r, CHARS);
  return s;
}

export function randomNumber(r: Random): number {
  const x = r();
  if (x < 0.4) return pick(r, NUMBERS);
  if (x < 0.7) return Math.floor(r() * 21) - 10;
  return (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20);
}

export function randomJson(r: Random, depth = 0): JsonValue {
  const x = r();
  const leaf = depth >= 3;
  if (x < 0.08) return null;
  if (x < 0.16) return r() < 0.5;
  if (x < 0.45) return randomNumber(r);
  if (x < 0.75 || leaf) return randomString(r);
  if (x < 0.9) {
    const length = Math.floor(r() * 4);
    return Array.from({ length }, () => randomJson(r, depth + 1));
  }
  const object: Record<string, JsonValue> = {};
  const keys = Math.floor(r() * 3);
  for (let i = 0; i < keys; i++) {
    Object.defineProperty(object, pick(r, ['a', 'b', '', 'a\u0000', 'é', '😀']), {
      value: randomJson(r, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return object;
}
