import { SignType } from '../sign/sign-type';
import { SweepOptions } from '../sweep/sweep-options';

export const SYNC_OPTIONS = Symbol('SYNC_OPTIONS');

/** Settings of the SyncModule, given by the host application. */
export interface SyncModuleOptions {
  /** Request and response signing (DaxPay algorithm). */
  sign: {
    enabled: boolean;
    type: SignType;
    secret: string;
  };
  /** How far a request's `reqTime` may be ahead of or behind the server clock, in seconds. */
  reqTimeAheadSeconds: number;
  reqTimeBehindSeconds: number;
  /** How long one caller holds an order's sync lock at most; must exceed a sync's duration. */
  syncLockSeconds: number;
  /** The scheduled sync of stuck orders; off when left out. */
  sweep?: SweepOptions;
}
