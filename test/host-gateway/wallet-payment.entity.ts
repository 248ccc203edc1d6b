import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A payment from a buyer's wallet balance: the gateway's own table. */
@Entity('wallet_payment')
export class WalletPayment {
  @PrimaryColumn({ name: 'order_no', type: 'varchar', length: 32 })
  orderNo: string;

  /** Integer cents. */
  @Column({ type: 'int' })
  amount: number;

  @Column({ type: 'varchar', length: 16 })
  state: 'pending' | 'paid' | 'void';

  @Column({ name: 'paid_at', type: 'datetime', nullable: true })
  paidAt: Date | null;
}
