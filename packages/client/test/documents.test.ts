import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageOf, NuageError, type NuageClient } from '../src/index.js';
import { NOTES, startClientStack, type ClientStack } from './stack.js';

interface Note {
  title: string;
  content?: string;
}

describe('documents through @nuage/client', () => {
  let s: ClientStack;
  let client: NuageClient;

  beforeAll(async () => {
    s = await startClientStack();
    client = await s.client([NOTES]);
  });
  afterAll(async () => {
    await s.t.dispose();
  });

  it('reaches other endpoints with the same token and errors: request and json', async () => {
    const info = await client.json<{ doc_count: number }>('/data/io.nuage.notes/');
    expect(info.doc_count).toEqual(expect.any(Number));
    const refused = await client.json('/apps').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NuageError);
    expect(refused).toMatchObject({ status: 403 });
    expect(messageOf(refused)).toContain('io.nuage.apps');
    const created = await client.json<{ id: string; rev: string }>('/data/io.nuage.notes/', {
      method: 'POST',
      json: { title: 'by json' },
    });
    const response = await client.request(`/data/io.nuage.notes/${created.id}`, {
      query: { rev: created.rev },
      method: 'DELETE',
    });
    expect(response.status).toBe(200);
  });

  it('creates, reads, updates and removes a note', async () => {
    const notes = client.documents<Note>('io.nuage.notes');
    const created = await notes.create({ title: 'Buy milk' });
    expect(created).toMatchObject({
      title: 'Buy milk',
      _id: expect.any(String),
      _rev: expect.stringMatching(/^1-/),
    });

    const read = await notes.get(created._id);
    expect(read).toEqual({ _id: created._id, _rev: created._rev, title: 'Buy milk' });

    const updated = await notes.update({ ...read, title: 'Buy oat milk' });
    expect(updated._rev).toMatch(/^2-/);
    expect((await notes.get(created._id)).title).toBe('Buy oat milk');

    const removed = await notes.remove(updated);
    expect(removed.rev).toMatch(/^3-/);
    const gone = await notes.get(created._id).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(NuageError);
    expect(gone).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('creates a document under a chosen id, with characters that need escaping', async () => {
    const notes = client.documents<Note>('io.nuage.notes');
    const created = await notes.create({ _id: 'a/b c?', title: 'odd id' });
    expect(created._id).toBe('a/b c?');
    expect((await notes.get('a/b c?')).title).toBe('odd id');
  });

  it('surfaces a stale revision as a 409 NuageError', async () => {
    const notes = client.documents<Note>('io.nuage.notes');
    const first = await notes.create({ title: 'v1' });
    await notes.update({ ...first, title: 'v2' });
    const error = await notes.update({ ...first, title: 'v2 from elsewhere' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NuageError);
    expect(error).toMatchObject({ status: 409, code: 'conflict' });
    expect((error as NuageError).detail).not.toBe('');
  });

  it('refuses a doctype the token was not granted with a 403 NuageError', async () => {
    const error = await client
      .documents('io.nuage.contacts')
      .create({ name: 'Jeanne' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NuageError);
    expect(error).toMatchObject({ status: 403, code: 'forbidden' });
    await expect(client.documents('io.nuage.contacts').all()).rejects.toMatchObject({ status: 403 });
  });

  it('lists with _all_docs options, writes in bulk and reads changes', async () => {
    const todos = (await s.client([{ type: 'io.nuage.todos', verbs: 'ALL' }])).documents<{ n: number }>(
      'io.nuage.todos',
    );
    const results = await todos.bulk([
      { _id: 't1', n: 1 },
      { _id: 't2', n: 2 },
      { _id: 't3', n: 3 },
    ]);
    expect(results.map((r) => ('ok' in r ? r.id : r.error))).toEqual(['t1', 't2', 't3']);
    const again = await todos.bulk([{ _id: 't1', n: 10 }]);
    expect(again[0]).toMatchObject({ id: 't1', error: 'conflict' });

    const all = await todos.all();
    expect(all.rows.map((r) => r.doc?.n)).toEqual([1, 2, 3]);
    const page = await todos.all({ startKey: 't2', limit: 1, includeDocs: false });
    expect(page.rows).toEqual([{ id: 't2', key: 't2', value: { rev: expect.any(String) } }]);
    const some = await todos.all({ keys: ['t3', 't1'] });
    expect(some.rows.map((r) => r.id)).toEqual(['t3', 't1']);
    const descending = await todos.all({ descending: true, endKey: 't2' });
    expect(descending.rows.map((r) => r.id)).toEqual(['t3', 't2']);

    const changes = await todos.changes({ includeDocs: true });
    expect(changes.results.map((c) => c.doc?.n)).toEqual([1, 2, 3]);
    const t2 = await todos.get('t2');
    await todos.update({ ...t2, n: 20 });
    const since = await todos.changes({ since: changes.last_seq });
    expect(since.results.map((c) => c.id)).toEqual(['t2']);
    const byId = await todos.changes({ docIds: ['t3'] });
    expect(byId.results.map((c) => c.id)).toEqual(['t3']);
  });

  it('queries with Mango: selector, sort on an index, fields, limit and bookmark', async () => {
    const notes = client.documents<Note & { rank: number }>('io.nuage.notes');
    for (const rank of [3, 1, 2]) await notes.create({ title: `ranked ${rank}`, rank });
    const index = await notes.createIndex(['rank']);
    expect(index).toMatchObject({ result: 'created', name: expect.any(String) });

    const first = await notes.find({
      selector: { rank: { $gt: 0 } },
      sort: [{ rank: 'asc' }],
      fields: ['title', 'rank'],
      limit: 2,
    });
    expect(first.docs).toEqual([
      { title: 'ranked 1', rank: 1 },
      { title: 'ranked 2', rank: 2 },
    ]);
    const next = await notes.find({
      selector: { rank: { $gt: 0 } },
      sort: [{ rank: 'asc' }],
      fields: ['title'],
      bookmark: first.bookmark!,
    });
    expect(next.docs).toEqual([{ title: 'ranked 3' }]);
  });
});
