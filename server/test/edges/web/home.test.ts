import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manifestOf, writeAppRepo } from '../../support/apps.js';
import { csrfOf, onboard, startStack, tempDir, type TestStack } from '../../support/stack.js';

/** The instance origin's `/`: onboarding, login, then the Home app or, without it, the server page. */
describe('the home page of the instance origin', () => {
  let t: TestStack;
  beforeEach(async () => {
    t = await startStack();
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('sends a first visitor to onboarding and a logged-out one to the login', async () => {
    expect((await t.client.get('/')).headers.location).toBe('/auth/onboarding');
    await onboard(t.client);
    const stranger = t.client.forHost('localhost');
    expect((await stranger.get('/')).headers.location).toBe('/auth/login');
  });

  it('sends the logged-in owner to the Home app when it is installed', async () => {
    await onboard(t.client);
    // A Home from a test repository, so the test does not depend on apps/home being built.
    const source = writeAppRepo(join(tempDir(), 'home'), manifestOf('home'));
    const headers = { 'x-csrf-token': await csrfOf(t.client) };
    const staged = await t.client.post('/apps/_stage', { json: { source }, headers });
    const stagedId = staged.json<{ staged: string }>().staged;
    expect((await t.client.post('/apps/_install', { json: { staged: stagedId }, headers })).status).toBe(201);
    const res = await t.client.get('/');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/apps/home/open');
  });

  it('shows the server page when the Home is not installed', async () => {
    await onboard(t.client);
    const instance = await t.stack.instances.get('localhost');
    const storage = await t.stack.instances.storage(instance);
    await t.stack.apps.ensureDefaults({ instance, storage });
    await storage.records.delete('app', 'home');
    const res = await t.client.get('/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Hello alice');
  });
});
