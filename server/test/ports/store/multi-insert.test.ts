import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { multiInsert } from '../../../src/ports/store/sqlite/multi-insert.js';

describe('multi-row inserts on SQLite', () => {
  const table = () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (a INTEGER, b TEXT)');
    const rows = () => db.prepare('SELECT a, b FROM t ORDER BY rowid').raw().all();
    return { db, insert: multiInsert(db, 't', ['a', 'b']), rows };
  };

  it('inserts every row, in order, whatever the count around the rows per statement', () => {
    for (const count of [0, 1, 31, 32, 33, 64, 70]) {
      const { db, insert, rows } = table();
      const input = Array.from({ length: count }, (_, i) => [i, `row ${i}`]);
      insert(input);
      insert(input.slice(0, 3)); // a second call reuses what the first one prepared
      expect(rows()).toEqual([...input, ...input.slice(0, 3)]);
      db.close();
    }
  });

  it('refuses a row with the wrong number of values rather than binding leftovers', () => {
    const { db, insert } = table();
    const good = Array.from({ length: 40 }, (_, i) => [i, 'x']);
    insert(good);
    const bad = [...good.slice(0, 31), [1]];
    expect(() => insert(bad)).toThrow(RangeError);
    db.close();
  });
});
