import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * What the scheduled job keeps on each pay order: when to sync it next, how many scheduled
 * syncs it has had, and the claim of the instance syncing it now (with an expiry, so the
 * claim of a crashed instance is picked up again).
 */
export class AddPayOrderSyncSchedule1764190000002 implements MigrationInterface {
  name = 'AddPayOrderSyncSchedule1764190000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('pay_order', [
      new TableColumn({ name: 'sync_next_time', type: 'datetime', precision: 3, isNullable: true }),
      new TableColumn({ name: 'sync_count', type: 'int', default: 0 }),
      new TableColumn({ name: 'sync_lease_owner', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'sync_lease_until', type: 'datetime', precision: 3, isNullable: true }),
    ]);
    await queryRunner.createIndex(
      'pay_order',
      new TableIndex({ name: 'idx_pay_order_sync_due', columnNames: ['status', 'sync_next_time'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('pay_order', 'idx_pay_order_sync_due');
    for (const column of ['sync_lease_until', 'sync_lease_owner', 'sync_count', 'sync_next_time']) {
      await queryRunner.dropColumn('pay_order', column);
    }
  }
}
