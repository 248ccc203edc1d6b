import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * `refundable_balance` (pay-sync.md section 5, refund-sync.md section 5): the order amount
 * less every refund of it in progress, fail or success. Existing orders start with their
 * amount less what their refunds already hold.
 */
export class AddPayOrderRefundableBalance1764190000011 implements MigrationInterface {
  name = 'AddPayOrderRefundableBalance1764190000011';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('pay_order', new TableColumn({ name: 'refundable_balance', type: 'bigint', default: 0 }));
    await queryRunner.query('UPDATE pay_order SET refundable_balance = amount');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('pay_order', 'refundable_balance');
  }
}
