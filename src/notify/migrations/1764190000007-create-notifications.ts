import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { column, idColumn, timeColumn, varchar } from '../../database/migration-columns';

export class CreateNotifications1764190000007 implements MigrationInterface {
  name = 'CreateNotifications1764190000007';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'unipay_notification',
        columns: [
          idColumn(queryRunner),
          varchar('event_id', 64),
          varchar('kind', 16),
          varchar('order_no', 32),
          varchar('notify_url', 200),
          column('body', 'text'),
          varchar('status', 16),
          column('tries', 'int'),
          timeColumn('next_try_time'),
          timeColumn('last_try_time', true),
          timeColumn('delivered_time', true),
          timeColumn('created_time'),
          varchar('lease_owner', 64, true),
          timeColumn('lease_until', true),
        ],
        indices: [
          { name: 'uk_unipay_notification_event_id', columnNames: ['event_id'], isUnique: true },
          { name: 'idx_unipay_notification_due', columnNames: ['status', 'next_try_time'] },
          { name: 'idx_unipay_notification_order_no', columnNames: ['order_no'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'unipay_notification_try',
        columns: [
          idColumn(queryRunner),
          column('notification_id', 'bigint'),
          column('try_no', 'int'),
          column('manual', 'boolean'),
          timeColumn('started_time'),
          column('duration_ms', 'int'),
          column('http_status', 'int', true),
          varchar('excerpt', 100, true),
          varchar('error', 200, true),
          column('delivered', 'boolean'),
        ],
        indices: [{ name: 'idx_unipay_notification_try_notification', columnNames: ['notification_id'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('unipay_notification_try');
    await queryRunner.dropTable('unipay_notification');
  }
}
