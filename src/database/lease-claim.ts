import { FindOptionsOrder, FindOptionsWhere, In, ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/** A row that instances claim for a while: `lease_owner` holds it until `lease_until`. */
export interface Leased extends ObjectLiteral {
  id: number;
  leaseOwner: string | null;
  leaseUntil: Date | null;
}

export interface LeaseClaim {
  owner: string;
  now: Date;
  until: Date;
}

/**
 * Claims rows with a lease, the way several instances share work through the database:
 * the candidates (a query selecting `id`, with its own conditions and limit) are taken by
 * one conditional update that only succeeds where no lease is running, and the rows this
 * owner now holds come back. Two instances never hold the same row; a crashed one's rows
 * come back when its lease ends.
 */
/** The lease columns as a partial update of any leased entity (TypeScript cannot see through T). */
function leaseValues<T extends Leased>(owner: string | null, until: Date | null): QueryDeepPartialEntity<T> {
  const values: Pick<Leased, 'leaseOwner' | 'leaseUntil'> = { leaseOwner: owner, leaseUntil: until };
  return values as unknown as QueryDeepPartialEntity<T>;
}

export async function claimByLease<T extends Leased>(repository: Repository<T>, candidates: SelectQueryBuilder<T>, claim: LeaseClaim): Promise<T[]> {
  const ids = (await candidates.getRawMany<{ id: number | string }>()).map((row) => Number(row.id));
  if (ids.length === 0) return [];
  await repository
    .createQueryBuilder()
    .update()
    .set(leaseValues<T>(claim.owner, claim.until))
    .where('id IN (:...ids) AND (lease_until IS NULL OR lease_until < :now)', { ids, now: claim.now })
    .execute();
  return repository.find({
    where: { id: In(ids), leaseOwner: claim.owner } as FindOptionsWhere<T>,
    order: { id: 'ASC' } as FindOptionsOrder<T>,
  });
}

/** Gives a lease back, only if it is still this owner's. */
export async function releaseLease<T extends Leased>(
  repository: Repository<T>,
  id: number,
  owner: string,
  changes: QueryDeepPartialEntity<T> = {},
): Promise<boolean> {
  const result = await repository
    .createQueryBuilder()
    .update()
    .set({ ...changes, ...leaseValues<T>(null, null) })
    .where('id = :id AND lease_owner = :owner', { id, owner })
    .execute();
  return result.affected === 1;
}
