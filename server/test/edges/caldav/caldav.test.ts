import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLE, CALDAV, CS, multistatus, NS, pimStack, prop, responseFor, vevent, vtodo } from './pim-dav.js';

type Pim = Awaited<ReturnType<typeof pimStack>>;

const CAL = '/dav/calendars/alice/calendar/';

describe('CalDAV (RFC 4791) over a real stack', () => {
  let s: Pim;

  beforeAll(async () => {
    s = await pimStack();
  });
  afterAll(async () => {
    await s?.t.dispose();
  });

  const put = (path: string, text: string, headers: Record<string, string> = {}) =>
    s.dav('PUT', path, { body: text, headers: { 'content-type': 'text/calendar', ...headers } });
  const query = (path: string, filter: string, depth = '1') =>
    s.report(
      path,
      `<C:calendar-query ${NS}><D:prop><D:getetag/><C:calendar-data/></D:prop><C:filter><C:comp-filter name="VCALENDAR">${filter}</C:comp-filter></C:filter></C:calendar-query>`,
      depth,
    );
  const hrefs = async (res: { status: number; text: string }) => {
    expect(res.status, res.text).toBe(207);
    return (await multistatus(res.text)).map((r) => r.href).sort();
  };

  describe('discovery', () => {
    it('leads from /.well-known/caldav to the calendar home and the default calendar of events and todos', async () => {
      const redirect = await s.dav('GET', '/.well-known/caldav', { anonymous: true });
      expect(redirect.status).toBe(301);
      expect(redirect.headers.location).toBe('/dav/');
      const [root] = await s.propfind('/dav/', '0', 'D:current-user-principal');
      const principal = prop(root!, 'DAV:', 'current-user-principal');
      const [p] = await s.propfind(
        principal,
        '0',
        'C:calendar-home-set',
        'C:calendar-user-address-set',
        'D:principal-URL',
      );
      expect(prop(p!, CALDAV, 'calendar-home-set')).toBe('/dav/calendars/alice/');
      expect(prop(p!, 'DAV:', 'principal-URL')).toBe(principal);
      const home = await s.propfind(
        '/dav/calendars/alice/',
        '1',
        'D:resourcetype',
        'D:displayname',
        'C:supported-calendar-component-set',
        'C:supported-calendar-data',
        'CS:getctag',
        'D:owner',
      );
      const cal = responseFor(home, CAL);
      expect(prop(cal, 'DAV:', 'displayname')).toBe('Calendar');
      expect(prop(cal, 'DAV:', 'owner')).toBe(principal);
      expect(prop(cal, CS, 'getctag')).toMatch(/^\d+$/);
      const comps = cal.props[`{${CALDAV}}supported-calendar-component-set`]!.element.children.flatMap((c) =>
        typeof c === 'string' ? [] : c.attributes.map((a) => a.value),
      );
      expect(comps).toEqual(['VEVENT', 'VTODO']);
      expect(JSON.stringify(cal.props['{DAV:}resourcetype']!.element)).toContain(
        `"ns":"${CALDAV}","local":"calendar"`,
      );
    });
  });

  describe('MKCALENDAR and PROPPATCH', () => {
    it('makes a calendar of todos with a name, colour and description', async () => {
      const res = await s.xml(
        'MKCALENDAR',
        '/dav/calendars/alice/tasks/',
        `<C:mkcalendar ${NS}><D:set><D:prop><D:displayname>Tasks</D:displayname><A:calendar-color>#FF8800</A:calendar-color><C:calendar-description>Things to do</C:calendar-description><C:supported-calendar-component-set><C:comp name="VTODO"/></C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>`,
      );
      expect(res.status).toBe(201);
      const [tasks] = await s.propfind(
        '/dav/calendars/alice/tasks/',
        '0',
        'D:displayname',
        'A:calendar-color',
        'C:calendar-description',
        'C:supported-calendar-component-set',
      );
      expect(prop(tasks!, 'DAV:', 'displayname')).toBe('Tasks');
      expect(prop(tasks!, APPLE, 'calendar-color')).toBe('#FF8800');
      expect(prop(tasks!, CALDAV, 'calendar-description')).toBe('Things to do');
      expect(
        JSON.stringify(tasks!.props[`{${CALDAV}}supported-calendar-component-set`]!.element),
      ).not.toContain('VEVENT');
    });

    it('refuses MKCALENDAR where a calendar exists with DAV:resource-must-be-null', async () => {
      const res = await s.xml('MKCALENDAR', '/dav/calendars/alice/tasks/', '');
      expect(res.status).toBe(403);
      expect(res.text).toContain('<D:resource-must-be-null/>');
    });

    it('changes the colour with PROPPATCH', async () => {
      const res = await s.xml(
        'PROPPATCH',
        '/dav/calendars/alice/tasks/',
        `<D:propertyupdate ${NS}><D:set><D:prop><A:calendar-color>#00FF00FF</A:calendar-color></D:prop></D:set></D:propertyupdate>`,
      );
      expect(res.status).toBe(207);
      const [tasks] = await s.propfind('/dav/calendars/alice/tasks/', '0', 'A:calendar-color');
      expect(prop(tasks!, APPLE, 'calendar-color')).toBe('#00FF00FF');
    });

    it('refuses an event in a calendar of todos with CALDAV:supported-calendar-component', async () => {
      const res = await put(
        '/dav/calendars/alice/tasks/e.ics',
        vevent('e', 'E', '20250101T100000Z', '20250101T110000Z'),
      );
      expect(res.status).toBe(403);
      expect(res.text).toContain(`<supported-calendar-component xmlns="${CALDAV}"/>`);
    });
  });

  describe('events', () => {
    const weekly = vevent('standup', 'Stand-up', '20250106T090000Z', '20250106T093000Z', [
      'RRULE:FREQ=WEEKLY;COUNT=4',
    ]);

    it('stores events with If-None-Match and returns them by calendar-multiget', async () => {
      expect((await put(`${CAL}standup.ics`, weekly, { 'if-none-match': '*' })).status).toBe(201);
      expect(
        (await put(`${CAL}lunch.ics`, vevent('lunch', 'Lunch', '20250301T120000Z', '20250301T130000Z')))
          .status,
      ).toBe(201);
      const res = await s.report(
        CAL,
        `<C:calendar-multiget ${NS}><D:prop><D:getetag/><C:calendar-data/></D:prop><D:href>${CAL}standup.ics</D:href><D:href>${CAL}nope.ics</D:href></C:calendar-multiget>`,
      );
      const all = await multistatus(res.text);
      expect(prop(responseFor(all, `${CAL}standup.ics`), CALDAV, 'calendar-data')).toBe(weekly);
      expect(responseFor(all, `${CAL}nope.ics`).status).toContain('404');
    });

    it('refuses text that is not iCalendar with CALDAV:valid-calendar-data', async () => {
      const res = await put(`${CAL}bad.ics`, 'BEGIN:VCALENDAR\r\nnonsense');
      expect(res.status).toBe(403);
      expect(res.text).toContain(`<valid-calendar-data xmlns="${CALDAV}"/>`);
    });

    it('matches a recurring event by calendar-query on any of its instances, and not outside them', async () => {
      const range = (start: string, end: string) =>
        query(
          CAL,
          `<C:comp-filter name="VEVENT"><C:time-range start="${start}" end="${end}"/></C:comp-filter>`,
        );
      // The third instance, 20 January.
      expect(await hrefs(await range('20250120T000000Z', '20250121T000000Z'))).toEqual([`${CAL}standup.ics`]);
      // Between two instances (a Tuesday), and after the last one (27 January).
      expect(await hrefs(await range('20250121T000000Z', '20250122T000000Z'))).toEqual([]);
      expect(await hrefs(await range('20250201T000000Z', '20250215T000000Z'))).toEqual([]);
      // Both events in a wide range.
      expect(await hrefs(await range('20250101T000000Z', '20250401T000000Z'))).toEqual([
        `${CAL}lunch.ics`,
        `${CAL}standup.ics`,
      ]);
    });

    it('filters by property text and answers nothing at Depth 0', async () => {
      const bySummary = await query(
        CAL,
        '<C:comp-filter name="VEVENT"><C:prop-filter name="SUMMARY"><C:text-match>lunch</C:text-match></C:prop-filter></C:comp-filter>',
      );
      expect(await hrefs(bySummary)).toEqual([`${CAL}lunch.ics`]);
      expect(await hrefs(await query(CAL, '<C:comp-filter name="VEVENT"/>', '0'))).toEqual([]);
    });

    it('answers free-busy-query with the busy periods of the range', async () => {
      const res = await s.report(
        CAL,
        `<C:free-busy-query ${NS}><C:time-range start="20250113T000000Z" end="20250114T000000Z"/></C:free-busy-query>`,
      );
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/calendar/);
      expect(res.text).toContain('BEGIN:VFREEBUSY');
      expect(res.text).toContain('FREEBUSY;FBTYPE=BUSY:20250113T090000Z/20250113T093000Z');
    });

    it('reports an event changed over REST in the next sync-collection', async () => {
      const sync = (token: string) =>
        s.report(
          CAL,
          `<D:sync-collection ${NS}><D:sync-token>${token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`,
          '0',
        );
      const initial = await sync('');
      const token = /<D:sync-token>([^<]+)<\/D:sync-token>\s*<\/D:multistatus>/.exec(initial.text)![1]!;
      const doc = await s.t.client.get('/data/io.nuage.events/lunch', { headers: s.auth });
      expect(doc.status).toBe(200);
      const body = doc.json();
      expect(body).toMatchObject({ summary: 'Lunch', calendar: 'calendar' });
      const changed = await s.t.client.put('/data/io.nuage.events/lunch', {
        headers: s.auth,
        json: { ...body, summary: 'Long lunch' },
      });
      expect(changed.status).toBe(201);
      const next = await multistatus((await sync(token)).text);
      expect(next.map((r) => r.href)).toEqual([`${CAL}lunch.ics`]);
      const text = (await s.dav('GET', `${CAL}lunch.ics`)).text;
      expect(text).toContain('SUMMARY:Long lunch');
      expect(text).toContain('DTSTART:20250301T120000Z');
    });
  });

  describe('todos', () => {
    it('stores a VTODO in the default calendar, finds it by calendar-query, and shows it to the REST API', async () => {
      expect((await put(`${CAL}milk.ics`, vtodo('milk', 'Buy milk', '20250110T170000Z'))).status).toBe(201);
      const found = await query(
        CAL,
        '<C:comp-filter name="VTODO"><C:time-range start="20250110T000000Z" end="20250111T000000Z"/></C:comp-filter>',
      );
      expect(await hrefs(found)).toEqual([`${CAL}milk.ics`]);
      const all = await query(CAL, '');
      expect(await hrefs(all)).toEqual([`${CAL}lunch.ics`, `${CAL}milk.ics`, `${CAL}standup.ics`]);
      const doc = await s.t.client.get('/data/io.nuage.todos/milk', { headers: s.auth });
      expect(doc.json()).toMatchObject({ summary: 'Buy milk', calendar: 'calendar', href: 'milk.ics' });
    });
  });

  describe('bad requests', () => {
    it('refuses a query with a malformed time range and a nested comp-filter', async () => {
      const bad = await query(
        CAL,
        '<C:comp-filter name="VEVENT"><C:time-range start="tomorrow"/></C:comp-filter>',
      );
      expect(bad.status).toBe(403);
      expect(bad.text).toContain(`<valid-filter xmlns="${CALDAV}"/>`);
      const nested = await query(
        CAL,
        '<C:comp-filter name="VEVENT"><C:comp-filter name="VALARM"/></C:comp-filter>',
      );
      expect(nested.status).toBe(403);
      expect(nested.text).toContain(`<supported-filter xmlns="${CALDAV}"/>`);
    });

    it('refuses a report on the home with DAV:supported-report', async () => {
      const res = await s.report('/dav/calendars/alice/', `<C:calendar-query ${NS}/>`);
      expect(res.status).toBe(403);
      expect(res.text).toContain('<D:supported-report/>');
    });
  });
});
