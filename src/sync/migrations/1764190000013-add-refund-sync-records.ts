import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { column, idColumn, varchar } from '../../database/migration-columns';

/**
 * Refund sync: its attempts share `pay_sync_record` (type `refund`, the refund's numbers, and
 * `lock_refund_no`, unique, the refund's lock while the attempt runs); its repairs get
 * `refund_repair_record`, with the refund's and the pay order's before and after.
 */
export class AddRefundSyncRecords1764190000013 implements MigrationInterface {
  name = 'AddRefundSyncRecords1764190000013';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('pay_sync_record', [
      new TableColumn({ name: 'sync_type', type: 'varchar', length: '10', default: "'pay'" }),
      new TableColumn(varchar('refund_no', 32, true)),
      new TableColumn(varchar('biz_refund_no', 100, true)),
      new TableColumn(varchar('out_refund_no', 150, true)),
      new TableColumn(varchar('lock_refund_no', 32, true)),
    ]);
    await queryRunner.createIndex('pay_sync_record', new TableIndex({ name: 'uk_pay_sync_record_lock_refund', columnNames: ['lock_refund_no'], isUnique: true }));
    await queryRunner.createIndex('pay_sync_record', new TableIndex({ name: 'idx_pay_sync_record_refund_no', columnNames: ['refund_no'] }));
    await queryRunner.createTable(
      new Table({
        name: 'refund_repair_record',
        columns: [
          idColumn(queryRunner),
          varchar('repair_no', 32),
          column('refund_id', 'bigint'),
          varchar('refund_no', 32),
          column('order_id', 'bigint'),
          varchar('order_no', 32),
          varchar('channel', 32),
          varchar('source', 16),
          varchar('way', 20),
          varchar('before_status', 20),
          varchar('after_status', 20),
          varchar('before_order_refund_status', 20),
          varchar('after_order_refund_status', 20),
          column('before_refundable_balance', 'bigint'),
          column('after_refundable_balance', 'bigint'),
          column('amount', 'bigint'),
          column('create_time', 'datetime'),
        ],
        indices: [
          { name: 'uk_refund_repair_record_repair_no', columnNames: ['repair_no'], isUnique: true },
          { name: 'idx_refund_repair_record_refund_no', columnNames: ['refund_no'] },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('refund_repair_record');
    await queryRunner.dropIndex('pay_sync_record', 'idx_pay_sync_record_refund_no');
    await queryRunner.dropIndex('pay_sync_record', 'uk_pay_sync_record_lock_refund');
    for (const name of ['lock_refund_no', 'out_refund_no', 'biz_refund_no', 'refund_no', 'sync_type']) await queryRunner.dropColumn('pay_sync_record', name);
  }
}
