import { rmSync } from 'node:fs';
import { loadConfig, type Config } from '../../src/config.js';
import { createStack, ensureDefaultInstance, type Stack } from '../../src/main.js';
import { Client } from './http-client.js';
import { STORE_ADAPTERS, tempDir, type StoreAdapter } from './stores.js';

export interface TestStack {
  stack: Stack;
  port: number;
  dataDir: string;
  /** A client speaking to `localhost` (the default instance). */
  client: Client;
  /** Moves the injected clock forward. */
  advance(ms: number): void;
  dispose(): Promise<void>;
}

/**
 * Boots a real stack in-process on a temporary directory (or PostgreSQL prefix), listening on a free
 * port, with a controllable clock. Logs are silent unless NUAGE_TEST_LOG is set.
 */
export async function startStack(
  options: { adapter?: StoreAdapter; config?: Partial<Config> } = {},
): Promise<TestStack> {
  // Installing the first-party apps costs half a second per stack; tests of them ask for it.
  let offset = 0;
  const now = () => Date.now() + offset;
  const adapter = options.adapter ?? STORE_ADAPTERS[0]!;
  const fixture = await adapter.create();
  const config = {
    ...loadConfig({ port: '0', host: '127.0.0.1', data: fixture.dataDir }, {}),
    logLevel: (process.env.NUAGE_TEST_LOG ?? 'silent') as 'silent',
    defaultApps: false,
    ...options.config,
  };
  const stack = await createStack(config, { now, store: fixture.store });
  await ensureDefaultInstance(stack);
  const address = await stack.listen();
  const port = Number(new URL(address).port);
  return {
    stack,
    port,
    dataDir: fixture.dataDir,
    client: new Client(port, 'localhost'),
    advance: (ms) => {
      offset += ms;
    },
    async dispose() {
      await stack.close();
      await fixture.dispose();
    },
  };
}

export { tempDir, rmSync };

/** Onboards an instance through its real form and leaves the client logged in. */
export async function onboard(
  client: Client,
  name = 'alice',
  password = 'correct horse battery',
): Promise<void> {
  const res = await client.post('/auth/onboarding', { form: { name, password, confirm: password } });
  if (res.status !== 303) throw new Error(`onboarding failed: ${res.status} ${res.text}`);
}

/** The CSRF token of the client's session, for cookie-authenticated writes. */
export async function csrfOf(client: Client): Promise<string> {
  const res = await client.get('/auth/session');
  const token = res.json<{ csrfToken?: string }>().csrfToken;
  if (!token) throw new Error('not logged in');
  return token;
}

/**
 * `_changes` readers waiting on an instance: the notifier's waiters less the jobs' event watcher, which
 * waits there too once the instance has `@event` triggers (calendar reminders give every instance one).
 */
export function feedReaders(stack: Stack, instanceId: string): number {
  return stack.documents.notifier.waiting(instanceId) - (stack.jobs.events.watching(instanceId) ? 1 : 0);
}
