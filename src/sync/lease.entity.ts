import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../common/bigint-number.transformer';

/**
 * A named claim that expires: the per-order sync lock and the remembered nonces both live
 * here, so every process sharing the database sees them.
 */
@Entity('unipay_lease')
export class Lease {
  @PrimaryColumn({ name: 'lease_key', type: 'varchar', length: 100 })
  key: string;

  @Column({ type: 'varchar', length: 64 })
  owner: string;

  /** Epoch milliseconds (UTC). */
  @Column({ name: 'expires_at', type: 'bigint', transformer: bigintNumber })
  expiresAt: number;
}
