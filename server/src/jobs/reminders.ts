import { createHash } from 'node:crypto';
import type { DocumentService } from '../data/documents.js';
import type { Logger } from '../http/framework/log.js';
import type { DocBody } from '../ports/store/documents.js';
import type { InstanceStore } from '../ports/store/store.js';
import { CALENDARS, EVENTS } from '../pim/kinds.js';
import { hasAlarms } from './alarm-fields.js';

/** The alarm reader needs the PIM parsing code and ical.js: loaded when an event first has alarms. */
const alarmFirings = async (...args: Parameters<typeof import('./alarms.js').alarmFirings>) =>
  (await import('./alarms.js')).alarmFirings(...args);
import { storeNotification } from './notify.js';
import { OncePerInstance } from './once-per-instance.js';
import type { JobScope, JobService } from './service.js';
import { defineWorker, InvalidPayload, type Worker } from './workers.js';

/**
 * Calendar reminders (docs/jobs.md, "Calendar reminders"). Two workers:
 *
 * - `calendar-reminders` plans: for one event (fed by an internal `@event io.nuage.events` trigger) or
 *   for every event with alarms (a daily `@every 24h` trigger, and once when the triggers are first made),
 *   it queues one `calendar-reminder` job per alarm firing in the next HORIZON_MS, with `runAt` = the
 *   firing. Firings further ahead are planned by a later daily run: the horizon overlaps the period.
 * - `calendar-reminder` fires: at `runAt` it reads the event again and stores the notification only if
 *   the event still has that alarm firing at that time for that occurrence, so an event changed or
 *   deleted since leaves no stale reminder. The notification's id is derived from the firing, so a
 *   firing planned twice (an edit, then the daily run) or a job run twice notifies once.
 */

export const PLAN_WORKER = 'calendar-reminders';
export const FIRE_WORKER = 'calendar-reminder';
/** How far ahead firings are queued: a day, plus overlap with the next daily run. */
export const HORIZON_MS = 26 * 3_600_000;
/** The daily re-planning (UTC). */
/**
 * The daily re-plan. `@every`, not `@cron`: a cron trigger loads croner and, through it, the time-zone
 * data of Intl, about 8 MB of resident memory that every instance would then pay at idle.
 */
export const REPLAN_EVERY = '24h';
/** A reminder later than this (the stack was down) is dropped rather than shown out of time. */
export const LATE_LIMIT_MS = 6 * 3_600_000;
/** Where a reminder leads: the calendar app, opened through the instance (docs/apps.md). */
export const REMINDER_URL = '/apps/calendar/open';
export const REMINDER_CATEGORY = 'calendar.reminder';

interface PlanPayload {
  /** Set by the `@event` trigger; absent: plan every event. */
  event?: { id: string; verb: string };
}

export interface FirePayload {
  eventId: string;
  fireAt: number;
  /** The occurrence's start (ms). */
  start: number;
  trigger: string;
}

function parsePlan(payload: unknown): PlanPayload {
  const p = (payload ?? {}) as { event?: { id?: unknown; verb?: unknown } };
  if (p.event === undefined) return {};
  if (typeof p.event.id !== 'string' || typeof p.event.verb !== 'string')
    throw new InvalidPayload('event must be {id, verb}');
  return { event: { id: p.event.id, verb: p.event.verb } };
}

function parseFire(payload: unknown): FirePayload {
  const p = (payload ?? {}) as Partial<Record<keyof FirePayload, unknown>>;
  if (typeof p.eventId !== 'string') throw new InvalidPayload('eventId must be a string');
  if (typeof p.fireAt !== 'number' || typeof p.start !== 'number')
    throw new InvalidPayload('fireAt and start must be numbers');
  if (typeof p.trigger !== 'string') throw new InvalidPayload('trigger must be a string');
  return { eventId: p.eventId, fireAt: p.fireAt, start: p.start, trigger: p.trigger };
}

/** The event's body, or null when it is gone. */
async function eventBody(storage: InstanceStore, id: string): Promise<DocBody | null> {
  const [doc] = await storage.documents.getDocs(EVENTS, [id]);
  return doc && !doc.deleted ? doc.body : null;
}

/** The time zone floating times of an event are read in: its calendar's, when it names a valid one. */
async function zoneOf(storage: InstanceStore, body: DocBody): Promise<string | undefined> {
  if (typeof body['calendar'] !== 'string') return undefined;
  const [calendar] = await storage.documents.getDocs(CALENDARS, [body['calendar']]);
  const zone = calendar && !calendar.deleted ? calendar.body['timezone'] : undefined;
  return typeof zone === 'string' && zone !== '' ? zone : undefined;
}

const firingKey = (f: FirePayload): string => `${f.eventId}\n${f.start}\n${f.fireAt}\n${f.trigger}`;

/** `calendar-reminders`: queues the firings of the next HORIZON_MS of one event or of all of them. */
export function planWorker(jobs: () => JobService): Worker {
  return defineWorker<PlanPayload>({
    name: PLAN_WORKER,
    timeoutMs: 120_000,
    parse: parsePlan,
    run: async ({ event }, { instance, storage, now, logger, signal }) => {
      if (event?.verb === 'DELETED') return; // its queued firings find no event and do nothing
      const scope = { instance, storage };
      const from = now();
      // What is queued already is not queued again: planning is idempotent.
      const queued = new Set(
        (await storage.jobs.list({ worker: FIRE_WORKER, state: 'queued', limit: 10_000 })).map((j) =>
          firingKey(j.payload as FirePayload),
        ),
      );
      const plan = async (id: string, body: DocBody) => {
        if (!hasAlarms(body)) return;
        let firings;
        try {
          firings = await alarmFirings(id, body, from, from + HORIZON_MS, await zoneOf(storage, body));
        } catch (error) {
          logger.warn({ err: error, event: id }, 'could not read the alarms of an event');
          return;
        }
        for (const f of firings) {
          const payload: FirePayload = { eventId: id, fireAt: f.fireAt, start: f.start, trigger: f.trigger };
          if (queued.has(firingKey(payload))) continue;
          queued.add(firingKey(payload));
          await jobs().enqueue(scope, { worker: FIRE_WORKER, payload, runAt: f.fireAt });
        }
      };
      if (event) {
        const body = await eventBody(storage, event.id);
        if (body) await plan(event.id, body);
        return;
      }
      for await (const { id, body } of allEvents(storage)) {
        if (signal.aborted) return;
        await plan(id, body);
      }
    },
  });
}

