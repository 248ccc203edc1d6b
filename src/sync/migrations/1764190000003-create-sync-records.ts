import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { column, idColumn, varchar } from '../../database/migration-columns';

/**
 * The sync and repair records. `IF NOT EXISTS`: a database made before the migrations were
 * split by module already has them, under the migration `CreatePaySyncTables1764190000000`.
 */
export class CreateSyncRecords1764190000003 implements MigrationInterface {
  name = 'CreateSyncRecords1764190000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    const id = idColumn(queryRunner);
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
      true,
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
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('pay_repair_record');
    await queryRunner.dropTable('pay_sync_record');
  }
}
