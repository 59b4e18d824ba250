import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`, done by .ci/run); override with NUAGE_CHROMIUM. */
export const CHROMIUM = process.env.NUAGE_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Launches headless Chromium as this machine allows it: no sandbox (CI runs as root), and no background
 * networking, whose connections the closed network would refuse at every start.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** One browser, one context and one page: what a browser test drives, closed together. */
export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Closes the context, then the browser. */
  close(): Promise<void>;
}

/**
 * Launches Chromium and opens one page in a fresh context, with a desktop viewport unless `options`
 * says otherwise. Script errors of the page are logged: they would otherwise show only as a timeout.
 */
export async function browserSession(options: BrowserContextOptions = {}): Promise<BrowserSession> {
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ viewport: DESKTOP, ...options });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error));
    const close = async () => {
      await context.close();
      await browser.close();
    };
    return { browser, context, page, close };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/**
 * Where screenshots go, to look at the pages after a run: NUAGE_E2E_SCREENSHOTS, or
 * <tmpdir>/nuage-e2e-screenshots (overwritten by each run, so runs do not pile up).
 */
export function screenshotDir(): string {
  const dir = process.env.NUAGE_E2E_SCREENSHOTS ?? join(tmpdir(), 'nuage-e2e-screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };
