import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../src/auth/tokens.js';
import { parseRules } from '../../../src/permissions/permissions.js';
import { basic, bearer, type Client } from '../../support/http-client.js';
import { startStack, type TestStack } from '../../support/stack.js';

const C = '/data/io.nuage.contacts';

describe('Mango over HTTP', () => {
  let t: TestStack;
  let alice: Client;
  const owner = basic('alice', 'alice password');
  let tokenFor: (rules: unknown) => Promise<Record<string, string>>;

  beforeAll(async () => {
    t = await startStack();
    const instance = await t.stack.instances.create('alice.localhost', {
      name: 'alice',
      password: 'alice password',
    });
    alice = t.client.forHost('alice.localhost');
    const accounts = await t.stack.instances.accounts(instance);
    tokenFor = async (rules) => bearer((await createToken(accounts, { rules: parseRules(rules) })).token);
    const docs = Array.from({ length: 40 }, (_, i) => ({
      _id: `c${String(i).padStart(2, '0')}`,
      name: `person ${i}`,
      age: 20 + i,
      city: i % 2 === 0 ? 'Paris' : 'Lyon',
    }));
    expect((await alice.post(`${C}/_bulk_docs`, { json: { docs }, headers: owner })).status).toBe(201);
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('answers _find without an index, with a warning', async () => {
    const res = await alice.post(`${C}/_find`, {
      json: { selector: { city: 'Lyon', age: { $gt: 50 } }, fields: ['_id', 'age'] },
      headers: owner,
    });
    expect(res.status).toBe(200);
    const body = res.json<{ docs: { _id: string; age: number }[]; warning: string }>();
    expect(body.docs).toEqual([
      { _id: 'c31', age: 51 },
      { _id: 'c33', age: 53 },
      { _id: 'c35', age: 55 },
      { _id: 'c37', age: 57 },
      { _id: 'c39', age: 59 },
    ]);
    expect(body.warning).toContain('No matching index');
  });

  it('creates an index that _find then uses, as _explain says', async () => {
    const created = await alice.post(`${C}/_index`, {
      json: { index: { fields: ['city', 'age'] }, name: 'city-age' },
      headers: owner,
    });
    expect(created.json()).toMatchObject({ result: 'created', name: 'city-age' });
    expect(
      (
        await alice.post(`${C}/_index`, {
          json: { index: { fields: ['city', 'age'] }, name: 'city-age' },
          headers: owner,
        })
      ).json().result,
    ).toBe('exists');
    const query = {
      selector: { city: 'Paris', age: { $gte: 50 } },
      sort: [{ city: 'desc' }, { age: 'desc' }],
      limit: 2,
    };
    const explained = await alice.post(`${C}/_explain`, { json: query, headers: owner });
    expect(explained.json()).toMatchObject({
      dbname: 'io.nuage.contacts',
      index: { name: 'city-age', type: 'json' },
    });
    const found = (await alice.post(`${C}/_find`, { json: query, headers: owner })).json<{
      docs: { _id: string }[];
      warning?: string;
      bookmark: string;
    }>();
    expect(found.warning).toBeUndefined();
    expect(found.docs.map((d) => d._id)).toEqual(['c38', 'c36']);
    const next = (
      await alice.post(`${C}/_find`, { json: { ...query, bookmark: found.bookmark }, headers: owner })
    ).json<{ docs: { _id: string }[] }>();
    expect(next.docs.map((d) => d._id)).toEqual(['c34', 'c32']);
    const list = (await alice.get(`${C}/_index`, { headers: owner })).json<{ indexes: { name: string }[] }>();
    expect(list.indexes.map((i) => i.name)).toEqual(['_all_docs', 'city-age']);
  });

  it('deletes an index', async () => {
    await alice.post(`${C}/_index`, {
      json: { index: { fields: ['age'] }, ddoc: 'tmp', name: 'by-age' },
      headers: owner,
    });
    expect((await alice.delete(`${C}/_index/_design/tmp/json/by-age`, { headers: owner })).json()).toEqual({
      ok: true,
    });
    expect((await alice.delete(`${C}/_index/tmp/json/by-age`, { headers: owner })).status).toBe(404);
  });

  it('refuses an invalid selector with a 400 problem', async () => {
    const res = await alice.post(`${C}/_find`, { json: { selector: { age: { $near: 3 } } }, headers: owner });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('returns only the documents a selector-scoped token may read', async () => {
    const lyon = await tokenFor([
      { type: 'io.nuage.contacts', verbs: ['GET'], selector: 'city', values: ['Lyon'] },
    ]);
    const res = await alice.post(`${C}/_find`, { json: { selector: { age: { $lt: 25 } } }, headers: lyon });
    expect(res.json<{ docs: { _id: string }[] }>().docs.map((d) => d._id)).toEqual(['c01', 'c03']);
    const other = await tokenFor([{ type: 'io.nuage.todos', verbs: ['GET'] }]);
    expect((await alice.post(`${C}/_find`, { json: { selector: {} }, headers: other })).status).toBe(403);
    expect(
      (await alice.post(`${C}/_index`, { json: { index: { fields: ['x'] } }, headers: lyon })).status,
    ).toBe(403);
  });
});
