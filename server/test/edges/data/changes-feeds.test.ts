import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../src/auth/tokens.js';
import { parseRules } from '../../../src/permissions/permissions.js';
import type { InstanceRecord } from '../../../src/ports/store/store.js';
import { basic, bearer, type Client } from '../../support/http-client.js';
import { feedReaders, startStack, type TestStack } from '../../support/stack.js';

const HOST = 'alice.localhost';
const OWNER = basic('alice', 'alice password');

/** An open feed: what arrived so far, and whether (and how) the server ended it. */
interface Feed {
  req: ClientRequest;
  res: IncomingMessage;
  text(): string;
  /** Non-empty lines parsed as JSON. */
  rows(): Record<string, unknown>[];
  ended: Promise<string>;
}

async function eventually(check: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> {
  for (const started = Date.now(); Date.now() - started < ms;) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the streaming _changes feeds', () => {
  let t: TestStack;
  let alice: Client;
  let instance: InstanceRecord;
  const put = async (doctype: string, id: string, body: object = {}) => {
    const res = await alice.put(`/data/${doctype}/${id}`, { json: body, headers: OWNER });
    expect(res.status).toBe(201);
  };

  /** Opens `path` on its own connection and collects the body as it streams. */
  const open = (path: string, headers: Record<string, string> = OWNER): Promise<Feed> =>
    new Promise((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port: t.port,
        path,
        agent: false,
        headers: { host: HOST, ...headers },
      });
      req.on('error', reject);
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        const ended = new Promise<string>((done) => res.on('end', () => done(text)));
        resolve({
          req,
          res,
          text: () => text,
          rows: () =>
            text
              .split('\n')
              .filter((l) => l.trim() !== '')
              .map((l) => JSON.parse(l) as Record<string, unknown>),
          ended,
        });
      });
      req.end();
    });

  beforeAll(async () => {
    t = await startStack();
    instance = await t.stack.instances.create(HOST, { name: 'alice', password: 'alice password' });
    alice = t.client.forHost(HOST);
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('streams the backlog, then each write as one JSON line, and ends with last_seq after a quiet timeout', async () => {
    await put('io.nuage.a', 'one');
    await put('io.nuage.a', 'two');
    const feed = await open('/data/io.nuage.a/_changes?feed=continuous&timeout=300');
    expect(feed.res.statusCode).toBe(200);
    expect(feed.res.headers['content-type']).toBe('application/json');
    await eventually(() => feed.rows().length === 2, 'the backlog');
    await put('io.nuage.a', 'three');
    await eventually(() => feed.rows().length === 3, 'the new write');
    await feed.ended;
    const rows = feed.rows();
    expect(rows.map((r) => r.id)).toEqual(['one', 'two', 'three', undefined]);
    expect(rows[3]).toEqual({ last_seq: rows[2]!.seq });
  });

  it('stops after limit rows with the seq to resume from', async () => {
    const feed = await open('/data/io.nuage.a/_changes?feed=continuous&limit=2&since=0');
    const rows = (await feed.ended, feed.rows());
    expect(rows.map((r) => r.id)).toEqual(['one', 'two', undefined]);
    expect(rows[2]).toEqual({ last_seq: rows[1]!.seq });
  });

  it('honours style=all_docs, include_docs with conflicts, and doc_ids', async () => {
    const bulk = await alice.post('/data/io.nuage.b/_bulk_docs', {
      json: {
        new_edits: false,
        docs: [
          { _id: 'x', _rev: '1-aaaa', v: 1 },
          { _id: 'x', _rev: '1-bbbb', v: 2 },
          { _id: 'y', _rev: '1-cccc', v: 3 },
        ],
      },
      headers: OWNER,
    });
    expect(bulk.status).toBe(201);
    const query = 'feed=continuous&style=all_docs&include_docs=true&conflicts=true&timeout=50';
    const feed = await open(`/data/io.nuage.b/_changes?${query}&doc_ids=${encodeURIComponent('["x"]')}`);
    const [row, end] = (await feed.ended, feed.rows());
    expect(row).toMatchObject({
      id: 'x',
      changes: [{ rev: '1-bbbb' }, { rev: '1-aaaa' }],
      doc: { _id: 'x', _rev: '1-bbbb', v: 2, _conflicts: ['1-aaaa'] },
    });
    expect(end).toEqual({ last_seq: expect.any(Number) as number });
  });

  it('sends a newline every heartbeat and, as CouchDB does, stays open past the timeout', async () => {
    const feed = await open('/data/io.nuage.a/_changes?feed=continuous&since=now&heartbeat=50&timeout=100');
    await eventually(() => feed.text().length >= 5, 'five heartbeats');
    expect(feed.text()).toMatch(/^\n+$/);
    expect(feed.res.complete).toBe(false);
    feed.req.destroy();
  });

  it('ends the feed when the client hangs up, leaving no reader waiting', async () => {
    const waiting = () => feedReaders(t.stack, instance.id);
    await eventually(() => waiting() === 0, 'earlier feeds to end');
    const feeds = await Promise.all(
      [1, 2, 3].map(() => open('/data/io.nuage.a/_changes?feed=continuous&since=now&heartbeat=1000')),
    );
    await eventually(() => waiting() === 3, 'three readers');
    for (const feed of feeds) feed.req.destroy();
    await eventually(() => waiting() === 0, 'the readers to go');
    await put('io.nuage.a', 'after-hangup');
    expect((await alice.get('/data/io.nuage.a/after-hangup', { headers: OWNER })).status).toBe(200);
  });

  it('streams Server-Sent Events, and resumes after Last-Event-ID', async () => {
    const feed = await open('/data/io.nuage.a/_changes?feed=eventsource&timeout=50');
    expect(feed.res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const events = (await feed.ended).split('\n\n').filter((e) => e !== '');
    expect(events[0]).toMatch(/^data: \{"seq":(\d+),"id":"one".*\}\nid: \1$/);
    const firstSeq = /id: (\d+)$/.exec(events[0]!)![1]!;
    const resumed = await open('/data/io.nuage.a/_changes?feed=eventsource&timeout=50', {
      ...OWNER,
      'last-event-id': firstSeq,
    });
    const more = (await resumed.ended).split('\n\n').filter((e) => e !== '');
    expect(more).toEqual(events.slice(1));
  });

  it('holds a longpoll with heartbeat open with newlines, then answers the change as one object', async () => {
    const feed = await open('/data/io.nuage.c/_changes?feed=longpoll&since=now&heartbeat=30');
    await eventually(() => feed.text().length >= 2, 'two heartbeats');
    await put('io.nuage.c', 'woken');
    const body = await feed.ended;
    expect(body).toMatch(/^\n+\{/);
    expect(JSON.parse(body)).toMatchObject({
      results: [{ id: 'woken' }],
      last_seq: expect.any(Number) as number,
    });
  });

  it("shows a selector-scoped token's feed only the documents it may read", async () => {
    const accounts = await t.stack.instances.accounts(instance);
    const { token } = await createToken(
      { ...accounts, now: Date.now },
      {
        rules: parseRules([{ type: 'io.nuage.files', verbs: ['GET'], selector: 'dir', values: ['photos'] }]),
        ttlMs: null,
      },
    );
    await put('io.nuage.files', 'photo', { dir: 'photos' });
    await put('io.nuage.files', 'tax', { dir: 'taxes' });
    const feed = await open('/data/io.nuage.files/_changes?feed=continuous&timeout=50', bearer(token));
    const rows = (await feed.ended, feed.rows());
    expect(rows.map((r) => r.id)).toEqual(['photo', undefined]);
    expect(rows[0]!.doc).toBeUndefined();
    const refused = await open('/data/io.nuage.a/_changes?feed=continuous', bearer(token));
    expect(refused.res.statusCode).toBe(403);
  });

  it('ends open feeds with their last_seq when the server stops, without waiting for them', async () => {
    const other = await startStack();
    await other.stack.instances.create(HOST, { name: 'alice', password: 'alice password' });
    const req = request({
      host: '127.0.0.1',
      port: other.port,
      path: '/data/io.nuage.a/_changes?feed=continuous&since=now&heartbeat=60000',
      agent: false,
      headers: { host: HOST, ...OWNER },
    });
    const body = new Promise<string>((resolve) =>
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve(text));
      }),
    );
    req.end();
    await eventually(async () => {
      const id = (await other.stack.instances.get(HOST)).id;
      return feedReaders(other.stack, id) === 1;
    }, 'the feed to wait');
    const started = Date.now();
    await other.dispose();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(JSON.parse(await body)).toEqual({ last_seq: 0 });
  });

  it('refuses an unknown feed or a bad heartbeat with 400', async () => {
    for (const query of ['feed=websocket', 'feed=continuous&heartbeat=soon']) {
      expect((await alice.get(`/data/io.nuage.a/_changes?${query}`, { headers: OWNER })).status, query).toBe(
        400,
      );
    }
  });
});
