import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextRunAfter, parseDuration, parseEventSpec } from '../../src/jobs/schedule.js';
import type { TriggerRecord } from '../../src/ports/store/jobs.js';
import { STORE_ADAPTERS } from '../support/stores.js';
import { createJobsOn, harness, settle, T0, type Harness } from './harness.js';

describe('trigger schedules', () => {
  it('parses durations', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(() => parseDuration('soon')).toThrow(/not a duration/);
  });

  it('parses event specs, all verbs by default', () => {
    expect([...parseEventSpec('io.x:CREATED,DELETED').verbs]).toEqual(['CREATED', 'DELETED']);
    expect(parseEventSpec('io.x').verbs.size).toBe(3);
    expect(() => parseEventSpec('io.x:EATEN')).toThrow(/unknown event verb/);
  });

  it('skips the runs of an @every trigger missed while the stack was down', async () => {
    const every = { type: '@every', arguments: '1m' } as TriggerRecord;
    expect(await nextRunAfter(every, T0, T0)).toBe(T0 + 60_000);
    expect(await nextRunAfter(every, T0, T0 + 150_000)).toBe(T0 + 180_000);
  });

  it('computes @cron next runs in UTC', async () => {
    const cron = { type: '@cron', arguments: '30 4 * * *' } as TriggerRecord;
    expect(new Date((await nextRunAfter(cron, T0, T0))!).toISOString()).toBe('2026-01-01T04:30:00.000Z');
  });
});

