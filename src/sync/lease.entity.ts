import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../common/bigint-number.transformer';

/**
 * A named claim that expires. It held the per-order sync lock and the remembered nonces
 * until they moved onto the sync records (migrations 1764190000008 and 0009); nothing
 * writes it now, and it stays for databases made before.
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
