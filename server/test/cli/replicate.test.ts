import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/auth/tokens.js';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { replicateCommand } from '../../src/cli/replicate.js';
import { parseRules } from '../../src/permissions/permissions.js';
import { nodeTransport } from '../../src/replication/couch-http.js';
import { RemoteDb } from '../../src/replication/remote-db.js';
import { replicate } from '../../src/replication/replicator.js';
import { basic, type Client } from '../support/http-client.js';
import { feedReaders, startStack, type TestStack } from '../support/stack.js';

const PASSWORD = 'long enough password';

function capture(): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), stdin: async () => '' };
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 5000;) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('nuage replicate', () => {
  let t: TestStack;
  const clients: Record<string, Client> = {};
  /** Documents each instance received through `_bulk_docs`, counted on the server. */
  const received = new Map<string, number>();
  const origin = (name: string) => `http://${name}:${PASSWORD}@${name}.localhost:${t.port}`;
  const auth = (name: string) => basic(name, PASSWORD);
  const read = async (name: string, path: string) =>
    (await clients[name]!.get(path, { headers: auth(name) })).json<Record<string, unknown>>();
  /** Everything replication must carry: each document's every leaf, with bodies, conflicts and tombstones. */
  const snapshot = async (name: string, doctype: string) => {
    const changes = await read(name, `/data/${doctype}/_changes?style=all_docs`);
    const rows = changes.results as { id: string; changes: { rev: string }[]; deleted?: boolean }[];
    const docs = await read(name, `/data/${doctype}/_all_docs?include_docs=true&conflicts=true`);
    return {
      leaves: rows.map((r) => ({ id: r.id, revs: r.changes.map((c) => c.rev).sort(), deleted: r.deleted })),
      docs: docs.rows,
    };
  };

  beforeAll(async () => {
    t = await startStack();
    for (const name of ['alice', 'bob', 'carol', 'dave']) {
      await t.stack.instances.create(`${name}.localhost`, { name, password: PASSWORD });
      clients[name] = t.client.forHost(`${name}.localhost`);
    }
    t.stack.app.addHook('preHandler', (request) => {
      const docs = (request.body as { docs?: unknown[] } | undefined)?.docs;
      const host = (request.headers.host ?? '').split(':')[0]!;
      if (request.path.endsWith('/_bulk_docs') && Array.isArray(docs))
        received.set(host, (received.get(host) ?? 0) + docs.length);
    });
    const alice = clients.alice!;
    const todos = Array.from({ length: 300 }, (_, i) => ({ _id: `todo-${i}`, title: `Todo ${i}` }));
    await alice.post('/data/io.nuage.todos/_bulk_docs', { json: { docs: todos }, headers: auth('alice') });
    const contacts = Array.from({ length: 40 }, (_, i) => ({ _id: `c-${i}`, name: `Contact ${i}` }));
    await alice.post('/data/io.nuage.contacts/_bulk_docs', {
      json: { docs: contacts },
      headers: auth('alice'),
    });
    const gone = await read('alice', '/data/io.nuage.todos/todo-7');
    await alice.delete(`/data/io.nuage.todos/todo-7?rev=${String(gone._rev)}`, { headers: auth('alice') });
    await alice.post('/data/io.nuage.todos/_bulk_docs', {
      json: { new_edits: false, docs: [{ _id: 'todo-8', _rev: '2-abcdef', title: 'edited elsewhere' }] },
      headers: auth('alice'),
    });
    await alice.put('/data/io.nuage.todos/_local/private', { json: { mine: true }, headers: auth('alice') });
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('copies every doctype between two instances, conflicts and deletions included, and a second run sends nothing', async () => {
    const io = capture();
    const args = ['replicate', '--from', origin('alice'), '--to', origin('bob'), '--batch-size', '64'];
    expect(await runCli(args, io)).toBe(0);
    expect(io.lines).toEqual([
      expect.stringMatching(/^io\.nuage\.contacts: 40 written, 0 refused, 0 already there \(seq 0 → \d+\)$/),
      expect.stringMatching(/^io\.nuage\.todos: 301 written, 0 refused, 0 already there \(seq 0 → \d+\)$/),
    ]);
    for (const doctype of ['io.nuage.todos', 'io.nuage.contacts']) {
      expect(await snapshot('bob', doctype)).toEqual(await snapshot('alice', doctype));
    }
    expect((await read('bob', '/data/io.nuage.todos/todo-8?conflicts=true'))._conflicts).toHaveLength(1);
    expect(
      (await clients.bob!.get('/data/io.nuage.todos/_local/private', { headers: auth('bob') })).status,
    ).toBe(404);

    const before = received.get(`bob.localhost`);
    const again = capture();
    expect(await runCli(args, again)).toBe(0);
    expect(again.lines).toEqual([
      expect.stringMatching(/^io\.nuage\.contacts: up to date at seq \d+$/),
      expect.stringMatching(/^io\.nuage\.todos: up to date at seq \d+$/),
    ]);
    expect(received.get('bob.localhost')).toBe(before);
  });

  it('resumes an interrupted replication from its checkpoint without sending anything twice', async () => {
    const source = new RemoteDb(`${origin('alice')}/data/io.nuage.todos`, nodeTransport(auth0('alice')));
    const target = new RemoteDb(`${origin('carol')}/data/io.nuage.todos`, nodeTransport(auth0('carol')));
    const stop = new AbortController();
    const first = await replicate(source, target, {
      batchSize: 100,
      signal: stop.signal,
      onBatch: () => stop.abort(),
    });
    expect(first.docsWritten).toBe(100);
    const second = await replicate(source, target, { batchSize: 100 });
    expect(second.startSeq).toEqual(first.lastSeq);
    expect(second.docsWritten).toBe(201);
    expect(received.get('carol.localhost')).toBe(301);
    expect(await snapshot('carol', 'io.nuage.todos')).toEqual(await snapshot('alice', 'io.nuage.todos'));
  });

  it('replicates only what a read-only token may list, and resumes with the checkpoint kept on the target', async () => {
    const accounts = await t.stack.instances.accounts(await t.stack.instances.get('alice.localhost'));
    const { token } = await createToken(
      { ...accounts, now: Date.now },
      { rules: parseRules([{ type: 'io.nuage.contacts', verbs: ['GET'] }]), ttlMs: null },
    );
    const from = `http://alice.localhost:${t.port}`;
    const args = ['replicate', '--from', from, '--from-token', token, '--to', origin('dave')];
    const io = capture();
    expect(await runCli(args, io)).toBe(0);
    expect(io.lines).toEqual([expect.stringMatching(/^io\.nuage\.contacts: 40 written/)]);
    const doctypes = (await clients.dave!.get('/data/_doctypes', { headers: auth('dave') })).json<
      { doctype: string }[]
    >();
    expect(doctypes.map((d) => d.doctype)).toEqual(['io.nuage.contacts']);
    const again = capture();
    expect(await runCli(args, again)).toBe(0);
    expect(again.lines).toEqual([expect.stringMatching(/^io\.nuage\.contacts: up to date/)]);
    const refused = capture();
    const todos = [...args, '--doctypes', 'io.nuage.todos'];
    expect(await runCli(todos, refused)).toBe(1);
    expect(refused.errors[0]).toMatch(/^io\.nuage\.todos: GET .* answered 403 forbidden/);
  });

  it('follows the source with --continuous until stopped', async () => {
    const stop = new AbortController();
    const io = capture();
    const args = [
      '--from',
      origin('alice'),
      '--to',
      origin('carol'),
      '--doctypes',
      'io.nuage.notes',
      '--continuous',
    ];
    const running = replicateCommand(args, io, stop.signal);
    await eventually(async () => io.lines.some((l) => l.startsWith('following')), 'the follow to start');
    await clients.alice!.put('/data/io.nuage.notes/live', {
      json: { text: 'hello' },
      headers: auth('alice'),
    });
    await eventually(
      async () =>
        (await clients.carol!.get('/data/io.nuage.notes/live', { headers: auth('carol') })).status === 200,
      'the note on carol',
    );
    stop.abort();
    await running;
    expect(io.lines.at(-1)).toMatch(/^io\.nuage\.notes: 1 written so far/);
    await eventually(
      async () => feedReaders(t.stack, (await t.stack.instances.get('alice.localhost')).id) === 0,
      'the longpoll to end',
    );
  });

  it('refuses a bad call with exit 2 and a refused login with exit 1, each on one line', async () => {
    const missing = capture();
    expect(await runCli(['replicate', '--from', origin('alice')], missing)).toBe(2);
    expect(missing.errors).toEqual(['nuage: missing --to <url>']);
    const path = capture();
    expect(
      await runCli(['replicate', '--from', origin('alice'), '--to', 'http://x.localhost/db'], path),
    ).toBe(2);
    const wrong = capture();
    const badFrom = `http://alice:nope@alice.localhost:${t.port}`;
    expect(await runCli(['replicate', '--from', badFrom, '--to', origin('bob')], wrong)).toBe(1);
    expect(wrong.errors).toHaveLength(1);
    expect(wrong.errors[0]).toMatch(/answered 401/);
  });
});

function auth0(name: string) {
  return { kind: 'basic' as const, user: name, password: PASSWORD };
}
