import { MigrationInterface, QueryRunner, Table } from 'typeorm';

export class CreateGatewayTables1764300000000 implements MigrationInterface {
  name = 'CreateGatewayTables1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'wallet_payment',
        columns: [
          { name: 'order_no', type: 'varchar', length: '32', isPrimary: true },
          { name: 'amount', type: 'int' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'paid_at', type: 'datetime', isNullable: true },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'shipment',
        columns: [
          { name: 'event_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'order_no', type: 'varchar', length: '32' },
          { name: 'shipped_at', type: 'datetime' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('shipment');
    await queryRunner.dropTable('wallet_payment');
  }
}
