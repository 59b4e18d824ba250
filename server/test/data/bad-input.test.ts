import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentService } from '../../src/data/documents.js';
import type { DataScope } from '../../src/data/format.js';
import { BadRequest } from '../../src/errors.js';
import { dataFixture, type DataFixture } from '../support/data.js';
import { STORE_ADAPTERS } from '../support/stores.js';

const T = 'io.nuage.notes';

/** Documents that must each be refused with a 400, and the reason a reader of the test sees. */
const BAD_DOCS: [string, unknown][] = [
  ['a body that is an array', [{ a: 1 }]],
  ['a body that is a string', 'hello'],
  ['a body that is null', null],
  ['an id starting with _ that is not _design/ or _local/', { _id: '_users' }],
  ['an empty _design/ id', { _id: '_design/' }],
  ['an empty id', { _id: '' }],
  ['a non-string id', { _id: 42 }],
  ['an id with a NUL character', { _id: 'a\u0000b' }],
  ['an id with a lone surrogate', { _id: 'a\ud800b' }],
  ['an id longer than 1024 characters', { _id: 'x'.repeat(1025) }],
  ['an unknown _ member', { _id: 'a', _secret: 1 }],
  ['a _rev without a hash', { _id: 'a', _rev: '1-' }],
  ['a _rev at position 0', { _id: 'a', _rev: '0-abc' }],
  ['a _rev that is not N-hash', { _id: 'a', _rev: 'abc' }],
  ['a non-string _rev', { _id: 'a', _rev: 1 }],
  ['a _local/ _rev that is not 0-N', { _id: '_local/a', _rev: '1-abc' }],
  ['_revisions without ids', { _id: 'a', _revisions: { start: 1, ids: [] } }],
  ['_revisions with more ids than start', { _id: 'a', _revisions: { start: 1, ids: ['a', 'b'] } }],
  ['_rev and _revisions disagreeing', { _id: 'a', _rev: '2-x', _revisions: { start: 2, ids: ['y', 'a'] } }],
  ['a non-boolean _deleted', { _id: 'a', _deleted: 'yes' }],
  ['_attachments that is not an object', { _id: 'a', _attachments: [] }],
];

describe.each(STORE_ADAPTERS)('bad input on $name', (adapter) => {
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

  const nothingWritten = async () => {
    expect(await scope.storage.documents.updateSeq()).toBe(0);
    expect(await scope.storage.documents.listDoctypes()).toEqual([]);
    expect(await scope.storage.documents.getLocal(T, '_local/a')).toBeNull();
  };

  it.each(BAD_DOCS)('refuses %s in a bulk batch, writing none of the batch', async (_why, bad) => {
    await expect(
      service.bulkDocs(scope, T, [{ _id: 'good' }, bad, { _id: '_local/a' }]),
    ).rejects.toBeInstanceOf(BadRequest);
    await nothingWritten();
  });

  it.each(BAD_DOCS)('refuses %s in a single create', async (_why, bad) => {
    await expect(service.create(scope, T, bad)).rejects.toBeInstanceOf(BadRequest);
    await nothingWritten();
  });

  it('refuses a path id that is reserved, or that differs from the body _id', async () => {
    await expect(service.put(scope, T, '_all_docs', {})).rejects.toBeInstanceOf(BadRequest);
    await expect(service.put(scope, T, 'a', { _id: 'b' })).rejects.toBeInstanceOf(BadRequest);
    await expect(service.get(scope, T, '_changes')).rejects.toBeInstanceOf(BadRequest);
    await nothingWritten();
  });

  it('refuses a malformed revision outside the body', async () => {
    await expect(service.put(scope, T, 'a', {}, { rev: 'x' })).rejects.toBeInstanceOf(BadRequest);
    await expect(service.delete(scope, T, 'a', 'x')).rejects.toBeInstanceOf(BadRequest);
    await expect(service.openRevs(scope, T, 'a', ['x'])).rejects.toBeInstanceOf(BadRequest);
    await nothingWritten();
  });

  it('refuses an invalid doctype', async () => {
    for (const doctype of ['', 'Upper', '../x', 'a..b', '_design']) {
      await expect(service.put(scope, doctype, 'a', {})).rejects.toBeInstanceOf(BadRequest);
    }
    await nothingWritten();
  });

  it('refuses a _bulk_docs body that is not a list, and new_edits=false documents without _id or _rev', async () => {
    await expect(service.bulkDocs(scope, T, { docs: [] })).rejects.toBeInstanceOf(BadRequest);
    await expect(service.bulkDocs(scope, T, [{ _id: 'a' }], { newEdits: false })).rejects.toBeInstanceOf(
      BadRequest,
    );
    await expect(service.bulkDocs(scope, T, [{ _rev: '1-a' }], { newEdits: false })).rejects.toBeInstanceOf(
      BadRequest,
    );
    await nothingWritten();
  });

  it('refuses malformed _revs_diff and _bulk_get bodies', async () => {
    await expect(service.revsDiff(scope, T, [])).rejects.toBeInstanceOf(BadRequest);
    await expect(service.revsDiff(scope, T, { a: '1-x' })).rejects.toBeInstanceOf(BadRequest);
    await expect(service.revsDiff(scope, T, { a: ['nope'] })).rejects.toBeInstanceOf(BadRequest);
    await expect(service.bulkGet(scope, T, { docs: {} })).rejects.toBeInstanceOf(BadRequest);
    await expect(service.bulkGet(scope, T, { docs: ['a'] })).rejects.toBeInstanceOf(BadRequest);
  });

  it('refuses a negative limit or skip on _all_docs, with or without keys', async () => {
    await expect(service.allDocs(scope, T, { limit: -1 })).rejects.toBeInstanceOf(BadRequest);
    await expect(service.allDocs(scope, T, { keys: ['a'], skip: -1 })).rejects.toBeInstanceOf(BadRequest);
    await expect(service.allDocs(scope, T, { keys: ['a'], limit: 1.5 })).rejects.toBeInstanceOf(BadRequest);
  });

  it('refuses a negative since or limit on changes', async () => {
    await expect(service.changes(scope, { since: -1 })).rejects.toBeInstanceOf(BadRequest);
    await expect(service.changes(scope, { doctype: T, limit: -2 })).rejects.toBeInstanceOf(BadRequest);
  });

  it('refuses a top-level __proto__ member and keeps a nested one as plain data', async () => {
    await expect(service.put(scope, T, 'p', JSON.parse('{"__proto__": {"x": 1}}'))).rejects.toBeInstanceOf(
      BadRequest,
    );
    await service.put(scope, T, 'p', JSON.parse('{"inner": {"__proto__": {"polluted": true}}}'));
    const doc = await service.get(scope, T, 'p');
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
    expect(JSON.stringify(doc)).toContain('"inner":{"__proto__":{"polluted":true}}');
  });
});
