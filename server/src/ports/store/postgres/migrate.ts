import type pg from 'pg';

/** Quotes an identifier we generated ourselves (schema names are validated before they get here). */
export function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe identifier ${name}`);
  return `"${name}"`;
}

/**
 * Creates `schema` if needed and applies its pending migrations under an advisory lock, so two stack
 * processes starting together do not race.
 */
export async function migrate(pool: pg.Pool, schema: string, migrations: readonly string[]): Promise<void> {
  const s = ident(schema);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [schema]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_version (version INTEGER NOT NULL)`);
    const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${s}.schema_version`);
    const applied = rows[0]?.version ?? 0;
    if (rows.length === 0) await client.query(`INSERT INTO ${s}.schema_version VALUES (0)`);
    for (let i = applied; i < migrations.length; i++) {
      await client.query(migrations[i]!.replaceAll('{s}', s));
    }
    await client.query(`UPDATE ${s}.schema_version SET version = $1`, [migrations.length]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
