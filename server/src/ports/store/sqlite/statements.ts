import type Database from 'better-sqlite3';

/**
 * A LIMIT or OFFSET from a bound parameter, written so that SQLite does not read the bound value while
 * planning: `LIMIT ${BOUND_COUNT}`. With a plain `LIMIT ?` (SQLite 3.47 and later) the planner looks at
 * the value, and binding another one (any binding, even the same value) expires the statement, so each
 * run parsed and planned it again: a file tree lookup took 17 µs instead of 5.
 */
export const BOUND_COUNT = '(? + 0)';

/**
 * Prepared statements of one connection, by SQL text, each prepared on first use and then kept.
 * Preparing parses and plans the SQL: on a path run for every request (the jobs queue's trigger reads,
 * a Mango scan of a given shape) that cost more than running the statement.
 */
export class Statements {
  private readonly byText = new Map<string, Database.Statement<unknown[], unknown>>();

  constructor(private readonly db: Database.Database) {}

  get<P extends unknown[] = unknown[], R = unknown>(sql: string): Database.Statement<P, R> {
    let stmt = this.byText.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql);
      this.byText.set(sql, stmt);
    }
    return stmt as unknown as Database.Statement<P, R>;
  }
}
