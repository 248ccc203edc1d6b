import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * The merchant's `nonceStr` moves onto the attempt's record (unique), so that one INSERT
 * both takes the order's lock and remembers the nonce. `unipay_lease` is no longer written;
 * it stays for databases made before.
 */
export class AddSyncRecordNonce1764190000009 implements MigrationInterface {
  name = 'AddSyncRecordNonce1764190000009';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('pay_sync_record', new TableColumn({ name: 'nonce_str', type: 'varchar', length: '32', isNullable: true }));
    await queryRunner.createIndex('pay_sync_record', new TableIndex({ name: 'uk_pay_sync_record_nonce', columnNames: ['nonce_str'], isUnique: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('pay_sync_record', 'uk_pay_sync_record_nonce');
    await queryRunner.dropColumn('pay_sync_record', 'nonce_str');
  }
}
