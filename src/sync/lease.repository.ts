import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { isUniqueViolation } from '../common/unique-violation';
import { Lease } from './lease.entity';

/**
 * Expiring claims in the database. A claim is taken by inserting its key, or by taking
 * over an expired one with a conditional update; the database decides who wins, so the
 * claim holds across every process sharing it.
 */
@Injectable()
export class LeaseRepository {
  constructor(@InjectRepository(Lease) private readonly leases: Repository<Lease>) {}

  /** Takes the claim until `expiresAt` (epoch ms); false when someone else holds it. */
  async tryAcquire(key: string, owner: string, expiresAt: number, now = Date.now()): Promise<boolean> {
    try {
      await this.leases.insert({ key, owner, expiresAt });
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

  /** Gives the claim back, only if it is still ours. */
  async release(key: string, owner: string): Promise<void> {
    await this.leases.delete({ key, owner });
  }

  async purgeExpired(now = Date.now()): Promise<number> {
    const result = await this.leases.delete({ expiresAt: LessThan(now) });
    return result.affected ?? 0;
  }
}
