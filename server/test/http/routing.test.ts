import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onboard, startStack, type TestStack } from '../support/stack.js';

describe('routing by Host', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startStack();
    await t.stack.instances.create('alice.localhost', { name: 'alice', password: 'alice password' });
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('answers /status on any host once the store answers', async () => {
    for (const host of ['localhost', 'unknown.example', '127.0.0.1:8080']) {
      const res = await t.client.forHost(host).get('/status');
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({ status: 'ok' });
    }
  });

  it('reaches an instance whatever the port and letter case of the Host header', async () => {
    for (const host of ['alice.localhost', 'alice.localhost:8080', 'ALICE.Localhost:1']) {
      const res = await t.client.forHost(host).get('/auth/session');
      expect(res.status).toBe(200);
      expect(res.json().instance).toBe('alice.localhost');
    }
  });

  it('answers an unknown host with a 404 and no instance data', async () => {
    const res = await t.client.forHost('mallory.example').get('/auth/session', {
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 404, type: expect.stringContaining('not_found') });
    expect(res.text).not.toContain('alice');
  });

  it('shows a browser a 404 page for an unknown host', async () => {
    const res = await t.client.forHost('nobody.example').get('/', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('text/html');
  });

  it('recognises an app origin under an instance and says the app is not installed', async () => {
    const res = await t.client
      .forHost('nothere.alice.localhost')
      .get('/', { headers: { accept: 'application/json' } });
    expect(res.status).toBe(404);
    expect(res.json().detail).toContain('no app "nothere" is installed on alice.localhost');
  });

  it('sends the first visitor of a fresh instance to onboarding, and then to login', async () => {
    const fresh = t.client;
    const before = await fresh.get('/');
    expect(before.status).toBe(302);
    expect(before.headers.location).toBe('/auth/onboarding');
    await onboard(fresh);
    const stranger = fresh.forHost('localhost');
    const after = await stranger.get('/');
    expect(after.headers.location).toBe('/auth/login');
  });

  it("refuses alice's session cookie on another instance", async () => {
    const alice = t.client.forHost('alice.localhost');
    expect((await alice.post('/auth/login', { form: { password: 'alice password' } })).status).toBe(303);
    const cookie = alice.cookies.get('nuage_session')!;
    expect((await alice.get('/auth/session')).json().authenticated).toBe(true);
    const elsewhere = await t.client
      .forHost('localhost')
      .get('/auth/session', { headers: { cookie: `nuage_session=${cookie}` } });
    expect(elsewhere.json().authenticated).toBe(false);
    const settings = await t.client
      .forHost('localhost')
      .get('/settings', { headers: { cookie: `nuage_session=${cookie}` } });
    expect(settings.headers.location).toBe('/auth/login?redirect=%2Fsettings');
  });

  it('gives every answer a request id', async () => {
    const res = await t.client.get('/status', { headers: { 'x-request-id': 'trace-me-42' } });
    expect(res.headers['x-request-id']).toBe('trace-me-42');
    const other = await t.client.get('/status');
    expect(other.headers['x-request-id']).toMatch(/^[0-9a-f]{12}$/);
  });

  it('answers an unknown path with problem+json', async () => {
    const res = await t.client.get('/no/such/thing');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
