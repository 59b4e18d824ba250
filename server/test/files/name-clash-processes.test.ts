import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { DataScope } from '../../src/data/format.js';
import { Conflict } from '../../src/errors.js';
import { ROOT_ID } from '../../src/files/file-doc.js';
import type { FilesService } from '../../src/files/files-service.js';
import { createStack, type Stack } from '../../src/main.js';
import { PostgresStore } from '../../src/ports/store/postgres/postgres-store.js';
import type { InstanceRecord } from '../../src/ports/store/store.js';
import { basic, Client } from '../support/http-client.js';
import { POSTGRES_URL, tempDir } from '../support/stores.js';

/** The Redis server the two-process tests need; CI sets it (see .ci/run). */
const REDIS_URL = process.env.NUAGE_TEST_REDIS;

const body = (text: string) => Readable.from([Buffer.from(text)]);
const owner = basic('alice', 'alice password');

/** How many of many simultaneous calls landed, and why the others were refused. */
function tally(outcomes: PromiseSettledResult<unknown>[]): { landed: number; refused: unknown[] } {
  return {
    landed: outcomes.filter((o) => o.status === 'fulfilled').length,
    refused: outcomes.flatMap((o): unknown[] => (o.status === 'rejected' ? [o.reason] : [])),
  };
}

/**
 * Two stack processes, as `nuage --database postgres://… --redis redis://…` twice would run them: each
 * its own store connections, bus and FilesService, over one PostgreSQL schema and one Redis.
 */
describe.runIf(POSTGRES_URL !== undefined && REDIS_URL !== undefined)(
  'names in a directory, with two stack processes on one PostgreSQL and Redis',
  () => {
    const cleanups: (() => Promise<void>)[] = [];
    interface Process {
      files: FilesService;
      scope: DataScope;
      client: Client;
    }
    let one: Process;
    let two: Process;

    async function boot(store: PostgresStore): Promise<Stack> {
      const dataDir = tempDir();
      const config = {
        ...loadConfig({ port: '0', host: '127.0.0.1', data: dataDir }, {}),
        logLevel: 'silent' as const,
        defaultApps: false,
        databaseUrl: POSTGRES_URL,
        redisUrl: REDIS_URL,
      };
      const stack = await createStack(config, { store });
      cleanups.push(async () => {
        await stack.close();
        rmSync(dataDir, { recursive: true, force: true });
      });
      return stack;
    }

    /** Starts `stack` listening and gives its view of the instance: service, scope and HTTP client. */
    async function join(stack: Stack, instance: InstanceRecord): Promise<Process> {
      const port = Number(new URL(await stack.listen()).port);
      const scope = { instance, storage: await stack.store.open(instance) };
      return { files: stack.files, scope, client: new Client(port, 'alice.localhost') };
    }

    beforeEach(async () => {
      // A private prefix keeps parallel test files from seeing each other's instances.
      const prefix = `t${randomBytes(5).toString('hex')}`;
      const stores = [
        await PostgresStore.connect({ url: POSTGRES_URL!, prefix, maxConnections: 8 }),
        await PostgresStore.connect({ url: POSTGRES_URL!, prefix, maxConnections: 8 }),
      ] as const;
      cleanups.push(async () => {
        await stores[0].dropEverything();
        await Promise.all(stores.map((s) => s.close()));
      });
      const [a, b] = [await boot(stores[0]), await boot(stores[1])];
      const instance = await a.instances.create('alice.localhost', {
        name: 'alice',
        password: 'alice password',
      });
      [one, two] = [await join(a, instance), await join(b, instance)];
      // The root exists before the race, so the race is about the name alone.
      await one.files.get(one.scope, ROOT_ID);
    });

    afterEach(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
      cleanups.length = 0;
    });

    it('lets exactly one of many simultaneous uploads of one name from both processes land', async () => {
      // Several rounds: one race can happen to serialise by luck, five in a row do not.
      const names = ['a.txt', 'b.txt', 'c.txt', 'd.txt', 'e.txt'];
      for (const name of names) {
        const outcomes = await Promise.allSettled(
          Array.from({ length: 24 }, (_, i) => {
            const side = i % 2 === 0 ? one : two;
            return side.files.upload(side.scope, ROOT_ID, name, body(`${name} from ${i}`));
          }),
        );
        const { landed, refused } = tally(outcomes);
        expect(landed, name).toBe(1);
        for (const reason of refused) expect(reason).toBeInstanceOf(Conflict);
      }
      expect((await two.files.children(two.scope, ROOT_ID)).map((c) => c.name)).toEqual(names);
    });

    it('creates a directory once when both processes ask for it many times at once', async () => {
      const names = ['music', 'photos', 'videos', 'work', 'zips'];
      for (const name of names) {
        const outcomes = await Promise.allSettled(
          Array.from({ length: 24 }, (_, i) => {
            const side = i % 2 === 0 ? one : two;
            return side.files.createDirectory(side.scope, ROOT_ID, name);
          }),
        );
        const { landed, refused } = tally(outcomes);
        expect(landed, name).toBe(1);
        for (const reason of refused) expect(reason).toBeInstanceOf(Conflict);
      }
      expect((await one.files.children(one.scope, ROOT_ID)).map((c) => c.name)).toEqual(names);
    });

    it('lets only one of many entries renamed to one name at once take it', async () => {
      for (const round of [1, 2, 3, 4, 5]) {
        const dir = await one.files.createDirectory(one.scope, ROOT_ID, `round ${round}`);
        const drafts = await Promise.all(
          Array.from({ length: 12 }, (_, i) => one.files.createDirectory(one.scope, dir._id, `draft ${i}`)),
        );
        const outcomes = await Promise.allSettled(
          drafts.map((draft, i) => {
            const side = i % 2 === 0 ? one : two;
            return side.files.update(side.scope, draft._id, { name: 'final' });
          }),
        );
        const { landed, refused } = tally(outcomes);
        expect(landed, `round ${round}`).toBe(1);
        for (const reason of refused) expect(reason).toBeInstanceOf(Conflict);
        const names = (await two.files.children(two.scope, dir._id)).map((c) => c.name);
        expect(names.filter((n) => n === 'final')).toHaveLength(1);
      }
    });

    it('answers 409 over HTTP to the uploads that lost, on whichever process they reached', async () => {
      const responses = await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          (i % 2 === 0 ? one : two).client.post(`/files/${ROOT_ID}?Type=file&Name=report.pdf`, {
            body: `draft ${i}`,
            headers: owner,
          }),
        ),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([201, ...Array<number>(15).fill(409)]);
      expect((await one.files.children(one.scope, ROOT_ID)).map((c) => c.name)).toEqual(['report.pdf']);
    });
  },
);
