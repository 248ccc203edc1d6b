import { IsInt, Max, Min } from 'class-validator';
import { AsInt } from '../config/settings';

/** The merchant endpoint's request window and the per-order sync lock. */
export class SyncSettings {
  /** How far a request's `reqTime` may be ahead of the server clock, in seconds. */
  @AsInt()
  @IsInt()
  @Min(0)
  @Max(3600)
  UNIPAY_REQ_TIME_AHEAD_SECONDS = 60;

  /** How far it may be behind; a nonce is remembered this long. */
  @AsInt()
  @IsInt()
  @Min(1)
  @Max(315360000)
  UNIPAY_REQ_TIME_BEHIND_SECONDS = 300;

  /** How long one caller holds an order's sync lock at most; must exceed a sync's duration. */
  @AsInt()
  @IsInt()
  @Min(1)
  @Max(3600)
  UNIPAY_SYNC_LOCK_SECONDS = 60;
}
