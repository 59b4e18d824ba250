import { describe, expect, it } from 'vitest';
import type { Bus } from '../../src/ports/bus/bus.js';
import { MemoryBus } from '../../src/ports/bus/memory-bus.js';
import type { DocumentStore, WriteResult } from '../../src/ports/store/documents.js';
import { DocumentEvents, type WriteEvents } from '../../src/realtime/events.js';
import { eventsOfBatch } from '../../src/realtime/write-events.js';

/** A bus that carries text only, as one between processes does: the memory bus without `values`. */
function textOnly(bus: MemoryBus): Bus {
  return {
    publish: (channel, message) => bus.publish(channel, message),
    subscribe: (channel, handler) => bus.subscribe(channel, handler),
    close: () => bus.close(),
  };
}

const noStore = {} as DocumentStore;

async function batchOf(): Promise<WriteEvents> {
  const edits = [
    { id: 'a', deleted: false, body: { title: 'new', tags: ['x'] }, parentRev: null },
    { id: 'b', deleted: false, body: { title: 'changed' }, parentRev: '1-b' },
    { id: 'c', deleted: true, body: {}, parentRev: '1-c' },
    { id: 'd', deleted: false, body: { title: 'refused' }, parentRev: null },
  ];
  const results: WriteResult[] = [
    { id: 'a', ok: true, rev: '1-a' },
    { id: 'b', ok: true, rev: '2-b' },
    { id: 'c', ok: true, rev: '2-c' },
    { id: 'd', ok: false, error: Object.assign(new Error('conflict'), { code: 'conflict', status: 409 }) },
  ] as WriteResult[];
  return { instanceId: 'i1', seq: 7, events: await eventsOfBatch(noStore, 'io.t', edits, results, true) };
}

/** What a listener across processes reads: the batch as JSON read back. */
const plain = (batch: WriteEvents): unknown => JSON.parse(JSON.stringify(batch));

describe('write events', () => {
  it('tells creations, updates and deletions apart, with the document as it now stands', async () => {
    expect(plain(await batchOf())).toEqual({
      instanceId: 'i1',
      seq: 7,
      events: [
        {
          kind: 'CREATED',
          doctype: 'io.t',
          id: 'a',
          rev: '1-a',
          doc: { title: 'new', tags: ['x'], _id: 'a', _rev: '1-a' },
        },
        {
          kind: 'UPDATED',
          doctype: 'io.t',
          id: 'b',
          rev: '2-b',
          doc: { title: 'changed', _id: 'b', _rev: '2-b' },
        },
        {
          kind: 'DELETED',
          doctype: 'io.t',
          id: 'c',
          rev: '2-c',
          doc: { _id: 'c', _rev: '2-c', _deleted: true },
        },
      ],
    });
  });

  it('gives an event the same document each time it is asked', async () => {
    const [event] = (await batchOf()).events;
    expect(event?.doc).toBe(event?.doc);
  });

  it('hands listeners on an in-process bus the batch itself, not a copy', async () => {
    const bus = new MemoryBus();
    const events = new DocumentEvents(bus, (e) => {
      throw e;
    });
    const heard: WriteEvents[] = [];
    await events.subscribe((b) => heard.push(b));
    const batch = await batchOf();
    events.published(batch);
    expect(heard).toHaveLength(1);
    expect(heard[0]).toBe(batch);
    await bus.close();
  });

  it('writes batches as JSON on a bus between processes, and reads them back', async () => {
    const errors: unknown[] = [];
    const memory = new MemoryBus();
    const bus = textOnly(memory);
    const events = new DocumentEvents(bus, (e) => errors.push(e));
    const heard: WriteEvents[] = [];
    await events.subscribe((b) => heard.push(b));
    const batch = await batchOf();
    events.published(batch);
    expect(heard).toEqual([plain(batch)]);
    await bus.publish('nuage:documents', 'not json');
    expect(errors).toHaveLength(1);
    await bus.close();
  });
});
