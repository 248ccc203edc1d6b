import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';

/** What a write did. */
export interface Written {
  affected: number;
  /** The generated id of an insert (0 otherwise). */
  insertId: number;
}

/** A parameter as both drivers bind it: times go through `FixedSql.time`. */
export type SqlValue = string | number | null;

type Callback<T> = (error: Error | null, result: T) => void;

/** The part of mysql2's callback pool (TypeORM's `driver.pool`) used here. */
interface Mysql2Pool {
  execute(sql: string, values: SqlValue[], callback: Callback<unknown>): void;
  query(sql: string, values: SqlValue[], callback: Callback<unknown>): void;
}

/**
 * Fixed SQL for the hot paths: constant statements with `?` placeholders, written once in
 * the repositories and sent as they are, so no query is built per call. On MySQL they go
 * straight to the pool TypeORM opened, as prepared statements (`execute`): one round trip,
 * parsed once per connection. Inside a transaction, and on SQLite (whose one connection
 * TypeORM shares and caches statements on), they go through TypeORM's query runner.
 *
 * Times are bound as UTC text `YYYY-MM-DD HH:MM:SS.mmm`, the way TypeORM stores them on
 * SQLite and the way MySQL reads a DATETIME.
 */
@Injectable()
export class FixedSql {
  readonly sqlite: boolean;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.sqlite = ['sqlite', 'better-sqlite3'].includes(dataSource.options.type);
  }

  /** The rows of a SELECT, as the driver returns them (column names as in the table). */
  async rows<T>(sql: string, values: SqlValue[], manager?: EntityManager): Promise<T[]> {
    const pool = this.pool(manager);
    if (pool) return (await this.onPool(pool, 'execute', sql, values)) as T[];
    const result = await this.onRunner(sql, values, manager);
    return (result.records ?? []) as T[];
  }

  /**
   * An INSERT, UPDATE or DELETE. `prepared: false` for statements whose text varies (a
   * batch of n rows): they are sent as text, so the connection does not keep one prepared
   * statement per batch size.
   */
  async run(sql: string, values: SqlValue[], manager?: EntityManager, prepared = true): Promise<Written> {
    const pool = this.pool(manager);
    if (pool) {
      const header = (await this.onPool(pool, prepared ? 'execute' : 'query', sql, values)) as { affectedRows?: number; insertId?: number };
      return { affected: header.affectedRows ?? 0, insertId: Number(header.insertId ?? 0) };
    }
    const result = await this.onRunner(sql, values, manager);
    const raw = result.raw as { insertId?: number } | number | bigint | undefined;
    const insertId = typeof raw === 'object' && raw !== null ? Number(raw.insertId ?? 0) : Number(raw ?? 0);
    return { affected: result.affected ?? 0, insertId };
  }

  /** A time as bound: UTC text with milliseconds. */
  time(date: Date): string;
  time(date: Date | null | undefined): string | null;
  time(date: Date | null | undefined): string | null {
    return date ? date.toISOString().replace('T', ' ').slice(0, 23) : null;
  }

  /** A time as read back: mysql2 gives a Date (in UTC, as configured), SQLite the text. */
  readTime(value: unknown): Date | null {
    if (value === null || value === undefined) return null;
    if (value instanceof Date) return value;
    const text = String(value);
    return new Date(text.includes('T') ? text : `${text.replace(' ', 'T')}Z`);
  }

  private pool(manager?: EntityManager): Mysql2Pool | undefined {
    if (this.sqlite || manager) return undefined;
    return (this.dataSource.driver as unknown as { pool?: Mysql2Pool }).pool;
  }

  private onPool(pool: Mysql2Pool, method: 'execute' | 'query', sql: string, values: SqlValue[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      pool[method](sql, values, (error, result) => (error ? reject(new QueryFailedError(sql, values, error)) : resolve(result)));
    });
  }

  private async onRunner(sql: string, values: SqlValue[], manager?: EntityManager) {
    const own = manager?.queryRunner ? undefined : this.dataSource.createQueryRunner();
    const runner = manager?.queryRunner ?? own!;
    try {
      return await runner.query(sql, values, true);
    } finally {
      if (own) await own.release();
    }
  }
}
