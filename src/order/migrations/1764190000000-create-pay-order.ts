import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { column, idColumn, varchar } from '../../database/migration-columns';

/**
 * The pay order (spec section 5), written with TypeORM's schema builder so the same
 * migration runs on MySQL 8, MariaDB 10.11 and SQLite. `IF NOT EXISTS`: a database made
 * before the migrations were split by module already has the table, under the migration
 * `CreatePaySyncTables1764190000000`.
 */
export class CreatePayOrder1764190000000 implements MigrationInterface {
  name = 'CreatePayOrder1764190000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'pay_order',
        columns: [
          idColumn(queryRunner),
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
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('pay_order');
  }
}
