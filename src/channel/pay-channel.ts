import { PayOrder } from '../order/pay-order.entity';

/** What a channel says about a trade, in our own words. */
export enum ChannelTradeState {
  /** Paid (Alipay TRADE_SUCCESS/TRADE_FINISHED, WeChat SUCCESS, UnionPay 00/00). */
  SUCCESS = 'success',
  /** Still waiting for the buyer. */
  PROGRESS = 'progress',
  /** Closed, revoked or failed at the channel. */
  CLOSED = 'closed',
  /** Paid and then (partly) refunded. */
  REFUND = 'refund',
  /** The channel has no such trade and never will. */
  NOT_FOUND = 'not_found',
  /** No trade yet, but one may still appear (created only when the buyer acts). */
  NOT_FOUND_UNKNOWN = 'not_found_unknown',
}

/** A verified answer to a query. Amounts are integer cents, times UTC. */
export interface ChannelQueryResult {
  state: ChannelTradeState;
  /** The amount the channel holds for the trade, in cents. */
  amount?: number;
  /** The channel's trade number, stored as `out_order_no` on repair. */
  tradeNo?: string;
  payTime?: Date;
  /** The channel's answer as text for the sync record, with secrets left out. */
  raw?: string;
}

export enum ChannelCloseOutcome {
  /** The channel closed the trade. */
  CLOSED = 'closed',
  /**
   * The channel had no trade to close. The order is closed here only, like an UNSUPPORTED
   * close: the buyer may still create and pay that trade (unless the gateway passed an
   * expiry when it made it), so the job checks it again later.
   */
  NOT_FOUND = 'not_found',
  /** The channel refused because the trade was paid meanwhile: query again. */
  PAID = 'paid',
  /** The channel has no close API: the order is closed locally only. */
  UNSUPPORTED = 'unsupported',
}

export interface ChannelCloseResult {
  outcome: ChannelCloseOutcome;
  raw?: string;
}

/**
 * A failed call to a channel: timeout, 5xx, rate limit, unverified signature, unparsable
 * body. It never changes an order; the sync is recorded as failed and retried later.
 */
export interface ChannelErrorDetails {
  /**
   * True when `raw` did not pass the channel's signature check (tampered, unsigned, or not
   * a signed answer at all, such as a proxy's error page): it is not the channel's word.
   */
  unverified?: boolean;
  /** The channel's own error code (Alipay's sub_code, WeChat Pay's code, UnionPay's respCode), when it gave one. */
  code?: string;
}

export class ChannelError extends Error {
  readonly unverified: boolean;
  readonly code?: string;

  constructor(
    message: string,
    /** The channel's answer as text for the sync record, with secrets left out. */
    readonly raw?: string,
    details: ChannelErrorDetails = {},
  ) {
    super(message);
    this.name = 'ChannelError';
    this.unverified = details.unverified === true;
    this.code = details.code;
  }
}

/**
 * The contract every payment channel implements. Implementations are found by
 * {@link PayChannel.code} (the `channel` column of `pay_order`), convert at the edge
 * (cents, UTC, our states) and signal failure by throwing {@link ChannelError}. They are
 * called outside any database transaction.
 */
export interface PayChannel {
  /** The channel code stored in `pay_order.channel`, e.g. `ali_pay`. */
  readonly code: string;

  /** Asks the channel for the true state of the order's trade. */
  query(order: PayOrder): Promise<ChannelQueryResult>;

  /**
   * Closes the trade at the channel so the buyer can no longer pay it. Returns
   * {@link ChannelCloseOutcome.PAID} when the channel refuses because it was paid meanwhile
   * and {@link ChannelCloseOutcome.UNSUPPORTED} when the channel has no close API.
   */
  close(order: PayOrder): Promise<ChannelCloseResult>;
}
