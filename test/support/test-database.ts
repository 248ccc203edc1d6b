import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSourceOptions } from 'typeorm';

/** Which database the suite runs on: `UNIPAY_TEST_DB=mysql` for MySQL/MariaDB, SQLite otherwise. */
export const TEST_DB: 'sqlite' | 'mysql' = process.env.UNIPAY_TEST_DB === 'mysql' ? 'mysql' : 'sqlite';

const MYSQL = {
  host: process.env.UNIPAY_TEST_MYSQL_HOST ?? '127.0.0.1',
  port: Number(process.env.UNIPAY_TEST_MYSQL_PORT ?? 3306),
  user: process.env.UNIPAY_TEST_MYSQL_USER ?? 'root',
  password: process.env.UNIPAY_TEST_MYSQL_PASSWORD ?? '',
};

export interface TestDatabase {
  /** The server settings that point at this database. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** A fresh, empty database of the suite's kind, dropped after the test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (TEST_DB === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'unipay-test-'));
    return {
      env: { UNIPAY_DB_TYPE: 'sqlite', UNIPAY_SQLITE_PATH: join(dir, 'unipay.sqlite') },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `unipay_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await createConnection(MYSQL);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  return {
    env: {
      UNIPAY_DB_TYPE: 'mysql',
      UNIPAY_DB_HOST: MYSQL.host,
      UNIPAY_DB_PORT: String(MYSQL.port),
      UNIPAY_DB_USER: MYSQL.user,
      UNIPAY_DB_PASSWORD: MYSQL.password,
      UNIPAY_DB_NAME: name,
    },
    drop: async () => {
      const connection = await createConnection(MYSQL);
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.end();
    },
  };
}

/** TypeORM options for a test database, as a host gateway would write its own. */
export function dataSourceOptionsOf(database: TestDatabase): DataSourceOptions {
  const env = database.env;
  if (env.UNIPAY_DB_TYPE === 'sqlite') return { type: 'better-sqlite3', database: env.UNIPAY_SQLITE_PATH };
  return {
    type: 'mysql',
    host: env.UNIPAY_DB_HOST,
    port: Number(env.UNIPAY_DB_PORT),
    username: env.UNIPAY_DB_USER,
    password: env.UNIPAY_DB_PASSWORD,
    database: env.UNIPAY_DB_NAME,
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: false,
  };
}
