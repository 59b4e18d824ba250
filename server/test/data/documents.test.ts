import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentService } from '../../src/data/documents.js';
import type { DataScope } from '../../src/data/format.js';
import { BadRequest, Conflict, Forbidden, NotFound } from '../../src/errors.js';
import { can } from '../../src/permissions/permissions.js';
import { dataFixture, type DataFixture } from '../support/data.js';
import { STORE_ADAPTERS } from '../support/stores.js';

const T = 'io.nuage.contacts';

describe.each(STORE_ADAPTERS)('documents service on $name', (adapter) => {
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

  describe('put, create, get, delete', () => {
    it('creates with PUT, reads back with _id and _rev first, and updates with _rev', async () => {
      const first = await service.put(scope, T, 'alice', { name: 'Alice' });
      expect(await service.get(scope, T, 'alice')).toEqual({ _id: 'alice', _rev: first.rev, name: 'Alice' });
      const second = await service.put(scope, T, 'alice', { _rev: first.rev, name: 'Alice B.' });
      expect(second.rev.startsWith('2-')).toBe(true);
      expect((await service.get(scope, T, 'alice'))['name']).toBe('Alice B.');
    });

    it('refuses a stale revision with a Conflict', async () => {
      const first = await service.put(scope, T, 'a', { n: 1 });
      await service.put(scope, T, 'a', { _rev: first.rev, n: 2 });
      await expect(service.put(scope, T, 'a', { _rev: first.rev, n: 3 })).rejects.toBeInstanceOf(Conflict);
      await expect(service.put(scope, T, 'a', { n: 3 })).rejects.toBeInstanceOf(Conflict);
    });

    it('takes the revision from If-Match or ?rev, and refuses one that disagrees with _rev', async () => {
      const first = await service.put(scope, T, 'a', { n: 1 });
      expect((await service.put(scope, T, 'a', { n: 2 }, { rev: first.rev })).rev.startsWith('2-')).toBe(
        true,
      );
      await expect(service.put(scope, T, 'a', { _rev: first.rev }, { rev: '2-abc' })).rejects.toBeInstanceOf(
        BadRequest,
      );
    });

    it('creates with a generated id of 32 hex digits, or the _id given', async () => {
      const made = await service.create(scope, T, { name: 'x' });
      expect(made.id).toMatch(/^[0-9a-f]{32}$/);
      expect((await service.create(scope, T, { _id: 'given' })).id).toBe('given');
    });

    it('deletes with the current revision; the document then reads as deleted, and can be created again', async () => {
      const first = await service.put(scope, T, 'a', { n: 1 });
      await expect(service.delete(scope, T, 'a', null)).rejects.toBeInstanceOf(Conflict);
      const gone = await service.delete(scope, T, 'a', first.rev);
      await expect(service.get(scope, T, 'a')).rejects.toThrow(new NotFound('deleted'));
      expect(await service.get(scope, T, 'a', { rev: gone.rev })).toEqual({
        _id: 'a',
        _rev: gone.rev,
        _deleted: true,
      });
      const again = await service.put(scope, T, 'a', { n: 2 });
      expect(again.rev.startsWith('3-')).toBe(true);
    });

    it('deletes with a PUT of _deleted: true', async () => {
      const first = await service.put(scope, T, 'a', { n: 1 });
      await service.put(scope, T, 'a', { _rev: first.rev, _deleted: true });
      await expect(service.get(scope, T, 'a')).rejects.toThrow('deleted');
    });

    it('answers NotFound missing for a document that never existed, in any doctype', async () => {
      await expect(service.get(scope, T, 'nope')).rejects.toThrow(new NotFound('missing'));
      await expect(service.get(scope, 'io.nuage.empty', 'nope')).rejects.toBeInstanceOf(NotFound);
    });
  });

  describe('get options', () => {
    it('adds _revisions and _revs_info, and reads an older leaf by rev', async () => {
      const r1 = await service.put(scope, T, 'a', { n: 1 });
      const r2 = await service.put(scope, T, 'a', { _rev: r1.rev, n: 2 });
      const doc = await service.get(scope, T, 'a', { revs: true, revsInfo: true, localSeq: true });
      expect(doc['_revisions']).toEqual({ start: 2, ids: [r2.rev.slice(2), r1.rev.slice(2)] });
      expect(doc['_revs_info']).toEqual([
        { rev: r2.rev, status: 'available' },
        { rev: r1.rev, status: 'missing' },
      ]);
      expect(doc['_local_seq']).toBe(2);
      await expect(service.get(scope, T, 'a', { rev: r1.rev })).rejects.toThrow('missing');
      await expect(service.get(scope, T, 'a', { rev: 'bad' })).rejects.toBeInstanceOf(BadRequest);
    });

    it('lists _conflicts and _deleted_conflicts, and open_revs gives every leaf', async () => {
      await service.bulkDocs(
        scope,
        T,
        [
          { _id: 'd', _rev: '2-b', _revisions: { start: 2, ids: ['b', 'a'] }, v: 'b' },
          { _id: 'd', _rev: '2-c', _revisions: { start: 2, ids: ['c', 'a'] }, v: 'c' },
          { _id: 'd', _rev: '2-0', _revisions: { start: 2, ids: ['0', 'a'] }, _deleted: true },
        ],
        { newEdits: false },
      );
      const doc = await service.get(scope, T, 'd', { conflicts: true, deletedConflicts: true });
      expect(doc).toEqual({
        _id: 'd',
        _rev: '2-c',
        v: 'c',
        _conflicts: ['2-b'],
        _deleted_conflicts: ['2-0'],
      });
      expect(await service.openRevs(scope, T, 'd', 'all')).toEqual([
        { ok: { _id: 'd', _rev: '2-c', v: 'c' } },
        { ok: { _id: 'd', _rev: '2-b', v: 'b' } },
        { ok: { _id: 'd', _rev: '2-0', _deleted: true } },
      ]);
      expect(await service.openRevs(scope, T, 'd', ['2-b', '1-a'], { revs: true })).toEqual([
        { ok: { _id: 'd', _rev: '2-b', v: 'b', _revisions: { start: 2, ids: ['b', 'a'] } } },
        { missing: '1-a' },
      ]);
      await expect(service.openRevs(scope, T, 'ghost', 'all')).rejects.toBeInstanceOf(NotFound);
    });
  });

  describe('bulk docs', () => {
    it('writes a batch with one conflicting document, reporting it and writing the others', async () => {
      const a = await service.put(scope, T, 'a', { n: 1 });
      await service.put(scope, T, 'a', { _rev: a.rev, n: 2 });
      const results = await service.bulkDocs(scope, T, [{ _id: 'b' }, { _id: 'a', _rev: a.rev }, {}]);
      expect(results[0]).toEqual({ ok: true, id: 'b', rev: expect.stringMatching(/^1-/) as string });
      expect(results[1]).toEqual({
        id: 'a',
        error: 'conflict',
        reason: 'Document update conflict.',
        status: 409,
      });
      expect(results[2]).toMatchObject({ ok: true, id: expect.stringMatching(/^[0-9a-f]{32}$/) as string });
    });

    it('lets a check refuse the documents a selector-scoped token may not write', async () => {
      const perms = {
        kind: 'rules' as const,
        rules: [{ type: T, verbs: 'ALL' as const, selector: 'team', values: ['red'] }],
      };
      await service.put(scope, T, 'blue', { team: 'blue' });
      const check = (current: Record<string, unknown> | null, next: Record<string, unknown>) => {
        if (!can(perms, 'PUT', T, next) || (current !== null && !can(perms, 'PUT', T, current))) {
          throw new Forbidden('not allowed');
        }
      };
      const blue = await service.get(scope, T, 'blue');
      const results = await service.bulkDocs(
        scope,
        T,
        [
          { _id: 'red', team: 'red' },
          { _id: 'steal', team: 'blue' },
          { ...blue, team: 'red' },
        ],
        { check },
      );
      expect(results.map((r) => ('ok' in r ? 'ok' : r.error))).toEqual(['ok', 'forbidden', 'forbidden']);
      await expect(service.put(scope, T, 'x', { team: 'blue' }, { check })).rejects.toBeInstanceOf(Forbidden);
    });

    it('writes _local documents apart, with 0-N revisions and no change', async () => {
      const results = await service.bulkDocs(scope, T, [{ _id: '_local/cp', last: 1 }, { _id: 'doc' }]);
      expect(results[0]).toEqual({ ok: true, id: '_local/cp', rev: '0-1' });
      expect(await service.get(scope, T, '_local/cp')).toEqual({ _id: '_local/cp', _rev: '0-1', last: 1 });
      expect((await service.put(scope, T, '_local/cp', { _rev: '0-1', last: 2 })).rev).toBe('0-2');
      await expect(service.put(scope, T, '_local/cp', { last: 3 })).rejects.toBeInstanceOf(Conflict);
      await expect(service.delete(scope, T, '_local/cp', null)).rejects.toBeInstanceOf(Conflict);
      expect(await service.delete(scope, T, '_local/cp', '0-2')).toEqual({ id: '_local/cp', rev: '0-0' });
      await expect(service.get(scope, T, '_local/cp')).rejects.toBeInstanceOf(NotFound);
      expect((await service.changes(scope, { doctype: T })).results.map((c) => c.id)).toEqual(['doc']);
    });
  });

  describe('doctypes', () => {
    it('answers zero counts for a doctype never written, and lists written ones', async () => {
      expect(await service.doctypeInfo(scope, 'io.nuage.empty')).toEqual({
        doctype: 'io.nuage.empty',
        docCount: 0,
        docDelCount: 0,
        updateSeq: 0,
      });
      await service.put(scope, T, 'a', {});
      expect((await service.listDoctypes(scope)).map((d) => [d.doctype, d.docCount])).toEqual([[T, 1]]);
    });
  });
});
