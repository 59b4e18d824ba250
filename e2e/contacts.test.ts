import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, tempDir, type TestStack } from '../server/test/support/stack.js';
import { PHONE, browserSession, screenshotDir, type BrowserSession } from './browser.js';
import { NAME, onboardInBrowser, openApp, ownerBasic, sidewaysScroll as scrollOf } from './owner.js';

const COUNT = 2000;
/** A 1×1 PNG, to set as a contact's photo. */
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/**
 * A .vcf of COUNT contacts as a phone exports them (vCard 3.0, CRLF, a folded line, escapes), with
 * one accented name to find by type-ahead and one pair sharing an email to merge.
 */
function vcfFile(): string {
  const cards: string[] = [];
  for (let i = 0; i < COUNT - 3; i++) {
    const n = String(i).padStart(4, '0');
    cards.push(
      [
        'BEGIN:VCARD',
        'VERSION:3.0',
        `UID:import-${n}`,
        `FN:Person ${n}`,
        `N:${n};Person;;;`,
        `EMAIL;TYPE=INTERNET:person${n}@example.org`,
        `TEL;TYPE=CELL:+33 6 00 00 ${n.slice(0, 2)} ${n.slice(2)}`,
        `NOTE:Imported\\, line one\\nline two with a long text that the exporter folded over`,
        '  two lines',
        'END:VCARD',
      ].join('\r\n'),
    );
  }
  cards.push(
    [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'UID:eloise',
      'FN:Éloïse Zéphyrin',
      'N:Zéphyrin;Éloïse;;;',
      'EMAIL;TYPE=INTERNET,WORK:eloise@example.org',
      'ORG:Aérospatiale;Vols',
      'TITLE:Pilote',
      'CATEGORIES:Aviation',
      'X-SKYPE:eloise.z',
      'END:VCARD',
    ].join('\r\n'),
    [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'UID:twin-a',
      'FN:Marc Twin',
      'EMAIL:marc@example.org',
      'TEL:+33 1 23 45 67 89',
      'END:VCARD',
    ].join('\r\n'),
    [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'UID:twin-b',
      'FN:Marc Twin (work)',
      'EMAIL:MARC@example.org',
      'TEL:+33 6 98 76 54 32',
      'END:VCARD',
    ].join('\r\n'),
  );
  return `${cards.join('\r\n')}\r\n`;
}

/**
 * The Contacts app end to end: onboarding installs it by default; it makes an address book, imports
 * a .vcf of 2000 cards with progress, finds one by an accent-free prefix, edits it, and the edit is in
 * the vCard a phone gets over CardDAV. Then export, duplicates, and a phone-sized screen. In order.
 */
