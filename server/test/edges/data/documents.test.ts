import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, type Client } from '../../support/http-client.js';
import { csrfOf, onboard, startStack, type TestStack } from '../../support/stack.js';
import { STORE_ADAPTERS } from '../../support/stores.js';

const PASSWORD = 'correct horse battery';
const T = '/data/io.nuage.todos';

describe.each(STORE_ADAPTERS)('documents over HTTP on $name', (adapter) => {
  let t: TestStack;
  let owner: Client;
  let auth: Record<string, string>;
  beforeAll(async () => {
    t = await startStack({ adapter });
    owner = t.client;
    await onboard(owner, 'alice', PASSWORD);
    auth = { 'x-csrf-token': await csrfOf(owner) };
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('creates with PUT, reads with an ETag, and answers 304 to If-None-Match', async () => {
    const put = await owner.put(`${T}/milk`, { json: { title: 'Buy milk', done: false }, headers: auth });
    expect(put.status).toBe(201);
    const { rev } = put.json<{ rev: string }>();
    expect(rev).toMatch(/^1-[0-9a-f]{32}$/);
    const got = await owner.get(`${T}/milk`);
    expect(got.json()).toEqual({ _id: 'milk', _rev: rev, title: 'Buy milk', done: false });
    expect(got.headers.etag).toBe(`"${rev}"`);
    expect((await owner.get(`${T}/milk`, { headers: { 'if-none-match': `"${rev}"` } })).status).toBe(304);
  });

  it('updates with _rev or If-Match and refuses a stale revision with 409', async () => {
    const first = (await owner.put(`${T}/eggs`, { json: { n: 1 }, headers: auth })).json<{ rev: string }>()
      .rev;
    const second = await owner.put(`${T}/eggs`, {
      json: { n: 2 },
      headers: { ...auth, 'if-match': `"${first}"` },
    });
    expect(second.status).toBe(201);
    const stale = await owner.put(`${T}/eggs`, { json: { _rev: first, n: 3 }, headers: auth });
    expect(stale.status).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'conflict', status: 409 });
    expect((await owner.get(`${T}/eggs`)).json().n).toBe(2);
  });

  it('creates with a generated id on POST', async () => {
    const res = await owner.post(`${T}/`, { json: { title: 'generated' }, headers: auth });
    expect(res.status).toBe(201);
    const { id } = res.json<{ id: string }>();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect((await owner.get(`${T}/${id}`)).json().title).toBe('generated');
  });

  it('deletes with ?rev= and then answers 404 deleted', async () => {
    const { rev } = (await owner.put(`${T}/gone`, { json: {}, headers: auth })).json<{ rev: string }>();
    expect((await owner.delete(`${T}/gone`, { headers: auth })).status).toBe(400);
    const del = await owner.delete(`${T}/gone?rev=${rev}`, { headers: auth });
    expect(del.status).toBe(200);
    const after = await owner.get(`${T}/gone`);
    expect(after.status).toBe(404);
    expect(after.json().reason).toBe('deleted');
  });

  it('lists conflicts made by replication and reads every leaf with open_revs', async () => {
    const docs = [
      { _id: 'shared', _rev: '2-aaa', _revisions: { start: 2, ids: ['aaa', 'root'] }, side: 'a' },
      { _id: 'shared', _rev: '2-bbb', _revisions: { start: 2, ids: ['bbb', 'root'] }, side: 'b' },
    ];
    const bulk = await owner.post(`${T}/_bulk_docs`, { json: { docs, new_edits: false }, headers: auth });
    expect(bulk.status).toBe(201);
    expect(bulk.json()).toEqual([]);
    const got = await owner.get(`${T}/shared?conflicts=true`);
    expect(got.json()).toMatchObject({ _rev: '2-bbb', side: 'b', _conflicts: ['2-aaa'] });
    const leaves = await owner.get(`${T}/shared?open_revs=all`);
    expect(
      leaves
        .json<{ ok: { _rev: string } }[]>()
        .map((l) => l.ok._rev)
        .sort(),
    ).toEqual(['2-aaa', '2-bbb']);
  });

  it('keeps _local documents out of _all_docs and _changes', async () => {
    const put = await owner.put(`${T}/_local/checkpoint`, { json: { seq: 5 }, headers: auth });
    expect(put.json().rev).toBe('0-1');
    expect((await owner.get(`${T}/_local/checkpoint`)).json()).toEqual({
      _id: '_local/checkpoint',
      _rev: '0-1',
      seq: 5,
    });
    const all = await owner.get(`${T}/_all_docs`);
    expect(all.json<{ rows: { id: string }[] }>().rows.map((r) => r.id)).not.toContain('_local/checkpoint');
    const changes = await owner.get(`${T}/_changes`);
    expect(changes.text).not.toContain('checkpoint');
  });

  it('answers an empty doctype as empty, not 404', async () => {
    const info = await owner.get('/data/io.nuage.never/');
    expect(info.status).toBe(200);
    expect(info.json()).toMatchObject({ doc_count: 0, update_seq: 0 });
    expect((await owner.get('/data/io.nuage.never/_all_docs')).json()).toEqual({
      total_rows: 0,
      offset: 0,
      rows: [],
    });
  });

  it('pages _all_docs with startkey, endkey, limit, skip, descending and keys', async () => {
    for (const id of ['a1', 'a2', 'a3', 'a4'])
      await owner.put(`/data/io.nuage.paging/${id}`, { json: { id }, headers: auth });
    const ids = async (query: string) =>
      (await owner.get(`/data/io.nuage.paging/_all_docs?${query}`))
        .json<{ rows: { id: string }[] }>()
        .rows.map((r) => r.id);
    expect(await ids('startkey="a2"&endkey="a3"')).toEqual(['a2', 'a3']);
    expect(await ids('startkey="a2"&endkey="a3"&inclusive_end=false')).toEqual(['a2']);
    expect(await ids('limit=2&skip=1')).toEqual(['a2', 'a3']);
    expect(await ids('descending=true&limit=2')).toEqual(['a4', 'a3']);
    expect(await ids('keys=["a3","a1"]')).toEqual(['a3', 'a1']);
    const withDocs = await owner.post('/data/io.nuage.paging/_all_docs?include_docs=true', {
      json: { keys: ['a4'] },
      headers: auth,
    });
    expect(withDocs.json<{ rows: { doc: { id: string } }[] }>().rows[0]!.doc.id).toBe('a4');
    expect((await owner.get('/data/io.nuage.paging/_all_docs?startkey=a2')).status).toBe(400);
  });

  it('answers _all_docs with total_rows and offset as CouchDB does, null for a lookup by keys', async () => {
    for (const id of ['b1', 'b2', 'b3', 'b4'])
      await owner.put(`/data/io.nuage.offsets/${id}`, { json: {}, headers: auth });
    const meta = async (query: string) => {
      const { total_rows, offset, rows } = (
        await owner.get(`/data/io.nuage.offsets/_all_docs?${query}`)
      ).json<{ total_rows: number; offset: number | null; rows: { id: string }[] }>();
      return [total_rows, offset, rows.map((r) => r.id).join()];
    };
    expect(await meta('')).toEqual([4, 0, 'b1,b2,b3,b4']);
    expect(await meta('startkey="b2"&limit=1')).toEqual([4, 1, 'b2']);
    expect(await meta('startkey="b2"&skip=1&limit=1')).toEqual([4, 2, 'b3']);
    expect(await meta('descending=true&startkey="b3"&limit=1')).toEqual([4, 1, 'b3']);
    expect(await meta('startkey="c"')).toEqual([4, 4, '']);
    expect(await meta('keys=["b3"]')).toEqual([4, null, 'b3']);
  });

  it('feeds _changes with since, limit and doc_ids, and wakes a longpoll on the next write', async () => {
    const C = '/data/io.nuage.feed';
    for (const id of ['c1', 'c2', 'c3']) await owner.put(`${C}/${id}`, { json: {}, headers: auth });
    const all = (await owner.get(`${C}/_changes`)).json<{
      results: { id: string; seq: number }[];
      last_seq: number;
    }>();
    expect(all.results.map((r) => r.id)).toEqual(['c1', 'c2', 'c3']);
    const since = all.results[0]!.seq;
    expect(
      (await owner.get(`${C}/_changes?since=${since}&limit=1`))
        .json<{ results: { id: string }[] }>()
        .results.map((r) => r.id),
    ).toEqual(['c2']);
    const filtered = await owner.post(`${C}/_changes?filter=_doc_ids`, {
      json: { doc_ids: ['c3'] },
      headers: auth,
    });
    expect(filtered.json<{ results: { id: string }[] }>().results.map((r) => r.id)).toEqual(['c3']);

    const waiting = owner.get(`${C}/_changes?feed=longpoll&since=${all.last_seq}&timeout=10000`);
    await new Promise((r) => setTimeout(r, 100));
    await owner.put(`${C}/c4`, { json: {}, headers: auth });
    expect((await waiting).json<{ results: { id: string }[] }>().results.map((r) => r.id)).toEqual(['c4']);
  });

  it('accepts Basic credentials of the owner on /data for sync clients', async () => {
    const sync = owner.forHost('localhost');
    const res = await sync.get(`${T}/milk`, { headers: basic('alice', PASSWORD) });
    expect(res.status).toBe(200);
    const write = await sync.put(`${T}/from-sync`, { json: { x: 1 }, headers: basic('alice', PASSWORD) });
    expect(write.status).toBe(201);
  });

  it('refuses a cookie-authenticated write without the CSRF token', async () => {
    const res = await owner.put(`${T}/csrf`, { json: {} });
    expect(res.status).toBe(403);
    expect((await owner.get(`${T}/csrf`)).status).toBe(404);
  });
});
