import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../server/test/support/stack.js';
import { PHONE, browserSession, screenshotDir, type BrowserSession } from './browser.js';
import { NAME, onboardInBrowser, openApp, ownerBasic, sidewaysScroll as scrollOf } from './owner.js';

const ZONE = 'Europe/Paris';

/** `YYYY-MM-DD` of today in Paris, and of this week's Monday (the week view starts on Mondays). */
function parisDays(): { today: string; monday: string } {
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: ZONE });
  const noon = Date.parse(`${today}T12:00:00Z`);
  const weekday = (new Date(noon).getUTCDay() + 6) % 7;
  const monday = new Date(noon - weekday * 86_400_000).toISOString().slice(0, 10);
  return { today, monday };
}

const compact = (day: string): string => day.replace(/-/g, '');

/** A weekly event on Mondays and Thursdays from this week's Monday, as another calendar exports it. */
const weeklyIcs = (monday: string): string =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Example//Test//EN',
    'BEGIN:VEVENT',
    'UID:yoga-weekly@example.org',
    'DTSTAMP:20260101T000000Z',
    `DTSTART;TZID=${ZONE}:${compact(monday)}T180000`,
    `DTEND;TZID=${ZONE}:${compact(monday)}T190000`,
    'RRULE:FREQ=WEEKLY;BYDAY=MO,TH;COUNT=8',
    'SUMMARY:Yoga class',
    'DESCRIPTION:Bring a mat\\, and water',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

/**
 * The calendar app end to end: the owner opens it from the instance, creates an event in the form, and
 * a phone's CalDAV query finds it; an .ics with a weekly series is imported and its occurrences fill
 * the week view; to-dos go both ways between the app and a phone; the app fits a phone. The steps run
 * in order.
 */
