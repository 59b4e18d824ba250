import { NotFound } from '../errors.js';
import type { ChangeNotifier } from '../data/notifier.js';
import type { Logger } from '../http/framework/log.js';
import type { NewJob, TriggerRecord } from '../ports/store/jobs.js';
import type { InstanceRecord, Store } from '../ports/store/store.js';
import { jobOfTrigger } from './runner.js';
import { parseEventSpec, type EventSpec, type EventVerb } from './schedule.js';
import { matches } from '../data/mango/match.js';

/** Changes read per trigger and round; a busier feed is caught up over several rounds. */
const BATCH = 500;
/** A watcher re-reads its triggers at least this often, even without a write (e.g. another process). */
const WAIT_MS = 30_000;
/**
 * Changes a trigger's stored cursor may lag behind what this process has read and found nothing to
 * queue for. Every write wakes the watcher, and moving the cursor is a write transaction: doing it for
 * each change that concerns no trigger (most writes, for a trigger on one doctype or with a selector)
 * doubled the cost of small writes. After a restart, at most this many changes are read again.
 */
const CURSOR_SLACK = 1000;

export interface EventWatcherOptions {
  store: Store;
  notifier: ChangeNotifier;
  now: () => number;
  logger: Logger;
  /** Called after jobs were queued for an instance, so the runner starts them at once. */
  queued: (instance: InstanceRecord) => void;
}

/** The payload of a job queued by `@event`: the trigger's payload (an object) plus the change. */
export function eventPayload(
  base: unknown,
  event: { doctype: string; id: string; rev: string; verb: EventVerb },
) {
  const object = base !== null && typeof base === 'object' && !Array.isArray(base) ? base : {};
  return { ...object, event };
}

/**
 * Turns document changes into `@event` jobs. For each instance with event triggers, one loop waits on
 * the change notifier, reads the changes after each trigger's stored cursor, and moves the cursor and
 * queues the jobs in one transaction: a change queues its job once, even with several processes (the
 * losing process's conditional cursor update does nothing). The changes feed shows a document once at
 * its latest seq, so several writes between two reads make one job, with the latest verb.
 */
export class EventWatcher {
  private readonly loops = new Map<string, Promise<void>>();
  private readonly stop_ = new AbortController();
  /** Parsed event specs by trigger arguments (a selector is compiled once, not per change). */
  private readonly specs = new Map<string, EventSpec>();
  /** Per trigger id: the seq up to which this process read changes that queued nothing. */
  private readonly readUpTo = new Map<string, number>();

  constructor(private readonly options: EventWatcherOptions) {}

  /** Starts a loop for every instance that has event triggers. */
  async start(): Promise<void> {
    for (const instance of await this.options.store.instances.list()) {
      const storage = await this.options.store.open(instance);
      if ((await storage.jobs.listTriggers()).some((t) => t.type === '@event')) this.watch(instance);
    }
  }

  /** Makes sure `instance` is watched (called when an event trigger is created). */
  watch(instance: InstanceRecord): void {
    if (this.loops.has(instance.id) || this.stop_.signal.aborted) return;
    const loop = this.loop(instance).finally(() => this.loops.delete(instance.id));
    this.loops.set(instance.id, loop);
  }

  /** Whether a loop watches `instanceId` (it waits on the change notifier like a longpoll reader). */
  watching(instanceId: string): boolean {
    return this.loops.has(instanceId);
  }

  async stop(): Promise<void> {
    this.stop_.abort();
    await Promise.all(this.loops.values());
  }

  private async loop(instance: InstanceRecord): Promise<void> {
    const signal = this.stop_.signal;
    while (!signal.aborted) {
      let seen: number;
      try {
        const storage = await this.options.store.open(instance);
        seen = await storage.documents.updateSeq();
        if (!(await this.round(instance))) return;
      } catch (error) {
        if (signal.aborted || error instanceof NotFound) return;
        this.options.logger.error({ err: error, instance: instance.domain }, 'event triggers failed');
        seen = Number.MAX_SAFE_INTEGER;
      }
      await this.options.notifier.waitForChange(instance.id, seen, WAIT_MS, signal);
    }
  }

  /** One pass over the instance's event triggers; false when it has none left. */
  async round(instance: InstanceRecord): Promise<boolean> {
    const storage = await this.options.store.open(instance);
    const triggers = (await storage.jobs.listTriggers()).filter((t) => t.type === '@event');
    let queued = false;
    for (const trigger of triggers) {
      for (;;) {
        const result = await this.batch(trigger, await storage.jobs.getTrigger(trigger.id), instance);
        queued ||= result.queued;
        if (!result.more) break;
      }
    }
    if (queued) this.options.queued(instance);
    return triggers.length > 0;
  }

  private async batch(
    original: TriggerRecord,
    current: TriggerRecord | null,
    instance: InstanceRecord,
  ): Promise<{ queued: boolean; more: boolean }> {
    if (!current || current.cursor === null) return { queued: false, more: false };
    const storage = await this.options.store.open(instance);
    const spec = this.spec(original.arguments);
    const stored = current.cursor;
    const since = Math.max(stored, this.readUpTo.get(current.id) ?? 0);
    const changes = await storage.documents.changes({
      doctype: spec.doctype,
      since,
      limit: BATCH,
      includeDocs: spec.selector !== undefined,
    });
    if (changes.lastSeq <= since) return { queued: false, more: false };
    const jobs: NewJob[] = [];
    for (const row of changes.results) {
      const verb: EventVerb = row.deleted ? 'DELETED' : row.rev.startsWith('1-') ? 'CREATED' : 'UPDATED';
      if (!spec.verbs.has(verb)) continue;
      if (spec.selector && !row.deleted && !matches(spec.selector, { ...row.body, _id: row.id })) continue;
      const event = { doctype: row.doctype, id: row.id, rev: row.rev, verb };
      jobs.push(jobOfTrigger(current, eventPayload(current.payload, event)));
    }
    const more = changes.results.length === BATCH;
    if (jobs.length === 0 && !more && changes.lastSeq - stored < CURSOR_SLACK) {
      // Nothing to queue: any process reading these changes would queue nothing either.
      this.readUpTo.set(current.id, changes.lastSeq);
      return { queued: false, more: false };
    }
    const moved = await storage.jobs.advanceCursor(
      current.id,
      stored,
      changes.lastSeq,
      jobs,
      this.options.now(),
    );
    if (moved) this.readUpTo.delete(current.id);
    return { queued: moved && jobs.length > 0, more: moved && more };
  }

  private spec(args: string): EventSpec {
    let spec = this.specs.get(args);
    if (!spec) {
      spec = parseEventSpec(args);
      this.specs.set(args, spec);
    }
    return spec;
  }
}
