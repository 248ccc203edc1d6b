import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * `refundable_balance` (pay-sync.md section 5, refund-sync.md section 5): the order amount
 * less every refund of it in progress, fail or success. Existing orders start with their
 * amount, less what their refunds hold when the gateway already has a `refund_order` table
 * (the next migration creates it only if it is not there).
 */
export class AddPayOrderRefundableBalance1764190000011 implements MigrationInterface {
  name = 'AddPayOrderRefundableBalance1764190000011';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('pay_order', new TableColumn({ name: 'refundable_balance', type: 'bigint', default: 0 }));
    await queryRunner.query('UPDATE pay_order SET refundable_balance = amount');
    if (await queryRunner.hasTable('refund_order')) {
      await queryRunner.query(
        "UPDATE pay_order SET refundable_balance = amount - COALESCE((SELECT SUM(r.amount) FROM refund_order r WHERE r.order_id = pay_order.id AND r.status IN ('progress', 'fail', 'success')), 0)",
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('pay_order', 'refundable_balance');
  }
}
