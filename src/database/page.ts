import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** Which page of a list, counted from 1. */
export interface PageRequest {
  page: number;
  size: number;
}

export interface Page<T> {
  items: T[];
  page: number;
  size: number;
  /** Rows matching the filters, over all pages. */
  total: number;
}

/** One page of a query's rows, newest first by `id`, with the count of them all. */
export async function pageOf<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, request: PageRequest): Promise<Page<T>> {
  const [items, total] = await query
    .orderBy(`${query.alias}.id`, 'DESC')
    .skip((request.page - 1) * request.size)
    .take(request.size)
    .getManyAndCount();
  return { items, page: request.page, size: request.size, total };
}

/** Filters common to the operator's lists: an order, and a time range on one column. */
export interface TimeRange {
  from?: Date;
  to?: Date;
}

/** Adds `column >= from` and `column < to` when given. */
export function withinTime<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, column: string, range: TimeRange): SelectQueryBuilder<T> {
  if (range.from) query.andWhere(`${query.alias}.${column} >= :from`, { from: range.from });
  if (range.to) query.andWhere(`${query.alias}.${column} < :to`, { to: range.to });
  return query;
}
