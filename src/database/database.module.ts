import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseMigrator } from './database-migrator.service';
import { DatabaseSettings } from './database.settings';
import { dataSourceOptions } from './data-source-options';
import { ModuleSchema } from './module-schema';

/** The standalone server's data source, with the schema of every module it runs. */
@Module({})
export class DatabaseModule {
  static forRoot(settings: DatabaseSettings, schema: ModuleSchema): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [TypeOrmModule.forRoot(dataSourceOptions(settings, schema))],
      providers: settings.UNIPAY_DB_MIGRATE ? [DatabaseMigrator] : [],
    };
  }
}
