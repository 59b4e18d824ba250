import type Database from 'better-sqlite3';
import type { RecordTable, StoredRecord } from '../store.js';

interface Row {
  id: string;
  value: string;
  expires_at: number | null;
}

export class SqliteRecords implements RecordTable {
  private readonly getStmt: Database.Statement<[string, string, number], Row>;
  private readonly putStmt: Database.Statement<[string, string, string, number | null]>;
  private readonly deleteStmt: Database.Statement<[string, string]>;
  private readonly listStmt: Database.Statement<[string, number], Row>;
  private readonly purgeStmt: Database.Statement<[number]>;

  constructor(db: Database.Database) {
    this.getStmt = db.prepare(
      'SELECT id, value, expires_at FROM records WHERE kind = ? AND id = ? AND (expires_at IS NULL OR expires_at > ?)',
    );
    this.putStmt = db.prepare(
      'INSERT INTO records (kind, id, value, expires_at) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (kind, id) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at',
    );
    this.deleteStmt = db.prepare('DELETE FROM records WHERE kind = ? AND id = ?');
    this.listStmt = db.prepare(
      'SELECT id, value, expires_at FROM records WHERE kind = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY id',
    );
    this.purgeStmt = db.prepare('DELETE FROM records WHERE expires_at IS NOT NULL AND expires_at <= ?');
  }

  async get<T>(kind: string, id: string, now: number): Promise<T | null> {
    const row = this.getStmt.get(kind, id, now);
    return row ? (JSON.parse(row.value) as T) : null;
  }

  async put(kind: string, id: string, value: unknown, expiresAt: number | null = null): Promise<void> {
    this.putStmt.run(kind, id, JSON.stringify(value), expiresAt);
  }

  async delete(kind: string, id: string): Promise<boolean> {
    return this.deleteStmt.run(kind, id).changes > 0;
  }

  async list<T>(kind: string, now: number): Promise<StoredRecord<T>[]> {
    return this.listStmt.all(kind, now).map((row) => ({
      id: row.id,
      value: JSON.parse(row.value) as T,
      expiresAt: row.expires_at,
    }));
  }

  async purgeExpired(now: number): Promise<number> {
    return this.purgeStmt.run(now).changes;
  }
}
