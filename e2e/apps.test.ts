import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestOf, writeAppRepo } from '../server/test/support/apps.js';
import { startStack, tempDir, type TestStack } from '../server/test/support/stack.js';
import { PHONE, browserSession, screenshotDir, type BrowserSession } from './browser.js';
import { onboardInBrowser, ownerBasic, sidewaysScroll as scrollOf } from './owner.js';

/** An app with no build step: reads its bootstrap, lists the notes, and tries a doctype it lacks. */
const PAGE = `<!doctype html>
<html>
  <head><meta charset="utf-8"><title>Reader</title></head>
  <body>
    <h1>Reader</h1>
    <ul id="titles"></ul>
    <p>Contacts: <span id="contacts">…</span></p>
    <script src="app.js"></script>
  </body>
</html>`;

const SCRIPT = `
const boot = JSON.parse(document.querySelector('meta[name="nuage-app"]').getAttribute('content'));
const auth = { headers: { authorization: 'Bearer ' + boot.token } };
fetch(boot.instance + '/data/io.nuage.notes/_all_docs?include_docs=true', auth)
  .then((res) => res.json())
  .then((body) => {
    for (const row of body.rows) {
      if (!row.doc || typeof row.doc.title !== 'string') continue;
      const item = document.createElement('li');
      item.textContent = row.doc.title;
      document.getElementById('titles').append(item);
    }
  });
fetch(boot.instance + '/data/io.nuage.contacts/_all_docs', auth).then(
  (res) => { document.getElementById('contacts').textContent = String(res.status); },
  (error) => { document.getElementById('contacts').textContent = 'failed: ' + error; },
);
`;

/**
 * The app platform end to end, as the owner lives it: onboarding lands in the Home; the Home installs
 * an app from a git repository after showing its permissions; the launcher opens it on its own origin,
 * where its token reads the granted notes and is refused the contacts. The steps run in order.
 */
describe('installing and opening an app in a real browser', () => {
  let t: TestStack;
  let session: BrowserSession;
  let page: Page;
  let origin: string;
  let home: string;
  let shots: string;
  let source: string;

  beforeAll(async () => {
    t = await startStack({ config: { defaultApps: true } });
    origin = `http://localhost:${t.port}`;
    home = `http://home.localhost:${t.port}/`;
    source = writeAppRepo(
      join(tempDir(), 'reader'),
      manifestOf('reader', {
        name: 'Reader',
        description: 'Lists your notes',
        permissions: {
          notes: { type: 'io.nuage.notes', verbs: ['GET', 'POST'], description: 'To list your notes' },
        },
      }),
      { 'index.html': PAGE, 'app.js': SCRIPT },
    );
    session = await browserSession();
    page = session.page;
    shots = screenshotDir();
  });

  afterAll(async () => {
    await session?.close();
    await t?.dispose();
  });

  /** One of the Home's tabs (Apps, Store, Settings). */
  const tab = (name: string) =>
    page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name, exact: true });

  const sidewaysScroll = () => scrollOf(page);

  const screenshot = (name: string) =>
    page.screenshot({ path: join(shots, `apps-${name}.png`), fullPage: true });

  /** Writes a note with the owner's password (Basic), as a sync tool would. */
  const seedNote = async (title: string) => {
    const res = await fetch(`${origin}/data/io.nuage.notes/`, {
      method: 'POST',
      headers: {
        authorization: ownerBasic(),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ title }),
    });
    expect(res.status).toBe(201);
  };

  it('onboards the owner in the browser and lands in the Home, on its own origin', async () => {
    await onboardInBrowser(page, t);
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    await seedNote('Groceries');
    await seedNote('Holiday plans');
  });

  it('installs an app from a git link after showing the permissions it asks for', async () => {
    await tab('Store').click();
    await page.getByLabel('Link to the app').fill(source);
    await page.getByRole('button', { name: 'Install', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Install Reader?' });
    await dialog.waitFor();
    await dialog.getByText('io.nuage.notes').waitFor();
    expect(await dialog.textContent()).toContain('May read, add');
    expect(await dialog.textContent()).toContain('To list your notes');
    await screenshot('consent');
    await dialog.getByRole('button', { name: 'Accept and install' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page
      .getByRole('list', { name: 'Your apps' })
      .getByRole('link', { name: 'Reader', exact: true })
      .waitFor();
    await screenshot('launcher');
  });

  it('opens the app from the launcher on its own origin, where it reads the notes and not the contacts', async () => {
    await page.getByRole('link', { name: 'Reader', exact: true }).click();
    await page.waitForURL(`http://reader.localhost:${t.port}/`);
    await expect
      .poll(() => page.locator('#titles li').allTextContents())
      .toEqual(expect.arrayContaining(['Groceries', 'Holiday plans']));
    expect(await page.locator('#titles li').count()).toBe(2);
    await expect.poll(() => page.locator('#contacts').textContent()).toBe('403');
    await screenshot('reader');
  });

  it('manages device passwords and the language from the Home, with its token', async () => {
    await page.goto(home);
    await tab('Settings').click();
    const cloud = page.getByRole('region', { name: 'This cloud' });
    await cloud.getByText(/^Nuage \d+\.\d+\.\d+/).waitFor();
    expect(await cloud.textContent()).toContain('localhost');
    await page.getByLabel('Device name').fill('Phone');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const shown = page.getByRole('dialog', { name: 'Password for Phone' });
    expect((await shown.locator('code').textContent())?.length).toBeGreaterThan(16);
    await shown.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Revoke Phone' }).click();
    await page.getByText('No device password yet.').waitFor();
    // The choice re-renders every word at once and is kept across reloads.
    await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
    const rubriques = page.getByRole('navigation', { name: 'Rubriques' });
    await rubriques.getByRole('link', { name: 'Réglages', exact: true }).waitFor();
    await page.reload();
    await page.getByRole('combobox', { name: 'Langue' }).selectOption('en');
    await tab('Apps').click();
  });

  it('shows a notification a job writes while the Home is open, live, and marks it read', async () => {
    await page.goto(home);
    const bell = page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('link', { name: /^Notifications/ });
    await bell.click();
    await page.getByText('Nothing new').waitFor();
    const instance = await t.stack.instances.get('localhost');
    const scope = { instance, storage: await t.stack.instances.storage(instance) };
    await t.stack.jobs.service.enqueue(scope, {
      worker: 'notify',
      payload: { title: 'Backup finished', message: '2 GB saved' },
    });
    // No reload: the document the job writes arrives through realtime.
    await page.getByText('Backup finished').waitFor();
    expect(await bell.getAttribute('aria-current')).toBe('page');
    await page.getByRole('navigation', { name: 'Sections' }).getByLabel('1 unread').waitFor();
    await screenshot('notifications');
    await page.getByRole('button', { name: 'Mark as read' }).click();
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByLabel('1 unread')
      .waitFor({ state: 'detached' });
    await tab('Apps').click();
  });

  it('fits the Home on a phone: the launcher shows, nothing scrolls sideways', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(home);
    await page.getByRole('link', { name: 'Reader', exact: true }).waitFor();
    expect(await sidewaysScroll()).toBeLessThanOrEqual(0);
    await screenshot('launcher-phone');
    for (const name of ['Store', 'Settings']) {
      await tab(name).click();
      await page.getByRole('heading', { level: 2 }).first().waitFor();
      expect(await sidewaysScroll()).toBeLessThanOrEqual(0);
      await screenshot(`${name.toLowerCase()}-phone`);
    }
  });
});
