import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createToken } from '../../../src/auth/tokens.js';
import type { PermissionRule } from '../../../src/permissions/permissions.js';
import { bearer, type Client } from '../../support/http-client.js';
import { onboard, startStack, type TestStack } from '../../support/stack.js';

const PASSWORD = 'correct horse battery';

/** The JSON settings endpoints the Home app calls from its own origin, with its token. */
describe('settings endpoints with a token', () => {
  let t: TestStack;
  let api: Client;
  beforeEach(async () => {
    t = await startStack();
    await onboard(t.client, 'alice', PASSWORD);
    api = t.client.forHost('localhost');
  });
  afterEach(async () => {
    await t.dispose();
  });

  const tokenFor = async (rules: PermissionRule[]): Promise<Record<string, string>> => {
    const instance = await t.stack.instances.get('localhost');
    const accounts = await t.stack.instances.accounts(instance);
    return bearer((await createToken(accounts, { rules, ttlMs: 3_600_000 })).token);
  };

  it('lists, creates and revokes device passwords with a token granted io.nuage.settings', async () => {
    const auth = await tokenFor([{ type: 'io.nuage.settings', verbs: 'ALL' }]);
    expect((await api.get('/settings/device-passwords', { headers: auth })).json()).toEqual([]);
    const created = await api.post('/settings/device-passwords', { json: { name: 'phone' }, headers: auth });
    expect(created.status).toBe(201);
    const { device, password } = created.json<{ device: { id: string }; password: string }>();
    expect(password.length).toBeGreaterThan(16);
    const listed = (await api.get('/settings/device-passwords', { headers: auth })).json<
      { name: string }[]
    >();
    expect(listed.map((d) => d.name)).toEqual(['phone']);
    expect((await api.delete(`/settings/device-passwords/${device.id}`, { headers: auth })).status).toBe(204);
    expect((await api.get('/settings/device-passwords', { headers: auth })).json()).toEqual([]);
  });

  it('tells the instance, its version and the storage used against the quota', async () => {
    const auth = await tokenFor([{ type: 'io.nuage.settings', verbs: ['GET'] }]);
    const info = await api.get('/settings/instance', { headers: auth });
    expect(info.status).toBe(200);
    expect(info.json()).toMatchObject({
      domain: 'localhost',
      owner: 'alice',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      storage: { used: 0, quota: null },
    });
    const notes = await tokenFor([{ type: 'io.nuage.notes', verbs: 'ALL' }]);
    expect((await api.get('/settings/instance', { headers: notes })).status).toBe(403);
    expect((await t.client.forHost('localhost').get('/settings/instance')).status).toBe(401);
  });

  it('lists and revokes sessions with a token granted io.nuage.settings', async () => {
    const phone = t.client.forHost('localhost');
    await phone.post('/auth/login', { form: { password: PASSWORD } });
    const auth = await tokenFor([{ type: 'io.nuage.settings', verbs: ['GET', 'DELETE'] }]);
    const sessions = (await api.get('/settings/sessions', { headers: auth })).json<
      { id: string; current: boolean; csrfToken?: string }[]
    >();
    expect(sessions).toHaveLength(2);
    expect(sessions.every((s) => s.csrfToken === undefined)).toBe(true);
    const res = await api.delete(`/settings/sessions/${sessions[1]!.id}`, { headers: auth });
    expect(res.status).toBe(204);
    expect((await api.get('/settings/sessions', { headers: auth })).json()).toHaveLength(1);
  });

  it('refuses a token without io.nuage.settings, or without the verb, with a 403', async () => {
    const notes = await tokenFor([{ type: 'io.nuage.notes', verbs: 'ALL' }]);
    expect((await api.get('/settings/device-passwords', { headers: notes })).status).toBe(403);
    expect((await api.get('/settings/sessions', { headers: notes })).status).toBe(403);
    expect(
      (await api.post('/settings/device-passwords', { json: { name: 'x' }, headers: notes })).status,
    ).toBe(403);
    const readOnly = await tokenFor([{ type: 'io.nuage.settings', verbs: ['GET'] }]);
    expect((await api.get('/settings/sessions', { headers: readOnly })).status).toBe(200);
    expect(
      (await api.post('/settings/device-passwords', { json: { name: 'x' }, headers: readOnly })).status,
    ).toBe(403);
    expect((await api.delete('/settings/sessions/whatever', { headers: readOnly })).status).toBe(403);
  });

  it('keeps the password and two-factor settings behind the owner session', async () => {
    const auth = await tokenFor([{ type: 'io.nuage.settings', verbs: 'ALL' }]);
    const change = await api.post('/settings/password', {
      json: { current: PASSWORD, next: 'another long password' },
      headers: auth,
    });
    expect(change.status).toBe(401);
    expect((await api.post('/settings/totp/enable', { json: {}, headers: auth })).status).toBe(401);
  });
});
