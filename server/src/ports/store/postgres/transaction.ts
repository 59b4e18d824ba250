import type pg from 'pg';

/**
 * Runs `work` in a transaction on one pooled client: COMMIT when it resolves, ROLLBACK when it throws.
 * A client whose ROLLBACK fails is broken, so it goes back to the pool as such and is discarded.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (error) {
    await client.query('ROLLBACK').then(
      () => client.release(),
      (broken: Error) => client.release(broken),
    );
    throw error;
  }
}

/**
 * Runs several reads in one REPEATABLE READ transaction, so they all see one snapshot (a write that
 * commits in between is seen by none of them).
 */
export function snapshot<T>(pool: pg.Pool, read: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, async (client) => {
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    return read(client);
  });
}
