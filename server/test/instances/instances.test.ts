import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFound } from '../../src/errors.js';
import { hostname, Instances } from '../../src/instances/instances.js';
import { DiskBlobStore } from '../../src/ports/blob/disk-blob-store.js';
import { SqliteStore } from '../../src/ports/store/sqlite/sqlite-store.js';
import { tempDir } from '../support/stores.js';

describe('instances', () => {
  let dir: string;
  let store: SqliteStore;
  let blobs: DiskBlobStore;
  let instances: Instances;
  beforeEach(() => {
    dir = tempDir();
    store = new SqliteStore(dir);
    blobs = new DiskBlobStore(join(dir, 'blobs'));
    instances = new Instances(store, Date.now, [(i) => blobs.removeScope(i.id)]);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('destroys an instance with its files, and leaves the others alone', async () => {
    const alice = await instances.create('alice.localhost');
    const bob = await instances.create('bob.localhost');
    await blobs.write(alice.id, Readable.from([Buffer.from('alice data')]));
    await blobs.write(bob.id, Readable.from([Buffer.from('bob data')]));
    await instances.destroy('alice.localhost');
    expect(await blobs.list(alice.id)).toEqual([]);
    expect(existsSync(join(dir, 'blobs', alice.id))).toBe(false);
    expect(await blobs.list(bob.id)).toHaveLength(1);
    await expect(instances.destroy('alice.localhost')).rejects.toBeInstanceOf(NotFound);
  });

  it('finds an instance by Host whatever its port and case', async () => {
    const alice = await instances.create('alice.localhost');
    expect(await instances.byHost('ALICE.localhost:8080')).toEqual(alice);
    expect(await instances.byHost('carol.localhost')).toBeNull();
    expect(hostname('[::1]:8080')).toBe('[::1]');
    expect(hostname(undefined)).toBe('');
  });
});
