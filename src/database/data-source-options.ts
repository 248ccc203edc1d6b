import { DataSourceOptions } from 'typeorm';
import { SandboxTrade } from '../channel/sandbox/sandbox-trade.entity';
import { AppConfig } from '../config/app-config';
import { SYNC_ENTITIES } from '../sync/sync-entities';
import { SYNC_MIGRATIONS } from './migrations';

/** The TypeORM DataSource for the standalone server, the migration CLI and the tests. */
export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  const common = {
    entities: [...SYNC_ENTITIES, SandboxTrade],
    migrations: SYNC_MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    logging: false,
  };
  if (config.dbType === 'mysql') {
    return {
      ...common,
      type: 'mysql',
      host: config.dbHost,
      port: config.dbPort,
      username: config.dbUser,
      password: config.dbPassword,
      database: config.dbName,
      charset: 'utf8mb4_unicode_ci',
      // mysql2 then returns BIGINT as a number (ids and cents stay far below 2^53).
    // Times are stored in UTC whatever the server's or the process's time zone.
      timezone: 'Z',
      poolSize: config.dbPoolSize,
      supportBigNumbers: true,
      bigNumberStrings: false,
    };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.sqlitePath,
    timeout: 10_000,
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma('journal_mode = WAL');
    },
  };
}
