import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, type Client } from '../../support/http-client.js';
import { startStack, type TestStack } from '../../support/stack.js';

const D = '/data/io.nuage.notes';

describe('bad input on /data', () => {
  let t: TestStack;
  let alice: Client;
  const auth = basic('alice', 'alice password');
  beforeAll(async () => {
    t = await startStack({ config: { bodyLimit: 64 * 1024 } });
    await t.stack.instances.create('alice.localhost', { name: 'alice', password: 'alice password' });
    alice = t.client.forHost('alice.localhost');
    await alice.put(`${D}/kept`, { json: { title: 'kept' }, headers: auth });
  });
  afterAll(async () => {
    await t.dispose();
  });

  const state = async () =>
    (await alice.get(`${D}/`, { headers: auth })).json<{ doc_count: number; update_seq: number }>();

  const cases: [
    string,
    () => Promise<{ status: number; headers: Record<string, unknown>; json: () => Record<string, unknown> }>,
    number,
  ][] = [
    [
      'invalid JSON',
      () =>
        alice.put(`${D}/x`, { body: '{"title":', headers: { ...auth, 'content-type': 'application/json' } }),
      400,
    ],
    ['a body that is not an object', () => alice.put(`${D}/x`, { json: ['a'], headers: auth }), 400],
    [
      'an oversize body',
      () => alice.put(`${D}/x`, { json: { pad: 'x'.repeat(70 * 1024) }, headers: auth }),
      413,
    ],
    ['an id starting with _', () => alice.put(`${D}/_secret`, { json: {}, headers: auth }), 400],
    [
      'an _id starting with _ in a POST',
      () => alice.post(`${D}/`, { json: { _id: '_users' }, headers: auth }),
      400,
    ],
    ['an unknown _ field', () => alice.put(`${D}/x`, { json: { _owner: 'me' }, headers: auth }), 400],
    ['a malformed _rev', () => alice.put(`${D}/kept`, { json: { _rev: 'banana' }, headers: auth }), 400],
    [
      'a malformed If-Match',
      () => alice.put(`${D}/kept`, { json: {}, headers: { ...auth, 'if-match': '"1-"' } }),
      400,
    ],
    [
      'a bulk batch with one bad document',
      () =>
        alice.post(`${D}/_bulk_docs`, {
          json: { docs: [{ _id: 'ok1' }, { _id: 'bad', _x: 1 }] },
          headers: auth,
        }),
      400,
    ],
    [
      'bulk docs that are not a list',
      () => alice.post(`${D}/_bulk_docs`, { json: { docs: 'nope' }, headers: auth }),
      400,
    ],
    [
      'a non-boolean new_edits',
      () => alice.post(`${D}/_bulk_docs`, { json: { docs: [], new_edits: 'no' }, headers: auth }),
      400,
    ],
    ['an invalid doctype', () => alice.put('/data/Bad..Type/x', { json: {}, headers: auth }), 400],
    [
      'an unsupported content type',
      () => alice.put(`${D}/x`, { body: '<a/>', headers: { ...auth, 'content-type': 'application/xml' } }),
      415,
    ],
    ['a malformed limit', () => alice.get(`${D}/_all_docs?limit=-1`, { headers: auth }), 400],
    ['a malformed since', () => alice.get(`${D}/_changes?since=yesterday`, { headers: auth }), 400],
  ];

  it.each(cases)('refuses %s with a problem and writes nothing', async (_name, send, status) => {
    const before = await state();
    const res = await send();
    expect(res.status).toBe(status);
    expect(String(res.headers['content-type'])).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      status,
      type: expect.stringMatching(/^https:\/\/nuage.dev\/problems\//),
    });
    expect(await state()).toEqual(before);
  });

  it('never answers 500 to a malformed URL', async () => {
    const res = await alice.get(`${D}/%E0%A4%A`, { headers: auth });
    expect(res.status).toBe(400);
  });
});
