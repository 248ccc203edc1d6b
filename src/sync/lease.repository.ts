import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { isUniqueViolation } from '../common/unique-violation';
import { FixedSql } from '../database/fixed-sql';
import { Lease } from './lease.entity';

const INSERT = 'INSERT INTO unipay_lease (lease_key, owner, expires_at) VALUES (?, ?, ?)';

/**
 * Expiring claims in the database (the remembered nonces). A claim is taken by inserting its key, or by taking
 * over an expired one with a conditional update; the database decides who wins, so the
 * claim holds across every process sharing it.
 */
@Injectable()
export class LeaseRepository {
  constructor(
    @InjectRepository(Lease) private readonly leases: Repository<Lease>,
    private readonly sql: FixedSql,
  ) {}

  /** Takes the claim until `expiresAt` (epoch ms); false when someone else holds it. */
  async tryAcquire(key: string, owner: string, expiresAt: number, now = Date.now()): Promise<boolean> {
    try {
      await this.sql.run(INSERT, [key, owner, expiresAt]);
      return true;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const taken = await this.leases
      .createQueryBuilder()
      .update(Lease)
      .set({ owner, expiresAt })
      .where('lease_key = :key AND expires_at < :now', { key, now })
      .execute();
    return taken.affected === 1;
  }

  async purgeExpired(now = Date.now()): Promise<number> {
    const result = await this.leases.delete({ expiresAt: LessThan(now) });
    return result.affected ?? 0;
  }
}
