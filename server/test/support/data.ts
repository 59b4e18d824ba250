import { DocumentService, type DocumentServiceOptions } from '../../src/data/documents.js';
import type { DataScope } from '../../src/data/format.js';
import type { StoreAdapter, StoreFixture } from './stores.js';

export interface DataFixture {
  fx: StoreFixture;
  scope: DataScope;
  service: DocumentService;
  dispose(): Promise<void>;
}

/** A store with one instance and a documents service over it, as an edge would hold them. */
export async function dataFixture(
  adapter: StoreAdapter,
  options: DocumentServiceOptions = {},
): Promise<DataFixture> {
  const fx = await adapter.create();
  const instance = await fx.store.instances.create('alice.localhost');
  const storage = await fx.store.open(instance);
  return {
    fx,
    scope: { instance, storage },
    service: new DocumentService(options),
    dispose: () => fx.dispose(),
  };
}
