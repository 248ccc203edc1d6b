import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/app-config';
import { dataSourceOptions } from './src/database/data-source-options';

/** The DataSource for the TypeORM migration CLI (`npm run migration:run`), from the same settings as the server. */
export default new DataSource(dataSourceOptions(loadConfig()));
