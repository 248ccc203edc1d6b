import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { APP_SCHEMA } from './src/app.module';
import { AppSettings } from './src/app-settings';
import { DatabaseSettings } from './src/database/database.settings';
import { dataSourceOptions } from './src/database/data-source-options';

/** The DataSource for the TypeORM migration CLI (`npm run migration:run`), from the same settings as the server. */
export default new DataSource(dataSourceOptions(AppSettings.load().of(DatabaseSettings), APP_SCHEMA));
