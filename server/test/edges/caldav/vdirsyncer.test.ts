import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic } from '../../support/http-client.js';
import { onboard, startStack, tempDir, type TestStack } from '../../support/stack.js';
import { toolAvailable } from '../webdav/tools.js';
import { run } from './tools.js';
import { vcard, vevent } from './pim-dav.js';

const HAS_VDIRSYNCER = toolAvailable('vdirsyncer');
const PASSWORD = 'correct horse battery';

describe.skipIf(!HAS_VDIRSYNCER)('vdirsyncer, two-way sync of contacts and calendars', () => {
  let t: TestStack;
  let dir: string;
  const auth = basic('alice', PASSWORD);

  /** DAV requests as another device would make them. */
  const dav = (method: string, path: string, body?: string) =>
    t.client
      .forHost('127.0.0.1')
      .request(method, path, { headers: auth, ...(body === undefined ? {} : { body }) });

  const vdirsyncer = async (...args: string[]) => {
    const res = await run('vdirsyncer', ['-c', join(dir, 'config'), ...args], {
      cwd: dir,
      input: 'y\n'.repeat(20),
      env: { ...process.env, HOME: dir },
    });
    expect(res.code, `${res.stdout}\n${res.stderr}`).toBe(0);
    return res;
  };
  const local = (...parts: string[]) => join(dir, ...parts);
  const localFiles = (sub: string) => readdirSync(local(sub)).sort();

  beforeAll(async () => {
    // vdirsyncer reaches the stack as 127.0.0.1, so that is the instance's name here.
    t = await startStack({ config: { defaultInstance: '127.0.0.1' } });
    await onboard(t.client.forHost('127.0.0.1'), 'alice', PASSWORD);
    dir = tempDir('nuage-vdirsyncer-');
    mkdirSync(local('contacts'));
    mkdirSync(local('calendars'));
    const url = `http://127.0.0.1:${t.port}/`;
    writeFileSync(
      local('config'),
      [
        '[general]',
        `status_path = "${local('status')}/"`,
        '',
        '[pair contacts]',
        'a = "contacts_local"',
        'b = "contacts_remote"',
        'collections = ["from a", "from b"]',
        'conflict_resolution = "b wins"',
        '',
        '[storage contacts_local]',
        'type = "filesystem"',
        `path = "${local('contacts')}/"`,
        'fileext = ".vcf"',
        '',
        '[storage contacts_remote]',
        'type = "carddav"',
        `url = "${url}"`,
        'username = "alice"',
        `password = "${PASSWORD}"`,
        '',
        '[pair calendars]',
        'a = "calendars_local"',
        'b = "calendars_remote"',
        'collections = ["from a", "from b"]',
        'conflict_resolution = "b wins"',
        '',
        '[storage calendars_local]',
        'type = "filesystem"',
        `path = "${local('calendars')}/"`,
        'fileext = ".ics"',
        '',
        '[storage calendars_remote]',
        'type = "caldav"',
        `url = "${url}"`,
        'username = "alice"',
        `password = "${PASSWORD}"`,
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await t?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('discovers the default address book and calendar through /.well-known and mirrors them', async () => {
    expect(
      (await dav('PUT', '/dav/addressbooks/alice/contacts/ada.vcf', vcard('ada', 'Ada Lovelace'))).status,
    ).toBe(201);
    expect(
      (
        await dav(
          'PUT',
          '/dav/calendars/alice/calendar/talk.ics',
          vevent('talk', 'Talk', '20250505T100000Z', '20250505T110000Z'),
        )
      ).status,
    ).toBe(201);
    await vdirsyncer('discover');
    await vdirsyncer('sync');
    expect(localFiles('contacts')).toEqual(['contacts']);
    expect(localFiles('contacts/contacts')).toEqual(['ada.vcf']);
    expect(readFileSync(local('contacts/contacts/ada.vcf'), 'utf8')).toContain('FN:Ada Lovelace');
    expect(localFiles('calendars/calendar')).toEqual(['talk.ics']);
  }, 60_000);

  it('takes local creations, changes and deletions to the server', async () => {
    writeFileSync(local('contacts/contacts/grace.vcf'), vcard('grace', 'Grace Hopper'));
    writeFileSync(local('contacts/contacts/ada.vcf'), vcard('ada', 'Ada King'));
    unlinkSync(local('calendars/calendar/talk.ics'));
    writeFileSync(
      local('calendars/calendar/party.ics'),
      vevent('party', 'Party', '20250601T180000Z', '20250601T230000Z'),
    );
    await vdirsyncer('sync');
    const grace = await dav('GET', '/dav/addressbooks/alice/contacts/grace.vcf');
    expect(grace.status).toBe(200);
    expect(grace.text).toContain('FN:Grace Hopper');
    expect((await dav('GET', '/dav/addressbooks/alice/contacts/ada.vcf')).text).toContain('FN:Ada King');
    expect((await dav('GET', '/dav/calendars/alice/calendar/talk.ics')).status).toBe(404);
    expect((await dav('GET', '/dav/calendars/alice/calendar/party.ics')).text).toContain('SUMMARY:Party');
    // The same documents, as apps see them.
    const doc = await t.client.forHost('127.0.0.1').get('/data/io.nuage.contacts/grace', { headers: auth });
    expect(doc.json()).toMatchObject({ fullname: 'Grace Hopper' });
  }, 60_000);

  it('brings server creations, changes and deletions to the local side, including an app’s edit', async () => {
    expect(
      (await dav('PUT', '/dav/addressbooks/alice/contacts/linus.vcf', vcard('linus', 'Linus'))).status,
    ).toBe(201);
    expect((await dav('DELETE', '/dav/addressbooks/alice/contacts/ada.vcf')).status).toBe(204);
    const rest = t.client.forHost('127.0.0.1');
    const party = (await rest.get('/data/io.nuage.events/party', { headers: auth })).json();
    expect(
      (
        await rest.put('/data/io.nuage.events/party', {
          headers: auth,
          json: { ...party, summary: 'Garden party' },
        })
      ).status,
    ).toBe(201);
    await vdirsyncer('sync');
    expect(localFiles('contacts/contacts')).toEqual(['grace.vcf', 'linus.vcf']);
    expect(existsSync(local('contacts/contacts/ada.vcf'))).toBe(false);
    expect(readFileSync(local('calendars/calendar/party.ics'), 'utf8')).toContain('SUMMARY:Garden party');
  }, 60_000);

  it('creates an address book and a calendar made locally on the server', async () => {
    mkdirSync(local('contacts/family'));
    writeFileSync(local('contacts/family/mum.vcf'), vcard('mum', 'Mum'));
    mkdirSync(local('calendars/holidays'));
    writeFileSync(
      local('calendars/holidays/beach.ics'),
      vevent('beach', 'Beach', '20250801T000000Z', '20250815T000000Z'),
    );
    await vdirsyncer('discover');
    await vdirsyncer('sync');
    expect((await dav('GET', '/dav/addressbooks/alice/family/mum.vcf')).text).toContain('FN:Mum');
    expect((await dav('GET', '/dav/calendars/alice/holidays/beach.ics')).text).toContain('SUMMARY:Beach');
  }, 60_000);
});
