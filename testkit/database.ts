import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dropMysqlDatabase, onMysqlServer } from '../platform/db/orm';
import { testServices, uniqueName } from './services';

export type TestDialect = 'mysql' | 'sqlite';

/**
 * A database of its own for one test file: a fresh MariaDB database or a SQLite file in a
 * temporary folder. `drop()` removes it (call it in afterAll).
 */
export function testDatabase(dialect: TestDialect, service: string) {
  const dir = mkdtempSync(path.join(tmpdir(), `manassa-${service}-`));
  const prefix = uniqueName('t');
  const dbName = `${prefix}_${service}`;
  return {
    dir,
    options:
      dialect === 'mysql'
        ? { url: testServices.mysqlUrl, dbName, dataDir: dir }
        : { sqlitePath: path.join(dir, `${service}.sqlite`), dataDir: dir },
    /** Environment variables for a service process using this database. */
    env: dialect === 'mysql' ? { DATABASE_URL: `${testServices.mysqlUrl}/${prefix}`, DATA_DIR: dir } : { DATA_DIR: dir },
    async drop() {
      if (dialect === 'mysql') await dropMysqlDatabase(testServices.mysqlUrl, dbName);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Drops every MySQL database named `<prefix>_…` (a whole deployment's, after an e2e run). */
export async function dropDatabasesWithPrefix(prefix: string): Promise<void> {
  await onMysqlServer(testServices.mysqlUrl, async (conn) => {
    const [rows] = await conn.query('show databases');
    for (const { Database } of rows as Array<{ Database: string }>) {
      if (Database.startsWith(`${prefix}_`)) await conn.query(`drop database \`${Database}\``);
    }
  });
}
