import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * The per-order sync lock moves onto the attempt's own record: while a sync runs, its record
 * holds the order number in `lock_order_no` (unique, so one attempt per order at a time)
 * until `lock_until`; finishing the record releases the lock in the same statement.
 */
export class AddSyncRecordLock1764190000008 implements MigrationInterface {
  name = 'AddSyncRecordLock1764190000008';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('pay_sync_record', [
      new TableColumn({ name: 'lock_order_no', type: 'varchar', length: '32', isNullable: true }),
      new TableColumn({ name: 'lock_until', type: 'datetime', precision: 3, isNullable: true }),
    ]);
    await queryRunner.createIndex(
      'pay_sync_record',
      new TableIndex({ name: 'uk_pay_sync_record_lock', columnNames: ['lock_order_no'], isUnique: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('pay_sync_record', 'uk_pay_sync_record_lock');
    await queryRunner.dropColumn('pay_sync_record', 'lock_until');
    await queryRunner.dropColumn('pay_sync_record', 'lock_order_no');
  }
}
