import { MigrationInterface } from 'typeorm';

/**
 * What a module keeps in the database: its entities and the migrations that create their
 * tables. Each module hands its own to the application that composes them (the standalone
 * server, the TypeORM CLI, or a host gateway's TypeOrmModule).
 */
export interface ModuleSchema {
  entities: readonly (new () => object)[];
  migrations: readonly (new () => MigrationInterface)[];
}

/** The schemas of several modules as one. */
export function mergeSchemas(schemas: readonly ModuleSchema[]): ModuleSchema {
  return {
    entities: schemas.flatMap((schema) => schema.entities),
    migrations: schemas.flatMap((schema) => schema.migrations),
  };
}
