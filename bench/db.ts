import { createConnection, createPool, Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';

/** MariaDB/MySQL on the loopback only; root and no password unless BENCH_MYSQL_* say otherwise. */
export const MYSQL = {
  host: '127.0.0.1',
  port: Number(process.env.BENCH_MYSQL_PORT ?? 3306),
  user: process.env.BENCH_MYSQL_USER ?? 'root',
  password: process.env.BENCH_MYSQL_PASSWORD ?? '',
};

/** A small deterministic PRNG (mulberry32), so the seeded data is the same on every run. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function orderNo(prefix: string, index: number): string {
  return `${prefix}${String(index).padStart(9, '0')}`;
}

export class BenchDatabase {
  private constructor(
    readonly name: string,
    readonly pool: Pool,
  ) {}

  /** Creates an empty database `unipay_bench_<tag>` (dropping a leftover of the same name). */
  static async create(tag: string): Promise<BenchDatabase> {
    const name = `unipay_bench_${tag}`;
    const admin = await createConnection(MYSQL);
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
    const pool = createPool({ ...MYSQL, database: name, timezone: 'Z', connectionLimit: 4, supportBigNumbers: true });
    return new BenchDatabase(name, pool);
  }

  /** The server settings that point at this database. */
  get env(): Record<string, string> {
    return {
      UNIPAY_DB_TYPE: 'mysql',
      UNIPAY_DB_HOST: MYSQL.host,
      UNIPAY_DB_PORT: String(MYSQL.port),
      UNIPAY_DB_USER: MYSQL.user,
      UNIPAY_DB_PASSWORD: MYSQL.password,
      UNIPAY_DB_NAME: this.name,
    };
  }

  async scalar(sql: string, params: unknown[] = []): Promise<number> {
    const [rows] = await this.pool.query<RowDataPacket[]>(sql, params);
    return Number(Object.values(rows[0])[0]);
  }

  async drop(): Promise<void> {
    await this.pool.end();
    const admin = await createConnection(MYSQL);
    await admin.query(`DROP DATABASE IF EXISTS \`${this.name}\``);
    await admin.end();
  }

  /**
   * One progress refund (refund number R + the order number) of each order with `prefix`, as
   * the gateway writes it: for refund sync's load, never due for the job.
   */
  async seedRefunds(prefix: 'M'): Promise<void> {
    await this.pool.query(
      `INSERT INTO refund_order (refund_no, biz_refund_no, order_id, order_no, biz_order_no, title, channel, order_amount, amount, status, channel_req_time, create_time, last_modified_time, version, sync_next_time, sync_count)
       SELECT CONCAT('R', order_no), CONCAT('BR', order_no), id, order_no, biz_order_no, title, channel, amount, 1, 'progress', create_time, create_time, create_time, 0, DATE_ADD(NOW(), INTERVAL 1 DAY), 0
       FROM pay_order WHERE order_no LIKE ?`,
      [`${prefix}%`],
    );
  }

  /** Empties the tables the sync writes (the schema stays, migrated by the first server). */
  async truncate(): Promise<void> {
    for (const table of ['pay_order', 'pay_sync_record', 'pay_repair_record', 'unipay_lease']) {
      await this.pool.query(`TRUNCATE TABLE \`${table}\``);
    }
  }

  /**
   * Writes `count` progress orders on the bench channel, `prefix` M (manual: not due for the
   * job, next sync in a day) or S (sweep: created ten minutes ago, never synced, so due now).
   * Amounts come from a seeded PRNG. Multi-row inserts of 1000 rows; `oneTransaction` makes
   * them all visible at once (a running job then sees all or nothing).
   */
  async seedOrders(prefix: 'M' | 'S' | 'P', count: number, seed: number, oneTransaction = false): Promise<void> {
    const connection = await this.pool.getConnection();
    try {
      if (oneTransaction) await connection.query('START TRANSACTION');
      await this.insertOrders(connection, prefix, count, seed);
      if (oneTransaction) await connection.query('COMMIT');
    } catch (error) {
      if (oneTransaction) await connection.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      connection.release();
    }
  }

  private async insertOrders(connection: PoolConnection, prefix: 'M' | 'S' | 'P', count: number, seed: number): Promise<void> {
    const random = prng(seed);
    const now = Date.now();
    const created = new Date(now - 10 * 60_000);
    const expires = new Date(now + 24 * 3600_000);
    const manual = prefix !== 'S';
    const nextSync = manual ? new Date(now + 24 * 3600_000) : null;
    const columns = [
      'order_no', 'biz_order_no', 'out_order_no', 'title', 'channel', 'method', 'amount', 'status', 'refund_status',
      'expired_time', 'create_time', 'last_modified_time', 'version', 'sync_next_time', 'sync_count',
    ];
    for (let from = 0; from < count; from += 1000) {
      const rows: unknown[][] = [];
      for (let i = from; i < Math.min(count, from + 1000); i += 1) {
        const no = orderNo(prefix, i);
        rows.push([no, `B${no}`, null, 'bench', 'bench', 'bench', 100 + Math.floor(random() * 99_900), 'progress', 'no_refund',
          expires, created, created, 0, nextSync, manual ? 1 : 0]);
      }
      await connection.query(`INSERT INTO pay_order (${columns.join(', ')}) VALUES ?`, [rows]);
    }
  }
}

/** `SELECT VERSION()` of the server. */
export async function databaseVersion(): Promise<string> {
  const connection = await createConnection(MYSQL);
  const [rows] = await connection.query<RowDataPacket[]>('SELECT VERSION() AS v');
  await connection.end();
  return String(rows[0].v);
}

/** Global statement counter of the database server (`Questions`): all clients, so read it on a quiet machine. */
export async function questions(pool: Pool): Promise<number> {
  const [rows] = await pool.query<RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Questions'");
  return Number(rows[0].Value);
}

/** Drops leftover `unipay_bench_*` databases of an interrupted run of this benchmark. */
export async function dropLeftovers(): Promise<string[]> {
  const admin = await createConnection(MYSQL);
  const [rows] = await admin.query<RowDataPacket[]>("SELECT schema_name AS n FROM information_schema.schemata WHERE schema_name LIKE 'unipay\\_bench\\_%'");
  const names = rows.map((row) => String(row.n));
  for (const name of names) await admin.query(`DROP DATABASE \`${name}\``);
  await admin.end();
  return names;
}
