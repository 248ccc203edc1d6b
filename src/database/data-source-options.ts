import { DataSourceOptions } from 'typeorm';
import { DatabaseSettings } from './database.settings';
import { ModuleSchema } from './module-schema';

/** The TypeORM DataSource for the standalone server, the migration CLI and the tests. */
export function dataSourceOptions(settings: DatabaseSettings, schema: ModuleSchema): DataSourceOptions {
  const common = {
    entities: [...schema.entities],
    migrations: [...schema.migrations],
    synchronize: false,
    migrationsRun: false,
    logging: false,
  };
  if (settings.UNIPAY_DB_TYPE === 'mysql') {
    return {
      ...common,
      type: 'mysql',
      host: settings.UNIPAY_DB_HOST,
      port: settings.UNIPAY_DB_PORT,
      username: settings.UNIPAY_DB_USER,
      password: settings.UNIPAY_DB_PASSWORD,
      database: settings.UNIPAY_DB_NAME,
      charset: 'utf8mb4_unicode_ci',
      // Times are stored in UTC whatever the server's or the process's time zone.
      timezone: 'Z',
      poolSize: settings.UNIPAY_DB_POOL_SIZE,
      // mysql2 then returns BIGINT as a number (ids and cents stay far below 2^53).
      supportBigNumbers: true,
      bigNumberStrings: false,
    };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: settings.UNIPAY_SQLITE_PATH,
    timeout: 10_000,
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma('journal_mode = WAL');
    },
  };
}
