import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Conflict, NotFound } from '../../../errors.js';
import { normaliseDomain } from '../domain.js';
import type { InstanceRecord, InstanceRegistry, InstanceStore, Store } from '../store.js';
import { migrate, tune } from './migrate.js';
import { SqliteDocuments } from './documents.js';
import { SqliteRecords } from './records.js';
import { SqliteSearch } from './search.js';
import { SqliteJobs } from './jobs.js';
import { Checkpointer } from './checkpointer.js';
import { SearchRegistry } from '../../../data/search/registry.js';
import { INSTANCE_MIGRATIONS, REGISTRY_MIGRATIONS } from './schema.js';

interface InstanceRow {
  id: string;
  domain: string;
  created_at: string;
}

const toRecord = (row: InstanceRow): InstanceRecord => ({
  id: row.id,
  domain: row.domain,
  createdAt: row.created_at,
});

/** One open instance database and what is built on it. */
export class SqliteInstanceStore implements InstanceStore {
  readonly records: SqliteRecords;
  readonly documents: SqliteDocuments;
  readonly search: SqliteSearch;
  readonly jobs: SqliteJobs;

  constructor(
    readonly db: Database.Database,
    searchable: SearchRegistry,
    afterCommit?: () => void,
  ) {
    this.records = new SqliteRecords(db);
    this.documents = new SqliteDocuments(db, afterCommit);
    this.search = new SqliteSearch(db, searchable);
    this.documents.addParticipant(this.search);
    this.jobs = new SqliteJobs(db);
  }
}

/**
 * The embedded adapter. `<dataDir>/nuage.sqlite` lists the instances; each instance has its own file
 * `<dataDir>/instances/<domain>/store.sqlite` (why one file per instance: docs/architecture.md).
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  readonly instances: InstanceRegistry;
  private readonly registry: Database.Database;
  private readonly open_ = new Map<string, SqliteInstanceStore>();

  /** Which doctypes are searchable, shared by every instance this store opens. */
  readonly searchable: SearchRegistry;

  /** Checkpoints the instances' write-ahead logs off the main thread. */
  private readonly checkpointer: Checkpointer;

  constructor(
    private readonly dataDir: string,
    options: { searchable?: SearchRegistry; onError?: (error: unknown) => void } = {},
  ) {
    this.searchable = options.searchable ?? new SearchRegistry();
    this.checkpointer = new Checkpointer(options.onError);
    mkdirSync(join(dataDir, 'instances'), { recursive: true });
    this.registry = new Database(join(dataDir, 'nuage.sqlite'));
    tune(this.registry);
    migrate(this.registry, REGISTRY_MIGRATIONS);
    this.instances = this.makeRegistry();
  }

  /** Where an instance keeps its files (database, and later blobs). */
  instanceDir(domain: string): string {
    return join(this.dataDir, 'instances', normaliseDomain(domain));
  }

  async open(instance: InstanceRecord): Promise<SqliteInstanceStore> {
    const cached = this.open_.get(instance.id);
    if (cached) return cached;
    const exists = this.registry.prepare('SELECT 1 FROM instances WHERE id = ?').get(instance.id);
    if (!exists) throw new NotFound(`no instance ${instance.domain}`);
    const dir = this.instanceDir(instance.domain);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'store.sqlite');
    const db = new Database(path);
    tune(db);
    migrate(db, INSTANCE_MIGRATIONS);
    const store = new SqliteInstanceStore(db, this.searchable, () => this.checkpointer.committed(path));
    this.open_.set(instance.id, store);
    return store;
  }

  async ping(): Promise<void> {
    this.registry.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    await this.checkpointer.close();
    for (const store of this.open_.values()) store.db.close();
    this.open_.clear();
    this.registry.close();
  }

  private makeRegistry(): InstanceRegistry {
    const db = this.registry;
    const byDomain = db.prepare<[string], InstanceRow>('SELECT * FROM instances WHERE domain = ?');
    return {
      create: async (domainInput) => {
        const domain = normaliseDomain(domainInput);
        const row: InstanceRow = {
          id: randomBytes(8).toString('hex'),
          domain,
          created_at: new Date().toISOString(),
        };
        const inserted = db
          .prepare('INSERT INTO instances (id, domain, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
          .run(row.id, row.domain, row.created_at);
        if (inserted.changes === 0) throw new Conflict(`instance ${domain} already exists`);
        const record = toRecord(row);
        await this.open(record);
        return record;
      },
      get: async (domain) => {
        const row = byDomain.get(domain.toLowerCase());
        return row ? toRecord(row) : null;
      },
      list: async () =>
        db.prepare<[], InstanceRow>('SELECT * FROM instances ORDER BY domain').all().map(toRecord),
      destroy: async (domainInput) => {
        const domain = normaliseDomain(domainInput);
        const row = byDomain.get(domain);
        if (!row) return false;
        this.checkpointer.forget(join(this.instanceDir(domain), 'store.sqlite'));
        this.open_.get(row.id)?.db.close();
        this.open_.delete(row.id);
        db.prepare('DELETE FROM instances WHERE id = ?').run(row.id);
        rmSync(this.instanceDir(domain), { recursive: true, force: true });
        return true;
      },
    };
  }
}
