import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClient,
  NuageError,
  type Documents,
  type NuageClient,
  type RealtimeEvent,
  type RealtimeState,
} from '../src/index.js';
import { NOTES, startClientStack, until, type ClientStack } from './stack.js';

interface Note {
  title: string;
}

/**
 * The realtime protocol has no acknowledgement: a subscription is known to be active once an event
 * written after it arrives. Writes probe documents until one is heard.
 */
async function heard(notes: Documents<Note>, events: RealtimeEvent<Note>[]): Promise<void> {
  let n = 0;
  await until(async () => {
    if (events.some((e) => e.id.startsWith('probe-'))) return true;
    await notes.create({ _id: `probe-${Date.now()}-${n++}`, title: 'probe' });
    await new Promise((r) => setTimeout(r, 30));
    return events.some((e) => e.id.startsWith('probe-'));
  }, 'a probe event');
  events.length = 0;
}

describe('realtime through @nuage/client', () => {
  let s: ClientStack;
  let client: NuageClient;
  let notes: Documents<Note>;

  beforeAll(async () => {
    s = await startClientStack();
    client = await s.client([NOTES]);
    notes = client.documents<Note>('io.nuage.notes');
  });
  afterAll(async () => {
    client.realtime.close();
    await s.t.dispose();
  });

  it('delivers CREATED, UPDATED and DELETED events of a doctype, typed', async () => {
    const events: RealtimeEvent<Note>[] = [];
    const stop = client.realtime.subscribe<Note>('io.nuage.notes', (event) => events.push(event));
    await heard(notes, events);

    const created = await notes.create({ _id: 'n1', title: 'milk' });
    const updated = await notes.update({ ...created, title: 'oat milk' });
    await notes.remove(updated);
    await until(() => events.length === 3, 'three events');
    expect(events.map((e) => [e.kind, e.doctype, e.id])).toEqual([
      ['CREATED', 'io.nuage.notes', 'n1'],
      ['UPDATED', 'io.nuage.notes', 'n1'],
      ['DELETED', 'io.nuage.notes', 'n1'],
    ]);
    expect(events[1]!.doc).toEqual({ _id: 'n1', _rev: updated._rev, title: 'oat milk' });
    expect(events[2]!.doc).toMatchObject({ _id: 'n1', _deleted: true });
    stop();
  });

  it('delivers the events of one document to an id subscription only', async () => {
    const all: RealtimeEvent<Note>[] = [];
    const one: RealtimeEvent<Note>[] = [];
    const stopAll = client.realtime.subscribe<Note>('io.nuage.notes', (e) => all.push(e));
    const stopOne = client.realtime.subscribe<Note>('io.nuage.notes', 'watched', (e) => one.push(e));
    await heard(notes, all);
    // Dropping the doctype subscription must keep the id one (the server drops both unless asked again).
    stopAll();
    await notes.create({ _id: 'other', title: 'not watched' });
    await notes.create({ _id: 'watched', title: 'watched' });
    await until(() => one.length === 1, 'the watched document');
    expect(one[0]).toMatchObject({ kind: 'CREATED', id: 'watched' });
    stopOne();
  });

  it('reports a doctype the token may not read as a 403 error', async () => {
    const errors: NuageError[] = [];
    const stopErrors = client.realtime.onError((e) => errors.push(e));
    const stop = client.realtime.subscribe('io.nuage.contacts', () => undefined);
    await until(() => errors.length > 0, 'an error');
    expect(errors[0]).toBeInstanceOf(NuageError);
    expect(errors[0]).toMatchObject({ status: 403, code: 'forbidden' });
    stop();
    stopErrors();
  });

  it('reconnects, refreshes its token and resubscribes after the server closes the socket', async () => {
    const first = await s.token([NOTES], 60_000);
    let refreshes = 0;
    const live = createClient({
      instance: s.instance,
      token: first.token,
      refresh: async () => {
        refreshes += 1;
        return s.token([NOTES]);
      },
      WebSocket,
    });
    const states: RealtimeState[] = [];
    live.realtime.onState((state) => states.push(state));
    const events: RealtimeEvent<Note>[] = [];
    const stop = live.realtime.subscribe<Note>('io.nuage.notes', (e) => events.push(e));
    await heard(notes, events);

    // The token expires; the server notices on its next check and closes the socket (1008).
    s.t.advance(120_000);
    await s.t.stack.realtime.revalidate();
    await until(() => refreshes === 1 && states.filter((x) => x === 'open').length === 2, 'a reconnection');
    await heard(notes, events);
    await notes.create({ _id: 'after-reconnect', title: 'heard again' });
    await until(() => events.some((e) => e.id === 'after-reconnect'), 'the event after reconnecting');
    expect(states).toEqual(['connecting', 'open', 'connecting', 'open']);

    stop();
    expect(states.at(-1)).toBe('closed');
    const { id } = await s.t.stack.instances.get('localhost');
    // Only the shared client's socket is left once this one closed.
    await until(() => s.t.stack.realtime.connections(id) <= 1, 'the socket to close');
  });

  it('says so when there is no WebSocket to use (Node 20 without ws)', async () => {
    const bare = await s.client([NOTES], { WebSocket: undefined });
    const errors: NuageError[] = [];
    bare.realtime.onError((e) => errors.push(e));
    const states: RealtimeState[] = [];
    bare.realtime.onState((state) => states.push(state));
    bare.realtime.subscribe('io.nuage.notes', () => undefined);
    await until(() => errors.length === 1, 'the error');
    expect(errors[0]).toMatchObject({ code: 'no_websocket' });
    expect(states).toEqual(['connecting', 'closed']);
  });

  it('reconnects when the connection drops without any refusal', async () => {
    const events: RealtimeEvent<Note>[] = [];
    let sockets = 0;
    // Counts the sockets the client opens, and lets the test cut the current one.
    let current: WebSocket | null = null;
    class CountingWebSocket extends WebSocket {
      constructor(url: string) {
        super(url);
        sockets += 1;
        // eslint-disable-next-line @typescript-eslint/no-this-alias
        current = this;
      }
    }
    const dropping = await s.client([NOTES], { WebSocket: CountingWebSocket });
    const stop = dropping.realtime.subscribe<Note>('io.nuage.notes', (e) => events.push(e));
    await heard(notes, events);
    expect(sockets).toBe(1);
    (current as WebSocket | null)?.terminate();
    await until(() => sockets === 2, 'a second socket');
    await heard(notes, events);
    stop();
  });
});
