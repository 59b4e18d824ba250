import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevicePassword } from '../../../src/auth/device-passwords.js';
import { createToken } from '../../../src/auth/tokens.js';
import { parseRules } from '../../../src/permissions/permissions.js';
import type { InstanceRecord } from '../../../src/ports/store/store.js';
import { basic, type Client } from '../../support/http-client.js';
import { localDb, remoteDb, type RemoteOptions } from '../../support/pouchdb.js';
import { feedReaders, startStack, type TestStack } from '../../support/stack.js';
import { STORE_ADAPTERS } from '../../support/stores.js';

const HOST = 'alice.localhost';
const OWNER = { username: 'alice', password: 'alice password' };

/** Polls until `check` passes (live replication is asynchronous), for at most five seconds. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 5000;) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(STORE_ADAPTERS)('PouchDB replicating with /data on $name', (adapter) => {
  let t: TestStack;
  let alice: Client;
  let instance: InstanceRecord;
  /** Documents received by `_bulk_docs`, per doctype, counted on the server. */
  const received = new Map<string, number>();
  const remote = (doctype: string, more: Partial<RemoteOptions> = {}) =>
    remoteDb({ port: t.port, host: HOST, doctype, auth: OWNER, ...more });
  const serverDoc = async (doctype: string, id: string, query = '') =>
    (
      await alice.get(`/data/${doctype}/${id}${query}`, { headers: basic(OWNER.username, OWNER.password) })
    ).json();

  beforeAll(async () => {
    t = await startStack({ adapter });
    instance = await t.stack.instances.create(HOST, { name: OWNER.username, password: OWNER.password });
    alice = t.client.forHost(HOST);
    t.stack.app.addHook('preHandler', (request) => {
      const m = /^\/data\/([^/]+)\/_bulk_docs$/.exec(request.path);
      const docs = (request.body as { docs?: unknown[] } | undefined)?.docs;
      if (m?.[1] && Array.isArray(docs)) received.set(m[1], (received.get(m[1]) ?? 0) + docs.length);
    });
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('pushes 10k documents, then pulls them all into a fresh database', async () => {
    const phone = localDb();
    const docs = Array.from({ length: 10_000 }, (_, i) => ({ _id: `todo-${i}`, title: `Todo ${i}`, n: i }));
    for (let i = 0; i < docs.length; i += 2000) await phone.bulkDocs(docs.slice(i, i + 2000));
    const push = await phone.replicate.to(remote('io.nuage.big'));
    expect(push).toMatchObject({ ok: true, docs_written: 10_000 });
    const info = (
      await alice.get('/data/io.nuage.big/', { headers: basic(OWNER.username, OWNER.password) })
    ).json();
    expect(info.doc_count).toBe(10_000);

    const laptop = localDb();
    const pull = await laptop.replicate.from(remote('io.nuage.big'));
    expect(pull).toMatchObject({ ok: true, docs_written: 10_000 });
    expect((await laptop.info()).doc_count).toBe(10_000);
    const [a, b] = await Promise.all([phone.get('todo-4321'), laptop.get('todo-4321')]);
    expect(b).toEqual(a);
  }, 60_000);

  it('gives both sides the same winner and _conflicts after offline edits, and resolving them reaches everyone', async () => {
    const doctype = 'io.nuage.todos';
    const phone = localDb();
    const ids = Array.from({ length: 12 }, (_, i) => `c-${i}`);
    await phone.bulkDocs(ids.map((id) => ({ _id: id, title: 'first' })));
    await phone.replicate.to(remote(doctype));
    // Offline: both sides edit every document; the phone deletes some and edits others twice.
    for (const [i, id] of ids.entries()) {
      const onServer = await serverDoc(doctype, id);
      const put = await alice.put(`/data/${doctype}/${id}`, {
        json: { ...onServer, title: 'server edit' },
        headers: basic(OWNER.username, OWNER.password),
      });
      expect(put.status).toBe(201);
      const mine = await phone.get(id);
      if (i % 3 === 1) await phone.remove(mine);
      else {
        const edited = await phone.put({ ...mine, title: 'phone edit' });
        if (i % 3 === 2) await phone.put({ ...mine, _rev: edited.rev, title: 'phone edit again' });
      }
    }
    await phone.sync(remote(doctype));

    const sides = async (id: string) => {
      const local = await phone.get(id, { conflicts: true });
      const server = await serverDoc(doctype, id, '?conflicts=true');
      return { local, server };
    };
    /** Every leaf (winner, conflicts, deleted branches) with its body, sorted by revision. */
    const leaves = async (id: string) => {
      const local = (await phone.get(id, { open_revs: 'all' })).map((leaf) => leaf.ok);
      const res = await alice.get(`/data/${doctype}/${id}?open_revs=all`, {
        headers: { ...basic(OWNER.username, OWNER.password), accept: 'application/json' },
      });
      const server = res.json<{ ok: unknown }[]>().map((leaf) => leaf.ok);
      const byRev = (a: unknown, b: unknown) =>
        String((a as { _rev: string })._rev).localeCompare((b as { _rev: string })._rev);
      return { local: local.sort(byRev), server: server.sort(byRev) };
    };
    let conflicted = 0;
    for (const id of ids) {
      const { local, server } = await sides(id);
      expect(server).toEqual(local);
      if (local._conflicts) conflicted++;
      const all = await leaves(id);
      expect(all.server).toEqual(all.local);
      expect(all.local).toHaveLength(2);
    }
    // A deleted branch is no conflict; two live branches are, whichever is longer.
    expect(conflicted).toBe(8);

    // Resolve on the phone by deleting every losing revision; the resolution travels to the server.
    for (const id of ids) {
      const { local } = await sides(id);
      for (const rev of local._conflicts ?? []) await phone.remove(id, rev);
    }
    await phone.sync(remote(doctype));
    const tablet = localDb();
    await tablet.replicate.from(remote(doctype));
    for (const id of ids) {
      const { local, server } = await sides(id);
      expect(local._conflicts).toBeUndefined();
      expect(server).toEqual(local);
      expect(await tablet.get(id, { conflicts: true })).toEqual({
        _id: id,
        _rev: local._rev,
        title: local.title,
      });
    }
  });

  it('resumes an interrupted push from its checkpoint without sending the same documents again', async () => {
    const doctype = 'io.nuage.resume';
    const phone = localDb();
    await phone.bulkDocs(Array.from({ length: 3000 }, (_, i) => ({ _id: `r-${i}`, title: `R ${i}` })));
    const first = phone.replicate.to(remote(doctype), { batch_size: 100 });
    first.on('change', (info) => {
      if (info.docs_written >= 1000) first.cancel();
    });
    const stopped = await first;
    expect(stopped.status).toBe('cancelled');
    expect(stopped.docs_written).toBeLessThan(3000);
    const sentBefore = received.get(doctype) ?? 0;

    const second = await phone.replicate.to(remote(doctype), { batch_size: 100 });
    expect(second.docs_written).toBe(3000 - sentBefore);
    expect(received.get(doctype)).toBe(3000);
    const info = (
      await alice.get(`/data/${doctype}/`, { headers: basic(OWNER.username, OWNER.password) })
    ).json();
    expect(info.doc_count).toBe(3000);
  });

  it('lets a token granted only io.nuage.todos replicate that doctype, and refuses every other with 403', async () => {
    const accounts = await t.stack.instances.accounts(instance);
    const { token } = await createToken(
      { ...accounts, now: Date.now },
      { rules: parseRules([{ type: 'io.nuage.todos', verbs: 'ALL' }]), ttlMs: null },
    );
    const auth = `Bearer ${token}`;
    const phone = localDb();
    await phone.put({ _id: 'from-token', title: 'written with a token' });
    expect(await phone.replicate.to(remote('io.nuage.todos', { auth }))).toMatchObject({
      ok: true,
      docs_written: 1,
    });
    expect((await phone.replicate.from(remote('io.nuage.todos', { auth }))).ok).toBe(true);
    await expect(phone.replicate.to(remote('io.nuage.contacts', { auth }))).rejects.toMatchObject({
      status: 403,
    });
    await expect(phone.replicate.from(remote('io.nuage.big', { auth }))).rejects.toMatchObject({
      status: 403,
    });
  });

  it('replicates only the documents a Mango selector picks (filter=_selector)', async () => {
    const phone = localDb();
    await phone.bulkDocs([
      { _id: 's-1', title: 'keep', done: false },
      { _id: 's-2', title: 'skip', done: true },
      { _id: 's-3', title: 'keep', done: false },
    ]);
    await phone.replicate.to(remote('io.nuage.selected'));
    const laptop = localDb();
    const pull = await laptop.replicate.from(remote('io.nuage.selected'), { selector: { done: false } });
    expect(pull.docs_written).toBe(2);
    expect((await laptop.info()).doc_count).toBe(2);
  });

  it('replicates with Basic authentication and a device password', async () => {
    const accounts = await t.stack.instances.accounts(instance);
    const { password } = await createDevicePassword(accounts, 'phone');
    const phone = localDb();
    await phone.put({ _id: 'from-device', title: 'written with a device password' });
    const auth = { username: OWNER.username, password };
    expect(await phone.replicate.to(remote('io.nuage.notes', { auth }))).toMatchObject({
      ok: true,
      docs_written: 1,
    });
    const wrong = { username: OWNER.username, password: 'not the password' };
    await expect(phone.replicate.to(remote('io.nuage.notes', { auth: wrong }))).rejects.toMatchObject({
      status: 401,
    });
  });

  it('follows writes live both ways, and leaves no waiting reader behind once cancelled', async () => {
    const doctype = 'io.nuage.live';
    const phone = localDb();
    const sync = phone.sync(remote(doctype), { live: true, retry: true });
    try {
      const put = await alice.put(`/data/${doctype}/from-server`, {
        json: { title: 'server' },
        headers: basic(OWNER.username, OWNER.password),
      });
      expect(put.status).toBe(201);
      await eventually(
        () =>
          phone.get('from-server').then(
            () => true,
            () => false,
          ),
        'the server write on the phone',
      );
      await phone.put({ _id: 'from-phone', title: 'phone' });
      await eventually(
        async () => (await serverDoc(doctype, 'from-phone')).title === 'phone',
        'the phone write',
      );
      expect(feedReaders(t.stack, instance.id)).toBeGreaterThan(0);
    } finally {
      sync.cancel();
    }
    await eventually(async () => feedReaders(t.stack, instance.id) === 0, 'the longpoll to end');
  });
});
