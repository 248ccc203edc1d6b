import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { column, idColumn, timeColumn, varchar } from '../../database/migration-columns';

export class CreateOutboxEvent1764190000006 implements MigrationInterface {
  name = 'CreateOutboxEvent1764190000006';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'unipay_outbox_event',
        columns: [
          idColumn(queryRunner),
          varchar('event_id', 64),
          varchar('type', 40),
          varchar('order_no', 32),
          column('payload', 'text'),
          timeColumn('created_time'),
          varchar('hook_status', 16),
          column('hook_attempts', 'int'),
          timeColumn('hook_next_time'),
          varchar('hook_error', 500, true),
          timeColumn('delivered_time', true),
          varchar('lease_owner', 64, true),
          timeColumn('lease_until', true),
        ],
        indices: [
          { name: 'uk_unipay_outbox_event_event_id', columnNames: ['event_id'], isUnique: true },
          { name: 'idx_unipay_outbox_event_order', columnNames: ['order_no', 'id'] },
          { name: 'idx_unipay_outbox_event_due', columnNames: ['hook_status', 'hook_next_time'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('unipay_outbox_event');
  }
}
