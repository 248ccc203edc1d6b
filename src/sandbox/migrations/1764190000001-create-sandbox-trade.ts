import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** The sandbox channel's trades: what the quick-start channel answers for each order. */
export class CreateSandboxTrade1764190000001 implements MigrationInterface {
  name = 'CreateSandboxTrade1764190000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'sandbox_trade',
        columns: [
          { name: 'order_no', type: 'varchar', length: '32', isPrimary: true },
          { name: 'state', type: 'varchar', length: '32' },
          { name: 'amount', type: 'bigint', isNullable: true },
          { name: 'trade_no', type: 'varchar', length: '64', isNullable: true },
          { name: 'pay_time', type: 'datetime', isNullable: true },
          { name: 'close_answer', type: 'varchar', length: '16' },
          { name: 'error_msg', type: 'varchar', length: '200', isNullable: true },
          { name: 'delay_ms', type: 'int', default: 0 },
          { name: 'query_count', type: 'int', default: 0 },
          { name: 'close_count', type: 'int', default: 0 },
          { name: 'update_time', type: 'datetime' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('sandbox_trade');
  }
}
