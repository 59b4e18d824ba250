import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DocumentService } from '../../src/data/documents.js';
import { createLogger } from '../../src/http/framework/log.js';
import { createJobs, type Jobs } from '../../src/jobs/index.js';
import { durationMs } from '../../src/jobs/alarms.js';
import { NOTIFICATIONS_DOCTYPE } from '../../src/jobs/notify.js';
import { FIRE_WORKER, PLAN_WORKER, REMINDER_CATEGORY, REMINDER_URL } from '../../src/jobs/reminders.js';
import type { InstanceRecord, InstanceStore } from '../../src/ports/store/store.js';
import { STORE_ADAPTERS, type StoreFixture } from '../support/stores.js';
import { settle, T0 } from './harness.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const EVENTS = 'io.nuage.events';
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000', '');

describe('alarm durations', () => {
  it('reads the durations calendars write as triggers', () => {
    expect(durationMs('-PT15M')).toBe(-15 * MIN);
    expect(durationMs('-P1DT2H')).toBe(-26 * HOUR);
    expect(durationMs('PT0S')).toBe(0);
    expect(durationMs('-P1W')).toBe(-7 * 24 * HOUR);
    expect(durationMs('2026-01-01T09:00:00Z')).toBeNull();
  });
});

describe.each(STORE_ADAPTERS)('calendar reminders on $name', (adapter) => {
  let fx: StoreFixture;
  let documents: DocumentService;
  let jobs: Jobs;
  let instance: InstanceRecord;
  let storage: InstanceStore;
  const clock = { now: T0 };
  const scope = () => ({ instance, storage });

  beforeEach(async () => {
    clock.now = T0;
    fx = await adapter.create();
    documents = new DocumentService({ now: () => clock.now });
    jobs = createJobs({
      store: fx.store,
      now: () => clock.now,
      logger: createLogger('silent'),
      notifier: documents.notifier,
      documents,
      // Long timers: the tests drive the runner and the watcher by hand.
      config: { pollMs: 60_000, rescanMs: 3_600_000, stopTimeoutMs: 2000 },
    });
    await jobs.start();
    instance = await fx.store.instances.create('alice.localhost');
    storage = await fx.store.open(instance);
  });

  afterEach(async () => {
    await jobs.stop();
    documents.close();
    await fx.dispose();
  });

  /** Lets the `@event` trigger see the writes, then runs every due job. */
  const process = async () => {
    await jobs.events.round(instance);
    await settle(jobs, instance);
  };
  const at = async (time: number) => {
    clock.now = time;
    await process();
  };
  const notifications = async () =>
    (await storage.documents.allDocs(NOTIFICATIONS_DOCTYPE, { includeDocs: true })).rows.map(
      (r) => r.body ?? {},
    );
  const queuedFirings = async () =>
    (await storage.jobs.list({ worker: FIRE_WORKER, state: 'queued', limit: 100 }))
      .map((j) => j.runAt)
      .sort();

  const putEvent = async (id: string, fields: Record<string, unknown>, rev?: string) => {
    const body = { calendar: 'calendar', summary: 'Dentist', ...fields, ...(rev ? { _rev: rev } : {}) };
    return documents.put(scope(), EVENTS, id, body);
  };
  const timed = (start: number, trigger = '-PT15M') => ({
    start: { date: iso(start) },
    end: { date: iso(start + HOUR) },
    alarms: [{ action: 'DISPLAY', trigger }],
  });

  it('gives an instance its two internal triggers once, however often it is set up', async () => {
    await jobs.reminders!.ensure(scope());
    await jobs.reminders!.ensure(scope());
    const mine = (await storage.jobs.listTriggers()).filter((t) => t.worker === PLAN_WORKER);
    expect(mine.map((t) => `${t.type} ${t.arguments}`).sort()).toEqual([`@event ${EVENTS}`, '@every 24h']);
  });

  it('notifies at the alarm time with the summary, the time, the category and the app link, once', async () => {
    await jobs.reminders!.ensure(scope());
    await putEvent('dentist', { ...timed(T0 + 2 * HOUR), location: 'Rue de la Paix' });
    await process();
    expect(await queuedFirings()).toEqual([T0 + 2 * HOUR - 15 * MIN]);

    await at(T0 + HOUR);
    expect(await notifications()).toEqual([]);

    await at(T0 + 2 * HOUR - 15 * MIN);
    const [n, ...more] = await notifications();
    expect(more).toEqual([]);
    expect(n).toMatchObject({
      title: 'Dentist · 1 Jan 2026, 02:00',
      message: 'Rue de la Paix',
      url: REMINDER_URL,
      category: REMINDER_CATEGORY,
      read: false,
    });

    // Planning again (the daily run) and running the firing again notify no second time.
    await jobs.service.enqueue(scope(), { worker: PLAN_WORKER, payload: {} });
    await jobs.service.enqueue(scope(), {
      worker: FIRE_WORKER,
      payload: {
        eventId: 'dentist',
        fireAt: T0 + 2 * HOUR - 15 * MIN,
        start: T0 + 2 * HOUR,
        trigger: '-PT15M',
      },
    });
    await process();
    expect(await notifications()).toHaveLength(1);
  });

  it('plans an edited event once, and never fires the reminder of its old time', async () => {
    await jobs.reminders!.ensure(scope());
    const first = await putEvent('dentist', timed(T0 + 2 * HOUR));
    await process();
    await putEvent('dentist', timed(T0 + 5 * HOUR), first.rev);
    await process();
    expect(await queuedFirings()).toEqual([T0 + 2 * HOUR - 15 * MIN, T0 + 5 * HOUR - 15 * MIN]);

    await at(T0 + 2 * HOUR - 15 * MIN);
    expect(await notifications()).toEqual([]);
    await at(T0 + 5 * HOUR - 15 * MIN);
    expect((await notifications()).map((n) => n['title'])).toEqual(['Dentist · 1 Jan 2026, 05:00']);
  });

  it('fires nothing for an event deleted or whose alarm was removed after it was planned', async () => {
    await jobs.reminders!.ensure(scope());
    const a = await putEvent('a', timed(T0 + 2 * HOUR));
    const b = await putEvent('b', timed(T0 + 2 * HOUR));
    await process();
    await documents.put(scope(), EVENTS, 'a', { _rev: a.rev, _deleted: true });
    await putEvent('b', { ...timed(T0 + 2 * HOUR), alarms: [] }, b.rev);
    await process();
    await at(T0 + 3 * HOUR);
    expect(await notifications()).toEqual([]);
  });

  it('queues only the next day of a recurring event, and the daily run queues the following ones', async () => {
    await jobs.reminders!.ensure(scope());
    const nine = T0 + 9 * HOUR;
    await putEvent('standup', { ...timed(nine, '-PT10M'), rrule: 'FREQ=DAILY;COUNT=5', summary: 'Standup' });
    await process();
    expect(await queuedFirings()).toEqual([nine - 10 * MIN]);

    await at(nine - 10 * MIN);
    await at(T0 + 24 * HOUR + 3 * HOUR + 17 * MIN); // the daily re-planning
    expect(await queuedFirings()).toEqual([nine + 24 * HOUR - 10 * MIN]);
    await at(nine + 24 * HOUR - 10 * MIN);
    expect((await notifications()).map((n) => n['title']).sort()).toEqual([
      'Standup · 1 Jan 2026, 09:00',
      'Standup · 2 Jan 2026, 09:00',
    ]);
  });

  it('skips an occurrence excluded after planning, and plans events written before the triggers', async () => {
    const nine = T0 + 9 * HOUR;
    const written = await putEvent('standup', { ...timed(nine, '-PT10M'), rrule: 'FREQ=DAILY' });
    await jobs.reminders!.ensure(scope()); // the first full plan finds it
    await process();
    expect(await queuedFirings()).toEqual([nine - 10 * MIN]);
    await putEvent(
      'standup',
      { ...timed(nine, '-PT10M'), rrule: 'FREQ=DAILY', exdates: [{ date: iso(nine) }] },
      written.rev,
    );
    await process();
    await at(nine);
    expect(await notifications()).toEqual([]);
  });

  it('reads floating times in the calendar time zone', async () => {
    await documents.put(scope(), 'io.nuage.calendars', 'calendar', {
      name: 'Calendar',
      timezone: 'Europe/Paris',
    });
    await jobs.reminders!.ensure(scope());
    await putEvent('lunch', {
      start: { date: '2026-01-01T12:00:00' },
      end: { date: '2026-01-01T13:00:00' },
      alarms: [{ action: 'DISPLAY', trigger: '-PT30M' }],
      summary: 'Lunch',
    });
    await process();
    // 12:00 in Paris (UTC+1 in January) is 11:00 UTC.
    expect(await queuedFirings()).toEqual([T0 + 11 * HOUR - 30 * MIN]);
    await at(T0 + 11 * HOUR - 30 * MIN);
    expect((await notifications()).map((n) => n['title'])).toEqual(['Lunch · 1 Jan 2026, 12:00']);
  });
});
