import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';

/** SQLite only auto-increments an INTEGER primary key (64-bit there, like BIGINT). */
function idColumn(queryRunner: QueryRunner): TableColumnOptions {
  const sqlite = ['sqlite', 'better-sqlite3'].includes(queryRunner.connection.options.type);
  return {
    name: 'id',
    type: sqlite ? 'integer' : 'bigint',
    isPrimary: true,
    isGenerated: true,
    generationStrategy: 'increment',
  };
}

function varchar(name: string, length: number, nullable = false): TableColumnOptions {
  return { name, type: 'varchar', length: String(length), isNullable: nullable };
}

function column(name: string, type: string, nullable = false): TableColumnOptions {
  return { name, type, isNullable: nullable };
}

/**
 * The pay order (spec section 5), the sync and repair records, and the lease table that
 * carries the per-order sync lock and remembered nonces. Written with TypeORM's schema
 * builder so the same migration runs on MySQL 8, MariaDB 10.11 and SQLite.
 */
export class CreatePaySyncTables1764190000000 implements MigrationInterface {
  name = 'CreatePaySyncTables1764190000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const id = idColumn(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'pay_order',
        columns: [
          id,
          varchar('order_no', 32),
          varchar('biz_order_no', 100),
          varchar('out_order_no', 150, true),
          varchar('title', 100),
          varchar('channel', 32),
          varchar('method', 32),
          column('amount', 'bigint'),
          varchar('status', 20),
          varchar('refund_status', 20),
          column('pay_time', 'datetime', true),
          column('close_time', 'datetime', true),
          column('expired_time', 'datetime'),
          varchar('notify_url', 200, true),
          varchar('attach', 500, true),
          varchar('error_code', 50, true),
          varchar('error_msg', 500, true),
          varchar('client_ip', 64, true),
          column('create_time', 'datetime'),
          column('last_modified_time', 'datetime'),
          { name: 'version', type: 'int', default: 0 },
        ],
        indices: [
          { name: 'uk_pay_order_order_no', columnNames: ['order_no'], isUnique: true },
          { name: 'uk_pay_order_biz_order_no', columnNames: ['biz_order_no'], isUnique: true },
          { name: 'idx_pay_order_status_expired', columnNames: ['status', 'expired_time'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'pay_sync_record',
        columns: [
          id,
          column('order_id', 'bigint', true),
          varchar('order_no', 32, true),
          varchar('biz_order_no', 100, true),
          varchar('out_order_no', 150, true),
          varchar('channel', 32, true),
          varchar('sync_status', 32, true),
          column('channel_response', 'text', true),
          column('repaired', 'boolean'),
          varchar('repair_no', 32, true),
          varchar('anomaly', 32, true),
          varchar('error_code', 32, true),
          varchar('error_msg', 1000, true),
          varchar('client_ip', 64, true),
          varchar('source', 16),
          column('duration_ms', 'int'),
          column('create_time', 'datetime'),
        ],
        indices: [
          { name: 'idx_pay_sync_record_order_no', columnNames: ['order_no'] },
          { name: 'idx_pay_sync_record_anomaly', columnNames: ['anomaly'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'pay_repair_record',
        columns: [
          id,
          varchar('repair_no', 32),
          column('order_id', 'bigint'),
          varchar('order_no', 32),
          varchar('channel', 32),
          varchar('source', 16),
          varchar('way', 20),
          varchar('before_status', 20),
          varchar('after_status', 20),
          column('amount', 'bigint'),
          column('create_time', 'datetime'),
        ],
        indices: [
          { name: 'uk_pay_repair_record_repair_no', columnNames: ['repair_no'], isUnique: true },
          { name: 'idx_pay_repair_record_order_no', columnNames: ['order_no'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'unipay_lease',
        columns: [
          { name: 'lease_key', type: 'varchar', length: '100', isPrimary: true },
          varchar('owner', 64),
          column('expires_at', 'bigint'),
        ],
        indices: [{ name: 'idx_unipay_lease_expires_at', columnNames: ['expires_at'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['unipay_lease', 'pay_repair_record', 'pay_sync_record', 'pay_order']) {
      await queryRunner.dropTable(table);
    }
  }
}
