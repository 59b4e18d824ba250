import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevicePassword } from '../../../src/auth/device-passwords.js';
import { createToken } from '../../../src/auth/tokens.js';
import { parseRules } from '../../../src/permissions/permissions.js';
import { basic, bearer, type Client } from '../../support/http-client.js';
import { startStack, type TestStack } from '../../support/stack.js';

const TODOS = '/data/io.nuage.todos';
const FILES = '/data/io.nuage.files';

describe('who may touch which documents', () => {
  let t: TestStack;
  let alice: Client;
  let tokenFor: (rules: unknown, ttlMs?: number) => Promise<Record<string, string>>;
  const owner = basic('alice', 'alice password');

  beforeAll(async () => {
    t = await startStack();
    const instance = await t.stack.instances.create('alice.localhost', {
      name: 'alice',
      password: 'alice password',
    });
    alice = t.client.forHost('alice.localhost');
    const accounts = await t.stack.instances.accounts(instance);
    tokenFor = async (rules, ttlMs) =>
      bearer(
        (
          await createToken(
            { ...accounts, now: Date.now },
            { rules: parseRules(rules), ttlMs: ttlMs ?? null },
          )
        ).token,
      );
    await alice.put(`${TODOS}/t1`, { json: { title: 'one' }, headers: owner });
    await alice.put(`${FILES}/photo`, { json: { dir: 'photos', name: 'cat.jpg' }, headers: owner });
    await alice.put(`${FILES}/tax`, { json: { dir: 'taxes', name: '2025.pdf' }, headers: owner });
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('lets a token use the verbs it was granted on its doctype', async () => {
    const token = await tokenFor([{ type: 'io.nuage.todos', verbs: ['GET', 'PUT'] }]);
    expect((await alice.get(`${TODOS}/t1`, { headers: token })).status).toBe(200);
    expect((await alice.put(`${TODOS}/t2`, { json: {}, headers: token })).status).toBe(201);
    expect((await alice.get(`${TODOS}/_all_docs`, { headers: token })).status).toBe(200);
    expect((await alice.get(`${TODOS}/_changes`, { headers: token })).status).toBe(200);
  });

  it('refuses a verb the token was not granted, and writes nothing', async () => {
    const token = await tokenFor([{ type: 'io.nuage.todos', verbs: ['GET'] }]);
    const res = await alice.put(`${TODOS}/t3`, { json: {}, headers: token });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect((await alice.get(`${TODOS}/t3`, { headers: owner })).status).toBe(404);
    const bulk = await alice.post(`${TODOS}/_bulk_docs`, { json: { docs: [{ _id: 't4' }] }, headers: token });
    expect(bulk.status).toBe(403);
  });

  it('refuses every route of a doctype the token was not granted', async () => {
    const token = await tokenFor([{ type: 'io.nuage.todos', verbs: 'ALL' }]);
    for (const path of ['/', '/photo', '/_all_docs', '/_changes']) {
      expect((await alice.get(`${FILES}${path}`, { headers: token })).status, path).toBe(403);
    }
    expect(
      (await alice.post(`${FILES}/_bulk_get`, { json: { docs: [{ id: 'photo' }] }, headers: token })).status,
    ).toBe(403);
    const doctypes = (await alice.get('/data/_doctypes', { headers: token })).json<{ doctype: string }[]>();
    expect(doctypes.map((d) => d.doctype)).toEqual(['io.nuage.todos']);
  });

  it("refuses alice's token on another instance", async () => {
    const token = await tokenFor([{ type: 'io.nuage.todos', verbs: 'ALL' }]);
    const res = await t.client.forHost('localhost').get(`${TODOS}/_all_docs`, { headers: token });
    expect(res.status).toBe(401);
  });

  it('refuses an expired token', async () => {
    const token = await tokenFor([{ type: 'io.nuage.todos', verbs: 'ALL' }], 1000);
    expect((await alice.get(`${TODOS}/t1`, { headers: token })).status).toBe(200);
    t.advance(2000);
    expect((await alice.get(`${TODOS}/t1`, { headers: token })).status).toBe(401);
  });

  it('shows a selector-scoped token only the documents it names', async () => {
    const token = await tokenFor([
      { type: 'io.nuage.files', verbs: ['GET'], selector: 'dir', values: ['photos'] },
    ]);
    expect((await alice.get(`${FILES}/photo`, { headers: token })).status).toBe(200);
    expect((await alice.get(`${FILES}/tax`, { headers: token })).status).toBe(404);
    const all = (await alice.get(`${FILES}/_all_docs`, { headers: token })).json<{
      total_rows: number;
      offset: number | null;
      rows: { id: string; doc?: unknown }[];
    }>();
    expect(all.rows.map((r) => r.id)).toEqual(['photo']);
    // Counts of the whole doctype would tell about the documents the token does not name.
    expect([all.total_rows, all.offset]).toEqual([1, null]);
    expect(all.rows[0]!.doc).toBeUndefined();
    const changes = (await alice.get(`${FILES}/_changes`, { headers: token })).json<{
      results: { id: string }[];
    }>();
    expect(changes.results.map((r) => r.id)).toEqual(['photo']);
    const bulkGet = await alice.post(`${FILES}/_bulk_get`, {
      json: { docs: [{ id: 'photo' }, { id: 'tax' }] },
      headers: token,
    });
    expect(bulkGet.text).not.toContain('2025.pdf');
  });

  it('refuses a selector-scoped write that would move a document out of its reach', async () => {
    const token = await tokenFor([
      { type: 'io.nuage.files', verbs: ['GET', 'PUT'], selector: 'dir', values: ['photos'] },
    ]);
    const current = (await alice.get(`${FILES}/photo`, { headers: token })).json<{ _rev: string }>();
    const res = await alice.put(`${FILES}/photo`, {
      json: { _rev: current._rev, dir: 'taxes', name: 'cat.jpg' },
      headers: token,
    });
    expect(res.status).toBe(403);
    expect((await alice.get(`${FILES}/photo`, { headers: owner })).json().dir).toBe('photos');
    const ok = await alice.put(`${FILES}/photo`, {
      json: { _rev: current._rev, dir: 'photos', name: 'dog.jpg' },
      headers: token,
    });
    expect(ok.status).toBe(201);
    const tax = (await alice.get(`${FILES}/tax`, { headers: owner })).json<{ _rev: string }>();
    expect(
      (await alice.put(`${FILES}/tax`, { json: { _rev: tax._rev, dir: 'photos' }, headers: token })).status,
    ).toBe(403);
  });

  it('accepts a device password in Basic auth on /data, and refuses a wrong one with a Basic challenge', async () => {
    const accounts = await t.stack.instances.accounts(await t.stack.instances.get('alice.localhost'));
    const { password } = await createDevicePassword(accounts, 'phone');
    expect((await alice.get(`${TODOS}/t1`, { headers: basic('alice', password) })).status).toBe(200);
    const wrong = await alice.get(`${TODOS}/t1`, { headers: basic('alice', 'guess') });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toContain('Basic');
    expect((await alice.get(`${TODOS}/t1`, { headers: basic('mallory', password) })).status).toBe(401);
  });

  it('ignores Basic credentials outside /dav and /data', async () => {
    const res = await alice.get('/auth/session', { headers: owner });
    expect(res.json().authenticated).toBe(false);
  });

  it('asks anonymous callers to authenticate', async () => {
    const res = await alice.get(`${TODOS}/t1`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('Basic realm="Nuage"');
  });
});
