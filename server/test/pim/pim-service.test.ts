import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentService } from '../../src/data/documents.js';
import type { DataScope } from '../../src/data/format.js';
import {
  BadRequest,
  Conflict,
  InvalidSyncToken,
  NotFound,
  PimPrecondition,
  PreconditionFailed,
} from '../../src/errors.js';
import { PimService, type ObjectData } from '../../src/pim/pim-service.js';
import { dataFixture, type DataFixture } from '../support/data.js';
import { STORE_ADAPTERS } from '../support/stores.js';
import {
  ALL_DAY,
  ANDROID_VCARD,
  event,
  FLOATING,
  IOS_VCARD,
  THUNDERBIRD_VCARD,
  TODO_DUE,
  vcard,
  WEEKLY_PARIS,
} from './fixtures.js';

const CONTACTS = 'io.nuage.contacts';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function precondition(promise: Promise<unknown>): Promise<{ name: string; href: string | undefined }> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(PimPrecondition);
  const p = error as PimPrecondition;
  return { name: p.condition.name, href: p.href };
}

describe.each(STORE_ADAPTERS)('PIM service on $name', (adapter) => {
  let f: DataFixture;
  let documents: DocumentService;
  let scope: DataScope;
  let pim: PimService;
  beforeEach(async () => {
    f = await dataFixture(adapter);
    ({ service: documents, scope } = f);
    let n = 0;
    pim = new PimService(documents, { newId: () => `gen${++n}` });
  });
  afterEach(async () => {
    await f.dispose();
  });

  describe('collections', () => {
    it('creates, lists, reads, updates and deletes address books and calendars', async () => {
      const book = await pim.createCollection(scope, 'addressbook', { id: 'family', name: 'Family' });
      expect(book).toMatchObject({ id: 'family', kind: 'addressbook', name: 'Family' });
      const cal = await pim.createCollection(scope, 'calendar', {
        name: 'Work',
        color: '#FF8800',
        description: 'Office hours',
        timezone: 'Europe/Paris',
      });
      expect(cal).toMatchObject({
        id: 'gen1',
        components: ['VEVENT', 'VTODO'],
        color: '#FF8800',
        timezone: 'Europe/Paris',
      });
      await pim.createCollection(scope, 'calendar', { id: 'tasks', name: 'Tasks', components: ['VTODO'] });
      expect((await pim.listCollections(scope, 'calendar')).map((c) => c.id)).toEqual(['gen1', 'tasks']);
      expect((await pim.listCollections(scope, 'addressbook')).map((c) => c.name)).toEqual(['Family']);

      const updated = await pim.updateCollection(scope, 'calendar', 'gen1', { name: 'Job', color: null });
      expect(updated).toMatchObject({ name: 'Job', description: 'Office hours' });
      expect(updated.color).toBeUndefined();
      expect(updated.rev).not.toBe(cal.rev);

      await pim.deleteCollection(scope, 'calendar', 'tasks');
      await expect(pim.getCollection(scope, 'calendar', 'tasks')).rejects.toBeInstanceOf(NotFound);
    });

    it('refuses an existing id, a bad colour, an unknown component or time zone', async () => {
      await pim.createCollection(scope, 'addressbook', { id: 'family', name: 'Family' });
      await expect(pim.createCollection(scope, 'addressbook', { id: 'family' })).rejects.toBeInstanceOf(
        Conflict,
      );
      await expect(pim.createCollection(scope, 'calendar', { color: 'orange' })).rejects.toBeInstanceOf(
        BadRequest,
      );
      await expect(
        pim.createCollection(scope, 'calendar', { components: ['VJOURNAL' as 'VTODO'] }),
      ).rejects.toBeInstanceOf(BadRequest);
      await expect(
        pim.createCollection(scope, 'calendar', { timezone: 'Mars/Olympus' }),
      ).rejects.toBeInstanceOf(BadRequest);
    });

    it('deletes a collection with its objects', async () => {
      await pim.createCollection(scope, 'addressbook', { id: 'b' });
      await pim.putObject(scope, 'addressbook', 'b', 'ios.vcf', IOS_VCARD);
      await pim.deleteCollection(scope, 'addressbook', 'b');
      await expect(documents.get(scope, CONTACTS, 'ios')).rejects.toThrow('deleted');
      await pim.createCollection(scope, 'addressbook', { id: 'b' });
      expect(await pim.listObjects(scope, 'addressbook', 'b')).toEqual([]);
    });
  });

  describe('objects', () => {
    beforeEach(async () => {
      await pim.createCollection(scope, 'addressbook', { id: 'book', name: 'Contacts' });
    });

    it('stores a vCard under the name the client chose and serves it back byte for byte', async () => {
      const put = await pim.putObject(scope, 'addressbook', 'book', 'ios.vcf', IOS_VCARD, {
        ifNoneMatch: '*',
      });
      expect(put).toMatchObject({ href: 'ios.vcf', created: true, id: 'ios', doctype: CONTACTS });
      expect(put.etag).toMatch(/^"1-[0-9a-f]+"$/);
      const got = await pim.getObject(scope, 'addressbook', 'book', 'ios.vcf');
      expect(got).toMatchObject({
        text: IOS_VCARD,
        etag: put.etag,
        contentType: 'text/vcard; charset=utf-8',
      });
    });

    it('keeps membership, name and structured fields on a plain document apps can read', async () => {
      await pim.putObject(scope, 'addressbook', 'book', 'ios.vcf', IOS_VCARD);
      const doc = await documents.get(scope, CONTACTS, 'ios');
      expect(doc).toMatchObject({
        addressbook: 'book',
        href: 'ios.vcf',
        uid: '8D3C1F0A-1B2C-4D5E-9F00-ABCDEF123456',
        fullname: 'Dr. Jean Marie Dupont',
        emails: [{ address: 'jean@example.com' }, { address: 'jean.dupont@acme.example' }],
        raw: IOS_VCARD,
      });
    });

    it('gives a name that cannot be an id a generated id', async () => {
      const put = await pim.putObject(scope, 'addressbook', 'book', 'Jean Dupont (2).vcf', IOS_VCARD);
      expect(put.id).toBe('gen1');
      expect((await pim.getObject(scope, 'addressbook', 'book', 'Jean Dupont (2).vcf')).text).toBe(IOS_VCARD);
    });

    it('honours If-Match and If-None-Match', async () => {
      const first = await pim.putObject(scope, 'addressbook', 'book', 'a.vcf', ANDROID_VCARD);
      await expect(
        pim.putObject(scope, 'addressbook', 'book', 'a.vcf', ANDROID_VCARD, { ifNoneMatch: '*' }),
      ).rejects.toBeInstanceOf(PreconditionFailed);
      const second = await pim.putObject(scope, 'addressbook', 'book', 'a.vcf', ANDROID_VCARD, {
        ifMatch: first.etag,
      });
      expect(second.created).toBe(false);
      expect(second.etag).not.toBe(first.etag);
      await expect(
        pim.putObject(scope, 'addressbook', 'book', 'a.vcf', ANDROID_VCARD, { ifMatch: first.etag }),
      ).rejects.toBeInstanceOf(PreconditionFailed);
      await expect(
        pim.putObject(scope, 'addressbook', 'book', 'new.vcf', THUNDERBIRD_VCARD, { ifMatch: '*' }),
      ).rejects.toBeInstanceOf(PreconditionFailed);
      await expect(
        pim.deleteObject(scope, 'addressbook', 'book', 'a.vcf', { ifMatch: first.etag }),
      ).rejects.toBeInstanceOf(PreconditionFailed);
      await pim.deleteObject(scope, 'addressbook', 'book', 'a.vcf', { ifMatch: second.etag });
      await expect(pim.getObject(scope, 'addressbook', 'book', 'a.vcf')).rejects.toBeInstanceOf(NotFound);
      await expect(pim.deleteObject(scope, 'addressbook', 'book', 'a.vcf')).rejects.toBeInstanceOf(NotFound);
    });

    it('refuses invalid data, a UID another object has, and unknown collections', async () => {
      expect(
        await precondition(pim.putObject(scope, 'addressbook', 'book', 'x.vcf', 'BEGIN:VCARD\r\n')),
      ).toEqual({
        name: 'valid-address-data',
        href: undefined,
      });
      await pim.putObject(scope, 'addressbook', 'book', 'ios.vcf', IOS_VCARD);
      expect(await precondition(pim.putObject(scope, 'addressbook', 'book', 'copy.vcf', IOS_VCARD))).toEqual({
        name: 'no-uid-conflict',
        href: 'ios.vcf',
      });
      await pim.createCollection(scope, 'addressbook', { id: 'other' });
      expect((await pim.putObject(scope, 'addressbook', 'other', 'copy.vcf', IOS_VCARD)).created).toBe(true);
      await expect(pim.putObject(scope, 'addressbook', 'nope', 'x.vcf', IOS_VCARD)).rejects.toBeInstanceOf(
        NotFound,
      );
      await expect(pim.putObject(scope, 'addressbook', 'book', '../x.vcf', IOS_VCARD)).rejects.toBeInstanceOf(
        BadRequest,
      );
    });

    it('lists names and etags, and answers a multiget in order with the missing ones', async () => {
      const a = await pim.putObject(scope, 'addressbook', 'book', 'b.vcf', ANDROID_VCARD);
      const b = await pim.putObject(scope, 'addressbook', 'book', 'a.vcf', THUNDERBIRD_VCARD);
      expect(await pim.listObjects(scope, 'addressbook', 'book')).toEqual([
        { href: 'a.vcf', etag: b.etag },
        { href: 'b.vcf', etag: a.etag },
      ]);
      const got = await pim.multiget(scope, 'addressbook', 'book', ['b.vcf', 'zz.vcf', 'a.vcf']);
      expect(got.map((o) => ('missing' in o ? `${o.href}: missing` : `${o.href}: ${o.etag}`))).toEqual([
        `b.vcf: ${a.etag}`,
        'zz.vcf: missing',
        `a.vcf: ${b.etag}`,
      ]);
    });

    it('serves a big collection by index, and a multiget of many names in one read', async () => {
      const names: string[] = [];
      for (let i = 0; i < 150; i++) {
        names.push(`c${i}.vcf`);
        await pim.putObject(scope, 'addressbook', 'book', `c${i}.vcf`, vcard(`uid-${i}`, `Person ${i}`));
      }
      await pim.createCollection(scope, 'addressbook', { id: 'empty' });
      expect(await pim.listObjects(scope, 'addressbook', 'empty')).toEqual([]);
      expect(await pim.listObjects(scope, 'addressbook', 'book')).toHaveLength(150);
      const got = await pim.multiget(scope, 'addressbook', 'book', [...names.slice(0, 30), 'gone.vcf']);
      expect(got.filter((o) => 'text' in o)).toHaveLength(30);
      const indexes = await scope.storage.documents.indexes.list(CONTACTS);
      expect(indexes.map((i) => i.name)).toEqual(['by-collection', 'by-href', 'by-uid']);
    });
  });

  describe('the raw text and the structured fields', () => {
    beforeEach(async () => {
      await pim.createCollection(scope, 'addressbook', { id: 'book' });
    });

    it('writes an app’s change of structured fields into the vCard, keeping what Nuage does not read', async () => {
      const put = await pim.putObject(scope, 'addressbook', 'book', 'ios.vcf', IOS_VCARD);
      const doc = await documents.get(scope, CONTACTS, 'ios');
      await documents.put(scope, CONTACTS, 'ios', { ...doc, note: 'Call back', org: 'Globex' });
      const got = await pim.getObject(scope, 'addressbook', 'book', 'ios.vcf');
      expect(got.etag).not.toBe(put.etag);
      expect(got.text).toContain('NOTE:Call back\r\n');
      expect(got.text).toContain('ORG:Globex;R&D\r\n');
      for (const kept of [
        'X-ABSHOWAS:PERSON',
        'ITEM3.URL;TYPE=pref:https://jean.example',
        'PHOTO;ENCODING=b;TYPE=JPEG',
        'ITEM1.EMAIL',
      ]) {
        expect(got.text).toContain(kept);
      }
      expect(got.text).not.toContain('Met at the conference');
      // Serving does not write: the same revision gives the same text.
      expect((await pim.getObject(scope, 'addressbook', 'book', 'ios.vcf')).text).toBe(got.text);
    });

    it('updates the structured fields from a vCard put over DAV, keeping the app’s own members', async () => {
      await pim.putObject(scope, 'addressbook', 'book', 'a.vcf', ANDROID_VCARD);
      const doc = await documents.get(scope, CONTACTS, 'a');
      await documents.put(scope, CONTACTS, 'a', { ...doc, favourite: true });
      await pim.putObject(
        scope,
        'addressbook',
        'book',
        'a.vcf',
        ANDROID_VCARD.replace('FN:Amélie Poulain', 'FN:Amélie P.').replace(
          'IMPP:xmpp:amelie@jabber.example\r\n',
          '',
        ),
      );
      const after = await documents.get(scope, CONTACTS, 'a');
      expect(after).toMatchObject({ fullname: 'Amélie P.', favourite: true, href: 'a.vcf' });
      expect(after['raw']).not.toContain('IMPP');
    });

    it('serves a contact an app created, without raw or href, as <id>.vcf, and takes a PUT to that name', async () => {
      await documents.put(scope, CONTACTS, 'made-by-app', {
        addressbook: 'book',
        fullname: 'Ada Lovelace',
        emails: [{ address: 'ada@example.org' }],
        favourite: true,
      });
      const [listed] = await pim.listObjects(scope, 'addressbook', 'book');
      expect(listed?.href).toBe('made-by-app.vcf');
      const got = await pim.getObject(scope, 'addressbook', 'book', 'made-by-app.vcf');
      expect(got.text).toContain('FN:Ada Lovelace\r\n');
      expect(got.text).toContain('UID:made-by-app\r\n');
      const edited = got.text.replace('FN:Ada Lovelace', 'FN:Ada King');
      await pim.putObject(scope, 'addressbook', 'book', 'made-by-app.vcf', edited, { ifMatch: got.etag });
      expect(await documents.get(scope, CONTACTS, 'made-by-app')).toMatchObject({
        fullname: 'Ada King',
        favourite: true,
      });
    });
  });

  describe('collections read again', () => {
    beforeEach(async () => {
      await pim.createCollection(scope, 'addressbook', { id: 'book' });
      await pim.createCollection(scope, 'addressbook', { id: 'other' });
      for (const name of ['ann', 'bob', 'cyd']) {
        await pim.putObject(scope, 'addressbook', 'book', `${name}.vcf`, vcard(name, name.toUpperCase()));
      }
    });
    const names = async (book: string) =>
      (await pim.listObjects(scope, 'addressbook', book)).map((o) => o.href);

    it('sees what apps and other edges wrote since the last read: new, changed, deleted and moved objects', async () => {
      expect(await names('book')).toEqual(['ann.vcf', 'bob.vcf', 'cyd.vcf']);
      const before = await pim.listObjects(scope, 'addressbook', 'book');
      await documents.put(scope, CONTACTS, 'app-made', { addressbook: 'book', fullname: 'Dee' });
      const bob = await documents.get(scope, CONTACTS, 'bob');
      await documents.put(scope, CONTACTS, 'bob', { ...bob, fullname: 'Robert' });
      const cyd = await documents.get(scope, CONTACTS, 'cyd');
      await documents.delete(scope, CONTACTS, 'cyd', cyd._rev);
      const ann = await documents.get(scope, CONTACTS, 'ann');
      await documents.put(scope, CONTACTS, 'ann', { ...ann, addressbook: 'other' });

      const after = await pim.listObjects(scope, 'addressbook', 'book');
      expect(after.map((o) => o.href)).toEqual(['app-made.vcf', 'bob.vcf']);
      expect(after.find((o) => o.href === 'bob.vcf')?.etag).not.toBe(
        before.find((o) => o.href === 'bob.vcf')?.etag,
      );
      expect((await pim.getObject(scope, 'addressbook', 'book', 'bob.vcf')).text).toContain('FN:Robert\r\n');
      expect(await names('other')).toEqual(['ann.vcf']);
      const found = await pim.queryAddressBook(scope, 'book', {
        props: [{ name: 'FN', textMatches: [{ text: 'rob', match: 'starts-with' }] }],
      });
      expect(found.map((o) => o.href)).toEqual(['bob.vcf']);
    });

    it('sees a collection deleted and made again with the same id', async () => {
      expect(await names('book')).toHaveLength(3);
      await pim.deleteCollection(scope, 'addressbook', 'book');
      await pim.createCollection(scope, 'addressbook', { id: 'book' });
      expect(await names('book')).toEqual([]);
      await pim.putObject(scope, 'addressbook', 'book', 'new.vcf', vcard('new', 'New'));
      expect(await names('book')).toEqual(['new.vcf']);
    });

    it('reads the same from many concurrent requests as from one', async () => {
      const writes = ['dan', 'eve', 'fay'].map((n) =>
        pim.putObject(scope, 'addressbook', 'book', `${n}.vcf`, vcard(n, n)),
      );
      const reads = Array.from({ length: 5 }, () => names('book'));
      await Promise.all(writes);
      for (const list of await Promise.all(reads)) expect(list.length).toBeGreaterThanOrEqual(3);
      expect(await names('book')).toEqual(['ann.vcf', 'bob.vcf', 'cyd.vcf', 'dan.vcf', 'eve.vcf', 'fay.vcf']);
    });
  });

  describe('sync', () => {
    beforeEach(async () => {
      await pim.createCollection(scope, 'addressbook', { id: 'book' });
      await pim.createCollection(scope, 'addressbook', { id: 'other' });
    });

    it('reports objects changed and deleted since a token, and nothing of other collections', async () => {
      await pim.putObject(scope, 'addressbook', 'book', 'old.vcf', vcard('old', 'Old'));
      const initial = await pim.changesSince(scope, 'addressbook', 'book', null);
      expect(initial.changed.map((c) => c.href)).toEqual(['old.vcf']);
      const a = await pim.putObject(scope, 'addressbook', 'book', 'a.vcf', vcard('a', 'A'));
      await pim.putObject(scope, 'addressbook', 'book', 'b.vcf', vcard('b', 'B'));
      await pim.putObject(scope, 'addressbook', 'other', 'elsewhere.vcf', vcard('e', 'E'));
      await pim.deleteObject(scope, 'addressbook', 'book', 'b.vcf');
      await pim.deleteObject(scope, 'addressbook', 'book', 'old.vcf');
      const since = await pim.changesSince(scope, 'addressbook', 'book', initial.syncToken);
      expect(since).toEqual({
        syncToken: expect.any(String),
        changed: [{ href: 'a.vcf', etag: a.etag }],
        deleted: ['b.vcf', 'old.vcf'],
      });
      expect(await pim.changesSince(scope, 'addressbook', 'book', since.syncToken)).toEqual({
        syncToken: since.syncToken,
        changed: [],
        deleted: [],
      });
    });

    it('reports as deleted an object another edge deleted by id, by its name', async () => {
      const put = await pim.putObject(scope, 'addressbook', 'book', 'a.vcf', vcard('a', 'A'));
      const { syncToken } = await pim.syncState(scope, 'addressbook', 'book');
      await documents.delete(scope, CONTACTS, 'a', put.etag.slice(1, -1));
      expect((await pim.changesSince(scope, 'addressbook', 'book', syncToken)).deleted).toEqual(['a.vcf']);
    });

    it('moves the ctag on every change of an object or of the collection', async () => {
      const s0 = await pim.syncState(scope, 'addressbook', 'book');
      await pim.putObject(scope, 'addressbook', 'book', 'a.vcf', vcard('a', 'A'));
      const s1 = await pim.syncState(scope, 'addressbook', 'book');
      expect(s1.ctag).not.toBe(s0.ctag);
      await pim.updateCollection(scope, 'addressbook', 'book', { name: 'Renamed' });
      expect((await pim.syncState(scope, 'addressbook', 'book')).ctag).not.toBe(s1.ctag);
    });

    it('refuses a token it did not give', async () => {
      for (const token of ['abc', '999999', '-1', 'http://example.com/sync/1']) {
        await expect(pim.changesSince(scope, 'addressbook', 'book', token)).rejects.toBeInstanceOf(
          InvalidSyncToken,
        );
      }
      const error = await rejection(pim.changesSince(scope, 'addressbook', 'book', 'abc'));
      expect((error as InvalidSyncToken).condition).toEqual({ namespace: 'DAV:', name: 'valid-sync-token' });
    });
  });

  describe('calendars', () => {
    beforeEach(async () => {
      await pim.createCollection(scope, 'calendar', { id: 'home', name: 'Home', timezone: 'Europe/Paris' });
      await pim.createCollection(scope, 'calendar', { id: 'events-only', components: ['VEVENT'] });
      await pim.putObject(scope, 'calendar', 'home', 'weekly.ics', WEEKLY_PARIS);
      await pim.putObject(scope, 'calendar', 'home', 'allday.ics', ALL_DAY);
      await pim.putObject(scope, 'calendar', 'home', 'lunch.ics', FLOATING);
      await pim.putObject(scope, 'calendar', 'home', 'taxes.ics', TODO_DUE);
    });

    const hrefs = (list: ObjectData[]) => list.map((o) => o.href);

    it('keeps events and todos apart, each naming its calendar', async () => {
      expect(await documents.get(scope, 'io.nuage.events', 'weekly')).toMatchObject({
        calendar: 'home',
        summary: 'Team meeting',
      });
      expect(await documents.get(scope, 'io.nuage.todos', 'taxes')).toMatchObject({
        calendar: 'home',
        priority: 1,
        tags: ['admin', 'home'],
      });
      expect((await pim.getObject(scope, 'calendar', 'home', 'taxes.ics')).contentType).toBe(
        'text/calendar; charset=utf-8; component=VTODO',
      );
    });

    it('refuses a component the calendar does not hold, and a UID used by another object', async () => {
      expect(
        (await precondition(pim.putObject(scope, 'calendar', 'events-only', 't.ics', TODO_DUE))).name,
      ).toBe('supported-calendar-component');
      expect(await precondition(pim.putObject(scope, 'calendar', 'home', 'again.ics', WEEKLY_PARIS))).toEqual(
        {
          name: 'no-uid-conflict',
          href: 'weekly.ics',
        },
      );
      expect(
        (await precondition(pim.putObject(scope, 'calendar', 'home', 'x.ics', 'BEGIN:VCALENDAR\r\n'))).name,
      ).toBe('valid-calendar-data');
    });

    it('answers a time-range query with recurrences expanded and floating times in the calendar zone', async () => {
      const query = (start: string, end: string) =>
        pim.queryCalendar(scope, 'home', {
          component: 'VEVENT',
          timeRange: { start: new Date(start), end: new Date(end) },
        });
      expect(hrefs(await query('2026-04-13T00:00:00Z', '2026-04-14T00:00:00Z'))).toEqual(['weekly.ics']);
      expect(hrefs(await query('2026-03-23T00:00:00Z', '2026-03-24T00:00:00Z'))).toEqual([]);
      expect(hrefs(await query('2026-04-01T00:00:00Z', '2026-04-03T00:00:00Z'))).toEqual([
        'allday.ics',
        'lunch.ics',
      ]);
      // Lunch is 12:00 Paris time, 10:00 UTC.
      expect(hrefs(await query('2026-04-02T10:00:00Z', '2026-04-02T10:30:00Z'))).toEqual(['lunch.ics']);
      const todos = await pim.queryCalendar(scope, 'home', {
        component: 'VTODO',
        timeRange: { start: new Date('2026-04-03T00:00:00Z'), end: new Date('2026-04-04T00:00:00Z') },
      });
      expect(hrefs(todos)).toEqual(['taxes.ics']);
    });

    it('computes free-busy time over calendars', async () => {
      const busy = await pim.freeBusy(scope, ['home'], {
        start: new Date('2026-04-01T00:00:00Z'),
        end: new Date('2026-04-07T00:00:00Z'),
      });
      expect(busy.map((p) => `${p.type} ${p.start.toISOString()}`)).toEqual([
        'BUSY-TENTATIVE 2026-04-02T10:00:00.000Z',
        'BUSY 2026-04-06T07:00:00.000Z',
      ]);
    });

    it('moves an object put again as another component type to the other doctype', async () => {
      const put = await pim.putObject(
        scope,
        'calendar',
        'home',
        'lunch.ics',
        TODO_DUE.replaceAll('todo-1@example.com', 'floating-1@example.com'),
      );
      expect(put).toMatchObject({ created: false, doctype: 'io.nuage.todos' });
      await expect(documents.get(scope, 'io.nuage.events', 'lunch')).rejects.toThrow('deleted');
      expect((await pim.listObjects(scope, 'calendar', 'home')).map((o) => o.href)).toEqual([
        'allday.ics',
        'lunch.ics',
        'taxes.ics',
        'weekly.ics',
      ]);
    });

    it('writes an app’s change of an event into its iCalendar, keeping the override and unknown properties', async () => {
      const doc = await documents.get(scope, 'io.nuage.events', 'weekly');
      await documents.put(scope, 'io.nuage.events', 'weekly', {
        ...doc,
        summary: 'Weekly sync',
        location: 'Room 5',
      });
      const { text } = await pim.getObject(scope, 'calendar', 'home', 'weekly.ics');
      expect(text).toContain('SUMMARY:Weekly sync\r\n');
      expect(text).toContain('LOCATION:Room 5\r\n');
      expect(text).toContain('SUMMARY:Team meeting (moved)\r\n');
      expect(text).toContain('X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC\r\n');
    });

    it('serves an event an app created from its fields alone', async () => {
      await documents.put(scope, 'io.nuage.events', 'dentist', {
        calendar: 'home',
        summary: 'Dentist',
        start: { date: '2026-05-04T10:00:00', tzid: 'Europe/Paris' },
        end: { date: '2026-05-04T10:30:00', tzid: 'Europe/Paris' },
      });
      const { text } = await pim.getObject(scope, 'calendar', 'home', 'dentist.ics');
      expect(text).toContain('UID:dentist\r\n');
      expect(text).toContain('DTSTART;TZID=Europe/Paris:20260504T100000\r\n');
      const found = await pim.queryCalendar(scope, 'home', {
        component: 'VEVENT',
        timeRange: { start: new Date('2026-05-04T08:00:00Z'), end: new Date('2026-05-04T08:15:00Z') },
      });
      expect(hrefs(found)).toEqual(['dentist.ics']);
    });

    describe('time ranges from the stored spans', () => {
      const query = async (start: string, end: string) =>
        hrefs(
          await pim.queryCalendar(scope, 'home', {
            component: 'VEVENT',
            timeRange: { start: new Date(start), end: new Date(end) },
          }),
        );
      const june = ['2026-06-01T00:00:00Z', '2026-07-01T00:00:00Z'] as const;
      const zoned = (uid: string, day: string) =>
        event(uid, [`DTSTART:${day}T100000Z`, `DTEND;TZID=Europe/Paris:${day}T140000`, 'SUMMARY:Zoned']);
      beforeEach(async () => {
        await pim.putObject(scope, 'calendar', 'home', 'once.ics', zoned('once@x', '20260610'));
        await pim.putObject(
          scope,
          'calendar',
          'home',
          'endless.ics',
          event('endless@x', ['DTSTART:20260105T080000Z', 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY']),
        );
        await pim.putObject(
          scope,
          'calendar',
          'home',
          'short.ics',
          event('short@x', ['DTSTART:20260105T080000Z', 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY;COUNT=3']),
        );
        await pim.putObject(
          scope,
          'calendar',
          'home',
          'floating-june.ics',
          event('floating@x', ['DTSTART:20260615T233000', 'DTEND:20260616T003000']),
        );
      });

      it('records the exact instance of a single event whose times do not float, and only then', async () => {
        const span = async (id: string) => (await documents.get(scope, 'io.nuage.events', id))['span'];
        expect(await span('once')).toEqual({
          start: '2026-06-09T20:00:00.000Z',
          end: '2026-06-11T02:00:00.000Z',
          instance: { start: '2026-06-10T10:00:00.000Z', end: '2026-06-10T12:00:00.000Z' },
        });
        expect(await span('endless')).toEqual({ start: '2026-01-04T18:00:00.000Z', end: null });
        expect(await span('short')).not.toHaveProperty('instance');
        expect(await span('floating-june')).not.toHaveProperty('instance');
        expect(await span('allday')).not.toHaveProperty('instance');
      });

      it('finds exact, endless, finite and floating events by their instances, far beyond the first', async () => {
        expect(await query(...june)).toEqual(['endless.ics', 'floating-june.ics', 'once.ics']);
        // 10:00–12:00 UTC: touching the ends is not overlapping.
        expect(await query('2026-06-10T12:00:00Z', '2026-06-10T13:00:00Z')).toEqual([]);
        expect(await query('2026-06-10T11:59:59Z', '2026-06-10T12:00:00Z')).toEqual(['once.ics']);
        expect(await query('2026-01-12T08:30:00Z', '2026-01-12T08:31:00Z')).toEqual([
          'endless.ics',
          'short.ics',
        ]);
        expect(await query('2026-01-26T08:30:00Z', '2026-01-26T08:31:00Z')).toEqual(['endless.ics']);
        // A Monday years ahead, and the Sunday before it (no instance).
        expect(await query('2031-06-02T08:00:00Z', '2031-06-02T09:00:00Z')).toEqual(['endless.ics']);
        expect(await query('2031-06-01T08:00:00Z', '2031-06-01T09:00:00Z')).toEqual([]);
        // Floating 23:30 is 21:30 UTC in the calendar's zone (Paris, summer).
        expect(await query('2026-06-15T21:00:00Z', '2026-06-15T22:00:00Z')).toEqual(['floating-june.ics']);
        expect(
          hrefs(
            await pim.queryCalendar(scope, 'home', {
              component: 'VEVENT',
              timeRange: { start: new Date('2026-06-15T21:00:00Z'), end: new Date('2026-06-15T22:00:00Z') },
              floatingZone: 'America/New_York',
            }),
          ),
        ).toEqual([]);
      });

      it('follows edits that move an event out of a range and back, over DAV and by an app', async () => {
        expect(await query(...june)).toContain('once.ics');
        await pim.putObject(scope, 'calendar', 'home', 'once.ics', zoned('once@x', '20260710'));
        expect(await query(...june)).not.toContain('once.ics');
        expect(await query('2026-07-10T00:00:00Z', '2026-07-11T00:00:00Z')).toEqual(['once.ics']);
        await pim.putObject(
          scope,
          'calendar',
          'home',
          'endless.ics',
          event('endless@x', ['DTSTART:20260105T080000Z', 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY;COUNT=2']),
        );
        expect(await query(...june)).not.toContain('endless.ics');
        // An app moves the event back to June through its fields: its span no longer speaks for it.
        const doc = await documents.get(scope, 'io.nuage.events', 'once');
        await documents.put(scope, 'io.nuage.events', 'once', {
          ...doc,
          start: { date: '2026-06-20T10:00:00Z' },
          end: { date: '2026-06-20T11:00:00Z' },
        });
        expect(await query(...june)).toContain('once.ics');
        expect(await query('2026-06-20T10:30:00Z', '2026-06-20T10:31:00Z')).toEqual(['once.ics']);
      });
    });

    it('answers an addressbook-query over the vCards of a book', async () => {
      await pim.createCollection(scope, 'addressbook', { id: 'book' });
      await pim.putObject(scope, 'addressbook', 'book', 'ios.vcf', IOS_VCARD);
      await pim.putObject(scope, 'addressbook', 'book', 'android.vcf', ANDROID_VCARD);
      await pim.putObject(scope, 'addressbook', 'book', 'tb.vcf', THUNDERBIRD_VCARD);
      const found = await pim.queryAddressBook(scope, 'book', {
        props: [{ name: 'EMAIL', textMatches: [{ text: 'EXAMPLE.' }] }],
      });
      expect(hrefs(found)).toEqual(['android.vcf', 'ios.vcf', 'tb.vcf']);
      const limited = await pim.queryAddressBook(
        scope,
        'book',
        { props: [{ name: 'FN', textMatches: [{ text: 'zoë' }] }] },
        { limit: 5 },
      );
      expect(hrefs(limited)).toEqual(['tb.vcf']);
    });
  });
});

describe.each(STORE_ADAPTERS)('PIM service, documents apps wrote oddly, on $name', (adapter) => {
  it('still serves a contact whose fields have shapes it does not read', async () => {
    const f = await dataFixture(adapter);
    try {
      const pim = new PimService(f.service);
      await pim.createCollection(f.scope, 'addressbook', { id: 'book' });
      await f.service.put(f.scope, CONTACTS, 'odd', {
        addressbook: 'book',
        fullname: 'Odd One',
        emails: 'odd@example.com',
        name: 42,
      });
      const { text } = await pim.getObject(f.scope, 'addressbook', 'book', 'odd.vcf');
      expect(text).toContain('FN:Odd One\r\n');
      expect(text).toContain('UID:odd\r\n');
    } finally {
      await f.dispose();
    }
  });
});
