import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

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