describe.each(STORE_ADAPTERS)('triggers on $name', (adapter) => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness(adapter);
  });
  afterEach(async () => {
    await h.dispose();
  });
  const jobsOf = async (triggerId: string) =>
    (await h.storage.jobs.list({ limit: 100 })).filter((j) => j.triggerId === triggerId);
  const after = async (ms: number) => {
    h.clock.now += ms;
    await settle(h.jobs, h.instance);
  };

  it('@in fires once after its delay', async () => {
    const t = await h.jobs.service.createTrigger(h.scope, {
      type: '@in',
      arguments: '10m',
      worker: 'record',
    });
    expect(t.nextRun).toBe(T0 + 600_000);
    await after(599_999);
    expect(h.seen).toEqual([]);
    await after(1);
    await after(3_600_000);
    expect(h.seen.length).toBe(1);
    expect((await h.storage.jobs.getTrigger(t.id))!.nextRun).toBeNull();
  });

  it('@at fires at its date', async () => {
    const t = await h.jobs.service.createTrigger(h.scope, {
      type: '@at',
      arguments: '2026-01-02T00:00:00Z',
      worker: 'record',
      payload: { hello: 1 },
    });
    expect(t.nextRun).toBe(T0 + 86_400_000);
    await after(86_400_000);
    expect(h.seen).toEqual([{ payload: { hello: 1 }, attempt: 1 }]);
  });

  it('@every fires each period', async () => {
    const t = await h.jobs.service.createTrigger(h.scope, {
      type: '@every',
      arguments: '1h',
      worker: 'record',
    });
    for (let i = 0; i < 3; i++) await after(3_600_000);
    expect((await jobsOf(t.id)).length).toBe(3);
    expect((await h.storage.jobs.getTrigger(t.id))!.nextRun).toBe(T0 + 4 * 3_600_000);
  });

  it('@cron fires at the next matching minute', async () => {
    const t = await h.jobs.service.createTrigger(h.scope, {
      type: '@cron',
      arguments: '0 6 * * *',
      worker: 'record',
    });
    expect(t.nextRun).toBe(T0 + 6 * 3_600_000);
    await after(6 * 3_600_000);
    expect((await jobsOf(t.id)).length).toBe(1);
    expect((await h.storage.jobs.getTrigger(t.id))!.nextRun).toBe(T0 + 30 * 3_600_000);
  });

  it('refuses bad arguments, unknown types and unknown workers', async () => {
    const make = (type: string, args: string, worker = 'record') =>
      h.jobs.service.createTrigger(h.scope, { type, arguments: args, worker });
    await expect(make('@at', 'tomorrow')).rejects.toThrow(/ISO 8601/);
    await expect(make('@every', '10ms')).rejects.toThrow(/at least/);
    await expect(make('@cron', 'nope')).rejects.toThrow(/cron/);
    await expect(make('@sometimes', '')).rejects.toThrow(/type must be/);
    await expect(make('@in', '1m', 'ghost')).rejects.toThrow(/no worker/);
    expect(await h.storage.jobs.listTriggers()).toEqual([]);
  });

  it('@event fires once per matching change and not for other doctypes or verbs', async () => {
    const docs = h.storage.documents;
    await write(h, 'io.x', 'before');
    const t = await h.jobs.service.createTrigger(h.scope, {
      type: '@event',
      arguments: 'io.x:CREATED,DELETED',
      worker: 'record',
      payload: { from: 'trigger' },
    });
    const rev = await write(h, 'io.x', 'a');
    await write(h, 'io.y', 'b');
    await h.jobs.events.round(h.instance);
    await h.jobs.events.round(h.instance);
    await write(h, 'io.x', 'a', rev); // an update: not asked for
    await h.jobs.events.round(h.instance);
    await settle(h.jobs, h.instance);
    expect(h.seen).toEqual([
      {
        payload: { from: 'trigger', event: { doctype: 'io.x', id: 'a', rev, verb: 'CREATED' } },
        attempt: 1,
      },
    ]);
    // The cursor moved with the queued job; changes that queued nothing need not move it (CURSOR_SLACK).
    const cursor = (await h.storage.jobs.getTrigger(t.id))!.cursor!;
    expect(cursor).toBeGreaterThanOrEqual(
      (await docs.changes({ doctype: 'io.x', since: 0 })).results[0]!.seq,
    );
    expect(cursor).toBeLessThanOrEqual(await docs.updateSeq());
  });

  it('@event reads again after a restart only changes that queued nothing, and queues nothing twice', async () => {
    const t = await h.jobs.service.createTrigger(h.scope, {
      type: '@event',
      arguments: 'io.x:CREATED',
      worker: 'record',
    });
    await write(h, 'io.x', 'first');
    for (let i = 0; i < 30; i++) await write(h, 'io.y', `other-${i}`);
    await h.jobs.events.round(h.instance);
    await settle(h.jobs, h.instance);
    const stored = (await h.storage.jobs.getTrigger(t.id))!.cursor!;
    expect(stored).toBeLessThan(await h.storage.documents.updateSeq());
    // A restarted process starts from the stored cursor: the other doctype's changes queue nothing.
    await h.jobs.stop();
    const again = createJobsOn(h.fx.store, h.clock, h.notifier);
    again.workers.register(h.jobs.workers.get('record')!);
    await again.events.round(h.instance);
    await write(h, 'io.x', 'second');
    await again.events.round(h.instance);
    await settle(again, h.instance);
    await again.stop();
    const created = h.seen.map((s) => (s.payload as { event: { id: string } }).event.id);
    expect(created).toEqual(['first', 'second']);
    expect((await h.storage.jobs.getTrigger(t.id))!.cursor).toBe(await h.storage.documents.updateSeq());
  });

  it('@event with a selector fires only for documents that match it, and for every deletion', async () => {
    await h.jobs.service.createTrigger(h.scope, {
      type: '@event',
      arguments: 'io.x:CREATED,UPDATED,DELETED:{"kind":{"$in":["photo","scan"]}}',
      worker: 'record',
    });
    const photo = await write(h, 'io.x', 'photo', undefined, { kind: 'photo' });
    const text = await write(h, 'io.x', 'text', undefined, { kind: 'text' });
    await h.jobs.events.round(h.instance);
    const scanned = await write(h, 'io.x', 'text', text, { kind: 'scan' });
    await write(h, 'io.x', 'photo', photo, 'deleted');
    await h.jobs.events.round(h.instance);
    await settle(h.jobs, h.instance);
    const events = h.seen.map(
      (s) => (s.payload as { event: { id: string; verb: string; rev: string } }).event,
    );
    // Jobs queued at the same instant run in no promised order.
    expect(events.map((e) => `${e.id} ${e.verb}`).sort()).toEqual([
      'photo CREATED',
      'photo DELETED',
      'text UPDATED',
    ]);
    expect(events.find((e) => e.id === 'text')?.rev).toBe(scanned);
    await expect(
      h.jobs.service.createTrigger(h.scope, {
        type: '@event',
        arguments: 'io.x:CREATED:{"kind"',
        worker: 'record',
      }),
    ).rejects.toThrow(/must be JSON/);
    await expect(
      h.jobs.service.createTrigger(h.scope, {
        type: '@event',
        arguments: 'io.x::{"a":{"$nope":1}}',
        worker: 'record',
      }),
    ).rejects.toThrow(/nope/);
  });

  it('@event wakes up on a write without a round being asked', async () => {
    await h.jobs.service.createTrigger(h.scope, { type: '@event', arguments: 'io.x', worker: 'record' });
    await write(h, 'io.x', 'a');
    for (let i = 0; i < 50 && h.seen.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(h.seen.length).toBe(1);
  });

  it('@webhook queues its job for the right secret only', async () => {
    const t = await h.jobs.service.createTrigger(h.scope, {
      type: '@webhook',
      worker: 'record',
      payload: { k: 1 },
    });
    expect(t.secret!.length).toBeGreaterThanOrEqual(22);
    await expect(h.jobs.service.webhook(h.scope, 'x'.repeat(43), {})).rejects.toThrow(/no such webhook/);
    await h.jobs.service.webhook(h.scope, t.secret!, { ping: true });
    await settle(h.jobs, h.instance);
    expect(h.seen).toEqual([{ payload: { k: 1, webhook: { ping: true } }, attempt: 1 }]);
  });
});

/** Writes a document straight to the store and notifies, as the data service does; returns its rev. */
async function write(
  h: Harness,
  doctype: string,
  id: string,
  rev?: string,
  body: Record<string, unknown> | 'deleted' = { n: 1 },
): Promise<string> {
  const docs = h.storage.documents;
  const deleted = body === 'deleted';
  const edit = { id, deleted, body: deleted ? {} : body, parentRev: rev ?? null };
  const result = await docs.writeDocs(doctype, [edit], { newEdits: true });
  h.notifier.notify(h.instance.id, result.updateSeq);
  const first = result.results[0];
  if (!first?.ok) throw new Error('write failed');
  return first.rev;
}
