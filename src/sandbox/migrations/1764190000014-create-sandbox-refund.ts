import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { column, varchar } from '../../database/migration-columns';

/** The sandbox channel's scripted refund answers. */
export class CreateSandboxRefund1764190000014 implements MigrationInterface {
  name = 'CreateSandboxRefund1764190000014';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'sandbox_refund',
        columns: [
          { ...varchar('refund_no', 32), isPrimary: true },
          varchar('state', 20),
          column('amount', 'bigint', true),
          varchar('refund_id', 64, true),
          column('finish_time', 'datetime', true),
          varchar('error_msg', 200, true),
          { name: 'delay_ms', type: 'int', default: 0 },
          { name: 'query_count', type: 'int', default: 0 },
          column('update_time', 'datetime'),
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('sandbox_refund');
  }
}
