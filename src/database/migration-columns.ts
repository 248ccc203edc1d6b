import { QueryRunner, TableColumnOptions } from 'typeorm';

/** SQLite only auto-increments an INTEGER primary key (64-bit there, like BIGINT). */
export function idColumn(queryRunner: QueryRunner): TableColumnOptions {
  const sqlite = ['sqlite', 'better-sqlite3'].includes(queryRunner.connection.options.type);
  return {
    name: 'id',
    type: sqlite ? 'integer' : 'bigint',
    isPrimary: true,
    isGenerated: true,
    generationStrategy: 'increment',
  };
}

export function varchar(name: string, length: number, nullable = false): TableColumnOptions {
  return { name, type: 'varchar', length: String(length), isNullable: nullable };
}

export function column(name: string, type: string, nullable = false): TableColumnOptions {
  return { name, type, isNullable: nullable };
}

/** A time kept to the millisecond: `DATETIME(3)` on MySQL, as TypeORM maps it on SQLite. */
export function timeColumn(name: string, nullable = false): TableColumnOptions {
  return { ...column(name, 'datetime', nullable), precision: 3 };
}
