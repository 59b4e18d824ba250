import type { Page } from 'playwright-core';
import type { TestStack } from '../server/test/support/stack.js';

/** The owner every browser test creates on its fresh stack. */
export const NAME = 'alice';
export const PASSWORD = 'correct horse battery';

/** Fills the onboarding form of a fresh instance and waits for the Home, where it lands. */
export async function onboardInBrowser(page: Page, t: TestStack): Promise<void> {
  await page.goto(`http://localhost:${t.port}/`);
  await page.getByLabel('Your name').fill(NAME);
  await page.getByLabel('Password (8 characters or more)').fill(PASSWORD);
  await page.getByLabel('Password again').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create my cloud', exact: true }).click();
  await page.waitForURL(`http://home.localhost:${t.port}/`);
}

/**
 * Opens a first-party app as the owner does, through `/apps/<slug>/open`, after making sure it is
 * installed: it is a default app of the catalog, installed on first use once its dist/ is built.
 */
export async function openApp(page: Page, t: TestStack, slug: string): Promise<void> {
  const instance = await t.stack.instances.get('localhost');
  const scope = { instance, storage: await t.stack.instances.storage(instance) };
  if (!(await t.stack.apps.get(scope, slug)))
    await t.stack.apps.install(scope, (await t.stack.apps.stage(scope, slug)).id);
  await page.goto(`http://localhost:${t.port}/apps/${slug}/open`);
  await page.waitForURL(new RegExp(`^http://${slug}\\.localhost:${t.port}/`));
}

/** Pixels the page scrolls sideways (0 when it fits). A string: the e2e code is typed without the DOM. */
export function sidewaysScroll(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}

/** Basic credentials of the owner, for requests a sync client would make. */
export function ownerBasic(): string {
  return `Basic ${Buffer.from(`${NAME}:${PASSWORD}`).toString('base64')}`;
}