describe('the Contacts app in a real browser', () => {
  let t: TestStack;
  let session: BrowserSession;
  let page: Page;
  let origin: string;
  let shots: string;
  let vcf: string;

  beforeAll(async () => {
    t = await startStack({ config: { defaultApps: true } });
    origin = `http://localhost:${t.port}`;
    vcf = join(tempDir(), 'contacts.vcf');
    writeFileSync(vcf, vcfFile());
    session = await browserSession({ acceptDownloads: true });
    page = session.page;
    shots = screenshotDir();
  });

  afterAll(async () => {
    await session?.close();
    await t?.dispose();
  });

  /** The visible screen: a full page of 2000 rows would be a picture nobody can read. */
  const screenshot = (name: string) => page.screenshot({ path: join(shots, `contacts-${name}.png`) });

  const sidewaysScroll = () => scrollOf(page);

  const basic = ownerBasic();

  /** The vCards of the default address book whose FN contains `text`, as a phone would query them. */
  const davQuery = async (text: string): Promise<string> => {
    const res = await fetch(`${origin}/dav/addressbooks/${NAME}/contacts/`, {
      method: 'REPORT',
      headers: { authorization: basic, depth: '1', 'content-type': 'application/xml; charset=utf-8' },
      body: `<?xml version="1.0" encoding="utf-8"?>
<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
  <D:prop><D:getetag/><C:address-data/></D:prop>
  <C:filter>
    <C:prop-filter name="FN">
      <C:text-match collation="i;unicode-casemap" match-type="contains">${text}</C:text-match>
    </C:prop-filter>
  </C:filter>
</C:addressbook-query>`,
    });
    expect(res.status).toBe(207);
    return res.text();
  };

  it('onboards the owner, who gets Contacts installed, and opens it on its own origin', async () => {
    await onboardInBrowser(page, t);
    await openApp(page, t, 'contacts');
    await page.getByText('No contacts yet').waitFor();
  });

  it('imports a .vcf of 2000 contacts with a progress bar', async () => {
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Import contacts' });
    const chooser = page.waitForEvent('filechooser');
    await dialog.getByRole('button', { name: 'Choose a .vcf file' }).click();
    await (await chooser).setFiles(vcf);
    await dialog.getByRole('progressbar', { name: 'Importing' }).waitFor();
    await dialog.getByText(`${COUNT} contacts imported`, { exact: true }).waitFor({ timeout: 60_000 });
    expect(await dialog.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    await screenshot('imported');
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    // The list fills in live from the realtime events of the import.
    await page.getByText(`${COUNT} contacts`, { exact: true }).waitFor();
  });

  it('finds a contact by a prefix typed without accents, and edits it', async () => {
    await page.getByLabel('Search contacts').fill('zeph');
    await page.getByText('1 contact', { exact: true }).waitFor();
    await page.getByRole('button', { name: /Éloïse Zéphyrin/ }).click();
    await page.getByRole('heading', { name: 'Éloïse Zéphyrin' }).waitFor();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByLabel('Job title').fill('Commandante de bord');
    const photo = join(tempDir(), 'face.png');
    writeFileSync(photo, Buffer.from(PNG, 'base64'));
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Choose a photo' }).click();
    await (await chooser).setFiles(photo);
    await page.getByRole('button', { name: 'Remove the photo' }).waitFor();
    await screenshot('form');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Pilote').waitFor({ state: 'detached' });
    await page.getByText('Commandante de bord · Vols · Aérospatiale').waitFor();
    await page.getByRole('img', { name: 'Photo of Éloïse Zéphyrin' }).waitFor();
    await screenshot('edited');
  });

  it('adds a contact to a group and filters the list by it', async () => {
    await page.getByLabel('Add to a group').fill('Équipage');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('button', { name: 'Remove from Équipage' }).waitFor();
    await page.getByLabel('Search contacts').fill('');
    await page.getByLabel('Filter by group').selectOption('Équipage');
    await page.getByText('1 contact', { exact: true }).waitFor();
    await page.getByLabel('Filter by group').selectOption('');
  });

  it('serves the edit over CardDAV, keeping what the app did not touch', async () => {
    const body = await davQuery('Zéphyrin');
    expect(body).toContain('TITLE:Commandante de bord');
    expect(body).toContain('X-SKYPE:eloise.z');
    expect(body).toContain('CATEGORIES:Aviation,Équipage');
    expect(body).toContain('PHOTO;ENCODING=b;TYPE=JPEG:');
    expect(body).not.toContain('Person 0001');
    expect(await davQuery('Person 0042')).toContain('EMAIL;TYPE=internet:person0042@example.org');
  });

  it('exports every contact as one .vcf file', async () => {
    await page.getByLabel('Search contacts').fill('');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const file = await (await download).path();
    const text = readFileSync(file, 'utf8');
    expect(text.match(/^BEGIN:VCARD\r$/gm)).toHaveLength(COUNT);
    expect(text).toContain('TITLE:Commandante de bord');
  });

  it('suggests the two cards sharing an email and merges them into one', async () => {
    await page.getByRole('button', { name: 'Duplicates', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Possible duplicates' });
    await dialog.getByText('Same email: marc@example.org').waitFor();
    await dialog.getByRole('button', { name: 'Keep Marc Twin, merge the other into it' }).click();
    await page.getByText('Contacts merged').waitFor();
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    await page.getByLabel('Search contacts').fill('marc twin');
    await page.getByText('1 contact', { exact: true }).waitFor();
    const body = await davQuery('Marc Twin');
    expect(body).toContain('+33 1 23 45 67 89');
    expect(body).toContain('+33 6 98 76 54 32');
    expect(body).not.toContain('Marc Twin (work)');
  });

  it('fits a phone: the list without sideways scrolling, then one contact with a way back', async () => {
    await page.setViewportSize(PHONE);
    await page.reload();
    await page.getByText(`${COUNT - 1} contacts`, { exact: true }).waitFor();
    expect(await sidewaysScroll()).toBeLessThanOrEqual(0);
    await screenshot('list-phone');
    await page.getByRole('button', { name: /Person 0007/ }).click();
    await page.getByRole('heading', { name: 'Person 0007' }).waitFor();
    expect(await sidewaysScroll()).toBeLessThanOrEqual(0);
    await screenshot('contact-phone');
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByLabel('Search contacts').waitFor();
  });
});
