import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getOwner } from '../../../src/auth/owner.js';
import { currentCode } from '../../../src/auth/totp.js';
import type { Client } from '../../support/http-client.js';
import { csrfOf, onboard, startStack, type TestStack } from '../../support/stack.js';

const PASSWORD = 'correct horse battery';

/**
 * Whether `/` lets the client in: the Home app when it is installed (apps/home built), else the server
 * page. home.test.ts checks which one, whatever the build; here only logged in or not matters.
 */
async function isLoggedIn(client: Client): Promise<boolean> {
  const home = await client.get('/');
  return home.status === 200 || home.headers.location === '/apps/home/open';
}

describe('onboarding, login and logout', () => {
  let t: TestStack;
  beforeEach(async () => {
    t = await startStack();
  });
  afterEach(async () => {
    await t.dispose();
  });

  const login = (client: Client, password: string) => client.post('/auth/login', { form: { password } });

  it('lets the first visitor choose the owner name and password, and logs them in', async () => {
    const page = await t.client.get('/auth/onboarding');
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="password"');
    await onboard(t.client, 'alice', PASSWORD);
    expect(await isLoggedIn(t.client)).toBe(true);
    expect((await t.client.get('/auth/session')).json()).toMatchObject({ owner: 'alice' });
  });

  it('sets an HttpOnly, SameSite=Lax session cookie, Secure only behind https', async () => {
    const res = await t.client.post('/auth/onboarding', {
      form: { name: 'alice', password: PASSWORD, confirm: PASSWORD },
    });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/nuage_session=[^;]+/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Secure');
  });

  it('marks the session cookie Secure behind an https reverse proxy', async () => {
    const proxied = await startStack({ config: { trustProxy: true } });
    try {
      const res = await proxied.client.post('/auth/onboarding', {
        form: { name: 'alice', password: PASSWORD, confirm: PASSWORD },
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' },
      });
      expect(String(res.headers['set-cookie'])).toContain('Secure');
      const sessions = await proxied.client.get('/settings/sessions');
      expect(sessions.json<{ address: string }[]>()[0]!.address).toBe('203.0.113.7');
    } finally {
      await proxied.dispose();
    }
  });

  it('ignores X-Forwarded-Proto unless told to trust a proxy', async () => {
    const res = await t.client.post('/auth/onboarding', {
      form: { name: 'alice', password: PASSWORD, confirm: PASSWORD },
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(String(res.headers['set-cookie'])).not.toContain('Secure');
  });

  it('refuses a second onboarding once the instance has an owner', async () => {
    await onboard(t.client, 'alice', PASSWORD);
    const intruder = t.client.forHost('localhost');
    const res = await intruder.post('/auth/onboarding', {
      form: { name: 'mallory', password: 'mallory password', confirm: 'mallory password' },
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/auth/login');
    expect(intruder.cookies.size).toBe(0);
    const owner = await getOwner(await t.stack.instances.accounts(await t.stack.instances.get('localhost')));
    expect(owner?.name).toBe('alice');
  });

  it('refuses a short password or mismatched confirmation during onboarding', async () => {
    const short = await t.client.post('/auth/onboarding', {
      form: { name: 'alice', password: 'short', confirm: 'short' },
    });
    expect(short.status).toBe(400);
    expect(short.text).toContain('at least 8 characters');
    const mismatch = await t.client.post('/auth/onboarding', {
      form: { name: 'alice', password: PASSWORD, confirm: 'other thing' },
    });
    expect(mismatch.status).toBe(400);
    expect(t.client.cookies.size).toBe(0);
  });

  it('logs in with the right password and out again', async () => {
    await onboard(t.client, 'alice', PASSWORD);
    const browser = t.client.forHost('localhost');
    const wrong = await login(browser, 'not the password');
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('Wrong password');
    const right = await login(browser, PASSWORD);
    expect(right.status).toBe(303);
    expect(await isLoggedIn(browser)).toBe(true);

    const csrf = await csrfOf(browser);
    const out = await browser.post('/auth/logout', { form: { _csrf: csrf } });
    expect(out.status).toBe(303);
    expect(browser.cookies.size).toBe(0);
    expect((await browser.get('/')).headers.location).toBe('/auth/login');
  });

  it('invalidates the session on the server at logout, not only in the browser', async () => {
    await onboard(t.client, 'alice', PASSWORD);
    const cookie = t.client.cookies.get('nuage_session')!;
    await t.client.post('/auth/logout', { form: { _csrf: await csrfOf(t.client) } });
    const replay = await t.client.get('/', { headers: { cookie: `nuage_session=${cookie}` } });
    expect(replay.headers.location).toBe('/auth/login');
  });

  it('only follows local redirects after login', async () => {
    await onboard(t.client, 'alice', PASSWORD);
    const browser = t.client.forHost('localhost');
    const evil = await browser.post('/auth/login', {
      form: { password: PASSWORD, redirect: '//evil.example/' },
    });
    expect(evil.headers.location).toBe('/');
    const fine = await browser
      .forHost('localhost')
      .post('/auth/login', { form: { password: PASSWORD, redirect: '/settings' } });
    expect(fine.headers.location).toBe('/settings');
  });

  it('locks out an address after 10 failed logins in 5 minutes, then lets it in again', async () => {
    await onboard(t.client, 'alice', PASSWORD);
    const browser = t.client.forHost('localhost');
    for (let i = 0; i < 10; i++) expect((await login(browser, `wrong ${i}`)).status).toBe(401);
    const locked = await login(browser, PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    const json = await browser.post('/auth/login', { json: { password: PASSWORD } });
    expect(json.status).toBe(429);
    expect(json.headers['content-type']).toContain('application/problem+json');
    t.advance(5 * 60_000 + 1000);
    expect((await login(browser, PASSWORD)).status).toBe(303);
  });

  it('keeps the lockout per instance', async () => {
    await onboard(t.client, 'alice', PASSWORD);
    await t.stack.instances.create('bob.localhost', { name: 'bob', password: 'bob password' });
    for (let i = 0; i < 10; i++) await login(t.client.forHost('localhost'), 'wrong');
    expect((await login(t.client.forHost('bob.localhost'), 'bob password')).status).toBe(303);
  });
});

describe('CSRF protection of cookie-authenticated writes', () => {
  let t: TestStack;
  beforeEach(async () => {
    t = await startStack();
    await onboard(t.client, 'alice', PASSWORD);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('refuses a settings write without the CSRF token', async () => {
    const res = await t.client.post('/settings/device-passwords', { json: { name: 'phone' } });
    expect(res.status).toBe(403);
    expect(res.json().type).toContain('csrf_rejected');
    const list = await t.client.get('/settings/device-passwords');
    expect(list.json()).toEqual([]);
  });

  it('refuses a write whose Origin is another site, even with the token', async () => {
    const csrf = await csrfOf(t.client);
    const res = await t.client.post('/settings/device-passwords', {
      json: { name: 'phone' },
      headers: { 'x-csrf-token': csrf, origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
  });

  it('accepts the write with the token in a header or a form field', async () => {
    const csrf = await csrfOf(t.client);
    const viaHeader = await t.client.post('/settings/device-passwords', {
      json: { name: 'phone' },
      headers: { 'x-csrf-token': csrf, origin: 'http://localhost:8080' },
    });
    expect(viaHeader.status).toBe(201);
    const viaForm = await t.client.post('/settings/device-passwords', {
      form: { name: 'laptop', _csrf: csrf },
    });
    expect(viaForm.status).toBe(200);
    expect(viaForm.text).toContain('Password for laptop');
  });
});

describe('sessions', () => {
  let t: TestStack;
  beforeEach(async () => {
    t = await startStack();
    await onboard(t.client, 'alice', PASSWORD);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('lists the sessions and revokes another one', async () => {
    const phone = t.client.forHost('localhost');
    await phone.post('/auth/login', {
      form: { password: PASSWORD },
      headers: { 'user-agent': 'PhoneBrowser/1' },
    });
    const sessions = (await t.client.get('/settings/sessions')).json<
      { id: string; userAgent: string; current: boolean }[]
    >();
    expect(sessions).toHaveLength(2);
    const other = sessions.find((s) => !s.current)!;
    expect(other.userAgent).toBe('PhoneBrowser/1');
    const csrf = await csrfOf(t.client);
    expect(
      (await t.client.delete(`/settings/sessions/${other.id}`, { headers: { 'x-csrf-token': csrf } })).status,
    ).toBe(204);
    expect((await phone.get('/')).headers.location).toBe('/auth/login');
    expect(await isLoggedIn(t.client)).toBe(true);
  });

  it('logs out other sessions when the password changes', async () => {
    const phone = t.client.forHost('localhost');
    await phone.post('/auth/login', { form: { password: PASSWORD } });
    const csrf = await csrfOf(t.client);
    const res = await t.client.post('/settings/password', {
      json: { current: PASSWORD, next: 'a new password' },
      headers: { 'x-csrf-token': csrf },
    });
    expect(res.status).toBe(204);
    expect((await phone.get('/')).headers.location).toBe('/auth/login');
    const fresh = t.client.forHost('localhost');
    expect((await fresh.post('/auth/login', { form: { password: PASSWORD } })).status).toBe(401);
    expect((await fresh.post('/auth/login', { form: { password: 'a new password' } })).status).toBe(303);
  });

  it('expires a session unused for 30 days', async () => {
    t.advance(31 * 24 * 3600_000);
    expect((await t.client.get('/')).headers.location).toBe('/auth/login');
  });
});

describe('two-factor authentication (TOTP)', () => {
  let t: TestStack;
  beforeEach(async () => {
    t = await startStack();
    await onboard(t.client, 'alice', PASSWORD);
  });
  afterEach(async () => {
    await t.dispose();
  });

  async function enable(): Promise<{ secret: string; codes: string[] }> {
    const csrf = await csrfOf(t.client);
    const begun = await t.client.post('/settings/totp/enable', {
      json: {},
      headers: { 'x-csrf-token': csrf },
    });
    const { secret, uri } = begun.json<{ secret: string; uri: string }>();
    expect(uri).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    const wrong = await t.client.post('/settings/totp/confirm', {
      json: { code: '000000' },
      headers: { 'x-csrf-token': csrf },
    });
    expect(wrong.status).toBe(400);
    const confirmed = await t.client.post('/settings/totp/confirm', {
      json: { code: currentCode(secret, Date.now()) },
      headers: { 'x-csrf-token': csrf },
    });
    expect(confirmed.status).toBe(200);
    return { secret, codes: confirmed.json<{ recoveryCodes: string[] }>().recoveryCodes };
  }

  it('asks for a code after the password once enabled', async () => {
    const { secret, codes } = await enable();
    expect(codes).toHaveLength(10);
    const browser = t.client.forHost('localhost');
    const step1 = await browser.post('/auth/login', { form: { password: PASSWORD } });
    expect(step1.status).toBe(200);
    expect(browser.cookies.size).toBe(0);
    const challenge = /name="challenge" value="([^"]+)"/.exec(step1.text)![1]!;
    const bad = await browser.post('/auth/login/totp', { form: { challenge, code: '123456' } });
    expect(bad.status).toBe(401);
    const good = await browser.post('/auth/login/totp', {
      form: { challenge, code: currentCode(secret, Date.now()) },
    });
    expect(good.status).toBe(303);
    expect(await isLoggedIn(browser)).toBe(true);
  });

  it('accepts each recovery code once', async () => {
    const { codes } = await enable();
    const loginWith = async (code: string) => {
      const browser = t.client.forHost('localhost');
      const step1 = await browser.post('/auth/login', { json: { password: PASSWORD } });
      expect(step1.status).toBe(202);
      const { challenge } = step1.json<{ challenge: string }>();
      return browser.post('/auth/login/totp', { json: { challenge, code } });
    };
    expect((await loginWith(codes[0]!)).status).toBe(200);
    expect((await loginWith(codes[0]!)).status).toBe(401);
    expect((await loginWith(codes[1]!)).status).toBe(200);
  });

  it('forgets a login challenge after five minutes', async () => {
    const { secret } = await enable();
    const browser = t.client.forHost('localhost');
    const { challenge } = (await browser.post('/auth/login', { json: { password: PASSWORD } })).json<{
      challenge: string;
    }>();
    t.advance(6 * 60_000);
    const late = await browser.post('/auth/login/totp', {
      json: { challenge, code: currentCode(secret, Date.now() + 6 * 60_000) },
    });
    expect(late.status).toBe(401);
  });

  it('turns off only with the password', async () => {
    await enable();
    const csrf = await csrfOf(t.client);
    const wrong = await t.client.post('/settings/totp/disable', {
      json: { password: 'nope nope' },
      headers: { 'x-csrf-token': csrf },
    });
    expect(wrong.status).toBe(401);
    const ok = await t.client.post('/settings/totp/disable', {
      json: { password: PASSWORD },
      headers: { 'x-csrf-token': csrf },
    });
    expect(ok.status).toBe(204);
    const browser = t.client.forHost('localhost');
    expect((await browser.post('/auth/login', { form: { password: PASSWORD } })).status).toBe(303);
  });
});
