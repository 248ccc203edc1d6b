import { AnomalyKind } from '../anomaly/anomaly-kind';
import { PayOrder } from '../order/pay-order.entity';
import { RefundOrder } from '../refund/refund-order.entity';

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

/** What a channel says about a refund, normalised (refund-sync.md sections 6 and 7). */
export enum ChannelRefundState {
  /** The refund is done. */
  SUCCESS = 'success',
  /** The channel has the refund and it is not final yet. */
  PROCESSING = 'processing',
  /** The refund ended without money moving. */
  FAILED = 'failed',
  /** The channel has no such refund. */
  NOT_FOUND = 'not_found',
}

/** A verified answer to a refund query. Amounts are integer cents, times UTC. */
export interface ChannelRefundResult {
  state: ChannelRefundState;
  /** The channel's refund id (Alipay: the trade number), stored as `out_refund_no`. */
  refundId?: string;
  /** SUCCESS: the refunded amount, in cents. */
  amount?: number;
  /** SUCCESS: when the channel completed it, if it says. */
  finishTime?: Date;
  /** FAILED: the channel's reason. */
  reason?: string;
  /**
   * An anomaly the answer calls for beside its state: WeChat Pay's ABNORMAL (at once), or
   * Alipay's answer with refund data and no status (once the not-found grace is over).
   */
  anomaly?: AnomalyKind.REFUND_ABNORMAL | AnomalyKind.REFUND_UNCONFIRMED;
  /** The channel's answer as text for the sync record, with secrets left out. */
  raw?: string;
}

export interface ChannelErrorDetails {
  /**
   * True when `raw` did not pass the channel's signature check (tampered, unsigned, or not
   * a signed answer at all, such as a proxy's error page): it is not the channel's word.
   */
  unverified?: boolean;
  /** The channel's own error code (Alipay's sub_code, WeChat Pay's code, UnionPay's respCode), when it gave one. */
  code?: string;
  /** An anomaly the failure calls for (Alipay's ACQ.TRADE_NOT_EXIST on a refund query: the paid trade is unknown). */
  anomaly?: AnomalyKind;
}

/**
 * A failed call to a channel: timeout, 5xx, rate limit, unverified signature, unparsable
 * body. It never changes an order; the sync is recorded as failed and retried later.
 */
export class ChannelError extends Error {
  readonly unverified: boolean;
  readonly code?: string;
  readonly anomaly?: AnomalyKind;

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
    this.anomaly = details.anomaly;
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

  /**
   * Asks the channel for the true state of a refund (refund-sync.md section 7). A channel
   * without it answers refund syncs with 不支持的能力.
   */
  queryRefund?(refund: RefundOrder): Promise<ChannelRefundResult>;

  /** How long a refund the channel cannot find may still appear there (seconds; default 600). */
  readonly refundNotFoundGraceSeconds?: number;
}
