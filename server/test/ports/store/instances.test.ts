import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BadRequest, Conflict, NotFound } from '../../../src/errors.js';
import { STORE_ADAPTERS, type StoreFixture } from '../../support/stores.js';

describe.each(STORE_ADAPTERS)('instance registry on $name', (adapter) => {
  let fx: StoreFixture;
  beforeEach(async () => {
    fx = await adapter.create();
  });
  afterEach(async () => {
    await fx.dispose();
  });

  it('creates, finds and lists instances by domain', async () => {
    const alice = await fx.store.instances.create('Alice.Localhost');
    expect(alice.domain).toBe('alice.localhost');
    await fx.store.instances.create('bob.localhost');
    expect(await fx.store.instances.get('alice.localhost')).toEqual(alice);
    expect((await fx.store.instances.list()).map((i) => i.domain)).toEqual([
      'alice.localhost',
      'bob.localhost',
    ]);
  });

  it('refuses a second instance with the same domain', async () => {
    await fx.store.instances.create('alice.localhost');
    await expect(fx.store.instances.create('alice.localhost')).rejects.toBeInstanceOf(Conflict);
  });

  it('refuses domains that could escape a directory or a schema', async () => {
    for (const bad of ['../etc', 'a/b', '', 'a..b', '-a.com', 'a b', 'x'.repeat(300)]) {
      await expect(fx.store.instances.create(bad)).rejects.toBeInstanceOf(BadRequest);
    }
  });

  it('destroys an instance with its data, and the domain can be reused empty', async () => {
    const first = await fx.store.instances.create('alice.localhost');
    const storage = await fx.store.open(first);
    await storage.records.put('settings', 'owner', { name: 'alice' });
    expect(await fx.store.instances.destroy('alice.localhost')).toBe(true);
    expect(await fx.store.instances.get('alice.localhost')).toBeNull();
    await expect(fx.store.open(first)).rejects.toBeInstanceOf(NotFound);
    expect(await fx.store.instances.destroy('alice.localhost')).toBe(false);

    const again = await fx.store.instances.create('alice.localhost');
    const fresh = await fx.store.open(again);
    expect(await fresh.records.get('settings', 'owner', Date.now())).toBeNull();
  });

  it('answers a ping', async () => {
    await expect(fx.store.ping()).resolves.toBeUndefined();
  });
});
