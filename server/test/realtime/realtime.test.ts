import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/auth/tokens.js';
import type { InstanceRecord } from '../../src/ports/store/store.js';
import { parseRules } from '../../src/permissions/permissions.js';
import { basic, type Client } from '../support/http-client.js';
import { csrfOf, startStack, type TestStack } from '../support/stack.js';
import { TestSocket } from './socket.js';

const TODOS = '/data/io.nuage.todos';
const owner = basic('alice', 'alice password');

describe('/realtime', () => {
  let t: TestStack;
  let alice: Client;
  let instance: InstanceRecord;
  let tokenFor: (rules: unknown, domain?: string) => Promise<string>;
  const open = (headers: Record<string, string> = {}, host = 'alice.localhost') =>
    TestSocket.open(t.port, host, headers);

  beforeAll(async () => {
    t = await startStack();
    instance = await t.stack.instances.create('alice.localhost', {
      name: 'alice',
      password: 'alice password',
    });
    await t.stack.instances.create('bob.localhost', { name: 'bob', password: 'bob password' });
    alice = t.client.forHost('alice.localhost');
    tokenFor = async (rules, domain = 'alice.localhost') => {
      const target = domain === 'alice.localhost' ? instance : (await t.stack.instances.byHost(domain))!;
      const accounts = await t.stack.instances.accounts(target);
      const created = await createToken(
        { ...accounts, now: Date.now },
        { rules: parseRules(rules), ttlMs: null },
      );
      return created.token;
    };
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('tells a logged-in browser about documents created, updated and deleted through REST', async () => {
    expect((await alice.post('/auth/login', { form: { password: 'alice password' } })).status).toBe(303);
    const cookie = [...alice.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    // A browser sends the port in both Host and Origin.
    const socket = await open(
      { cookie, origin: `http://alice.localhost:${t.port}` },
      `alice.localhost:${t.port}`,
    );
    await socket.subscribe('io.nuage.todos');

    const created = (await alice.put(`${TODOS}/rest`, { json: { title: 'milk' }, headers: owner })).json();
    expect(await socket.next()).toEqual({
      event: 'CREATED',
      payload: { type: 'io.nuage.todos', id: 'rest', doc: { _id: 'rest', _rev: created.rev, title: 'milk' } },
    });
    const updated = (
      await alice.put(`${TODOS}/rest`, { json: { _rev: created.rev, title: 'oat milk' }, headers: owner })
    ).json();
    expect(await socket.next()).toMatchObject({
      event: 'UPDATED',
      payload: { id: 'rest', doc: { _rev: updated.rev, title: 'oat milk' } },
    });
    await alice.delete(`${TODOS}/rest?rev=${String(updated.rev)}`, { headers: owner });
    expect(await socket.next()).toMatchObject({
      event: 'DELETED',
      payload: { type: 'io.nuage.todos', id: 'rest', doc: { _id: 'rest', _deleted: true } },
    });
    expect(await socket.drain()).toEqual([]);
    socket.close();
  });

  it('refuses a session cookie sent from another origin', async () => {
    const cookie = [...alice.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    await expect(open({ cookie, origin: 'http://evil.example' })).rejects.toThrow('refused with 403');
    await expect(open({ cookie })).rejects.toThrow('refused with 403');
  });

  it('reports replicated writes (_bulk_docs new_edits=false) with the winning document', async () => {
    const socket = await open({
      authorization: `Bearer ${await tokenFor([{ type: 'io.nuage.todos', verbs: ['GET'] }])}`,
    });
    await socket.subscribe('io.nuage.todos');
    const bulk = (docs: unknown[]) =>
      alice.post(`${TODOS}/_bulk_docs`, { json: { docs, new_edits: false }, headers: owner });

    await bulk([{ _id: 'replicated', _rev: '1-aaa', title: 'from a phone' }]);
    expect(await socket.next()).toEqual({
      event: 'CREATED',
      payload: {
        type: 'io.nuage.todos',
        id: 'replicated',
        doc: { _id: 'replicated', _rev: '1-aaa', title: 'from a phone' },
      },
    });
    await bulk([{ _id: 'replicated', _revisions: { start: 2, ids: ['bbb', 'aaa'] }, title: 'edited' }]);
    expect(await socket.next()).toMatchObject({
      event: 'UPDATED',
      payload: { id: 'replicated', doc: { _rev: '2-bbb', title: 'edited' } },
    });
    await bulk([{ _id: 'replicated', _revisions: { start: 3, ids: ['ccc', 'bbb'] }, _deleted: true }]);
    expect(await socket.next()).toMatchObject({
      event: 'DELETED',
      payload: { id: 'replicated', doc: { _rev: '3-ccc', _deleted: true } },
    });
    socket.close();
  });

  it('sends a subscriber of one document only the events of that document', async () => {
    const socket = await open({
      authorization: `Bearer ${await tokenFor([{ type: 'io.nuage.todos', verbs: ['GET'] }])}`,
    });
    await socket.subscribe('io.nuage.todos', 'watched');
    await alice.put(`${TODOS}/other`, { json: {}, headers: owner });
    await alice.put(`${TODOS}/watched`, { json: { n: 1 }, headers: owner });
    await alice.put(`${TODOS}/other2`, { json: {}, headers: owner });
    const got = await socket.drain(200);
    expect(got.map((m) => [m.event, m.payload.id])).toEqual([['CREATED', 'watched']]);
    socket.close();
  });

  it('answers a token without GET on the doctype with an error event, and sends it nothing else', async () => {
    const token = await tokenFor([{ type: 'io.nuage.todos', verbs: ['PUT'] }]);
    const socket = await open({ authorization: `Bearer ${token}` });
    socket.send('SUBSCRIBE', { type: 'io.nuage.todos' });
    expect(await socket.next()).toMatchObject({
      event: 'error',
      payload: { status: '403', title: 'this token may not GET io.nuage.todos' },
    });
    await alice.put(`${TODOS}/secret`, { json: {}, headers: owner });
    expect(await socket.drain()).toEqual([]);
    socket.close();
  });

  it('shows a selector-scoped token only the documents its rules name', async () => {
    const token = await tokenFor([
      { type: 'io.nuage.files', verbs: ['GET'], selector: 'dir', values: ['photos'] },
    ]);
    const socket = await open({ authorization: `Bearer ${token}` });
    await socket.subscribe('io.nuage.files');
    await alice.put('/data/io.nuage.files/tax', { json: { dir: 'taxes' }, headers: owner });
    await alice.put('/data/io.nuage.files/cat', { json: { dir: 'photos' }, headers: owner });
    const got = await socket.drain(200);
    expect(got.map((m) => m.payload.id)).toEqual(['cat']);
    socket.close();
  });

  it('accepts a token sent in a first AUTH message, as browsers cannot set headers', async () => {
    const socket = await open();
    socket.send('SUBSCRIBE', { type: 'io.nuage.todos' });
    expect(await socket.next()).toMatchObject({ event: 'error', payload: { status: '401' } });
    socket.send('AUTH', await tokenFor([{ type: 'io.nuage.todos', verbs: ['GET'] }]));
    await socket.subscribe('io.nuage.todos');
    await socket.drain(50);
    await alice.put(`${TODOS}/after-auth`, { json: {}, headers: owner });
    expect(await socket.next()).toMatchObject({ event: 'CREATED', payload: { id: 'after-auth' } });
    socket.close();
  });

  it("refuses another instance's token, in a header or in AUTH", async () => {
    const bobs = await tokenFor([{ type: 'io.nuage.todos', verbs: 'ALL' }], 'bob.localhost');
    await expect(open({ authorization: `Bearer ${bobs}` })).rejects.toThrow('refused with 401');
    const socket = await open();
    socket.send('AUTH', bobs);
    expect(await socket.next()).toMatchObject({ event: 'error', payload: { status: '401' } });
    expect((await socket.closed).code).toBe(1008);
  });

  it('refuses an unknown host and another path', async () => {
    await expect(open({}, 'nobody.localhost')).rejects.toThrow('refused with 404');
  });

  it('stops sending events after UNSUBSCRIBE', async () => {
    const socket = await open({
      authorization: `Bearer ${await tokenFor([{ type: 'io.nuage.todos', verbs: ['GET'] }])}`,
    });
    await socket.subscribe('io.nuage.todos');
    await alice.put(`${TODOS}/before-unsub`, { json: {}, headers: owner });
    expect(await socket.next()).toMatchObject({ event: 'CREATED', payload: { id: 'before-unsub' } });
    socket.send('UNSUBSCRIBE', { type: 'io.nuage.todos' });
    await socket.roundTrip();
    await alice.put(`${TODOS}/after-unsub`, { json: {}, headers: owner });
    expect(await socket.drain()).toEqual([]);
    socket.close();
  });

  it('answers a malformed message with a 400 error event and keeps the socket open', async () => {
    const socket = await open({
      authorization: `Bearer ${await tokenFor([{ type: 'io.nuage.todos', verbs: ['GET'] }])}`,
    });
    socket.ws.send('not json');
    expect(await socket.next()).toMatchObject({ event: 'error', payload: { status: '400' } });
    socket.send('SUBSCRIBE', { type: 'Not A Doctype' });
    expect(await socket.next()).toMatchObject({ event: 'error', payload: { status: '400' } });
    socket.send('PUBLISH', {});
    expect(await socket.next()).toMatchObject({ event: 'error', payload: { status: '405' } });
    socket.close();
  });
});

describe('/realtime on shutdown', () => {
  it('closes open sockets as going away when the stack closes', async () => {
    const t = await startStack();
    await t.stack.instances.create('alice.localhost', { name: 'alice', password: 'alice password' });
    const accounts = await t.stack.instances.accounts((await t.stack.instances.byHost('alice.localhost'))!);
    const { token } = await createToken(
      { ...accounts, now: Date.now },
      { rules: parseRules([{ type: 'io.nuage.todos' }]), ttlMs: null },
    );
    const socket = await TestSocket.open(t.port, 'alice.localhost', { authorization: `Bearer ${token}` });
    expect(t.stack.realtime.connections((await t.stack.instances.byHost('alice.localhost'))!.id)).toBe(1);
    await t.dispose();
    expect((await socket.closed).code).toBe(1001);
  });
});

describe('/realtime when credentials end', () => {
  let t: TestStack;
  let instance: InstanceRecord;
  beforeAll(async () => {
    t = await startStack();
    instance = await t.stack.instances.create('alice.localhost', {
      name: 'alice',
      password: 'alice password',
    });
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('closes the socket of a token once it expires', async () => {
    const accounts = await t.stack.instances.accounts(instance);
    const { token } = await createToken(
      { ...accounts, now: Date.now },
      { rules: parseRules([{ type: 'io.nuage.todos', verbs: ['GET'] }]), ttlMs: 60_000 },
    );
    const socket = await TestSocket.open(t.port, 'alice.localhost');
    socket.send('AUTH', token);
    await socket.subscribe('io.nuage.todos');
    await t.stack.realtime.revalidate();
    expect(await socket.drain(50)).toEqual([]);
    t.advance(61_000);
    await t.stack.realtime.revalidate();
    expect(await socket.next()).toMatchObject({ event: 'error', payload: { status: '401' } });
    expect((await socket.closed).code).toBe(1008);
  });

  it('closes the socket of a session once its owner logs out', async () => {
    const alice = t.client.forHost(`alice.localhost:${t.port}`);
    expect((await alice.post('/auth/login', { form: { password: 'alice password' } })).status).toBe(303);
    const cookie = [...alice.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const socket = await TestSocket.open(t.port, `alice.localhost:${t.port}`, {
      cookie,
      origin: `http://alice.localhost:${t.port}`,
    });
    await t.stack.realtime.revalidate();
    expect(await socket.drain(50)).toEqual([]);
    const csrf = await csrfOf(alice);
    await alice.post('/auth/logout', { form: { _csrf: csrf } });
    await t.stack.realtime.revalidate();
    expect(await socket.next()).toMatchObject({ event: 'error', payload: { status: '401' } });
    expect((await socket.closed).code).toBe(1008);
  });
});
