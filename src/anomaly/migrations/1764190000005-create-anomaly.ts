import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { column, idColumn, timeColumn, varchar } from '../../database/migration-columns';

export class CreateAnomaly1764190000005 implements MigrationInterface {
  name = 'CreateAnomaly1764190000005';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'unipay_anomaly',
        columns: [
          idColumn(queryRunner),
          varchar('kind', 32),
          varchar('order_no', 32),
          { ...varchar('refund_no', 32), default: "''" },
          varchar('status', 16),
          varchar('detail', 1000),
          column('occurrences', 'int'),
          timeColumn('first_seen_time'),
          timeColumn('last_seen_time'),
          varchar('resolved_by', 64, true),
          timeColumn('resolved_time', true),
          varchar('resolution_note', 1000, true),
        ],
        indices: [
          { name: 'uk_unipay_anomaly_subject', columnNames: ['kind', 'order_no', 'refund_no'], isUnique: true },
          { name: 'idx_unipay_anomaly_order_no', columnNames: ['order_no'] },
          { name: 'idx_unipay_anomaly_status_seen', columnNames: ['status', 'last_seen_time'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('unipay_anomaly');
  }
}
