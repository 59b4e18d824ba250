import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../src/auth/tokens.js';
import { ROOT_ID } from '../../../src/files/file-doc.js';
import { parseRules } from '../../../src/permissions/permissions.js';
import { bearer, type Client } from '../../support/http-client.js';
import { startStack, type TestStack } from '../../support/stack.js';

type Entry = { id: string; rev: string; name: string };
type Change = { seq: number; id: string; rev: string; deleted?: true; doc?: Record<string, unknown> };
type Changes = { results: Change[]; last_seq: number };

describe('GET /files/_changes: what a sync client polls', () => {
  let t: TestStack;
  let alice: Client;
  let owner: Record<string, string>;
  let tokenFor: (rules: unknown) => Promise<Record<string, string>>;
  const ids: Record<string, string> = {};

  const post = async (dir: string, query: string, text?: string) => {
    const res = await alice.post(`/files/${dir}?${query}`, {
      headers: owner,
      ...(text === undefined ? {} : { body: text }),
    });
    expect(res.status).toBe(201);
    return res.json<Entry>();
  };
  const changes = async (query = '', headers = owner) => {
    const res = await alice.get(`/files/_changes${query}`, { headers });
    expect(res.status).toBe(200);
    return res.json<Changes>();
  };

  beforeAll(async () => {
    t = await startStack();
    const instance = await t.stack.instances.create('alice.localhost');
    alice = t.client.forHost('alice.localhost');
    const accounts = await t.stack.instances.accounts(instance);
    tokenFor = async (rules) => bearer((await createToken(accounts, { rules: parseRules(rules) })).token);
    owner = await tokenFor([{ type: 'io.nuage.files', verbs: 'ALL' }]);
    ids.photos = (await post(ROOT_ID, 'Type=directory&Name=photos')).id;
    ids.cat = (await post(ids.photos, 'Type=file&Name=cat.jpg', 'meow')).id;
    ids.notes = (await post(ROOT_ID, 'Type=file&Name=notes.txt', 'notes')).id;
    ids.old = (await post(ROOT_ID, 'Type=file&Name=old.txt', 'old')).id;
    ids.gone = (await post(ROOT_ID, 'Type=file&Name=gone.txt', 'gone')).id;
    await alice.request('PATCH', `/files/${ids.notes}`, { json: { name: 'renamed.txt' }, headers: owner });
    await alice.delete(`/files/${ids.old}`, { headers: owner });
    await alice.delete(`/files/${ids.gone}`, { headers: owner });
    expect((await alice.delete(`/files/trash/${ids.gone}`, { headers: owner })).status).toBe(204);
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('lists each changed entry once, at its latest seq, oldest first, deletions marked', async () => {
    const { results, last_seq } = await changes();
    const byId = new Map(results.map((row) => [row.id, row]));
    expect(new Set(byId.keys())).toEqual(
      new Set([ROOT_ID, ids.photos, ids.cat, ids.notes, ids.old, ids.gone]),
    );
    expect(results.map((row) => row.seq)).toEqual([...results.map((row) => row.seq)].sort((a, b) => a - b));
    expect(byId.get(ids.gone ?? '')).toMatchObject({ deleted: true });
    expect(byId.get(ids.notes ?? '')?.doc).toBeUndefined();
    expect(last_seq).toBe(results.at(-1)?.seq);
    expect((await changes(`?since=${last_seq}`)).results).toEqual([]);
  });

  it('includes the entries as the API shows them, with only the fields asked for', async () => {
    const { results } = await changes('?include_docs=true');
    const notes = results.find((row) => row.id === ids.notes);
    expect(notes?.doc).toMatchObject({ id: ids.notes, name: 'renamed.txt', path: '/renamed.txt', size: 5 });
    expect(notes?.doc).not.toHaveProperty('blob');
    const slim = await changes('?include_docs=true&fields=name,dir_id');
    expect(slim.results.find((row) => row.id === ids.cat)?.doc).toEqual({
      id: ids.cat,
      rev: expect.any(String),
      name: 'cat.jpg',
      dir_id: ids.photos,
    });
  });

  it('leaves out trashed and deleted entries when asked, and pages with limit', async () => {
    const kept = (await changes('?skip_trashed=true&skip_deleted=true')).results.map((row) => row.id);
    expect(kept).not.toContain(ids.old);
    expect(kept).not.toContain(ids.gone);
    expect(kept).toContain(ids.cat);
    const first = await changes('?limit=2');
    expect(first.results).toHaveLength(2);
    const rest = await changes(`?since=${first.last_seq}`);
    expect([...first.results, ...rest.results].map((row) => row.id)).toEqual(
      (await changes()).results.map((row) => row.id),
    );
  });

  it('waits with feed=longpoll until the next change', async () => {
    const { last_seq } = await changes();
    const waiting = changes(`?feed=longpoll&since=${last_seq}&timeout=10000`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const dog = await post(ids.photos ?? '', 'Type=file&Name=dog.jpg', 'woof');
    const { results } = await waiting;
    expect(results.map((row) => row.id)).toEqual([dog.id]);
  });

  it('shows a selector-scoped token only the entries its rules cover', async () => {
    const scoped = await tokenFor([
      { type: 'io.nuage.files', verbs: ['GET'], selector: 'dir_id', values: [ids.photos] },
    ]);
    const { results } = await changes('?include_docs=true', scoped);
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((row) => row.doc?.dir_id === ids.photos)).toBe(true);
    const none = await tokenFor([{ type: 'io.nuage.contacts', verbs: 'ALL' }]);
    expect((await alice.get('/files/_changes', { headers: none })).status).toBe(403);
  });

  it('answers 400 problem+json for bad parameters', async () => {
    for (const query of [
      '?since=yesterday',
      '?limit=-1',
      '?feed=continuous',
      '?fields=a.b',
      '?skip_trashed=1',
    ]) {
      const res = await alice.get(`/files/_changes${query}`, { headers: owner });
      expect(res.status, query).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });
});
