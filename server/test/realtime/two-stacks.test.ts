import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createToken } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';
import { createStack, type Stack } from '../../src/main.js';
import type { Bus } from '../../src/ports/bus/bus.js';
import { MemoryBus } from '../../src/ports/bus/memory-bus.js';
import { PostgresStore } from '../../src/ports/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/ports/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/ports/store/store.js';
import { parseRules } from '../../src/permissions/permissions.js';
import { basic, Client } from '../support/http-client.js';
import { POSTGRES_URL, tempDir } from '../support/stores.js';
import { TestSocket } from './socket.js';

const REDIS_URL = process.env.NUAGE_TEST_REDIS;
const owner = basic('alice', 'alice password');

interface Process {
  stack: Stack;
  port: number;
  client: Client;
}

/** Two stacks over the same data, as two processes would be; `stores` gives each its own store object. */
interface Setup {
  name: string;
  available: boolean;
  open(): Promise<{ stores: [Store, Store]; bus?: Bus; redisUrl?: string; dispose(): Promise<void> }>;
}

const SETUPS: Setup[] = [
  {
    name: 'one SQLite store and an in-process bus',
    available: true,
    open() {
      const dir = tempDir();
      const store = new SqliteStore(dir);
      const bus = new MemoryBus();
      return Promise.resolve({
        stores: [store, store],
        bus,
        async dispose() {
          await bus.close();
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      });
    },
  },
  {
    name: 'two PostgreSQL connections and Redis',
    available: POSTGRES_URL !== undefined && REDIS_URL !== undefined,
    async open() {
      const prefix = `t${randomBytes(5).toString('hex')}`;
      const a = await PostgresStore.connect({ url: POSTGRES_URL!, prefix, maxConnections: 4 });
      const b = await PostgresStore.connect({ url: POSTGRES_URL!, prefix, maxConnections: 4 });
      return {
        stores: [a, b],
        redisUrl: REDIS_URL!,
        async dispose() {
          await a.dropEverything();
          await Promise.all([a.close(), b.close()]);
        },
      };
    },
  },
];

describe.each(SETUPS.filter((s) => s.available))('two stack processes on $name', (setup) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  });

  async function boot(store: Store, bus: Bus | undefined, redisUrl: string | undefined): Promise<Process> {
    const dataDir = tempDir();
    const config = {
      ...loadConfig({ port: '0', host: '127.0.0.1', data: dataDir }, {}),
      logLevel: 'silent' as const,
      redisUrl,
    };
    const stack = await createStack(config, { store, ...(bus && { bus }) });
    const port = Number(new URL(await stack.listen()).port);
    cleanups.push(async () => {
      await stack.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    return { stack, port, client: new Client(port, 'alice.localhost') };
  }

  it('delivers a write made on one process to a socket and a longpoll reader on the other', async () => {
    const shared = await setup.open();
    cleanups.push(() => shared.dispose());
    const a = await boot(shared.stores[0], shared.bus, shared.redisUrl);
    const b = await boot(shared.stores[1], shared.bus, shared.redisUrl);
    const instance = await a.stack.instances.create('alice.localhost', {
      name: 'alice',
      password: 'alice password',
    });
    const accounts = await b.stack.instances.accounts(instance);
    const { token } = await createToken(
      { ...accounts, now: Date.now },
      { rules: parseRules([{ type: 'io.nuage.todos', verbs: ['GET'] }]), ttlMs: null },
    );
    const socket = await TestSocket.open(b.port, 'alice.localhost', { authorization: `Bearer ${token}` });
    await socket.subscribe('io.nuage.todos');
    const seq = (await b.client.get('/data/io.nuage.todos/_changes', { headers: owner })).json().last_seq;
    const longpoll = b.client.get(
      `/data/io.nuage.todos/_changes?feed=longpoll&timeout=10000&since=${String(seq)}`,
      { headers: owner },
    );
    const started = Date.now();

    const res = await a.client.put('/data/io.nuage.todos/shared', { json: { title: 'hi' }, headers: owner });
    expect(res.status).toBe(201);
    expect(await socket.next()).toMatchObject({
      event: 'CREATED',
      payload: { type: 'io.nuage.todos', id: 'shared', doc: { title: 'hi' } },
    });
    const woken = await longpoll;
    expect(woken.json<{ results: { id: string }[] }>().results.map((r) => r.id)).toEqual(['shared']);
    expect(Date.now() - started).toBeLessThan(5_000);
    socket.close();
  });
});
