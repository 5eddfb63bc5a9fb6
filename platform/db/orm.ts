import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { MikroORM, type Options, type MigrationObject, type EntityClass } from '@mikro-orm/core';
import { MySqlDriver } from '@mikro-orm/mysql';
import { MariaDbDriver } from '@mikro-orm/mariadb';
import { BetterSqliteDriver } from '@mikro-orm/better-sqlite';
import { Migrator } from '@mikro-orm/migrations';
import { createConnection, type Connection } from 'mysql2/promise';
import type { Logger } from '../logger';

export type Dialect = 'mysql' | 'sqlite';

export interface DatabaseOptions {
  /** Service name; the MySQL database is `<prefix>_<service>` and the SQLite file `<service>.sqlite`. */
  service: string;
  entities: EntityClass<unknown>[];
  /** The committed migrations of the service, per dialect (see scripts/migrations.ts). */
  migrations: Record<Dialect, MigrationObject[]>;
  /** mysql://… (MySQL) or mariadb://… (MariaDB) user:pass@host:port[/prefix]; unset = SQLite. */
  url?: string;
  /** Exact MySQL database name (tests give each file its own); overrides the derived one. */
  dbName?: string;
  /** SQLite file; default `<dataDir>/<service>.sqlite`. `:memory:` works for throwaway runs. */
  sqlitePath?: string;
  dataDir?: string;
  logger?: Logger;
  /** Called with every SQL statement before it runs (query counting, tenant guards in tests). */
  onQuery?: (sql: string, params: readonly unknown[]) => void;
  /** Default true: apply pending migrations on open. */
  migrate?: boolean;
}

export function dialectOf(url?: string): Dialect {
  return url ? 'mysql' : 'sqlite';
}

/** `manassa_users` from mysql://…/manassa (or no path) for service `users`. */
export function mysqlDbName(url: string, service: string): string {
  const prefix = new URL(url).pathname.replace(/^\//, '') || 'manassa';
  return `${prefix}_${service}`.replace(/[^\w]/g, '_');
}

export function ormConfig(opts: DatabaseOptions): Options {
  const dialect = dialectOf(opts.url);
  const common: Options = {
    entities: opts.entities,
    extensions: [Migrator],
    migrations: {
      migrationsList: opts.migrations[dialect],
      // MySQL commits DDL implicitly, so a migration transaction there only pretends.
      transactional: dialect === 'sqlite',
      allOrNothing: dialect === 'sqlite',
      snapshot: false,
      emit: 'ts',
    },
    // Every request and queue message works on its own fork; the global EM is a bug.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    discovery: { warnWhenNoEntities: false },
    debug: false,
    logger: (message: string) => opts.logger?.debug({ orm: message }),
    onQuery: opts.onQuery
      ? (sql: string, params: readonly unknown[]) => {
          opts.onQuery!(sql, params);
          return sql;
        }
      : undefined,
  };
  if (dialect === 'mysql') {
    const url = new URL(opts.url!);
    url.pathname = '';
    return {
      ...common,
      // Same migrations for both; the MariaDB driver reads MariaDB's catalog correctly (the
      // MySQL one sees phantom default changes there).
      driver: url.protocol === 'mariadb:' ? MariaDbDriver : MySqlDriver,
      clientUrl: url.toString().replace(/\/$/, ''),
      dbName: opts.dbName ?? mysqlDbName(opts.url!, opts.service),
      timezone: '+00:00',
      charset: 'utf8mb4',
      pool: { min: 0, max: 10 },
    };
  }
  const file = opts.sqlitePath ?? path.join(opts.dataDir ?? 'data', `${opts.service}.sqlite`);
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  return { ...common, driver: BetterSqliteDriver, dbName: file };
}

/**
 * Runs `fn` on a connection to the server of a mysql:// or mariadb:// URL (its path, the database
 * prefix, ignored), then closes the connection.
 */
export async function onMysqlServer<T>(url: string, fn: (conn: Connection) => Promise<T>): Promise<T> {
  const server = new URL(url.replace(/^mariadb:/, 'mysql:'));
  server.pathname = '';
  const conn = await createConnection({ uri: server.toString().replace(/\/$/, '') });
  try {
    return await fn(conn);
  } finally {
    await conn.end();
  }
}

/** Creates the MySQL database if needed (MikroORM connects to an existing one only). */
async function ensureMysqlDatabase(config: Options): Promise<void> {
  await onMysqlServer(config.clientUrl!, (conn) =>
    conn.query(`CREATE DATABASE IF NOT EXISTS \`${config.dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`),
  );
}

/** Opens the service's database and applies its committed migrations. */
export async function openDatabase(opts: DatabaseOptions): Promise<MikroORM> {
  const config = ormConfig(opts);
  const dialect = dialectOf(opts.url);
  if (dialect === 'mysql') await ensureMysqlDatabase(config);
  const orm = await MikroORM.init(config);
  if (dialect === 'sqlite') {
    // WAL lets readers run beside the single writer; a busy timeout waits instead of failing.
    const conn = orm.em.getConnection() as unknown as { execute(sql: string): Promise<unknown> };
    await conn.execute('pragma journal_mode = wal');
    await conn.execute('pragma busy_timeout = 5000');
    await conn.execute('pragma foreign_keys = on');
  }
  if (opts.migrate ?? true) {
    const applied = await orm.getMigrator().up();
    if (applied.length) opts.logger?.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
  }
  return orm;
}

/** Drops a MySQL database (tests clean up after themselves). */
export async function dropMysqlDatabase(url: string, dbName: string): Promise<void> {
  await onMysqlServer(url, (conn) => conn.query(`DROP DATABASE IF EXISTS \`${dbName}\``));
}
