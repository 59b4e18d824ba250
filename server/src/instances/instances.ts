import type { AccountContext } from '../auth/context.js';
import { createOwner } from '../auth/owner.js';
import { NotFound } from '../errors.js';
import type { InstanceRecord, InstanceStore, Store } from '../ports/store/store.js';

/** How long a host → instance answer is trusted before asking the store again (another process may destroy it). */
const CACHE_MS = 5000;

/**
 * Instances and their lookup by host. Positive answers are cached briefly because every request asks;
 * unknown hosts are not cached, so an instance created by `nuage instance create` answers at once.
 */
export class Instances {
  private readonly cache = new Map<string, { record: InstanceRecord; at: number }>();

  constructor(
    readonly store: Store,
    readonly now: () => number,
    /** What else holds an instance's bytes (its blobs): emptied after the store forgets it. */
    private readonly onDestroy: readonly ((instance: InstanceRecord) => Promise<void>)[] = [],
  ) {}

  /** The instance a Host header names (port ignored, case-insensitive), or null. */
  async byHost(host: string): Promise<InstanceRecord | null> {
    const domain = hostname(host);
    if (!domain) return null;
    const hit = this.cache.get(domain);
    if (hit && this.now() - hit.at < CACHE_MS) return hit.record;
    const record = await this.store.instances.get(domain);
    if (record) this.cache.set(domain, { record, at: this.now() });
    else this.cache.delete(domain);
    return record;
  }

  async get(domain: string): Promise<InstanceRecord> {
    const record = await this.store.instances.get(domain.toLowerCase());
    if (!record) throw new NotFound(`no instance ${domain}`);
    return record;
  }

  /** Creates an instance; with an owner it is ready to log in, without one it shows onboarding. */
  async create(domain: string, owner?: { name: string; password: string }): Promise<InstanceRecord> {
    const record = await this.store.instances.create(domain);
    if (owner) {
      try {
        await createOwner(await this.accounts(record), owner.name, owner.password);
      } catch (error) {
        // No half-made instance: an invalid owner leaves nothing behind.
        await this.store.instances.destroy(record.domain);
        throw error;
      }
    }
    return record;
  }

  async destroy(domain: string): Promise<void> {
    const record = await this.store.instances.get(domain.toLowerCase());
    if (!record || !(await this.store.instances.destroy(domain))) throw new NotFound(`no instance ${domain}`);
    this.cache.delete(domain.toLowerCase());
    for (const hook of this.onDestroy) await hook(record);
  }

  list(): Promise<InstanceRecord[]> {
    return this.store.instances.list();
  }

  storage(instance: InstanceRecord): Promise<InstanceStore> {
    return this.store.open(instance);
  }

  async accounts(instance: InstanceRecord): Promise<AccountContext> {
    const storage = await this.store.open(instance);
    return { records: storage.records, now: this.now };
  }
}

/** Lowercase host name without port; handles `[::1]:8080`. Empty for a missing header. */
export function hostname(host: string | undefined): string {
  if (!host) return '';
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  return h.replace(/:\d*$/, '').replace(/\.$/, '');
}
