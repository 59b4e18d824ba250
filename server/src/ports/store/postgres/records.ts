import type pg from 'pg';
import type { RecordTable, StoredRecord } from '../store.js';

interface Row {
  id: string;
  value: unknown;
  expires_at: string | null;
}

const toStored = <T>(row: Row): StoredRecord<T> => ({
  id: row.id,
  value: row.value as T,
  expiresAt: row.expires_at === null ? null : Number(row.expires_at),
});

export class PostgresRecords implements RecordTable {
  constructor(
    private readonly pool: pg.Pool,
    private readonly s: string,
  ) {}

  async get<T>(kind: string, id: string, now: number): Promise<T | null> {
    const { rows } = await this.pool.query<Row>(
      `SELECT id, value, expires_at FROM ${this.s}.records
       WHERE kind = $1 AND id = $2 AND (expires_at IS NULL OR expires_at > $3)`,
      [kind, id, now],
    );
    return rows[0] ? (rows[0].value as T) : null;
  }

  async put(kind: string, id: string, value: unknown, expiresAt: number | null = null): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.s}.records (kind, id, value, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (kind, id) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      [kind, id, JSON.stringify(value), expiresAt],
    );
  }

  async delete(kind: string, id: string): Promise<boolean> {
    const result = await this.pool.query(`DELETE FROM ${this.s}.records WHERE kind = $1 AND id = $2`, [
      kind,
      id,
    ]);
    return (result.rowCount ?? 0) > 0;
  }

  async list<T>(kind: string, now: number): Promise<StoredRecord<T>[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT id, value, expires_at FROM ${this.s}.records
       WHERE kind = $1 AND (expires_at IS NULL OR expires_at > $2) ORDER BY id`,
      [kind, now],
    );
    return rows.map((row) => toStored<T>(row));
  }

  async purgeExpired(now: number): Promise<number> {
    const result = await this.pool.query(
      `DELETE FROM ${this.s}.records WHERE expires_at IS NOT NULL AND expires_at <= $1`,
      [now],
    );
    return result.rowCount ?? 0;
  }
}