describe('the calendar app in a real browser', () => {
  let t: TestStack;
  let session: BrowserSession;
  let page: Page;
  let origin: string;
  let shots: string;
  const days = parisDays();

  beforeAll(async () => {
    t = await startStack({ config: { defaultApps: true } });
    origin = `http://localhost:${t.port}`;
    session = await browserSession({ timezoneId: ZONE, locale: 'en-US' });
    page = session.page;
    shots = screenshotDir();
  });

  afterAll(async () => {
    await session?.close();
    await t?.dispose();
  });

  const screenshot = (name: string) =>
    page.screenshot({ path: join(shots, `calendar-${name}.png`), fullPage: true });
  const sidewaysScroll = () => scrollOf(page);
  const chips = (text: string) => page.locator('.cal-event', { hasText: text });

  /** A CalDAV calendar-query as a phone sends it, with the owner's password: `filter` inside VCALENDAR. */
  const report = async (filter: string) => {
    const body = `<?xml version="1.0" encoding="utf-8"?>
<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:prop><d:getetag/><c:calendar-data/></d:prop>
  <c:filter><c:comp-filter name="VCALENDAR">${filter}</c:comp-filter></c:filter>
</c:calendar-query>`;
    const res = await fetch(`${origin}/dav/calendars/${NAME}/calendar/`, {
      method: 'REPORT',
      headers: {
        authorization: ownerBasic(),
        'content-type': 'application/xml; charset=utf-8',
        depth: '1',
      },
      body,
    });
    expect(res.status).toBe(207);
    return res.text();
  };
  /** The events with an instance in [start, end) (iCalendar UTC times). */
  const calendarQuery = (start: string, end: string) =>
    report(`<c:comp-filter name="VEVENT"><c:time-range start="${start}" end="${end}"/></c:comp-filter>`);
  /** Every to-do of the calendar, as a phone's reminders app asks for them. */
  const todoQuery = () => report('<c:comp-filter name="VTODO"/>');
  /** One calendar object over CalDAV, as a phone reads or writes it. */
  const dav = (name: string, init: { method?: string; body?: string } = {}) =>
    fetch(`${origin}/dav/calendars/${NAME}/calendar/${name}`, {
      ...init,
      headers: { authorization: ownerBasic(), 'content-type': 'text/calendar; charset=utf-8' },
    });
  const todoItem = (text: string) => page.locator('.cal-todos__item', { hasText: text });
  const showView = (name: string) =>
    page.getByRole('group', { name: 'View' }).getByRole('button', { name, exact: true }).click();

  it('onboards the owner and opens the calendar, installed with the Home, on its own origin', async () => {
    await onboardInBrowser(page, t);

    await openApp(page, t, 'calendar');
    await page.getByRole('button', { name: 'New event' }).waitFor();
    await page
      .getByRole('navigation', { name: 'Calendars' })
      .getByText('Calendar', { exact: true })
      .waitFor();
  });

  it('creates an event in the form, which a CalDAV time-range query then returns', async () => {
    await page.getByRole('button', { name: 'New event' }).click();
    const dialog = page.getByRole('dialog', { name: 'New event' });
    await dialog.getByLabel('Title').fill('Team lunch');
    await dialog.getByLabel('Date', { exact: true }).fill(days.today);
    await dialog.getByLabel('Start time').fill('12:30');
    await dialog.getByLabel('End date').fill(days.today);
    await dialog.getByLabel('End time').fill('13:30');
    await dialog.getByLabel('Reminder').selectOption('15');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await chips('Team lunch').first().waitFor();
    await screenshot('week');

    const day = Date.parse(`${days.today}T00:00:00Z`);
    const range = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d+/g, '');
    const found = await calendarQuery(range(day - 86_400_000), range(day + 2 * 86_400_000));
    expect(found).toContain('SUMMARY:Team lunch');
    expect(found).toContain(`DTSTART;TZID=${ZONE}:${compact(days.today)}T123000`);
    expect(found).toContain('TRIGGER:-PT15M');
    // Outside the range: not returned.
    const later = await calendarQuery(range(day + 30 * 86_400_000), range(day + 31 * 86_400_000));
    expect(later).not.toContain('Team lunch');
  });

  it('imports an .ics with a weekly series and shows its occurrences in the week view', async () => {
    await page.locator('input[type="file"]').setInputFiles({
      name: 'yoga.ics',
      mimeType: 'text/calendar',
      buffer: Buffer.from(weeklyIcs(days.monday)),
    });
    await page.getByText('1 imported, 0 already there, 0 not imported').waitFor();
    await page.getByRole('group', { name: 'View' }).getByRole('button', { name: 'Week' }).click();
    await expect.poll(() => chips('Yoga class').count()).toBe(2);
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => chips('Yoga class').count()).toBe(2);
    await screenshot('week-imported');
    await page.getByRole('button', { name: 'Today' }).click();

    // The imported series is a CalDAV object too, expanded by the server's query.
    const next = Date.parse(`${days.monday}T00:00:00Z`) + 7 * 86_400_000;
    const range = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d+/g, '');
    expect(await calendarQuery(range(next), range(next + 86_400_000))).toContain('SUMMARY:Yoga class');
  });

  it('creates a to-do in the app, which a CalDAV VTODO query returns, and shows it on its day', async () => {
    await showView('To-dos');
    await page.getByRole('button', { name: 'New to-do', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'New to-do' });
    await dialog.getByLabel('Title').fill('Buy train tickets');
    await dialog.getByLabel('Due date').fill(days.today);
    await dialog.getByLabel('Due time (optional)').fill('17:00');
    await dialog.getByLabel('Priority').selectOption({ label: 'High' });
    await dialog.getByLabel('Notes').fill('Window seat');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await todoItem('Buy train tickets').getByText('High').waitFor();
    await screenshot('todos');

    const todos = await todoQuery();
    expect(todos).toContain('BEGIN:VTODO');
    expect(todos).toContain('SUMMARY:Buy train tickets');
    expect(todos).toContain(`DUE;TZID=${ZONE}:${compact(days.today)}T170000`);
    expect(todos).toContain('PRIORITY:1');
    expect(todos).toContain('STATUS:NEEDS-ACTION');
    expect(todos).toContain('DESCRIPTION:Window seat');
    // The comp-filter keeps the events out.
    expect(todos).not.toContain('Team lunch');

    await showView('Week');
    await page
      .locator('.cal-todo', { hasText: 'Buy train tickets' })
      .getByText(/5:00\sPM/)
      .waitFor();
    await showView('Agenda');
    await page
      .locator('.cal-agenda__item', { hasText: 'Buy train tickets' })
      .getByText(/^Due 5:00\sPM$/)
      .waitFor();
  });

  it('shows a VTODO a phone PUTs, and ticking it done rewrites the VTODO the phone reads', async () => {
    const vtodo = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Example//Phone//EN',
      'BEGIN:VTODO',
      'UID:plumber@example.org',
      'DTSTAMP:20260101T000000Z',
      `DUE;VALUE=DATE:${compact(days.today)}`,
      'SUMMARY:Call the plumber',
      'PRIORITY:5',
      'STATUS:NEEDS-ACTION',
      'X-APPLE-SORT-ORDER:12345',
      'END:VTODO',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    expect((await dav('plumber.ics', { method: 'PUT', body: vtodo })).status).toBe(201);

    // Realtime brings it into the open app: on its day in the week view, and in its list.
    await showView('Week');
    await page.locator('.cal-todo', { hasText: 'Call the plumber' }).waitFor();
    await showView('To-dos');
    await todoItem('Call the plumber').getByText('Medium').waitFor();

    await page.getByRole('checkbox', { name: 'Done: Call the plumber' }).check();
    await expect.poll(async () => (await dav('plumber.ics')).text()).toContain('STATUS:COMPLETED');
    const done = await (await dav('plumber.ics')).text();
    expect(done).toMatch(/\r\nCOMPLETED:\d{8}T\d{6}Z\r\n/);
    // The phone's own property and the fields the tick left alone are still there.
    expect(done).toContain('X-APPLE-SORT-ORDER:12345');
    expect(done).toContain('SUMMARY:Call the plumber');
    expect(done).toContain(`DUE;VALUE=DATE:${compact(days.today)}`);
    expect(done).not.toContain('NEEDS-ACTION');
    await expect
      .poll(() => page.getByRole('checkbox', { name: 'Done: Call the plumber' }).isChecked())
      .toBe(true);

    await page.getByLabel('Hide completed').check();
    await todoItem('Call the plumber').waitFor({ state: 'detached' });
    await todoItem('Buy train tickets').waitFor();
    await page.getByLabel('Hide completed').uncheck();
    await todoItem('Call the plumber').waitFor();
  });

  it('edits and deletes a to-do, and the phone sees both', async () => {
    await todoItem('Buy train tickets').getByRole('button').click();
    const dialog = page.getByRole('dialog', { name: 'Edit to-do' });
    await dialog.getByLabel('Title').fill('Buy train and bus tickets');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(todoQuery).toContain('SUMMARY:Buy train and bus tickets');
    // The due time the form did not touch is written as it was.
    expect(await todoQuery()).toContain(`DUE;TZID=${ZONE}:${compact(days.today)}T170000`);

    await todoItem('Buy train and bus tickets').getByRole('button').click();
    await page.getByRole('dialog', { name: 'Edit to-do' }).getByRole('button', { name: 'Delete' }).click();
    await todoItem('Buy train and bus tickets').waitFor({ state: 'detached' });
    await expect.poll(todoQuery).not.toContain('Buy train');
    expect(await todoQuery()).toContain('SUMMARY:Call the plumber');
    await showView('Week');
  });

  it('fits a phone: no view scrolls sideways', async () => {
    await page.setViewportSize(PHONE);
    await page.reload();
    await page.getByRole('button', { name: 'New event' }).waitFor();
    for (const view of ['Day', 'Week', 'Month', 'Agenda', 'To-dos']) {
      await showView(view);
      await page.waitForTimeout(100);
      expect(await sidewaysScroll()).toBeLessThanOrEqual(0);
      await screenshot(`${view.toLowerCase()}-phone`);
    }
    await page.getByRole('button', { name: 'Calendars' }).click();
    await page
      .getByRole('navigation', { name: 'Calendars' })
      .getByText('Calendar', { exact: true })
      .waitFor();
    expect(await sidewaysScroll()).toBeLessThanOrEqual(0);
  });
});
