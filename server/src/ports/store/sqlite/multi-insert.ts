import type Database from 'better-sqlite3';

/** Rows per multi-row INSERT: past a few dozen the gain flattens, and the statement stays small. */
const ROWS_PER_STATEMENT = 32;

/**
 * Inserts many rows with few statements: `INSERT … VALUES (…), (…), …` of ROWS_PER_STATEMENT rows
 * while enough are left, then one row at a time. Each `run` through better-sqlite3 has a fixed cost
 * (binding, stepping, resetting) that a bulk write of thousands of rows would otherwise pay per row.
 * Both statements are prepared once; a row is an array of values, which better-sqlite3 binds in
 * order. Call it inside the caller's transaction.
 */
export function multiInsert(
  db: Database.Database,
  table: string,
  columns: readonly string[],
): (rows: readonly (readonly unknown[])[]) => void {
  const values = (count: number): string =>
    Array.from({ length: count }, () => `(${columns.map(() => '?').join(', ')})`).join(', ');
  const sql = (count: number): string =>
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values(count)}`;
  const many = db.prepare<unknown[]>(sql(ROWS_PER_STATEMENT));
  const one = db.prepare<unknown[]>(sql(1));
  // One parameter array for every statement: `run` binds it before returning, so it can be refilled.
  const params = new Array<unknown>(ROWS_PER_STATEMENT * columns.length);
  return (rows) => {
    let i = 0;
    for (; i + ROWS_PER_STATEMENT <= rows.length; i += ROWS_PER_STATEMENT) {
      let at = 0;
      for (let j = i; j < i + ROWS_PER_STATEMENT; j++) {
        const row = rows[j] as readonly unknown[];
        if (row.length !== columns.length)
          throw new RangeError(`a row of ${table} needs ${columns.length} values`);
        for (let k = 0; k < row.length; k++) params[at++] = row[k];
      }
      many.run(params);
    }
    if (i > 0) params.fill(undefined); // holds no document text once the batch is written
    for (; i < rows.length; i++) one.run(rows[i]);
  };
}
