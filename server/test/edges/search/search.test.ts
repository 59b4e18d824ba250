import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../src/auth/tokens.js';
import { parseRules } from '../../../src/permissions/permissions.js';
import { basic, bearer, type Client } from '../../support/http-client.js';
import { startStack, type TestStack } from '../../support/stack.js';
import { STORE_ADAPTERS } from '../../support/stores.js';

type Hits = {
  results: { doctype: string; id: string; title: string; snippet: string; titleHtml: string }[];
  hasMore: boolean;
};

describe.each(STORE_ADAPTERS)('GET /search on $name', (adapter) => {
  let t: TestStack;
  let alice: Client;
  let tokenFor: (rules: unknown) => Promise<Record<string, string>>;
  const owner = basic('alice', 'alice password');

  beforeAll(async () => {
    t = await startStack({ adapter });
    const instance = await t.stack.instances.create('alice.localhost', {
      name: 'alice',
      password: 'alice password',
    });
    alice = t.client.forHost('alice.localhost');
    const accounts = await t.stack.instances.accounts(instance);
    tokenFor = async (rules) => bearer((await createToken(accounts, { rules: parseRules(rules) })).token);
    // The owner searches from a browser session (Basic is for sync clients on /data and /dav only).
    await alice.post('/auth/login', { form: { password: 'alice password' } });
    const put = (doctype: string, id: string, doc: object) =>
      alice.put(`/data/${doctype}/${id}`, { json: doc, headers: owner });
    await put('io.nuage.contacts', 'jeanne', {
      fullname: 'Jeanne Hébert',
      emails: [{ address: 'jeanne@example.org' }],
    });
    await put('io.nuage.notes', 'recipe', {
      title: 'Crème brûlée',
      content: 'Ask Jeanne for her crème brûlée recipe',
      folder: 'kitchen',
    });
    await put('io.nuage.notes', 'diary', {
      title: 'Diary',
      content: 'Met Jeanne at the café <script>alert(1)</script>',
      folder: 'private',
    });
    await put('io.nuage.todos', 'call', { summary: 'Call the plumber' });
  });
  afterAll(async () => {
    await t.dispose();
  });

  const search = async (query: string, headers: Record<string, string> = {}) => {
    const res = await alice.get(`/search?${query}`, { headers });
    expect(res.status, res.text).toBe(200);
    return res.json<Hits>();
  };

  it('finds documents of every searchable doctype, title matches first', async () => {
    const { results } = await search('q=jeanne');
    expect(results[0]).toMatchObject({ doctype: 'io.nuage.contacts', id: 'jeanne', title: 'Jeanne Hébert' });
    expect(results.map((r) => r.id).sort()).toEqual(['diary', 'jeanne', 'recipe']);
  });

  it('folds accents both ways and matches prefixes for type-ahead', async () => {
    expect((await search('q=creme')).results.map((r) => r.id)).toEqual(['recipe']);
    expect((await search('q=h%C3%A9b')).results.map((r) => r.id)).toEqual(['jeanne']);
    expect((await search('q=heb')).results.map((r) => r.id)).toEqual(['jeanne']);
    expect((await search('q=plum')).results.map((r) => r.id)).toEqual(['call']);
  });

  it('highlights matches in escaped snippets', async () => {
    const diary = (await search('q=cafe')).results[0]!;
    expect(diary.snippet).toContain('<mark>café</mark>');
    expect(diary.snippet).toMatch(/&(lt|#60);script&(gt|#62);alert/);
    expect(diary.snippet).not.toContain('<script>');
  });

  it('narrows to the doctypes asked for', async () => {
    expect((await search('q=jeanne&doctypes=io.nuage.notes')).results.map((r) => r.id).sort()).toEqual([
      'diary',
      'recipe',
    ]);
  });

  it('shows a token only the doctypes it may read', async () => {
    const notes = await tokenFor([{ type: 'io.nuage.notes', verbs: ['GET'] }]);
    expect((await search('q=jeanne', notes)).results.map((r) => r.doctype)).toEqual([
      'io.nuage.notes',
      'io.nuage.notes',
    ]);
    expect((await search('q=jeanne&doctypes=io.nuage.contacts', notes)).results).toEqual([]);
    const writer = await tokenFor([{ type: 'io.nuage.contacts', verbs: ['POST'] }]);
    expect((await search('q=jeanne', writer)).results).toEqual([]);
  });

  it('checks each hit against a selector-scoped token', async () => {
    const kitchen = await tokenFor([
      { type: 'io.nuage.notes', verbs: ['GET'], selector: 'folder', values: ['kitchen'] },
    ]);
    expect((await search('q=jeanne', kitchen)).results.map((r) => r.id)).toEqual(['recipe']);
  });

  it('forgets deleted documents', async () => {
    const { _rev } = (await alice.get('/data/io.nuage.todos/call', { headers: owner })).json<{
      _rev: string;
    }>();
    await alice.delete(`/data/io.nuage.todos/call?rev=${_rev}`, { headers: owner });
    expect((await search('q=plumber')).results).toEqual([]);
  });

  it('refuses an empty query, and anonymous callers', async () => {
    expect((await alice.get('/search?q=')).status).toBe(400);
    expect((await alice.get('/search')).status).toBe(400);
    expect((await alice.forHost('alice.localhost').get('/search?q=jeanne')).status).toBe(401);
    expect((await alice.forHost('alice.localhost').get('/search?q=jeanne', { headers: owner })).status).toBe(
      401,
    );
  });
});
