import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, tempDir, type TestStack } from '../server/test/support/stack.js';
import { DESKTOP, PHONE, browserSession, screenshotDir, type BrowserSession } from './browser.js';
import { onboardInBrowser, openApp, sidewaysScroll as scrollOf } from './owner.js';

const NOTES = 'Minutes of the meeting\n';
/** A 1×1 PNG, so the image goes through the thumbnail and preview paths. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * The Drive as the owner uses it: upload through the file chooser, organise, share a folder by link
 * (opened by someone with no session at all), download it as a zip, and fit on a phone. The steps
 * run in order and build on each other.
 */
describe('the Drive app in a real browser', () => {
  let t: TestStack;
  let session: BrowserSession;
  let page: Page;
  let origin: string;
  let shots: string;
  let shareUrl: string;

  beforeAll(async () => {
    t = await startStack({ config: { defaultApps: true } });
    origin = `http://localhost:${t.port}`;
    session = await browserSession({ acceptDownloads: true });
    page = session.page;
    shots = screenshotDir();
  });

  afterAll(async () => {
    await session?.close();
    await t?.dispose();
  });

  const screenshot = (name: string) =>
    page.screenshot({ path: join(shots, `drive-${name}.png`), fullPage: true });

  const sidewaysScroll = () => scrollOf(page);

  /** The checkbox that selects one entry of the listing. */
  const select = (name: string) => page.getByRole('checkbox', { name: `Select ${name}`, exact: true });
  const selection = () => page.getByRole('toolbar', { name: 'Selection' });

  it('opens the Drive, installed by default, on its own origin', async () => {
    await onboardInBrowser(page, t);
    await openApp(page, t, 'drive');
    await page.getByText('This folder is empty').waitFor();
  });

  it('uploads two files through the file chooser, each with its progress to the end', async () => {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await (
      await chooser
    ).setFiles([
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from(NOTES) },
      { name: 'photo.png', mimeType: 'image/png', buffer: PNG },
    ]);
    const uploads = page.getByRole('region', { name: 'Uploads' });
    for (const name of ['notes.txt', 'photo.png']) {
      const item = uploads.getByRole('listitem', { name });
      await item.getByText('Uploaded').waitFor();
      const bar = item.getByRole('progressbar', { name: `Progress of ${name}` });
      expect(await bar.getAttribute('aria-valuenow')).toBe('100');
      await select(name).waitFor();
    }
    // The image's thumbnail is the image itself, fetched with the token into an object URL.
    await expect.poll(() => page.locator('.drive-thumb img').getAttribute('src')).toMatch(/^blob:/);
    await page.getByRole('button', { name: /^photo\.png/ }).click();
    const preview = page.getByRole('dialog', { name: 'photo.png' });
    await preview.getByRole('img', { name: 'photo.png' }).waitFor();
    await screenshot('preview');
    await preview.getByRole('button', { name: 'Close' }).click();
  });

  it('creates a folder and moves a file into it', async () => {
    await page.getByRole('button', { name: 'New folder', exact: true }).click();
    const naming = page.getByRole('dialog', { name: 'New folder' });
    await naming.getByLabel('Name').fill('Reports');
    await naming.getByRole('button', { name: 'Create', exact: true }).click();
    await select('Reports').waitFor();

    await select('notes.txt').check();
    await selection().getByRole('button', { name: 'Move', exact: true }).click();
    const moving = page.getByRole('dialog', { name: 'Move (1)' });
    await moving.getByRole('button', { name: 'Reports', exact: true }).click();
    await moving.getByText('Into /Reports').waitFor();
    await moving.getByRole('button', { name: 'Move here' }).click();
    await select('notes.txt').waitFor({ state: 'detached' });

    await page.getByRole('button', { name: /^Reports/ }).click();
    await page.getByRole('navigation', { name: 'Folder path' }).getByText('Reports').waitFor();
    await select('notes.txt').waitFor();
    await screenshot('folder');
    await page
      .getByRole('navigation', { name: 'Folder path' })
      .getByRole('link', { name: 'My files' })
      .click();
    await select('Reports').waitFor();
  });

  it('trashes a file and restores it from the trash', async () => {
    await select('photo.png').check();
    await selection().getByRole('button', { name: 'Move to trash' }).click();
    await select('photo.png').waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Trash', exact: true }).click();
    await page.getByRole('button', { name: 'Restore photo.png' }).click();
    await page.getByText('photo.png is back').waitFor();
    await page.getByRole('link', { name: 'My files', exact: true }).click();
    await select('photo.png').waitFor();
  });

  it('makes a share link for the folder that works for someone with no session', async () => {
    await select('Reports').check();
    await selection().getByRole('button', { name: 'Share', exact: true }).click();
    const sharing = page.getByRole('dialog', { name: 'Share Reports' });
    await sharing.getByRole('button', { name: 'Create link' }).click();
    const link = sharing.getByLabel('Link', { exact: true });
    await link.waitFor();
    shareUrl = await link.inputValue();
    expect(shareUrl).toMatch(new RegExp(`^${origin}/s/[A-Za-z0-9_-]{32}$`));
    await sharing.getByRole('list', { name: 'Active links' }).getByText('View and download').waitFor();
    await screenshot('share');
    await sharing.getByRole('button', { name: 'Done' }).click();

    const stranger = await session.browser.newContext({ viewport: DESKTOP });
    try {
      const shared = await stranger.newPage();
      await shared.goto(shareUrl);
      const file = shared.getByRole('link', { name: 'notes.txt', exact: true });
      await file.waitFor();
      const href = await file.getAttribute('href');
      const download = await stranger.request.get(new URL(href ?? '', shareUrl).toString());
      expect(download.status()).toBe(200);
      expect(await download.text()).toBe(NOTES);
    } finally {
      await stranger.close();
    }
  });

  it('downloads the folder as a zip that holds the file', async () => {
    // Still selected from the share step.
    const saved = page.waitForEvent('download');
    await selection().getByRole('button', { name: 'Download as zip' }).click();
    const download = await saved;
    expect(download.suggestedFilename()).toBe('Reports.zip');
    const path = join(tempDir(), 'Reports.zip');
    await download.saveAs(path);
    const listing = execFileSync('unzip', ['-l', path], { encoding: 'utf8' });
    expect(listing).toContain('Reports/notes.txt');
    expect(execFileSync('unzip', ['-p', path, 'Reports/notes.txt'], { encoding: 'utf8' })).toBe(NOTES);
  });

  it('finds a file by name wherever it is, and opens its folder from the results', async () => {
    await page.getByRole('searchbox', { name: 'Search by name' }).fill('notes');
    await page.getByRole('searchbox', { name: 'Search by name' }).press('Enter');
    const results = page.getByRole('list', { name: 'Results for “notes”' });
    await results.getByText('/Reports/notes.txt').waitFor();
    expect(await results.getByRole('listitem').count()).toBe(1);
    await page.getByRole('link', { name: 'My files', exact: true }).click();
    await select('Reports').waitFor();
  });

  it('fits on a phone: nothing scrolls sideways, in the list, the grid, with a selection, and in the trash', async () => {
    await page.setViewportSize(PHONE);
    await page.reload();
    await select('Reports').waitFor();
    expect(await sidewaysScroll()).toBeLessThanOrEqual(0);
    await screenshot('phone-list');
    await page.getByRole('button', { name: 'Grid' }).click();
    await select('photo.png').waitFor();
    expect(await sidewaysScroll()).toBeLessThanOrEqual(0);
    await screenshot('phone-grid');
    await page.getByRole('button', { name: 'List' }).click();
    await select('Reports').check();
    expect(await sidewaysScroll()).toBeLessThanOrEqual(0);
    await page.getByRole('link', { name: 'Trash', exact: true }).click();
    await page.getByText('The trash is empty').waitFor();
    expect(await sidewaysScroll()).toBeLessThanOrEqual(0);
  });
});
