import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Conflict, NotFound } from '../../../errors.js';
import { normaliseDomain } from '../domain.js';
import type { InstanceRecord, InstanceRegistry, InstanceStore, Store } from '../store.js';
import { ident, migrate } from './migrate.js';
import { PostgresDocuments } from './documents.js';
import { PostgresRecords } from './records.js';
import { PostgresSearch } from './search.js';
import { PostgresJobs } from './jobs.js';
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

export class PostgresInstanceStore implements InstanceStore {
  readonly records: PostgresRecords;
  readonly documents: PostgresDocuments;
  readonly search: PostgresSearch;
  readonly jobs: PostgresJobs;

  constructor(
    readonly pool: pg.Pool,
    /** The quoted schema name, ready to prefix table names. */
    readonly schema: string,
    searchable: SearchRegistry,
  ) {
    this.records = new PostgresRecords(pool, schema);
    this.documents = new PostgresDocuments(pool, schema);
    this.search = new PostgresSearch(pool, schema, searchable);
    this.documents.addParticipant(this.search);
    this.jobs = new PostgresJobs(pool, schema);
  }
}

export interface PostgresStoreOptions {
  url: string;
  /** Schema holding the instance list; instance schemas are named `<prefix>_<id>`. Tests isolate with it. */
  prefix?: string;
  maxConnections?: number;
  /** Which doctypes are searchable, shared by every instance this store opens. */
  searchable?: SearchRegistry;
}

/**
 * The scale-out adapter: one database, a registry schema and one schema per instance, so that
 * destroying an instance is one DROP SCHEMA and no query can reach another instance's tables.
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres';
  readonly instances: InstanceRegistry;
  readonly pool: pg.Pool;
  readonly searchable: SearchRegistry;
  private readonly prefix: string;
  private readonly registry: string;
  private readonly open_ = new Map<string, PostgresInstanceStore>();

  private constructor(options: PostgresStoreOptions) {
    this.prefix = options.prefix ?? 'nuage';
    this.searchable = options.searchable ?? new SearchRegistry();
    this.registry = ident(this.prefix);
    this.pool = new pg.Pool({ connectionString: options.url, max: options.maxConnections ?? 10 });
    // An idle client that loses its connection must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
    this.instances = this.makeRegistry();
  }

  static async connect(options: PostgresStoreOptions): Promise<PostgresStore> {
    const store = new PostgresStore(options);
    try {
      await migrate(store.pool, store.prefix, REGISTRY_MIGRATIONS);
    } catch (error) {
      await store.pool.end();
      throw error;
    }
    return store;
  }

  private schemaOf(id: string): string {
    return `${this.prefix}_${id}`;
  }

  async open(instance: InstanceRecord): Promise<PostgresInstanceStore> {
    const cached = this.open_.get(instance.id);
    if (cached) return cached;
    const { rows } = await this.pool.query(`SELECT 1 FROM ${this.registry}.instances WHERE id = $1`, [
      instance.id,
    ]);
    if (rows.length === 0) throw new NotFound(`no instance ${instance.domain}`);
    const schema = this.schemaOf(instance.id);
    await migrate(this.pool, schema, INSTANCE_MIGRATIONS);
    const store = new PostgresInstanceStore(this.pool, ident(schema), this.searchable);
    this.open_.set(instance.id, store);
    return store;
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    this.open_.clear();
    await this.pool.end();
  }

  /** Drops the registry and every instance schema under this prefix (tests only). */
  async dropEverything(): Promise<void> {
    for (const instance of await this.instances.list()) await this.instances.destroy(instance.domain);
    await this.pool.query(`DROP SCHEMA IF EXISTS ${this.registry} CASCADE`);
  }

  private makeRegistry(): InstanceRegistry {
    const r = this.registry;
    return {
      create: async (domainInput) => {
        const domain = normaliseDomain(domainInput);
        const row: InstanceRow = {
          id: randomBytes(8).toString('hex'),
          domain,
          created_at: new Date().toISOString(),
        };
        const result = await this.pool.query(
          `INSERT INTO ${r}.instances (id, domain, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
          [row.id, row.domain, row.created_at],
        );
        if ((result.rowCount ?? 0) === 0) throw new Conflict(`instance ${domain} already exists`);
        const record = toRecord(row);
        await this.open(record);
        return record;
      },
      get: async (domain) => {
        const { rows } = await this.pool.query<InstanceRow>(
          `SELECT * FROM ${r}.instances WHERE domain = $1`,
          [domain.toLowerCase()],
        );
        return rows[0] ? toRecord(rows[0]) : null;
      },
      list: async () => {
        const { rows } = await this.pool.query<InstanceRow>(`SELECT * FROM ${r}.instances ORDER BY domain`);
        return rows.map(toRecord);
      },
      destroy: async (domainInput) => {
        const domain = normaliseDomain(domainInput);
        const { rows } = await this.pool.query<InstanceRow>(
          `DELETE FROM ${r}.instances WHERE domain = $1 RETURNING *`,
          [domain],
        );
        const row = rows[0];
        if (!row) return false;
        this.open_.delete(row.id);
        await this.pool.query(`DROP SCHEMA IF EXISTS ${ident(this.schemaOf(row.id))} CASCADE`);
        return true;
      },
    };
  }
}
