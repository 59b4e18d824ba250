import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bus } from '../../../src/ports/bus/bus.js';
import { MemoryBus } from '../../../src/ports/bus/memory-bus.js';
import { RedisBus } from '../../../src/ports/bus/redis-bus.js';

/** The Redis server the bus contract also runs against; CI sets it (see .ci/run). */
const REDIS_URL = process.env.NUAGE_TEST_REDIS;

interface BusAdapter {
  name: string;
  /** Two views of one bus, as two processes would have (the same object in process). */
  open(errors: unknown[]): Promise<[Bus, Bus]>;
}

const memory: BusAdapter = {
  name: 'memory',
  open(errors) {
    const bus = new MemoryBus((e) => errors.push(e));
    return Promise.resolve([bus, bus]);
  },
};

const redis: BusAdapter = {
  name: 'redis',
  async open(errors) {
    const onError = (e: unknown) => errors.push(e);
    return [await RedisBus.connect(REDIS_URL!, onError), await RedisBus.connect(REDIS_URL!, onError)];
  },
};

const ADAPTERS = REDIS_URL ? [memory, redis] : [memory];

/** Resolves once `received` has `count` items (Redis delivers asynchronously), or fails after 2 s. */
async function until(received: unknown[], count: number): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (received.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
}

/** Lets messages that should not arrive have a chance to (and so prove they did not). */
const settle = () => new Promise((r) => setTimeout(r, 50));

describe.each(ADAPTERS)('the $name bus', (adapter) => {
  let open: Bus[] = [];
  const errors: unknown[] = [];
  // A channel per test keeps parallel test files on one Redis from hearing each other.
  const channel = () => `test:${randomBytes(6).toString('hex')}`;
  const pair = async () => {
    const buses = await adapter.open(errors);
    open.push(...buses);
    return buses;
  };

  afterEach(async () => {
    await Promise.all([...new Set(open)].map((b) => b.close()));
    open = [];
    errors.length = 0;
  });

  it('delivers a message to every subscriber of its channel, in publish order', async () => {
    const [a, b] = await pair();
    const ch = channel();
    const first: string[] = [];
    const second: string[] = [];
    await a.subscribe(ch, (m) => first.push(m));
    await b.subscribe(ch, (m) => second.push(m));
    await a.publish(ch, 'one');
    await a.publish(ch, 'two');
    await until(first, 2);
    await until(second, 2);
    expect(first).toEqual(['one', 'two']);
    expect(second).toEqual(['one', 'two']);
  });

  it('delivers across the two ends, as between two processes', async () => {
    const [a, b] = await pair();
    const ch = channel();
    const heard: string[] = [];
    await b.subscribe(ch, (m) => heard.push(m));
    await a.publish(ch, '{"json":"as text"}');
    await until(heard, 1);
    expect(heard).toEqual(['{"json":"as text"}']);
  });

  it('does not deliver messages of other channels', async () => {
    const [a, b] = await pair();
    const ch = channel();
    const heard: string[] = [];
    await b.subscribe(ch, (m) => heard.push(m));
    await a.publish(channel(), 'elsewhere');
    await a.publish(ch, 'here');
    await until(heard, 1);
    await settle();
    expect(heard).toEqual(['here']);
  });

  it('stops calling a handler once unsubscribed, and keeps the others', async () => {
    const [a, b] = await pair();
    const ch = channel();
    const gone: string[] = [];
    const kept: string[] = [];
    const stop = await b.subscribe(ch, (m) => gone.push(m));
    await b.subscribe(ch, (m) => kept.push(m));
    await a.publish(ch, 'before');
    await until(gone, 1);
    await stop();
    await stop(); // twice is harmless
    await a.publish(ch, 'after');
    await until(kept, 2);
    await settle();
    expect(gone).toEqual(['before']);
    expect(kept).toEqual(['before', 'after']);
  });

  it('isolates a handler that throws from the others and from the publisher', async () => {
    const [a, b] = await pair();
    const ch = channel();
    const heard: string[] = [];
    await b.subscribe(ch, () => {
      throw new Error('a broken listener');
    });
    await b.subscribe(ch, (m) => heard.push(m));
    await expect(a.publish(ch, 'still')).resolves.toBeUndefined();
    await until(heard, 1);
    await until(errors, 1);
    expect(heard).toEqual(['still']);
    expect(errors).toHaveLength(1);
  });

  it('refuses to publish once closed', async () => {
    const [a] = await pair();
    await a.close();
    await expect(a.publish(channel(), 'late')).rejects.toThrow();
  });
});

describe('values on the memory bus', () => {
  it('hands every value subscriber the very value published, synchronously', async () => {
    const bus = new MemoryBus();
    const value = { events: [{ id: 'a' }] };
    const first: unknown[] = [];
    const second: unknown[] = [];
    await bus.values.subscribe('ch', (v) => first.push(v));
    await bus.values.subscribe('ch', (v) => second.push(v));
    await bus.values.publish('ch', value);
    expect(first).toEqual([value]);
    expect(first[0]).toBe(value);
    expect(second[0]).toBe(value);
    await bus.close();
  });

  it('keeps values and text apart, even on one channel name', async () => {
    const bus = new MemoryBus();
    const texts: string[] = [];
    const values: unknown[] = [];
    await bus.subscribe('ch', (m) => texts.push(m));
    await bus.values.subscribe('ch', (v) => values.push(v));
    await bus.publish('ch', 'text');
    await bus.values.publish('ch', 42);
    expect(texts).toEqual(['text']);
    expect(values).toEqual([42]);
    await bus.close();
  });

  it('isolates a throwing value handler, stops after unsubscribing, and refuses once closed', async () => {
    const errors: unknown[] = [];
    const bus = new MemoryBus((e) => errors.push(e));
    const heard: unknown[] = [];
    await bus.values.subscribe('ch', () => {
      throw new Error('a broken listener');
    });
    const stop = await bus.values.subscribe('ch', (v) => heard.push(v));
    await bus.values.publish('ch', 1);
    await stop();
    await bus.values.publish('ch', 2);
    expect(heard).toEqual([1]);
    expect(errors).toHaveLength(2);
    await bus.close();
    await expect(bus.values.publish('ch', 3)).rejects.toThrow('closed');
  });
});
