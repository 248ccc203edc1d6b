import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { column, varchar } from '../../database/migration-columns';

/**
 * The lease table: the per-order sync lock and the remembered nonces. `IF NOT EXISTS`: a
 * database made before the migrations were split by module already has it, under the
 * migration `CreatePaySyncTables1764190000000`.
 */
export class CreateUnipayLease1764190000004 implements MigrationInterface {
  name = 'CreateUnipayLease1764190000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'unipay_lease',
        columns: [{ name: 'lease_key', type: 'varchar', length: '100', isPrimary: true }, varchar('owner', 64), column('expires_at', 'bigint')],
        indices: [{ name: 'idx_unipay_lease_expires_at', columnNames: ['expires_at'] }],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('unipay_lease');
  }
}