/** Every event document, 500 at a time. */
async function* allEvents(storage: InstanceStore): AsyncGenerator<{ id: string; body: DocBody }> {
  let startkey: string | undefined;
  for (;;) {
    const page = await storage.documents.allDocs(EVENTS, {
      includeDocs: true,
      limit: 501,
      ...(startkey ? { startkey } : {}),
    });
    const rows = page.rows.slice(0, 500);
    for (const row of rows)
      if (row.body && !row.id.startsWith('_design/')) yield { id: row.id, body: row.body };
    const next = page.rows[500];
    if (!next) return;
    startkey = next.id;
  }
}

/** The title of a reminder: the event's summary and when it starts, in its calendar's zone. */
export function reminderTitle(body: DocBody, start: number, zone: string | undefined): string {
  const summary =
    typeof body['summary'] === 'string' && body['summary'].trim() ? body['summary'].trim() : 'Event';
  const start_ = body['start'] as { date?: unknown } | undefined;
  const allDay = typeof start_?.date === 'string' && !start_.date.includes('T');
  let when: string;
  try {
    when = new Intl.DateTimeFormat('en-GB', {
      dateStyle: 'medium',
      ...(allDay ? {} : { timeStyle: 'short' }),
      timeZone: allDay ? 'UTC' : (zone ?? 'UTC'),
    }).format(start);
  } catch {
    when = new Date(start).toISOString().slice(0, 16).replace('T', ' ');
  }
  return `${summary} · ${when}`.slice(0, 500);
}

/** `calendar-reminder`: at its time, notifies if the event still has that alarm then. */
export function fireWorker(documents: DocumentService): Worker {
  return defineWorker<FirePayload>({
    name: FIRE_WORKER,
    concurrency: 4,
    timeoutMs: 30_000,
    parse: parseFire,
    run: async (f, { instance, storage, now, logger }) => {
      const body = await eventBody(storage, f.eventId);
      if (!body) return; // deleted since it was planned
      const zone = await zoneOf(storage, body);
      const still = (await alarmFirings(f.eventId, body, f.fireAt, f.fireAt + 1, zone)).some(
        (g) => g.start === f.start && g.trigger === f.trigger,
      );
      if (!still) return; // moved, alarm changed or removed, occurrence excluded: a later plan has it
      if (now() - f.fireAt > LATE_LIMIT_MS) {
        logger.info({ event: f.eventId, fireAt: f.fireAt }, 'reminder too late, dropped');
        return;
      }
      const id = `reminder-${createHash('sha256').update(firingKey(f)).digest('hex').slice(0, 32)}`;
      const location = typeof body['location'] === 'string' ? body['location'] : '';
      const scope: JobScope = { instance, storage };
      await storeNotification(
        documents,
        scope,
        id,
        {
          title: reminderTitle(body, f.start, zone),
          ...(location ? { message: location } : {}),
          url: REMINDER_URL,
          category: REMINDER_CATEGORY,
        },
        now(),
        { worker: FIRE_WORKER, event: f.eventId },
      );
    },
  });
}

/**
 * Gives every instance the two internal triggers of reminders (`@event io.nuage.events` and the daily
 * `@every 24h`), with one full plan when they are first made (events written before the `@event` trigger's
 * cursor). This happens the first time this process serves a request for the instance (`ensureOnce`):
 * every event an instance gets arrives through a request to it, and no timer or start-up scan of every
 * instance is needed. The triggers show in `GET /jobs/triggers`; one the owner deletes is made again
 * when a process next starts serving the instance.
 */
export class ReminderTriggers {
  private readonly once: OncePerInstance;

  constructor(private readonly deps: { jobs: () => JobService; logger: Logger }) {
    this.once = new OncePerInstance((scope) => this.ensure(scope), deps.logger, 'calendar reminders');
  }

  /** `ensure`, once per instance and process; a failure is logged and tried again next time. */
  ensureOnce(scope: JobScope): Promise<void> {
    return this.once.run(scope);
  }

  /** Makes sure the instance has both triggers; queues a full plan when one had to be made. */
  async ensure(scope: JobScope): Promise<void> {
    const service = this.deps.jobs();
    const mine = (await service.listTriggers(scope)).filter((t) => t.worker === PLAN_WORKER);
    let made = false;
    if (!mine.some((t) => t.type === '@event')) {
      await service.createTrigger(scope, {
        type: '@event',
        arguments: EVENTS,
        worker: PLAN_WORKER,
        payload: {},
      });
      made = true;
    }
    if (!mine.some((t) => t.type === '@every')) {
      await service.createTrigger(scope, {
        type: '@every',
        arguments: REPLAN_EVERY,
        worker: PLAN_WORKER,
        payload: {},
      });
      made = true;
    }
    if (made) await service.enqueue(scope, { worker: PLAN_WORKER, payload: {} });
  }
}
