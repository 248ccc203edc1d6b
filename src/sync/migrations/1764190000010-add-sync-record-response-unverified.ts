import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Whether the channel text a sync record keeps failed the channel's signature check, in a
 * column of its own, so an operator never takes tampered text for the channel's word.
 */
export class AddSyncRecordResponseUnverified1764190000010 implements MigrationInterface {
  name = 'AddSyncRecordResponseUnverified1764190000010';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('pay_sync_record', new TableColumn({ name: 'response_unverified', type: 'boolean', default: false }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('pay_sync_record', 'response_unverified');
  }
}
