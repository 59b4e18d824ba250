import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentService } from '../../src/data/documents.js';
import type { DataScope } from '../../src/data/format.js';
import { ChangeNotifier } from '../../src/data/notifier.js';
import { dataFixture, type DataFixture } from '../support/data.js';
import { STORE_ADAPTERS } from '../support/stores.js';

const NOTES = 'io.nuage.notes';
const TODOS = 'io.nuage.todos';

describe('change notifier', () => {
  it('wakes a waiter when the instance passes its seq, and not for another instance', async () => {
    const notifier = new ChangeNotifier();
    const waiting = notifier.waitForChange('i1', 3, 5000);
    notifier.notify('i2', 10);
    notifier.notify('i1', 3);
    expect(notifier.waiting('i1')).toBe(1);
    notifier.notify('i1', 4);
    expect(await waiting).toBe(true);
    expect(notifier.waiting('i1')).toBe(0);
  });

  it('answers at once when a later seq was already notified', async () => {
    const notifier = new ChangeNotifier();
    notifier.notify('i1', 7);
    expect(await notifier.waitForChange('i1', 6, 5000)).toBe(true);
  });

  it('gives up after the timeout, or when the signal aborts', async () => {
    const notifier = new ChangeNotifier();
    expect(await notifier.waitForChange('i1', 0, 10)).toBe(false);
    const controller = new AbortController();
    const waiting = notifier.waitForChange('i1', 0, 5000, controller.signal);
    controller.abort();
    expect(await waiting).toBe(false);
    expect(notifier.waiting('i1')).toBe(0);
  });
});

describe.each(STORE_ADAPTERS)('changes feed of the service on $name', (adapter) => {
  let f: DataFixture;
  let service: DocumentService;
  let scope: DataScope;
  beforeEach(async () => {
    f = await dataFixture(adapter);
    ({ service, scope } = f);
  });
  afterEach(async () => {
    await f.dispose();
  });

  it('lists changes in CouchDB form, with the winner and, for all_docs, every leaf', async () => {
    const a = await service.put(scope, NOTES, 'a', { n: 1 });
    const gone = await service.delete(scope, NOTES, 'a', a.rev);
    await service.bulkDocs(
      scope,
      NOTES,
      [
        { _id: 'c', _rev: '1-x' },
        { _id: 'c', _rev: '1-y' },
      ],
      { newEdits: false },
    );
    expect(await service.changes(scope, { doctype: NOTES, includeDocs: true, conflicts: true })).toEqual({
      results: [
        {
          seq: 2,
          id: 'a',
          changes: [{ rev: gone.rev }],
          deleted: true,
          doc: { _id: 'a', _rev: gone.rev, _deleted: true },
        },
        { seq: 3, id: 'c', changes: [{ rev: '1-y' }], doc: { _id: 'c', _rev: '1-y', _conflicts: ['1-x'] } },
      ],
      last_seq: 3,
    });
    const all = await service.changes(scope, { doctype: NOTES, since: 2, style: 'all_docs' });
    expect(all.results).toEqual([{ seq: 3, id: 'c', changes: [{ rev: '1-y' }, { rev: '1-x' }] }]);
  });

  it('gives the instance feed across doctypes, each row with its doctype', async () => {
    await service.put(scope, NOTES, 'n', {});
    await service.put(scope, TODOS, 't', {});
    const { results } = await service.changes(scope, { since: 0 });
    expect(results.map((r) => [r.seq, r.doctype, r.id])).toEqual([
      [1, NOTES, 'n'],
      [2, TODOS, 't'],
    ]);
  });

  it('answers since=now with nothing but the current seq', async () => {
    await service.put(scope, NOTES, 'n', {});
    expect(await service.changes(scope, { doctype: NOTES, since: 'now' })).toEqual({
      results: [],
      last_seq: 1,
    });
  });

  it('holds a longpoll request until the next write of its doctype', async () => {
    await service.put(scope, NOTES, 'first', {});
    const polling = service.changes(scope, { doctype: NOTES, since: 1, feed: 'longpoll', timeoutMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await service.put(scope, TODOS, 'elsewhere', {});
    await new Promise((resolve) => setTimeout(resolve, 20));
    await service.put(scope, NOTES, 'second', {});
    const page = await polling;
    expect(page.results.map((r) => r.id)).toEqual(['second']);
    expect(page.last_seq).toBe(3);
  });

  it('answers a longpoll request at once when changes are already there', async () => {
    await service.put(scope, NOTES, 'a', {});
    const page = await service.changes(scope, { doctype: NOTES, feed: 'longpoll', timeoutMs: 60_000 });
    expect(page.results.map((r) => r.id)).toEqual(['a']);
  });

  it('ends a longpoll request empty at its timeout, or when the client goes away', async () => {
    expect(await service.changes(scope, { doctype: NOTES, feed: 'longpoll', timeoutMs: 20 })).toEqual({
      results: [],
      last_seq: 0,
    });
    const controller = new AbortController();
    const polling = service.changes(scope, {
      doctype: NOTES,
      feed: 'longpoll',
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    controller.abort();
    expect((await polling).results).toEqual([]);
  });
});
