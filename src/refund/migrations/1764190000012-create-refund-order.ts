import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { column, idColumn, timeColumn, varchar } from '../../database/migration-columns';

/** The refund order (refund-sync.md section 5), with what the scheduled job keeps on it. */
export class CreateRefundOrder1764190000012 implements MigrationInterface {
  name = 'CreateRefundOrder1764190000012';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'refund_order',
        columns: [
          idColumn(queryRunner),
          varchar('refund_no', 32),
          varchar('biz_refund_no', 100),
          varchar('out_refund_no', 150, true),
          column('order_id', 'bigint'),
          varchar('order_no', 32),
          varchar('biz_order_no', 100),
          varchar('out_order_no', 150, true),
          varchar('title', 100),
          varchar('channel', 20),
          column('order_amount', 'bigint'),
          column('amount', 'bigint'),
          varchar('reason', 150, true),
          varchar('status', 20),
          column('finish_time', 'datetime', true),
          column('channel_req_time', 'datetime'),
          varchar('notify_url', 200, true),
          varchar('attach', 500, true),
          column('req_time', 'datetime', true),
          varchar('client_ip', 64, true),
          varchar('error_code', 50, true),
          varchar('error_msg', 500, true),
          column('create_time', 'datetime'),
          column('last_modified_time', 'datetime'),
          { name: 'version', type: 'int', default: 0 },
          timeColumn('sync_next_time', true),
          { name: 'sync_count', type: 'int', default: 0 },
          varchar('sync_lease_owner', 64, true),
          timeColumn('sync_lease_until', true),
        ],
        indices: [
          { name: 'uk_refund_order_refund_no', columnNames: ['refund_no'], isUnique: true },
          { name: 'uk_refund_order_biz_refund_no', columnNames: ['biz_refund_no'], isUnique: true },
          { name: 'idx_refund_order_order_id', columnNames: ['order_id'] },
          { name: 'idx_refund_order_sync_due', columnNames: ['status', 'sync_next_time'] },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('refund_order');
  }
}
