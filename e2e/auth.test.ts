import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentCode } from '../server/src/auth/totp.js';
import { startStack, type TestStack } from '../server/test/support/stack.js';
import { DESKTOP, PHONE, browserSession, screenshotDir, type BrowserSession } from './browser.js';

const NAME = 'alice';
const PASSWORD = 'correct horse battery';

/**
 * The owner's first visit, as a person does it in a browser: onboarding, logout, a wrong password,
 * login, enabling TOTP in settings, and logging in again with the second factor. The steps share one
 * browser session and run in order.
 */
describe('owner login in a real browser', () => {
  let t: TestStack;
  let session: BrowserSession;
  let page: Page;
  let origin: string;
  /** Where `/` takes the logged-in owner: the Home app, on its own origin. */
  let home: string;
  let shots: string;
  /** The TOTP key read off the enrolment page, as an authenticator app would keep it. */
  let totpSecret = '';

  beforeAll(async () => {
    t = await startStack({ config: { defaultApps: true } });
    origin = `http://localhost:${t.port}`;
    home = `http://home.localhost:${t.port}/`;
    session = await browserSession();
    page = session.page;
    shots = screenshotDir();
  });

  afterAll(async () => {
    await session?.close();
    await t?.dispose();
  });

  const path = () => new URL(page.url()).pathname;

  /** Screenshots of the current page on a phone and on a desktop, for a look at the layout. */
  const screenshot = async (name: string) => {
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: join(shots, `${name}-phone.png`), fullPage: true });
    await page.setViewportSize(DESKTOP);
    await page.screenshot({ path: join(shots, `${name}-desktop.png`), fullPage: true });
  };

  /** Clicks a form's button and waits for the page the server answers with (after any redirect). */
  const submit = async (button: string) => {
    const loaded = page.waitForEvent('load');
    await page.getByRole('button', { name: button, exact: true }).click();
    await loaded;
  };

  /** The Home has no session of the instance to end: logging out is on the instance's own pages. */
  const logOut = async () => {
    await page.goto(`${origin}/settings`);
    await submit('Log out');
    await page.waitForURL('**/auth/login');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Log in to localhost');
  };

  const submitPassword = async (password: string) => {
    await page.getByLabel('Password').fill(password);
    await submit('Log in');
  };

  it('sends the first visitor to onboarding and greets them on the home page', async () => {
    await page.goto(`${origin}/`);
    expect(path()).toBe('/auth/onboarding');
    await page.getByLabel('Your name').fill(NAME);
    await page.getByLabel('Password (8 characters or more)').fill(PASSWORD);
    await page.getByLabel('Password again').fill(PASSWORD);
    await submit('Create my cloud');
    await page.waitForURL(home);
    await expectHome();
    await screenshot('home');
  });

  it('logs out with the header button', async () => {
    await logOut();
    await page.goto(`${origin}/`);
    expect(path()).toBe('/auth/login');
  });

  it('shows an error for a wrong password and stays on the login page', async () => {
    await submitPassword('not the password');
    expect(path()).toBe('/auth/login');
    expect(await page.getByRole('alert').textContent()).toContain('Wrong password.');
    expect(await page.getByRole('button', { name: 'Log out' }).count()).toBe(0);
  });

  it('logs in with the right password', async () => {
    await submitPassword(PASSWORD);
    await page.waitForURL(home);
    await expectHome();
  });

  it('enables TOTP in settings and shows ten recovery codes', async () => {
    await page.goto(`${origin}/settings`);
    await screenshot('settings');
    expect(await page.locator('#totp').textContent()).toContain('is off');
    await submit('Enable two-factor authentication');
    const secret = (await page.locator('#totp-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await page.getByLabel('Code').fill(currentCode(secret, Date.now()));
    await submit('Turn on');
    const notice = page.getByRole('status');
    expect(await notice.locator('h2').textContent()).toContain('Two-factor authentication is on');
    const codes = await notice.locator('.secret').allTextContents();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(await page.locator('#totp').textContent()).toContain('10 recovery codes left');
    await screenshot('settings-totp');
    totpSecret = secret;
  });

  it('asks for the TOTP code after the password at the next login', async () => {
    await logOut();
    await submitPassword(PASSWORD);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(
      'Two-factor authentication',
    );
    await page.getByLabel('Code').fill(currentCode(totpSecret, Date.now()));
    await submit('Verify');
    await page.waitForURL(home);
    await expectHome();
  });

  async function expectHome(): Promise<void> {
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Home');
  }
});
