import { ValueTransformer } from 'typeorm';

/**
 * mysql2 returns BIGINT as a string and SQLite as a number; entities see a number.
 * Amounts are integer cents and ids are generated, both far below 2^53.
 */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? value : Number(value)),
};
