import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InstanceStore } from '../../../src/ports/store/store.js';
import { STORE_ADAPTERS, type StoreFixture } from '../../support/stores.js';

describe.each(STORE_ADAPTERS)('record table on $name', (adapter) => {
  let fx: StoreFixture;
  let alice: InstanceStore;
  let bob: InstanceStore;
  beforeEach(async () => {
    fx = await adapter.create();
    alice = await fx.store.open(await fx.store.instances.create('alice.localhost'));
    bob = await fx.store.open(await fx.store.instances.create('bob.localhost'));
  });
  afterEach(async () => {
    await fx.dispose();
  });

  it('stores, replaces and deletes JSON values by kind and id', async () => {
    await alice.records.put('session', 's1', { n: 1, tags: ['a'] });
    await alice.records.put('session', 's1', { n: 2 });
    expect(await alice.records.get('session', 's1', 0)).toEqual({ n: 2 });
    expect(await alice.records.delete('session', 's1')).toBe(true);
    expect(await alice.records.delete('session', 's1')).toBe(false);
    expect(await alice.records.get('session', 's1', 0)).toBeNull();
  });

  it('keeps instances apart', async () => {
    await alice.records.put('settings', 'owner', 'alice');
    expect(await bob.records.get('settings', 'owner', 0)).toBeNull();
    expect(await bob.records.list('settings', 0)).toEqual([]);
  });

  it('hides expired records and purges them', async () => {
    await alice.records.put('token', 'old', 1, 1000);
    await alice.records.put('token', 'new', 2, 5000);
    await alice.records.put('token', 'forever', 3, null);
    expect(await alice.records.get('token', 'old', 2000)).toBeNull();
    expect((await alice.records.list('token', 2000)).map((r) => r.id)).toEqual(['forever', 'new']);
    expect(await alice.records.purgeExpired(2000)).toBe(1);
    expect((await alice.records.list('token', 0)).map((r) => [r.id, r.expiresAt])).toEqual([
      ['forever', null],
      ['new', 5000],
    ]);
  });
});
