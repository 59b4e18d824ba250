import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createToken } from '../../../src/auth/tokens.js';
import { smtpSettings } from '../../../src/jobs/sendmail.js';
import { bearer } from '../../support/http-client.js';
import { csrfOf, onboard, startStack, type TestStack } from '../../support/stack.js';

describe('SMTP settings', () => {
  let t: TestStack;
  let csrf: Record<string, string>;
  beforeEach(async () => {
    t = await startStack();
    await onboard(t.client);
    csrf = { 'x-csrf-token': await csrfOf(t.client) };
  });
  afterEach(async () => {
    await t.dispose();
  });

  const stored = async () => {
    const accounts = await t.stack.instances.accounts(await t.stack.instances.get('localhost'));
    return smtpSettings(accounts.records, Date.now());
  };

  it('stores the settings the sendmail worker uses, and never shows the password back', async () => {
    expect((await t.client.get('/settings/smtp')).json()).toEqual({ configured: false });
    const body = {
      host: 'smtp.example.org',
      port: 465,
      secure: true,
      user: 'alice',
      password: 's3cret',
      from: 'alice@example.org',
    };
    expect((await t.client.put('/settings/smtp', { json: body, headers: csrf })).status).toBe(204);
    expect(await stored()).toEqual(body);
    const shown = await t.client.get('/settings/smtp');
    expect(shown.json()).toEqual({
      configured: true,
      host: 'smtp.example.org',
      port: 465,
      secure: true,
      user: 'alice',
      from: 'alice@example.org',
      hasPassword: true,
    });
    expect(shown.text).not.toContain('s3cret');
  });

  it('keeps the password when other fields change for the same user', async () => {
    await t.client.put('/settings/smtp', {
      json: { host: 'a.example', user: 'alice', password: 'pw', from: 'a@example.org' },
      headers: csrf,
    });
    await t.client.put('/settings/smtp', {
      json: { host: 'b.example', user: 'alice', from: 'a@example.org' },
      headers: csrf,
    });
    expect(await stored()).toMatchObject({ host: 'b.example', port: 587, password: 'pw' });
  });

  it('refuses bad settings with a 400 and keeps the old ones', async () => {
    await t.client.put('/settings/smtp', {
      json: { host: 'a.example', from: 'a@example.org' },
      headers: csrf,
    });
    for (const bad of [
      { host: 'a b', from: 'a@example.org' },
      { host: 'a.example', from: 'nobody' },
      { host: 'a.example', from: 'a@example.org', port: 0 },
      [],
    ]) {
      const res = await t.client.put('/settings/smtp', { json: bad, headers: csrf });
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    expect(await stored()).toMatchObject({ host: 'a.example' });
  });

  it('is for the owner only', async () => {
    const accounts = await t.stack.instances.accounts(await t.stack.instances.get('localhost'));
    const { token } = await createToken(accounts, { rules: [{ type: 'io.nuage.todos', verbs: 'ALL' }] });
    expect(
      (await t.client.forHost('localhost').get('/settings/smtp', { headers: bearer(token) })).status,
    ).toBe(403);
    expect((await t.client.forHost('localhost').get('/settings/smtp')).status).toBe(401);
    expect(
      (await t.client.put('/settings/smtp', { json: { host: 'x.example', from: 'a@b.c' } })).status,
    ).toBe(403);
  });
});
